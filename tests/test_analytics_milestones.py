"""The milestones analytics reads from the referral row (sent, first answer, accepted,
outcome; the client's ZIP and language when sent) are exactly what the events say,
whether the referral service, the synthetic history or migration 0014 wrote them."""

from __future__ import annotations

import importlib.util
from datetime import UTC, date, datetime

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from analytics_helpers import NOW, T0, build_history
from referrals_helpers import make_world
from sqlalchemy import case, func, select, update

from referral.analytics import metrics, synthetic
from referral.analytics.filters import Filters
from referral.db import MIGRATIONS_DIR
from referral.directory.models import Program
from referral.referrals import states
from referral.referrals.models import MILESTONES, Referral, ReferralEvent, zip_of_address

KEPT = (*MILESTONES, "client_zip", "client_language")


def recomputed(session, ids):
    """Each referral's milestones worked out again from its events and its client."""
    e = ReferralEvent

    def first(condition):
        return func.min(case((condition, e.occurred_at)))

    times = session.execute(
        select(
            e.referral_id,
            first(e.to_status == states.REQUESTED),
            first(e.to_status.in_((states.ACCEPTED, states.REJECTED))),
            first(e.to_status == states.ACCEPTED),
            first(e.outcome.is_not(None)),
        )
        .where(e.referral_id.in_(ids))
        .group_by(e.referral_id)
    )
    return {row[0]: tuple(row[1:]) for row in times}


def kept(session, ids, columns=MILESTONES):
    query = select(Referral.id, *(getattr(Referral, c) for c in columns))
    return {row[0]: tuple(row[1:]) for row in session.execute(query.where(Referral.id.in_(ids)))}


def test_the_service_keeps_the_milestones_the_events_record(session):
    history = build_history(session)
    ids = [r.id for r in history.referrals.values()]
    assert kept(session, ids) == recomputed(session, ids)
    r1 = history.referrals["r1"]
    assert (r1.sent_at, r1.version) == (T0, 3)
    assert history.referrals["draft"].sent_at is None
    r6 = history.referrals["r6"]
    assert (r6.client_zip, r6.client_language) == ("21201", "en")


def test_the_client_zip_counted_is_the_one_when_the_referral_was_sent(session):
    history = build_history(session)
    history.zip_client.address = "9 Elm St, Towson, MD 21204"  # the client moved since
    session.flush()
    found = kept(session, [history.referrals["r6"].id], ("client_zip",))
    assert found == {history.referrals["r6"].id: ("21201",)}


def test_the_synthetic_history_keeps_the_same_milestones_as_its_events(session):
    make_world(session, tag=" milestones")
    synthetic.generate(session, 60, datetime(2026, 11, 27, tzinfo=UTC), seed=5)
    ids = list(session.scalars(select(Referral.id).where(Referral.idempotency_key.like("synth%"))))
    assert len(ids) == 60
    assert kept(session, ids) == recomputed(session, ids)


def test_migration_0014_fills_the_milestones_of_existing_referrals_from_their_events(session):
    history = build_history(session)
    ids = [r.id for r in history.referrals.values()]
    expected = kept(session, ids, KEPT)
    session.execute(update(Referral).values(dict.fromkeys(KEPT)))
    assert set(kept(session, ids, KEPT).values()) == {(None,) * len(KEPT)}
    spec = importlib.util.spec_from_file_location(
        "migration_0014", MIGRATIONS_DIR / "versions" / "0014_referral_milestones.py"
    )
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with Operations.context(MigrationContext.configure(session.connection())):
        migration._backfill()
    session.expire_all()
    assert kept(session, ids, KEPT) == expected


@pytest.mark.parametrize(
    ("address", "found"),
    [
        ("1 Main St, Baltimore, MD 21201", "21201"),
        ("5 Oak Ave, Baltimore, MD 21201-4410 ", "21201"),
        ("PO Box 7, Baltimore", None),
        ("2120", None),
        (None, None),
    ],
)
def test_the_zip_kept_follows_the_rule_analytics_applied_in_sql(address, found):
    assert zip_of_address(address) == found


def test_the_program_filter_and_breakdown_follow_the_service_referred_to(session):
    history = build_history(session)
    world = history.world
    program = Program(organization_id=world.provider.id, name="Pantry Program", description="x")
    session.add(program)
    session.flush()
    world.place.service.program_id = program.id
    session.flush()
    march = Filters(date(2026, 3, 1), date(2026, 3, 31))
    narrowed = Filters(march.start, march.end, program=program.id)
    assert metrics.followthrough(session, narrowed, NOW)[0].sent == 7
    groups = {g.key: g.sent for g in metrics.followthrough(session, march, NOW, "program")}
    assert groups == {program.id: 7}
