"""Referral follow-through metrics, computed in SQL over the referrals sent in a period.

One query (:func:`referral_facts`) reads each referral sent in the period as one row
of milestones kept on the referral itself: when it was sent, first answered,
accepted, and when an outcome was recorded. Every count is an aggregate over those
rows and every duration a percentile of them (``sqlcompat.percentile_cont``). What each
figure means is written once, in :data:`DEFINITIONS`, and shown on the page, in the
API and beside each CSV.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Column,
    ColumnElement,
    FromClause,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    func,
    insert,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from referral.analytics.filters import Filters
from referral.analytics.sqlcompat import (
    hours_between,
    month_of,
    percentile_cont,
    prepare,
    table_scan,
)
from referral.directory.models import Service, ServiceAtLocation
from referral.referrals import states
from referral.referrals.models import Referral

DEFINITIONS: dict[str, Any] = {
    "sent": _l(
        "Referrals sent: referrals that entered 'requested' during the period (drafts "
        "never sent and referrals entered in error are left out). Every other figure "
        "is about these referrals."
    ),
    "responded": _l(
        "Answered: sent referrals the provider accepted or declined (rejected), at any time "
        "up to now."
    ),
    "response_rate": _l("Response rate: answered ÷ sent."),
    "response_hours_median": _l(
        "Median time to first response: the middle of the hours from sending to the "
        "provider's first answer, over answered referrals (continuous percentile)."
    ),
    "response_hours_p90": _l(
        "90th percentile time to first response: 9 in 10 answered referrals were answered "
        "within this many hours."
    ),
    "accepted": _l("Accepted: sent referrals the provider accepted."),
    "acceptance_rate": _l("Acceptance rate: accepted ÷ answered."),
    "rejected": _l("Declined: sent referrals the provider rejected."),
    "rejection_rate": _l("Rejection rate: declined ÷ answered."),
    "rejection_reason": _l(
        "Rejection reason: the outcome code the provider gave when declining (for example "
        "no-capacity or not-eligible); free-text reasons are never shown here."
    ),
    "closed_loop": _l("Closed loop: sent referrals with an outcome recorded."),
    "closed_loop_rate": _l("Closed-loop rate: closed loop ÷ sent."),
    "got_help": _l("Got help: sent referrals whose recorded outcome is got-help."),
    "got_help_rate": _l("Got-help rate: got help ÷ sent."),
    "outcome_hours_median": _l(
        "Median time to outcome: the middle of the hours from sending to the first "
        "recorded outcome, over closed-loop referrals."
    ),
    "overdue": _l(
        "Overdue: sent referrals still waiting for an answer now, past their respond-by time."
    ),
    "completed": _l("Completed: sent referrals whose status is completed."),
    "funnel": _l(
        "Funnel: of the referrals sent (requested), how many were accepted, and how many "
        "of those were completed."
    ),
    "client_zip": _l(
        "Client ZIP: the 5-digit ZIP code at the end of the client's address when the "
        "referral was sent (ZIP+4 is cut to 5 digits); clients without one are counted "
        "under 'unknown'."
    ),
    "suppression": _l(
        "Small cells: outside the organization that owns the referrals, a count below 11 "
        "is shown as '<11', and a second cell is hidden ('suppressed') wherever the small "
        "one could be worked out from a total; rates and times that rest on them are "
        "hidden too."
    ),
}


def client_zip(address: Any) -> ColumnElement[Any]:
    """The ZIP code ending an address ('..., MD 21201' or '21201-1234'), else NULL.
    Plain substr/length, so one expression serves both databases; the same rule as
    ``referral.referrals.models.zip_of_address``, which fills ``referral.client_zip``."""
    text = func.trim(address)
    size = func.length(text)
    last5 = func.substr(text, size - 4, 5)
    zip_plus4 = func.substr(text, size - 9, 5)
    candidate = case((func.substr(text, size - 4, 1) == "-", zip_plus4), else_=last5)
    digits = and_(*(func.substr(candidate, i, 1).between("0", "9") for i in range(1, 6)))
    return type_coerce(case((digits, candidate), else_=None), String(5))


def referral_facts(f: Filters) -> Any:
    """One row per referral sent in the period and matching the filters."""
    return facts_select(f).subquery("facts")


def materialize(session: Session, f: Filters) -> Table:
    """The facts read once into a temporary table that every figure of one report
    then reads, instead of one pass over the referrals per figure. The caller drops
    the table (:func:`release`) when the report is built."""
    query = facts_select(f)
    columns = [Column(c.name, c.type) for c in query.selected_columns]
    name = f"analytics_facts_{uuid.uuid4().hex[:12]}"
    table = Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])
    table.create(session.connection())
    session.execute(insert(table).from_select([c.name for c in columns], query))
    return table


def release(session: Session, table: Table) -> None:
    table.drop(session.connection())


def source(facts: Filters | FromClause) -> Any:
    """Filters (computed on the fly) or facts already materialized."""
    return referral_facts(facts) if isinstance(facts, Filters) else facts


def facts_select(f: Filters) -> Select[Any]:
    """The referrals sent in the period, with the milestones the referral service
    keeps on each row (``referral.referrals.models.reach_milestones``): one range of
    the ``sent_at`` index, no pass over the events."""
    query = select(
        Referral.id,
        Referral.status,
        Referral.outcome,
        Referral.respond_by,
        Referral.need_code,
        Referral.referrer_id,
        Referral.referrer_organization_id,
        Referral.recipient_organization_id,
        Referral.service_at_location_id,
        Referral.client_zip.label("zip"),
        Referral.client_language.label("language"),
        Referral.sent_at.label("sent_at"),
        Referral.first_response_at.label("responded_at"),
        Referral.accepted_at.label("accepted_at"),
        Referral.outcome_at.label("outcome_at"),
        hours_between(Referral.sent_at, Referral.first_response_at).label("response_hours"),
        hours_between(Referral.sent_at, Referral.outcome_at).label("outcome_hours"),
    ).where(
        table_scan(Referral.sent_at) >= f.starts_at,
        table_scan(Referral.sent_at) < f.ends_before,
        Referral.status != states.ENTERED_IN_ERROR,
        *_conditions(f),
    )
    return query


def _program_of(place: Any) -> Any:
    """The program of the service at a location, looked up only for the program
    breakdown (most reports never ask for it)."""
    return (
        select(Service.program_id)
        .join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
        .where(ServiceAtLocation.id == place)
        .scalar_subquery()
    )


def _conditions(f: Filters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if f.scope is not None:
        found.append(Referral.referrer_organization_id.in_(sorted(f.scope)))
    pairs: list[tuple[str | None, Any]] = [
        (f.organization, Referral.referrer_organization_id),
        (f.provider, Referral.recipient_organization_id),
        (f.need, Referral.need_code),
        (f.case_manager, Referral.referrer_id),
        (f.language, Referral.client_language),
        (f.zip, Referral.client_zip),
    ]
    found.extend(column == value for value, column in pairs if value)
    if f.program:
        places = (
            select(ServiceAtLocation.id)
            .join(Service, Service.id == ServiceAtLocation.service_id)
            .where(Service.program_id == f.program)
        )
        found.append(Referral.service_at_location_id.in_(places))
    return found


# Dimensions a breakdown can group by: name -> facts column name.
DIMENSIONS = {
    "need": "need_code",
    "provider": "recipient_organization_id",
    "organization": "referrer_organization_id",
    "program": "program_id",
    "case_manager": "referrer_id",
    "zip": "zip",
    "language": "language",
    "month": "month",
}


@dataclass
class Followthrough:
    """The counts and times of one group of referrals (or of all of them)."""

    key: Any = None
    sent: int = 0
    responded: int = 0
    accepted: int = 0
    rejected: int = 0
    closed_loop: int = 0
    got_help: int = 0
    completed: int = 0
    overdue: int = 0
    response_hours_median: float | None = None
    response_hours_p90: float | None = None
    outcome_hours_median: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _key(facts: Any, dimension: str | None) -> ColumnElement[Any]:
    if dimension is None:
        return literal_column("'all'")
    if dimension == "month":
        return month_of(facts.c.sent_at)
    if dimension == "program":
        return _program_of(facts.c.service_at_location_id)  # type: ignore[no-any-return]
    return facts.c[DIMENSIONS[dimension]]  # type: ignore[no-any-return]


def followthrough(
    session: Session, f: Filters | FromClause, now: datetime, by: str | None = None
) -> list[Followthrough]:
    """The follow-through of the referrals matching ``f`` (or of materialized facts),
    overall (``by=None``) or per value of one dimension, largest groups first: every
    count and time of every group from one GROUP BY query."""
    facts = source(f)
    key = _key(facts, by)
    overdue = (facts.c.status == states.REQUESTED) & (facts.c.respond_by < now)
    query = select(
        key.label("key"),
        func.count(),
        func.count(facts.c.responded_at),
        func.count(facts.c.accepted_at),
        func.count(case((facts.c.status == states.REJECTED, 1))),
        func.count(facts.c.outcome),
        func.count(case((facts.c.outcome == states.GOT_HELP, 1))),
        func.count(case((facts.c.status == states.COMPLETED, 1))),
        func.count(case((overdue, 1))),
        percentile_cont(facts.c.response_hours, 0.5),
        percentile_cont(facts.c.response_hours, 0.9),
        percentile_cont(facts.c.outcome_hours, 0.5),
    )
    if by is not None:
        query = query.group_by(key)
    prepare(session)
    groups = [_counted(row) for row in session.execute(query)]
    return sorted(groups, key=lambda g: (-g.sent, str(g.key)))


def _counted(row: Any) -> Followthrough:
    names = ("sent", "responded", "accepted", "rejected", "closed_loop", "got_help")
    values = dict(zip((*names, "completed", "overdue"), map(int, row[1:9]), strict=True))
    times = ("response_hours_median", "response_hours_p90", "outcome_hours_median")
    hours = {
        k: None if v is None else round(float(v), 2) for k, v in zip(times, row[9:], strict=True)
    }
    return Followthrough(row[0], **values, **hours)


def rejection_reasons(session: Session, f: Filters | FromClause) -> list[tuple[str | None, int]]:
    """Declined referrals per outcome code given (None when the provider gave none)."""
    facts = source(f)
    query = (
        select(facts.c.outcome, func.count())
        .where(facts.c.status == states.REJECTED)
        .group_by(facts.c.outcome)
        .order_by(func.count().desc(), facts.c.outcome)
    )
    return [(reason, int(n)) for reason, n in session.execute(query)]


def funnel(overall: Followthrough) -> Sequence[tuple[str, int]]:
    return (
        (states.REQUESTED, overall.sent),
        (states.ACCEPTED, overall.accepted),
        (states.COMPLETED, overall.completed),
    )


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
