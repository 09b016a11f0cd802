"""Twenty people press a button on the same referral page at the same moment, on
PostgreSQL, through the real form route: each either changes it (303) or is told it
changed meanwhile (409); nothing is lost and every change has exactly one event.

Requests commit for real, so this test works in a database of its own rather than in
the usual rolled-back transaction.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from accounts_helpers import sign_in
from referrals_helpers import make_world, move, send
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from referral import create_app, db
from referral.referrals import service, states
from referral.referrals.models import Referral

THREADS = 20


@pytest.fixture(scope="module")
def own_database(database_url, tmp_path_factory):
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("needs PostgreSQL (set REFERRAL_TEST_DATABASE_URL): SQLite has one writer")
    name = f"referral_page_conc_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    own = url.set(database=name).render_as_string(hide_password=False)
    try:
        engine = db.make_engine(own, pool_size=THREADS + 2, max_overflow=0)
        db.upgrade(engine)
        engine.dispose()
        yield own
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def live_app(own_database, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": own_database,
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
        }
    )
    app.extensions["referral.engine"].dispose()
    engine = db.make_engine(own_database, pool_size=THREADS + 2, max_overflow=0)
    app.extensions["referral.engine"] = engine
    app.extensions["referral.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    yield app
    engine.dispose()


@pytest.mark.slow
def test_twenty_simultaneous_clicks_on_one_page_apply_once_and_lose_nothing(live_app):
    engine = live_app.extensions["referral.engine"]
    with Session(engine, expire_on_commit=False) as session, session.begin():
        world = make_world(session, tag=f"-page-{uuid.uuid4().hex[:6]}")
        referral = send(session, world)
        move(session, world, referral, states.ACCEPTED)
        referral_id, version, staff = referral.id, referral.version, world.staff
    clients = [live_app.test_client() for _ in range(THREADS)]
    for browser in clients:
        sign_in(live_app, browser, staff)
    barrier = threading.Barrier(THREADS)

    def click(n: int) -> int:
        barrier.wait()
        response = clients[n].post(
            f"/referrals/{referral_id}/transitions",
            data={"to": "in-progress", "version": version, "note": f"click {n}"},
        )
        return response.status_code

    with ThreadPoolExecutor(THREADS) as pool:
        codes = list(pool.map(click, range(THREADS)))
    applied, stale = codes.count(303), codes.count(409)
    assert applied + stale == THREADS, codes
    assert applied == 1  # every click read the same version
    with Session(engine) as session:
        after = session.get(Referral, referral_id)
        moves = service.events(session, referral_id)[2:]  # after created and accepted
        assert after.status == states.IN_PROGRESS
        assert after.version == version + applied
        assert len(moves) == applied
        assert moves[0].note.startswith("click ")
