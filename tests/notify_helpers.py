"""Fixtures for the notification tests.

The worker and the one-click links commit (the worker between jobs, the link page at
the end of its request). On PostgreSQL those commits release savepoints inside the
test's outer transaction. With the sqlite3 driver's default transaction handling a
SAVEPOINT opened before any write is not inside a transaction at all, so its RELEASE
commits for good; the engine below uses SQLAlchemy's documented pysqlite recipe
(explicit BEGIN) so that rolling back the test really undoes it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, event

from referral import db


@pytest.fixture(scope="session")
def isolating_engine(engine: Engine) -> Iterator[Engine]:
    if engine.dialect.name != "sqlite":
        yield engine
        return
    isolating = db.make_engine(engine.url.render_as_string(hide_password=False))

    @event.listens_for(isolating, "connect")
    def _driver_autocommit(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.isolation_level = None

    @event.listens_for(isolating, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    yield isolating
    isolating.dispose()


@pytest.fixture
def connection(isolating_engine: Engine) -> Iterator[Connection]:
    """Overrides conftest's ``connection`` in the modules that import it."""
    with isolating_engine.connect() as conn:
        outer = conn.begin()
        try:
            yield conn
        finally:
            outer.rollback()
