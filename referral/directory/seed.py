"""``referral seed``: load the sample directory, or make a synthetic one of any size.

The sample (``seed_data/sample``) goes through the importer like any HSDS package, so
loading it twice changes nothing. Synthetic directories are for benchmarks: they are
bulk-inserted (see ``seed_io``), and the command reports generation and loading
times separately.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from referral.cli import app_context
from referral.directory.models import Organization, Service

if TYPE_CHECKING:
    from referral.directory.hsds_import import ImportSummary
    from referral.directory.synthetic import Rows

T = TypeVar("T")

SEED_DATA = Path(__file__).resolve().parents[2] / "seed_data"
SAMPLE_DIR = SEED_DATA / "sample"
SERVICE_TRANSLATIONS_FILE = "service_translations.csv"


def describe(session: Session) -> str:
    services = session.scalar(select(func.count()).select_from(Service))
    organizations = session.scalar(select(func.count()).select_from(Organization))
    return f"{services} services from {organizations} organizations"


def load_sample(session: Session) -> ImportSummary:
    from referral.directory.hsds_import import load_path

    if not (SAMPLE_DIR / "datapackage.json").is_file():
        raise FileNotFoundError(f"the sample directory is missing from {SAMPLE_DIR}")
    summary = load_path(session, SAMPLE_DIR, actor="seed")
    load_term_translations(session)
    load_service_translations(session)
    return summary


def load_term_translations(session: Session) -> int:
    """The needs taxonomy's names in other languages (Spanish), for the terms present."""
    from referral.directory import term_translations
    from referral.directory.seed_io import TRANSLATIONS_FILE

    return term_translations.load_csv(session, SEED_DATA / TRANSLATIONS_FILE)


def load_service_translations(session: Session) -> int:
    """A few sample services' own text in Spanish, as their providers would write it."""
    from referral.directory import service_translations

    return service_translations.load_csv(session, SEED_DATA / SERVICE_TRANSLATIONS_FILE)


def load_sample_if_empty(session: Session) -> str | None:
    """Load the sample when the directory has no services; say what is there after.
    A directory that has data still gets the needs taxonomy's translations and the
    sample services' (an older demo database gains them; loading them again changes
    nothing, and a provider's own translation is never replaced)."""
    if session.scalar(select(Service.id).limit(1)) is not None:
        load_term_translations(session)
        load_service_translations(session)
        return None
    load_sample(session)
    return describe(session)


class Stopwatch:
    """Time spent inside an iterator, apart from the time its consumer spends."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, items: Iterable[T]) -> Iterator[T]:
        iterator = iter(items)
        while True:
            started = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                self.seconds += time.perf_counter() - started
                return
            self.seconds += time.perf_counter() - started
            yield item


class ServiceCount(click.ParamType):
    """A whole number of services, at least one, with messages that say so."""

    name = "N"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        try:
            count = int(str(value).replace("_", ""))
        except ValueError:
            self.fail(f"{value!r} is not a whole number of services", param, ctx)
        if count <= 0:
            self.fail(f"must be at least 1 service, got {count}", param, ctx)
        return count


def check_empty_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise click.BadParameter(f"{out} is a file, not a folder", param_hint="'--out'")
    if out.is_dir() and any(out.iterdir()):
        raise click.BadParameter(
            f"{out} is not empty; give a new or empty folder", param_hint="'--out'"
        )


def _write(size: int | None, seed: int, out: Path) -> None:
    from referral.directory import seed_io, synthetic

    watch = Stopwatch()
    batches: Iterable[Rows]
    if size is None:
        batches, title = [synthetic.generate_sample()], seed_io.SAMPLE_TITLE
    else:
        batches = synthetic.generate_synthetic(size, seed)
        title = f"referral synthetic directory: {size} fictional services (seed {seed})"
    started = time.perf_counter()
    counts = seed_io.write_package(watch.wrap(batches), out, title)
    total = time.perf_counter() - started
    click.echo(
        f"Wrote {counts['service']} services from {counts['organization']} organizations "
        f"to {out} (generated in {watch.seconds:.1f} s, written in {total - watch.seconds:.1f} s)."
    )


def _load_sample() -> None:
    from referral import db

    with app_context():
        db.upgrade(db.engine())
        with db.session() as session, session.begin():
            summary = load_sample(session)
            totals = summary.tables["service"]
            click.echo(
                f"Loaded the sample directory from {SAMPLE_DIR}: {totals.created} services "
                f"created, {totals.updated} updated, {totals.unchanged} unchanged. "
                f"The directory now has {describe(session)}."
            )


def _load_synthetic(size: int, seed: int) -> None:
    from referral import db
    from referral.directory import seed_io, synthetic

    with app_context():
        db.upgrade(db.engine())
        with db.session() as session, session.begin():
            first = synthetic.stable_id(f"synthetic-{seed}/organization/1")
            if session.get(Organization, first) is not None:
                raise click.ClickException(
                    f"a synthetic directory made with seed {seed} is already loaded; "
                    "pass --seed with another number to add more"
                )
            watch = Stopwatch()
            started = time.perf_counter()
            batches = watch.wrap(synthetic.generate_synthetic(size, seed))
            counts = seed_io.bulk_load(session, batches)
            load_term_translations(session)
            # Core inserts bypass the search change log's flush hook: ask for a rebuild.
            from referral.search.models import log_rebuild

            log_rebuild(session)
        total = time.perf_counter() - started
        click.echo(
            f"Generated {size} services from {counts['organization']} organizations in "
            f"{watch.seconds:.1f} s; loaded {sum(counts.values())} rows into "
            f"{db.engine().dialect.name} in {total - watch.seconds:.1f} s."
        )


@click.command("seed")
@click.option(
    "--synthetic",
    "size",
    type=ServiceCount(),
    help="Make a synthetic directory of N services (for benchmarks) instead of the sample.",
)
@click.option(
    "--seed",
    "seed",
    type=int,
    default=1,
    show_default=True,
    help="Random seed of the synthetic directory; the same seed makes the same directory.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write an HSDS 3.0 CSV package to this new or empty folder instead of the database.",
)
def seed_command(size: int | None, seed: int, out: Path | None) -> None:
    """Load the sample directory (fictional services in Greater Baltimore).

    \b
    referral seed                             load seed_data/sample into the database
    referral seed --synthetic 100000          bulk-load a synthetic directory
    referral seed --synthetic 5000 --out DIR  write one as an HSDS 3.0 CSV package
    referral seed --out DIR                   write the sample as a CSV package
    """
    from referral.directory.hsds_import import MalformedInput
    from referral.directory.term_translations import TranslationFileError

    if out is not None:
        check_empty_folder(out)
        _write(size, seed, out)
        return
    try:
        if size is None:
            _load_sample()
        else:
            _load_synthetic(size, seed)
    except (SQLAlchemyError, OSError, MalformedInput, TranslationFileError) as exc:
        raise click.ClickException(f"could not seed the database: {exc}") from exc
