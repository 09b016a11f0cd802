"""A synthetic referral outcome history over the seed directory, for training tests
and for trying ``referral train`` by hand.

Each referral: a client with dated facts and an assessment giving where they were,
referred for one need to one of the places their match listed, closed with an outcome
drawn from a known rule (nearer places and places that speak the client's language
help more often), so a fit has something real to find.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.directory import models as dm
from referral.matching.assessment import parse_client
from referral.matching.match import match
from referral.referrals.models import Assessment, Client, ClientFact, Referral

ZIPS = ["21201", "21205", "21211", "21215", "21218", "21224", "21229", "21230"]
NEEDS = ["food-insecurity", "housing-instability", "employment-status", "material-hardship"]
START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def true_chance(values: dict[str, float]) -> float:
    """The rule outcomes follow: distance and language matter, little else does."""
    z = -2.5 + 3.5 * values["distance"] + 1.5 * values["language"] + 0.5 * values["relevance"]
    return 1 / (1 + math.exp(-z))


def make_history(session: Session, count: int, seed: int = 11) -> int:
    from referral.matching.match import factors_for

    rng = random.Random(seed)
    org_id = session.scalars(select(dm.Organization.id).order_by(dm.Organization.id)).first()
    made = 0
    for i in range(count):
        when = START + timedelta(days=i % 200, minutes=i)
        facts = {
            "age": rng.randint(19, 80),
            "household_size": rng.randint(1, 5),
            "monthly_income": rng.choice([0, 900, 1500, 2200, 3000]),
            "languages": rng.choice([["en"], ["es"], ["en"]]),
        }
        zip_code, need = rng.choice(ZIPS), rng.choice(NEEDS)
        client = Client(organization_id=org_id, given_name=f"Synthetic{i}", family_name="Client")
        session.add(client)
        session.flush()
        for name, value in facts.items():
            session.add(
                ClientFact(client_id=client.id, name=name, value=value, observed_on=when.date())
            )
        session.add(
            Assessment(
                client_id=client.id, needs=[{"domain": need}], facts=facts,
                location=zip_code, created_at=when - timedelta(hours=1),
            )
        )  # fmt: skip
        assessment = parse_client(
            {"location": {"postal_code": zip_code}, "facts": facts, "needs": [need]}
        )
        listed = match(session, assessment, top=10, now=when).needs[0].results
        if not listed:
            continue
        chosen = rng.choice(listed).candidate
        values = factors_for(
            session, assessment.facts, assessment.needs[0], chosen.service_at_location_id, when
        )
        helped = values is not None and rng.random() < true_chance(values)
        session.add(
            Referral(
                client_id=client.id, need_code=need,
                service_at_location_id=chosen.service_at_location_id,
                referrer_organization_id=org_id, recipient_organization_id=chosen.organization_id,
                status="completed" if helped else "failed",
                outcome="got-help" if helped else "could-not-contact",
                idempotency_key=f"synthetic-{seed}-{i}", created_at=when, updated_at=when,
            )
        )  # fmt: skip
        made += 1
    session.flush()
    return made
