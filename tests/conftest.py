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
from dataclasses import dataclass
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
    from referral.directory import seed
    from referral.directory.hsds_import import load_path

    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as s:
            s.info["audit_creates"] = False
            load_path(s, SEED_SAMPLE)
            seed.load_term_translations(s)  # the needs taxonomy in Spanish, as seeded
            s.flush()
            yield s
        outer.rollback()


# Real browser ------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@dataclass
class DemoServer:
    """The demo app served by waitress: sample directory, demo users, search index."""

    url: str
    app: Flask
    engine: Engine

    def session(self) -> Session:
        """A session on the server's database, for arranging and checking state."""
        return Session(self.engine, expire_on_commit=False)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """What ``referral demo`` serves, on a random local port over its own SQLite file.
    Shared by the browser tests of a run: each test makes its own clients, referrals
    and edits rather than relying on a clean slate."""
    import socket
    import threading

    import waitress

    from referral.accounts.demo import create_demo_users
    from referral.directory import seed
    from referral.search.index import WhooshIndex

    folder = tmp_path_factory.mktemp("demo_server")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
            "INSTANCE_DIR": str(folder / "instance"),
            "SECRET_KEY": "browser-test-secret",
            "SEARCH_REBUILD": "inline",
            # Tests add referrals and open the dashboard within the same minute.
            "ANALYTICS_REUSE_SECONDS": 0,
        }
    )
    engine = app.extensions["referral.engine"]
    db.upgrade(engine)
    with Session(engine) as s, s.begin():
        seed.load_sample_if_empty(s)
        create_demo_users(s)
    with Session(engine) as s:
        WhooshIndex(str(app.config["SEARCH_INDEX_DIR"])).rebuild(s)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield DemoServer(f"http://127.0.0.1:{port}", app, engine)
    finally:
        server.close()
        thread.join(timeout=5)
        engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian chromium is not installed at {CHROMIUM} (.ci/run installs it)")
    from browser_helpers import CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def demo_users_start_without_a_language(request: pytest.FixtureRequest) -> None:
    """A page opened with ``?lang=es`` saves Spanish on the signed-in account, and the
    demo users are shared by every browser test of a worker: each test using the demo
    server starts with them in no chosen language (English for an English browser)."""
    if "demo_server" not in request.fixturenames:
        return
    from sqlalchemy import update

    from referral.accounts.models import User

    server = request.getfixturevalue("demo_server")
    with server.session() as s, s.begin():
        s.execute(update(User).where(User.email.like("%@demo.invalid")).values(language=None))


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser context (no cookies) and page, 1280 x 800. On failure a
    full-page screenshot goes to test-artifacts/ and its path is printed in the log."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"{request.node.name}.png"
            try:
                new_page.screenshot(path=str(shot), full_page=True)
                print(f"\nscreenshot of the failure: {shot} (url {new_page.url})")
            except Exception as error:  # the page may be gone; the failure is what matters
                print(f"\nno screenshot: {error}")
        context.close()
