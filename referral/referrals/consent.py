"""Does a client's consent cover sharing their referral with this recipient?

A consent names its recipients (organizations) or categories (SDOH need codes), a
purpose, and the dates it holds; it ends early when revoked. Pure: the service
layer turns rows into :class:`Terms` and asks :func:`covering`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

REFERRAL = "referral"
# What a consent may be given for. Care coordination is the wider purpose and
# includes sending referrals.
PURPOSES = (REFERRAL, "care-coordination")
COVERS_PURPOSE = {REFERRAL: frozenset({REFERRAL, "care-coordination"})}
METHODS = ("written", "verbal", "electronic")


@dataclass(frozen=True)
class Terms:
    id: str
    purpose: str
    starts_on: date
    ends_on: date | None = None
    recipient_organization_ids: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class Request:
    """What is about to be shared: with whom, about which need, for what, on which day."""

    organization_id: str
    category: str
    on: date
    purpose: str = REFERRAL


def gap(terms: Terms, wanted: Request) -> str | None:
    """Why ``terms`` do not cover ``wanted``, or None when they do."""
    if terms.revoked_at is not None:
        return "revoked"
    if wanted.on < terms.starts_on:
        return f"not in force until {terms.starts_on.isoformat()}"
    if terms.ends_on is not None and wanted.on > terms.ends_on:
        return f"expired on {terms.ends_on.isoformat()}"
    if terms.purpose not in COVERS_PURPOSE.get(wanted.purpose, {wanted.purpose}):
        return f"given for {terms.purpose}, not {wanted.purpose}"
    if (
        wanted.organization_id not in terms.recipient_organization_ids
        and wanted.category not in terms.categories
    ):
        return "does not name this recipient or this kind of need"
    return None


def covering(all_terms: Iterable[Terms], wanted: Request) -> Terms | None:
    return next((t for t in all_terms if gap(t, wanted) is None), None)


def explain_missing(all_terms: Iterable[Terms], wanted: Request) -> str:
    reasons = [f"consent {t.id}: {gap(t, wanted)}" for t in all_terms]
    if not reasons:
        return "the client has given no consent to share a referral"
    return "no consent covers this referral (" + "; ".join(reasons) + ")"
