"""A plausible synthetic referral history for demos and benchmarks.

Over the last 12 months, the first organizations by name refer clients to the
services of the directory; providers answer most referrals within a day or two,
accept about three in four, and most accepted referrals end with the client getting
help. Rows are bulk-inserted (SQLAlchemy Core), events included, as the referral
service would have written them. Fictional people only (``.invalid`` addresses).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from referral.accounts.models import CASE_MANAGER, Membership
from referral.directory.models import Organization, Service, ServiceAtLocation
from referral.referrals import deadlines, states
from referral.referrals.models import (
    MILESTONES,
    Client,
    Consent,
    Referral,
    ReferralEvent,
    milestones_reached,
    zip_of_address,
)

REFERRING_ORGANIZATIONS = 3
REFERRALS_PER_CLIENT = 3
# Weights of the needs referred for: food and housing lead, as in 211 call data.
NEEDS = {
    "food-insecurity": 30, "housing-instability": 18, "homelessness": 8,
    "utility-insecurity": 10, "transportation-insecurity": 8, "financial-insecurity": 9,
    "employment-status": 6, "health-insurance-coverage-status": 5,
    "intimate-partner-violence": 3, "social-connection": 3,
}  # fmt: skip
ZIPS = ("21201", "21202", "21205", "21206", "21213", "21215", "21217", "21218", "21223", "21224")
LANGUAGES = {"en": 70, "es": 24, "fr": 3, "zh": 3}
NAMES = ("Ana", "Bea", "Carlos", "Dee", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo")
BATCH = 5_000


@dataclass
class Plan:
    """What the generator learned from the directory, and the rows it builds."""

    agencies: list[str]
    case_managers: dict[str, list[str | None]]
    places: list[tuple[str, str]]  # (service_at_location id, provider organization id)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _outside: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def places_outside(self, organization_id: str) -> list[tuple[str, str]]:
        """The places an agency refers to: another organization's, never its own
        (an agency that is the only provider refers to itself rather than to nothing)."""
        if organization_id not in self._outside:
            others = [p for p in self.places if p[1] != organization_id]
            self._outside[organization_id] = others or self.places
        return self._outside[organization_id]


def _plan(session: Session) -> Plan:
    agencies = list(
        session.scalars(
            select(Organization.id).order_by(Organization.name).limit(REFERRING_ORGANIZATIONS)
        )
    )
    managers: dict[str, list[str | None]] = {org: [] for org in agencies}
    for user_id, org in session.execute(
        select(Membership.user_id, Membership.organization_id).where(
            Membership.role == CASE_MANAGER, Membership.organization_id.in_(agencies)
        )
    ):
        managers[org].append(user_id)
    places = [
        (sal, org)
        for sal, org in session.execute(
            select(ServiceAtLocation.id, Service.organization_id)
            .join(Service, Service.id == ServiceAtLocation.service_id)
            .where(Service.organization_id.is_not(None))
            .order_by(ServiceAtLocation.id)
        )
    ]
    return Plan(agencies, {k: v or [None] for k, v in managers.items()}, places)


def generate(session: Session, count: int, now: datetime, seed: int = 1) -> int:
    """Insert ``count`` referrals (with clients, consents and events); returns how many."""
    plan = _plan(session)
    if not plan.agencies or not plan.places or count <= 0:
        return 0
    rng = random.Random(seed)
    clients = [_client(rng, plan, now) for _ in range(max(1, count // REFERRALS_PER_CLIENT))]
    referrals: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for _ in range(count):
        client = rng.choice(clients)
        referral, history = _referral(rng, plan, client, now)
        referrals.append(referral)
        events.extend(history)
    consents = [_consent(c, plan) for c in clients]
    for table, rows in (
        (Client.__table__, clients),
        (Consent.__table__, consents),
        (Referral.__table__, referrals),
        (ReferralEvent.__table__, events),
    ):
        for start in range(0, len(rows), BATCH):
            session.execute(insert(table), rows[start : start + BATCH])
    return len(referrals)


def _client(rng: random.Random, plan: Plan, now: datetime) -> dict[str, Any]:
    org = rng.choice(plan.agencies)
    number = rng.randrange(1, 9999)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "organization_id": org,
        "given_name": rng.choice(NAMES),
        "family_name": f"Example{number}",
        "email": f"client{number}@example.invalid",
        "address": f"{number} Sample St, Baltimore, MD {rng.choice(ZIPS)}",
        "preferred_language": rng.choices(list(LANGUAGES), list(LANGUAGES.values()))[0],
        "contact_preference": "phone",
        "created_at": now - timedelta(days=400),
    }


def _consent(client: dict[str, Any], plan: Plan) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "client_id": client["id"],
        "recipient_organization_ids": sorted({org for _, org in plan.places})[:200],
        "categories": [],
        "purpose": "referral",
        "starts_on": (client["created_at"]).date(),
        "method": "written",
        "recorded_at": client["created_at"],
    }


def _hours(rng: random.Random, median: float) -> timedelta:
    return timedelta(hours=min(rng.lognormvariate(0, 1.0) * median, 24 * 120))


def _referral(
    rng: random.Random, plan: Plan, client: dict[str, Any], now: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    sal, provider = rng.choice(plan.places_outside(client["organization_id"]))
    # Referrals grow over the year: later days are likelier.
    sent = now - timedelta(days=365 * (1 - rng.random() ** 0.8), minutes=rng.randrange(600))
    referral = {
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "client_id": client["id"],
        "need_code": rng.choices(list(NEEDS), list(NEEDS.values()))[0],
        "service_at_location_id": sal,
        "referrer_id": rng.choice(plan.case_managers[client["organization_id"]]),
        "referrer_organization_id": client["organization_id"],
        "recipient_organization_id": provider,
        "status": states.REQUESTED,
        "respond_by": deadlines.add_business_days(sent, 2),
        "idempotency_key": f"synthetic-{uuid.uuid4().hex}",
        "created_at": sent,
    }
    steps = [(None, states.REQUESTED, sent, None, None)]
    steps += _lifecycle(rng, sent, now)
    events = [
        {
            "referral_id": referral["id"],
            "occurred_at": at,
            "actor": "synthetic",
            "actor_role": states.REFERRER
            if to in (states.REQUESTED, states.CANCELLED)
            else states.PROVIDER,
            "from_status": before,
            "to_status": to,
            "reason": reason,
            "outcome": outcome,
        }
        for before, to, at, reason, outcome in steps
    ]
    last = steps[-1]
    referral.update(status=last[1], updated_at=last[2], version=len(steps))
    referral["outcome"] = next((s[4] for s in steps if s[4]), None)
    referral.update(dict.fromkeys(MILESTONES))
    for _, to, at, _, outcome in steps:  # as the service records them, event by event
        for name in milestones_reached(to, outcome):
            referral[name] = referral[name] or at
    referral["client_zip"] = zip_of_address(client["address"])
    referral["client_language"] = client["preferred_language"]
    return referral, events


def _lifecycle(rng: random.Random, sent: datetime, now: datetime) -> list[tuple[Any, ...]]:
    R = states  # noqa: N806
    S: list[tuple[Any, ...]] = []  # noqa: N806
    answered = sent + _hours(rng, 20)
    if answered > now or rng.random() < 0.08:
        if rng.random() < 0.3 and sent + timedelta(days=5) < now:
            return [(R.REQUESTED, R.CANCELLED, sent + timedelta(days=5), "client withdrew", None)]
        return []
    if rng.random() < 0.25:
        outcome = rng.choices(["no-capacity", "not-eligible", None], [40, 35, 25])[0]
        return [(R.REQUESTED, R.REJECTED, answered, "declined", outcome)]
    S.append((R.REQUESTED, R.ACCEPTED, answered, None, None))
    ended = answered + _hours(rng, 24 * 9)
    if ended > now or rng.random() < 0.1:
        return S
    if rng.random() < 0.7:
        S.append((R.ACCEPTED, R.COMPLETED, ended, None, "got-help"))
    else:
        outcome = rng.choice(["could-not-contact", "no-capacity", "could-not-get-help"])
        S.append((R.ACCEPTED, R.FAILED, ended, "could not help", outcome))
    return S
