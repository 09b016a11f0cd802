"""``referral import PATH``: load HSDS data, one transaction per batch.

The whole input is read and checked first; a malformed file stops the command before
anything is written. Batches are then committed one by one (a progress bar shows them
on a terminal), and the summary is printed: a table, or JSON with ``--json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from referral.cli import app_context
from referral.directory.hsds_import import MalformedInput, load_path
from referral.directory.hsds_import.records import Package


@click.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write every repaired, rejected and merged row with its reason (CSV, or JSON for .json).",
)
@click.option("--batch-size", default=500, show_default=True, help="Rows per transaction.")
@click.option("--actor", default="import", show_default=True, help="Name kept in the audit trail.")
def import_command(
    path: Path, as_json: bool, report: Path | None, batch_size: int, actor: str
) -> None:
    """Import PATH: an HSDS 3.0 JSON file, or a folder or zip of an HSDS tabular package
    (3.0, or the older 1.x/2.x layout). Re-importing updates rows by id."""
    from referral import db

    with app_context():
        session = db.session()
        progress = _Progress(enabled=sys.stdout.isatty() and not as_json)
        loaded: list[Package] = []

        def before_load(package: Package) -> None:
            loaded.append(package)
            progress.start(package)

        def commit(rows: int) -> None:
            session.commit()
            progress.update(rows)

        try:
            summary = load_path(
                session,
                path,
                actor=actor,
                batch_size=batch_size,
                after_batch=commit,
                before_load=before_load,
            )
        except MalformedInput as exc:
            session.rollback()
            raise click.ClickException(f"nothing imported: {exc}") from exc
        except SQLAlchemyError as exc:
            session.rollback()
            raise click.ClickException(f"import stopped by a database error: {exc}") from exc
        finally:
            progress.close()
        duplicates = _queue_duplicates(session, loaded)
    if report is not None:
        summary.write_report(report)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        click.echo(summary.text())
        if report is not None:
            click.echo(f"report written to {report}")
        if duplicates:
            click.echo(f"{duplicates} possible duplicate pairs queued (see `referral dedupe`)")


def _queue_duplicates(session: Any, loaded: list[Package]) -> int:
    """Queue likely duplicates of the imported organizations (curation). The data is
    already committed: a failure here is reported, never undoes the import."""
    from referral.curation.service import queue_imported

    if not loaded:
        return 0
    ids = {t: {str(r.id) for r in loaded[0].records.get(t, [])} for t in ("organization",)}
    try:
        found = queue_imported(session, ids)
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        click.echo(f"warning: duplicate detection after import failed: {exc}", err=True)
        return 0
    return found


class _Progress:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def start(self, package: Package) -> None:
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=package.total(), unit="row", desc="importing")

    def update(self, rows: int) -> None:
        if self.bar is not None:
            self.bar.update(rows)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
