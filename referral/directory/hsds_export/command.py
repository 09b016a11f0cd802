"""``referral export``: the directory as HSDS 3.0 JSON or as a tabular data package."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from referral import db
from referral.cli import app_context
from referral.directory.hsds_export.files import ExportResult, export_csv, export_json
from referral.directory.hsds_schema import RecordValidator, SchemasUnavailable

EXPORTERS: dict[str, Callable[[Session, Path, RecordValidator | None], ExportResult]] = {
    "json": export_json,
    "csv": export_csv,
}
SHOWN_PROBLEMS = 10


def check_target(out: Path, force: bool) -> None:
    """Refuse to write over a file, or into a folder that holds anything, unless forced."""
    if out.exists() and not out.is_dir():
        raise click.ClickException(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise click.ClickException(
            f"{out} is not empty; choose an empty or new folder, or pass --force to "
            "replace the export files in it (other files are left alone)"
        )


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A scratch folder beside OUT: OUT changes only once the export has succeeded."""
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    except OSError as exc:
        raise click.ClickException(f"cannot write to {out}: {exc.strerror or exc}") from exc
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(folder: Path, out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        for item in sorted(folder.iterdir()):
            os.replace(item, out / item.name)
    except OSError as exc:
        raise click.ClickException(f"cannot write to {out}: {exc.strerror or exc}") from exc


def problems_message(result: ExportResult) -> str:
    lines = [f"{result.problem_count} schema problem(s); nothing was written:"]
    lines += [f"  {problem}" for problem in result.problems[:SHOWN_PROBLEMS]]
    if result.problem_count > SHOWN_PROBLEMS:
        lines.append(f"  ... and {result.problem_count - SHOWN_PROBLEMS} more")
    return "\n".join(lines)


def load_validator(validate: bool) -> RecordValidator | None:
    if not validate:
        return None
    try:
        return RecordValidator()
    except SchemasUnavailable as exc:
        raise click.ClickException(f"cannot validate: {exc}") from exc


def run_export(fmt: str, folder: Path, validator: RecordValidator | None) -> ExportResult:
    with app_context():
        session = db.session()
        try:
            with session.begin():
                return EXPORTERS[fmt](session, folder, validator)
        except SQLAlchemyError as exc:
            raise click.ClickException(f"cannot read the directory: {exc}") from exc


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(EXPORTERS)),
    default="json",
    show_default=True,
    help="json: services.json (fully nested), organizations.json, taxonomy_terms.json, "
    "taxonomies.json; csv: HSDS 3.0 tabular data package (datapackage.json + CSV files).",
)
@click.option(
    "--validate",
    is_flag=True,
    help="Check every record against the compiled HSDS 3.0 schemas "
    "(REFERRAL_HSDS_SCHEMA_DIR); write nothing if any is invalid.",
)
@click.option("--force", is_flag=True, help="Write into OUT even if it is not empty.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.argument("out", type=click.Path(path_type=Path))
def export_command(fmt: str, validate: bool, force: bool, as_json: bool, out: Path) -> None:
    """Export the directory as HSDS 3.0 into the folder OUT.

    Records are sorted by id and written the same way every time, so two exports of
    the same data are identical byte for byte. To load a json export elsewhere, import
    its files in this order: taxonomies.json, taxonomy_terms.json, services.json,
    organizations.json; a csv export imports as one folder.
    """
    check_target(out, force)
    validator = load_validator(validate)
    started = time.perf_counter()
    with staging(out) as folder:
        result = run_export(fmt, folder, validator)
        if result.problem_count:
            raise click.ClickException(problems_message(result))
        publish(folder, out)
    seconds = round(time.perf_counter() - started, 2)
    if as_json:
        summary = {"format": fmt, "out": str(out), "counts": result.counts, "seconds": seconds}
        click.echo(json.dumps({**summary, "validated": validate}))
        return
    counts = ", ".join(f"{count} {name}" for name, count in result.counts.items())
    checked = "; every record valid against the HSDS 3.0 schemas" if validate else ""
    click.echo(f"Exported {counts} to {out} ({fmt}) in {seconds:.1f} s{checked}.")
