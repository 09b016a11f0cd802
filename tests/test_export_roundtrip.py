"""Export -> import into an empty database -> export gives the same bytes.

Runs on the suite's backend: a fresh SQLite file, or a scratch PostgreSQL + PostGIS
database on the server named by REFERRAL_TEST_DATABASE_URL.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from test_export import build_directory

from referral import db
from referral.directory.hsds_export import export_csv, export_json
from referral.directory.hsds_export.files import ExportResult
from referral.directory.hsds_import import load_path
from referral.directory.hsds_schema import RecordValidator

Exporter = Callable[..., ExportResult]
EXPORTERS: dict[str, Exporter] = {"json": export_json, "csv": export_csv}


@pytest.fixture
def empty_engine_factory(tmp_path: Path) -> Iterator[Callable[[], Engine]]:
    """Makes empty databases with the current schema; drops them afterwards."""
    server = os.environ.get("REFERRAL_TEST_DATABASE_URL")
    engines: list[Engine] = []
    scratch: list[str] = []

    def make() -> Engine:
        if server:
            name = f"referral_rt_{uuid.uuid4().hex[:10]}"
            with _admin(server) as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            scratch.append(name)
            url = make_url(server).set(database=name).render_as_string(hide_password=False)
        else:
            url = f"sqlite:///{tmp_path / f'empty{len(engines)}.db'}"
        engine = db.make_engine(url)
        engines.append(engine)
        db.upgrade(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()
    for name in scratch:
        with _admin(server or "") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def _admin(server: str) -> Iterator[Connection]:
    engine = create_engine(make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def import_export(engine: Engine, fmt: str, folder: Path) -> None:
    """Load an export folder (either format) into ``engine`` as ``referral import`` does."""
    with Session(engine) as session, session.begin():
        load_path(session, folder)


def export_to(engine: Engine, fmt: str, folder: Path, **kwargs: object) -> ExportResult:
    folder.mkdir()
    with Session(engine) as session, session.begin():
        return EXPORTERS[fmt](session, folder, **kwargs)


def assert_same_files(first: Path, second: Path) -> None:
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        assert a == b, f"{name} differs after the round trip"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_through_an_empty_database_is_identical(
    fmt, session, empty_engine_factory, tmp_path
):
    session.info["actor"] = "test"
    build_directory(session)
    first = tmp_path / "first"
    first.mkdir()
    EXPORTERS[fmt](session, first)
    engine = empty_engine_factory()
    import_export(engine, fmt, first)
    export_to(engine, fmt, tmp_path / "second")
    assert_same_files(first, tmp_path / "second")


@pytest.mark.slow
def test_miami_export_is_valid_and_survives_a_round_trip(datasets, empty_engine_factory, tmp_path):
    """The real Miami 211 import: zero schema errors, and identical after a round trip."""
    validator = RecordValidator(datasets / "hsds3" / "schema" / "compiled")
    engine = empty_engine_factory()
    with Session(engine) as session, session.begin():
        load_path(session, datasets / "miami211-hsds1")
    for fmt in ("json", "csv"):
        started = time.process_time()
        result = export_to(engine, fmt, tmp_path / fmt, validator=validator)
        seconds = time.process_time() - started
        assert result.problem_count == 0, "\n".join(map(str, result.problems))
        print(f"Miami {fmt} export with validation: {result.counts}, {seconds:.1f} s CPU")
        again = empty_engine_factory()
        import_export(again, fmt, tmp_path / fmt)
        export_to(again, fmt, tmp_path / f"{fmt}-again")
        assert_same_files(tmp_path / fmt, tmp_path / f"{fmt}-again")
    assert result.counts["services.csv"] == 4089
