from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import referral.models  # noqa: F401  (every table on Base.metadata)
from referral.db import MIGRATIONS_DIR, Base


def _ignorable(diff: tuple) -> bool:
    # PostGIS's own tables, and the spatial indexes declared only for PostgreSQL.
    if diff[0] == "remove_table" and diff[1].name in {"spatial_ref_sys"}:
        return True
    return diff[0] in {"add_index", "remove_index"} and diff[1].name.endswith(("_geom",))


def test_the_migrations_build_exactly_the_schema_the_models_describe(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diffs = [d for d in compare_metadata(context, Base.metadata) if not _ignorable(d)]
    assert diffs == [], "models and migrations differ; write a migration:\n" + "\n".join(
        map(str, diffs)
    )


def test_the_migrations_have_a_single_head():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several heads {heads}: add a merge revision"
