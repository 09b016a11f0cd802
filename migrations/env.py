"""Alembic environment: runs on the connection ``referral.db.upgrade`` hands over,
or on ``REFERRAL_DATABASE_URL`` when Alembic is called directly."""

from __future__ import annotations

from alembic import context
from geoalchemy2 import alembic_helpers

import referral.models  # noqa: F401  (every table is registered on Base.metadata)
from referral import config as settings
from referral.db import Base, make_engine

config = context.config


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=alembic_helpers.include_object,
        process_revision_directives=alembic_helpers.writer,
        render_item=alembic_helpers.render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = str(settings.resolve(settings.from_environ())["DATABASE_URL"])
    with make_engine(url).begin() as conn:
        run_migrations(conn)
