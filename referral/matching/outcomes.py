"""Closed referrals as training rows for ``referral train``.

A row is the factor values the referred place had for the client on the day of the
referral, and whether the client got help. The values are recomputed, not stored:
the client's facts are their dated facts as of that day (``ClientFact`` rows observed
on or before it, the latest of each), where they were is the location of their latest
assessment up to that moment, and the ranker's own factor functions score the place.
The directory itself is today's (hours, capacity and freshness may have moved since),
which is the price of needing no snapshot at referral time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.matching import codes
from referral.matching.assessment import (
    FACT_PARSERS,
    ClientFacts,
    InvalidClient,
    Need,
    Place,
    parse_facts,
    parse_location,
    with_place,
)

GOT_HELP = "got-help"


@dataclass(frozen=True)
class Outcome:
    referral_id: str
    values: Mapping[str, float]  # factor -> value of the referred place
    got_help: bool


def outcomes(session: Session) -> list[Outcome]:
    """Every referral closed with an outcome whose place can still be scored."""
    from referral.matching.match import factors_for
    from referral.referrals.models import Referral

    rows = []
    referrals = session.scalars(
        select(Referral)
        .where(Referral.outcome.is_not(None))
        .order_by(Referral.created_at, Referral.id)
    )
    for referral in referrals:
        if not codes.is_need_code(referral.need_code):
            continue
        facts = facts_on(session, referral.client_id, referral.created_at)
        values = factors_for(
            session, facts, Need(referral.need_code), referral.service_at_location_id,
            referral.created_at,
        )  # fmt: skip
        if values is not None:
            rows.append(Outcome(referral.id, values, referral.outcome == GOT_HELP))
    return rows


def facts_on(session: Session, client_id: str, moment: datetime) -> ClientFacts:
    from referral.referrals.models import Client, ClientFact

    found = session.scalars(
        select(ClientFact)
        .where(ClientFact.client_id == client_id, ClientFact.observed_on <= moment.date())
        .order_by(ClientFact.observed_on, ClientFact.recorded_at, ClientFact.id)
    )
    latest = {f.name: f.value for f in found if f.name in FACT_PARSERS}
    client = session.get(Client, client_id)
    if "age" not in latest and client is not None and client.birth_date is not None:
        latest["age"] = _years(client.birth_date, moment.date())
    facts = _valid_facts(latest)
    place = location_on(session, client_id, moment)
    return with_place(facts, place) if place is not None else facts


def _valid_facts(raw: dict[str, object]) -> ClientFacts:
    """The facts that still pass today's checks (one bad old value drops only itself)."""
    good = {}
    for name, value in raw.items():
        try:
            parse_facts({name: value})
        except InvalidClient:
            continue
        good[name] = value
    return parse_facts(good)


def location_on(session: Session, client_id: str, moment: datetime) -> Place | None:
    from referral.referrals.models import Assessment

    text = session.scalar(
        select(Assessment.location)
        .where(
            Assessment.client_id == client_id,
            Assessment.created_at <= moment,
            Assessment.location.is_not(None),
        )
        .order_by(Assessment.created_at.desc())
        .limit(1)
    )
    if not text:
        return None
    lat, _, lon = text.partition(",")
    raw = {"lat": lat.strip(), "lon": lon.strip()} if lon else {"postal_code": text.strip()}
    try:
        return parse_location(raw)
    except InvalidClient:
        return None


def _years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
