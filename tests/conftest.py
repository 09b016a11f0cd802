"""Shared fixtures.

The suite runs on SQLite by default and on PostgreSQL + PostGIS when
REFERRAL_TEST_DATABASE_URL points at a server (``postgresql+psycopg://user@host:port``,
with or without a database name): a fresh database is created for the run and dropped
after. Each test runs inside one outer transaction that is rolled back at teardown
(``join_transaction_mode="create_savepoint"``), so tests never see each other's data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from referral import create_app, db

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = os.environ.get("REFERRAL_TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    url = make_url(server)
    name = f"referral_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[object]:
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield conn
        finally:
            outer.rollback()


@pytest.fixture
def session(connection: object) -> Iterator[Session]:
    with Session(bind=connection, join_transaction_mode="create_savepoint") as s:  # type: ignore[arg-type]
        yield s


@pytest.fixture
def app(connection: object, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            # CSRF has its own tests (tests/test_accounts_web.py), with it on.
            "WTF_CSRF_ENABLED": False,
        }
    )
    app.extensions["referral.sessionmaker"] = sessionmaker(
        bind=connection,  # type: ignore[arg-type]
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )
    yield app
    app.extensions["referral.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def datasets() -> Path:
    if not DATASETS.is_dir():
        pytest.skip(f"real datasets not found at {DATASETS} (they sit beside the checkout in CI)")
    return DATASETS


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the ``referral`` command against a scratch SQLite file."""
    return {
        "REFERRAL_INSTANCE_DIR": str(tmp_path / "instance"),
        "REFERRAL_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
    }


SEED_SAMPLE = PROJECT_ROOT / "seed_data" / "sample"


@pytest.fixture(scope="module")
def seeded_session(engine: Engine) -> Iterator[Session]:
    """The sample directory loaded once per module with the importer, inside a
    transaction rolled back at the end of the module."""
    if not (SEED_SAMPLE / "services.csv").exists():
        pytest.skip("seed_data/sample is not there")
    from referral.directory.hsds_import import load_path

    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as s:
            s.info["audit_creates"] = False
            load_path(s, SEED_SAMPLE)
            s.flush()
            yield s
        outer.rollback()
