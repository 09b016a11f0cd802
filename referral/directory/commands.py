"""``referral init`` and ``referral db upgrade``."""

from __future__ import annotations

import click
from sqlalchemy.exc import OperationalError

from referral import db
from referral.cli import app_context


def _upgrade(revision: str) -> None:
    with app_context() as app:
        try:
            db.upgrade(db.engine(), revision)
        except OperationalError as exc:
            raise click.ClickException(
                f"cannot reach the database {db.engine().url.render_as_string()}: {exc.orig}"
            ) from exc
        click.echo(f"Database schema is up to date ({app.config['DATABASE_URL']}).")


@click.command("init")
def init_command() -> None:
    """Create the database schema, or upgrade it to the latest version."""
    _upgrade("head")


@click.group("db")
def db_group() -> None:
    """Database schema management."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target Alembic revision.")
def upgrade_command(revision: str) -> None:
    """Apply schema migrations up to REVISION."""
    _upgrade(revision)
