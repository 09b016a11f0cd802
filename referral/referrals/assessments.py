"""Assessments a case manager runs for a client on the match page.

Each one keeps what was entered (needs, facts, where the client is) and a summary of
the match lists it produced, so the client page can say later what was found and
when, even after the directory changed. The facts also go into the client's dated
fact history (``clients.record_facts``). Functions take a Session and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.accounts.models import User
from referral.referrals import clients
from referral.referrals.models import Assessment, Client

if TYPE_CHECKING:  # matching pulls in numpy and scikit-learn; only its type is needed
    from referral.matching.match import MatchResult

# How many results per need the stored summary keeps: enough to see what was offered.
SUMMARY_RESULTS = 10


def record_assessment(
    session: Session,
    client: Client,
    request: dict[str, Any],
    result: MatchResult | None,
    by: User | None,
    now: datetime,
) -> Assessment:
    """``request`` is the client JSON the match page sent to matching (facts, needs
    and optionally location), already accepted by ``parse_client``."""
    facts = {
        name: value
        for name, value in (request.get("facts") or {}).items()
        if value is not None and value != ""
    }
    row = Assessment(
        client_id=client.id,
        needs=list(request.get("needs") or []),
        facts=facts,
        location=_location_text(request.get("location")),
        results=summarize(result) if result is not None else [],
        created_by_id=by.id if by else None,
        created_at=now,
    )
    session.add(row)
    if facts:
        clients.record_facts(session, client, facts, now.date(), by)
    session.flush()
    return row


def _location_text(location: dict[str, Any] | None) -> str | None:
    """The place as the case manager typed it: a ZIP code or 'lat,lon'."""
    if not location:
        return None
    if location.get("postal_code"):
        return str(location["postal_code"])
    if location.get("lat") is not None and location.get("lon") is not None:
        return f"{location['lat']},{location['lon']}"
    return None


def summarize(result: MatchResult) -> list[dict[str, Any]]:
    return [
        {
            "domain": need.need.domain,
            "results": [
                {
                    "service_at_location_id": r.candidate.service_at_location_id,
                    "service_id": r.candidate.service_id,
                    "service_name": r.candidate.service_name,
                    "organization_name": r.candidate.organization_name,
                    "score": round(float(r.score), 4),
                }
                for r in need.results[:SUMMARY_RESULTS]
            ],
        }
        for need in result.needs
    ]


def assessments_of(session: Session, client_id: str) -> Sequence[Assessment]:
    """Newest first."""
    return session.scalars(
        select(Assessment)
        .where(Assessment.client_id == client_id)
        .order_by(Assessment.created_at.desc(), Assessment.id)
    ).all()


def latest(session: Session, client_id: str) -> Assessment | None:
    found = assessments_of(session, client_id)
    return found[0] if found else None


def get_for_client(session: Session, client: Client, assessment_id: str) -> Assessment | None:
    row = session.get(Assessment, assessment_id)
    return row if row is not None and row.client_id == client.id else None
