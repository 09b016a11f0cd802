"""Autogenerate an Alembic revision against a scratch PostGIS database.

    python scripts/make_migration.py "add referral tables" 0002

Upgrades a scratch database to head, compares it with the models, writes
migrations/versions/<rev>_<message>.py, and rewrites the PostGIS column types to the
portable ones of ``referral.directory.geo`` so the revision also runs on SQLite.
Needs PostgreSQL with PostGIS on REFERRAL_SCRATCH_URL (default: local, trust auth).
"""

from __future__ import annotations

import os
import re
import sys
import uuid

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from referral.db import MIGRATIONS_DIR, make_engine, upgrade

SERVER = os.environ.get("REFERRAL_SCRATCH_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")


def main(message: str, rev_id: str) -> None:
    name = f"referral_scratch_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = make_engine(f"{SERVER}/{name}")
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        upgrade(engine)
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            script = command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()
        portable(script.path)  # type: ignore[union-attr]
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def portable(path: str) -> None:
    source = open(path).read()
    source = re.sub(r"Geography\([^()]*\)", "geo.POINT", source)
    source = re.sub(r"Geometry\([^()]*\)", "geo.AREA", source)
    for spatial, plain in (
        ("op.create_geospatial_table(", "op.create_table("),
        ("op.drop_geospatial_table(", "op.drop_table("),
        ("op.create_geospatial_index(", "op.create_index("),
        ("op.drop_geospatial_index(", "op.drop_index("),
    ):
        source = source.replace(spatial, plain)
    source = re.sub(r", column_name='[a-z_]+'\)", ")", source)
    source = re.sub(r"sa\.Text\(\)\.with_variant\((geo\.[A-Z]+), 'postgresql'\)", r"\1", source)
    source = re.sub(
        r"^(\s*)(op\.(create|drop)_index\(.*postgresql_using='gist'.*\))$",
        r"\1if op.get_bind().dialect.name == 'postgresql':\n\1    \2",
        source,
        flags=re.M,
    )
    if "down_revision: str | None = None" in source:
        source = source.replace(
            "def upgrade() -> None:\n",
            "def upgrade() -> None:\n"
            "    if op.get_bind().dialect.name == 'postgresql':\n"
            "        op.execute('CREATE EXTENSION IF NOT EXISTS postgis')\n",
        )
    source = source.replace("from geoalchemy2 import Geography\n", "")
    source = source.replace("from geoalchemy2 import Geometry\n", "")
    source = source.replace(
        "import sqlalchemy as sa\n",
        "import sqlalchemy as sa\n\nfrom referral.directory import geo\n",
        1,
    )
    open(path, "w").write(source)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
