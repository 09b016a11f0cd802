"""A known referral history with exact timestamps, for the analytics tests.

Agency "Eastside Navigators" refers clients to provider "Harbor Food Bank" in March
2026 (plus one referral in February and some that must not count). The hand-computed
figures the tests expect are written beside each referral.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from referrals_helpers import World, give_consent, make_world
from sqlalchemy.orm import Session

from referral.referrals import clients, service, states
from referral.referrals.models import Client, Referral

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
FOOD, HOUSING = "food-insecurity", "housing-instability"


@dataclass
class History:
    world: World
    zip_client: Client
    referrals: dict[str, Referral]


def send(session: Session, world: World, key: str, at: datetime, **kw) -> Referral:
    new = service.NewReferral(
        client_id=kw.get("client", world.client).id,
        need_code=kw.get("need", FOOD),
        service_at_location_id=world.place.id,
        idempotency_key=key,
        send=kw.get("send", True),
    )
    referral, _ = service.create_referral(session, new, world.case_manager, at)
    return referral


def _move(session, world, referral, to, at, reason=None, outcome=None) -> Referral:  # noqa: ANN001
    side = states.TRANSITIONS[(referral.status, to)]
    actor = world.case_manager if side == states.REFERRER else world.staff
    move = service.Move(to, referral.version, reason=reason, outcome=outcome)
    return service.transition_referral(session, referral.id, move, actor, at)


def build_history(session: Session, tag: str = "") -> History:
    world = make_world(session, tag=tag)
    zip_client = clients.create_client(
        session,
        clients.NewClient(
            organization_id=world.agency.id,
            given_name="Bea",
            family_name="Okafor",
            address="5 Oak Ave, Baltimore, MD 21201-4410",
            preferred_language="en",
        ),
        world.case_manager,
    )
    give_consent(session, zip_client, world.provider, by=world.case_manager)
    h = timedelta(hours=1)
    day = timedelta(days=1)
    r: dict[str, Referral] = {}
    # r1: answered in 2 h, accepted, completed with got-help 50 h after sending.
    r["r1"] = send(session, world, "r1", T0)
    _move(session, world, r["r1"], states.ACCEPTED, T0 + 2 * h)
    _move(session, world, r["r1"], states.COMPLETED, T0 + 50 * h, outcome="got-help")
    # r2: answered in 4 h, accepted, failed for no capacity 100 h after sending.
    r["r2"] = send(session, world, "r2", T0 + day)
    _move(session, world, r["r2"], states.ACCEPTED, T0 + day + 4 * h)
    _move(
        session, world, r["r2"], states.FAILED, T0 + day + 100 * h, "waitlist full", "no-capacity"
    )
    # r3: declined in 10 h as not eligible (an outcome: closes the loop at 10 h).
    r["r3"] = send(session, world, "r3", T0 + 2 * day)
    _move(
        session, world, r["r3"], states.REJECTED, T0 + 2 * day + 10 * h, "too old", "not-eligible"
    )
    # r4: declined in 6 h with no outcome code.
    r["r4"] = send(session, world, "r4", T0 + 3 * day)
    _move(session, world, r["r4"], states.REJECTED, T0 + 3 * day + 6 * h, "other")
    # r5: never answered: overdue now.
    r["r5"] = send(session, world, "r5", T0 + 4 * day)
    # r6: housing, the client with a ZIP, answered in 1 h, accepted, still open.
    r["r6"] = send(session, world, "r6", T0 + 7 * day, client=zip_client, need=HOUSING)
    _move(session, world, r["r6"], states.ACCEPTED, T0 + 7 * day + h)
    # r9: sent, then cancelled by the referrer before any answer.
    r["r9"] = send(session, world, "r9", T0 + 8 * day)
    _move(session, world, r["r9"], states.CANCELLED, T0 + 9 * day, "client moved")
    # Not counted: a draft never sent, one sent in February, one entered in error.
    r["draft"] = send(session, world, "draft", T0 + 8 * day, send=False)
    r["february"] = send(session, world, "february", T0 - 10 * day)
    r["error"] = send(session, world, "error", T0 + 10 * day)
    _move(session, world, r["error"], states.ENTERED_IN_ERROR, T0 + 10 * day + h, "wrong client")
    session.flush()
    return History(world, zip_client, r)
