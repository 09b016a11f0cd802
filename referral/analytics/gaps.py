"""Unmet needs: where people's needs go unanswered, by need domain and ZIP code.

Two sources, side by side in one gaps table a planner can act on:
assessments whose match found no eligible service for a need (the matcher applied
eligibility and distance when the case manager ran it), and referrals that ended
for no capacity or because the client was not eligible.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import FromClause, case, func, select
from sqlalchemy.orm import Session

from referral.analytics.filters import Filters
from referral.analytics.metrics import client_zip, source
from referral.referrals import states
from referral.referrals.models import Assessment, Client

NO_CAPACITY, NOT_ELIGIBLE = "no-capacity", "not-eligible"
ZIP = re.compile(r"^\d{5}$")


@dataclass
class Gap:
    need: str
    zip: str | None
    assessed: int = 0
    no_service_found: int = 0
    referrals: int = 0
    no_capacity: int = 0
    not_eligible: int = 0
    got_help: int = 0

    @property
    def unmet(self) -> int:
        return self.no_service_found + self.no_capacity + self.not_eligible


def unmet_needs(session: Session, f: Filters, facts: FromClause | None = None) -> list[Gap]:
    gaps: dict[tuple[str, str | None], Gap] = {}

    def gap(need: str, zip_code: str | None) -> Gap:
        return gaps.setdefault((need, zip_code), Gap(need, zip_code))

    for need, zip_code, *counts in session.execute(
        _referral_query(source(f if facts is None else facts))
    ):
        found = gap(need, zip_code)
        found.referrals, found.no_capacity, found.not_eligible, found.got_help = map(int, counts)
    if f.provider is None and f.program is None:  # assessments name no provider
        for (need, zip_code), (assessed, unanswered) in _assessed(session, f).items():
            found = gap(need, zip_code)
            found.assessed, found.no_service_found = assessed, unanswered
    return sorted(gaps.values(), key=lambda g: (-g.unmet, -g.referrals, g.need, g.zip or ""))


def _referral_query(facts: Any) -> Any:
    outcome = facts.c.outcome
    return select(
        facts.c.need_code,
        facts.c.zip,
        func.count(),
        func.count(case((outcome == NO_CAPACITY, 1))),
        func.count(case((outcome == NOT_ELIGIBLE, 1))),
        func.count(case((outcome == states.GOT_HELP, 1))),
    ).group_by(facts.c.need_code, facts.c.zip)


def _assessed(session: Session, f: Filters) -> dict[tuple[str, str | None], list[int]]:
    """(need, ZIP) -> [needs assessed, of which the match listed no service]. The JSON
    of each assessment is read here; the rows are already narrowed by SQL."""
    query = (
        select(
            Assessment.needs,
            Assessment.results,
            Assessment.location,
            client_zip(Client.address),
        )
        .join(Client, Client.id == Assessment.client_id)
        .where(Assessment.created_at >= f.starts_at, Assessment.created_at < f.ends_before)
    )
    if f.scope is not None:
        query = query.where(Client.organization_id.in_(sorted(f.scope)))
    if f.organization:
        query = query.where(Client.organization_id == f.organization)
    if f.case_manager:
        query = query.where(Assessment.created_by_id == f.case_manager)
    if f.language:
        query = query.where(Client.preferred_language == f.language)
    totals: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0])
    for needs, results, location, address_zip in session.execute(query):
        zip_code = location if location and ZIP.match(location) else address_zip
        if f.zip and zip_code != f.zip:
            continue
        listed = {
            r.get("domain"): bool(r.get("results")) for r in results or [] if isinstance(r, dict)
        }
        for need in _domains(needs):
            if f.need and need != f.need:
                continue
            totals[(need, zip_code)][0] += 1
            totals[(need, zip_code)][1] += 0 if listed.get(need) else 1
    return totals


def _domains(needs: Any) -> list[str]:
    found = []
    for need in needs or []:
        domain = need.get("domain") if isinstance(need, dict) else need
        if isinstance(domain, str):
            found.append(domain)
    return found
