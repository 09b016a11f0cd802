"""Twenty people answer one referral at the same moment, on PostgreSQL.

Each thread has its own connection and session and commits for real, so this test
works in a database of its own rather than inside the usual rolled-back transaction.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from referrals_helpers import NOW, make_world, move, send
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from referral import db
from referral.accounts.models import User
from referral.referrals import service, states
from referral.referrals.models import Referral, ReferralEvent

THREADS = 20


@pytest.fixture(scope="module")
def own_engine(database_url):
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip(
            "needs PostgreSQL (set REFERRAL_TEST_DATABASE_URL): SQLite has one writer at a "
            "time, so it cannot show concurrent updates racing"
        )
    name = f"referral_conc_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = db.make_engine(
        url.set(database=name).render_as_string(hide_password=False),
        pool_size=THREADS,
        max_overflow=0,
    )
    try:
        db.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _accepted_referral(engine) -> tuple[str, str]:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        world = make_world(session)
        referral = send(session, world)
        move(session, world, referral, "accepted")
        return referral.id, world.staff.id


def _attempt(engine, referral_id: str, staff_id: str, barrier: threading.Barrier) -> str:
    """Read the referral, toggle it between in-progress and on-hold, commit."""
    barrier.wait()
    with Session(engine) as session:
        referral = session.get(Referral, referral_id)
        target = states.ON_HOLD if referral.status == states.IN_PROGRESS else states.IN_PROGRESS
        change = service.Move(target, referral.version, reason="waiting for documents")
        try:
            service.transition_referral(
                session, referral_id, change, session.get(User, staff_id), NOW
            )
            session.commit()
        except service.StaleVersion:
            session.rollback()
            return "stale"
        return "applied"


@pytest.mark.slow
def test_twenty_concurrent_transitions_lose_nothing(own_engine):
    referral_id, staff_id = _accepted_referral(own_engine)
    barrier = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(
            pool.map(lambda _: _attempt(own_engine, referral_id, staff_id, barrier), range(THREADS))
        )
    applied, stale = results.count("applied"), results.count("stale")
    assert applied + stale == THREADS
    assert applied >= 1
    with Session(own_engine) as session:
        referral = session.get(Referral, referral_id)
        moves = session.scalars(
            select(ReferralEvent)
            .where(ReferralEvent.referral_id == referral_id)
            .order_by(ReferralEvent.id)
        ).all()[2:]  # after "created as requested" and "accepted"
        assert len(moves) == applied
        assert referral.version == 2 + applied
        chain = [states.ACCEPTED] + [e.to_status for e in moves]
        assert [e.from_status for e in moves] == chain[:-1]
        assert referral.status == chain[-1]


def _world_ids(engine) -> dict[str, str]:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        world = make_world(session, tag="-idem")
        return {"client": world.client.id, "place": world.place.id, "user": world.case_manager.id}


def _create(engine, ids: dict[str, str], barrier: threading.Barrier) -> tuple[str, bool]:
    barrier.wait()
    with Session(engine) as session:
        new = service.NewReferral(ids["client"], "food-insecurity", ids["place"], "retry-key")
        referral, created = service.create_referral(
            session, new, session.get(User, ids["user"]), NOW
        )
        session.commit()
        return referral.id, created


@pytest.mark.slow
def test_concurrent_retries_of_one_create_make_one_referral(own_engine):
    ids = _world_ids(own_engine)
    barrier = threading.Barrier(10)
    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda _: _create(own_engine, ids, barrier), range(10)))
    assert len({referral_id for referral_id, _ in results}) == 1
    assert [created for _, created in results].count(True) == 1
    with Session(own_engine) as session:
        [referral] = session.scalars(select(Referral).where(Referral.client_id == ids["client"]))
        assert len(service.events(session, referral.id)) == 1
