"""The analytics tables: one shape (columns + rows + an optional total) that the page,
the CSV export, the JSON API and ``referral report`` all render, so a figure reads
the same everywhere and small-cell suppression is applied in one place."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Table as SqlTable
from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.accounts.models import User
from referral.analytics import freshness, gaps, metrics, privacy
from referral.analytics.filters import Filters
from referral.directory.models import Organization, Program
from referral.i18n import need_label
from referral.referrals.labels import outcome_label

UNKNOWN = _l("unknown")  # a group with no value (no ZIP, no case manager)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    kind: str = "count"  # label | count | rate | hours | text
    # rate: (part, whole) count columns; hours: (count of values,)
    basis: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    name: str
    title: Any
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None
    definitions: tuple[str, ...] = ()
    suppressed: bool = False

    def replaced(self, **changes: Any) -> Table:
        return replace(self, **changes)

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.name,
            "title": str(self.title),
            "suppressed": self.suppressed,
            "columns": [
                {"key": c.key, "label": str(c.label), "kind": c.kind} for c in self.columns
            ],
            "rows": self.rows,
            "total": self.total,
            "definitions": {k: str(metrics.DEFINITIONS[k]) for k in self.definitions},
        }

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.key for c in self.columns])
        for row in [*self.rows, *([self.total] if self.total else [])]:
            writer.writerow(["" if row.get(c.key) is None else row[c.key] for c in self.columns])
        return out.getvalue()


LABEL = Column("label", _l("Group"), "label")
SENT = Column("sent", _l("Sent"))
RESPONDED = Column("responded", _l("Answered"))
ACCEPTED = Column("accepted", _l("Accepted"))
REJECTED = Column("rejected", _l("Declined"))
CLOSED = Column("closed_loop", _l("Closed loop"))
GOT_HELP = Column("got_help", _l("Got help"))
OVERDUE = Column("overdue", _l("Overdue"))
FOLLOWTHROUGH_COLUMNS = (
    SENT,
    RESPONDED,
    Column("response_rate", _l("Response rate"), "rate", ("responded", "sent")),
    Column("response_hours_median", _l("Median hours to answer"), "hours", ("responded",)),
    Column("response_hours_p90", _l("90th percentile hours to answer"), "hours", ("responded",)),
    ACCEPTED,
    Column("acceptance_rate", _l("Acceptance rate"), "rate", ("accepted", "responded")),
    REJECTED,
    Column("rejection_rate", _l("Rejection rate"), "rate", ("rejected", "responded")),
    CLOSED,
    Column("closed_loop_rate", _l("Closed-loop rate"), "rate", ("closed_loop", "sent")),
    GOT_HELP,
    Column("got_help_rate", _l("Got-help rate"), "rate", ("got_help", "sent")),
    Column("outcome_hours_median", _l("Median hours to outcome"), "hours", ("closed_loop",)),
    OVERDUE,
)
FOLLOWTHROUGH_DEFINITIONS = tuple(c.key for c in FOLLOWTHROUGH_COLUMNS)


def followthrough_row(group: metrics.Followthrough) -> dict[str, Any]:
    row = {c.key: getattr(group, c.key, None) for c in FOLLOWTHROUGH_COLUMNS}
    for column in FOLLOWTHROUGH_COLUMNS:
        if column.kind == "rate" and column.basis:
            row[column.key] = metrics.rate(int(row[column.basis[0]]), int(row[column.basis[1]]))
    return row


@dataclass
class Context:
    """One question asked of the data: a session, the filters, and the clock."""

    session: Session
    filters: Filters
    now: datetime
    provider_view: bool = False
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    @cached_property
    def facts(self) -> SqlTable:
        return metrics.materialize(self.session, self.filters)

    def close(self) -> None:
        """Drop the materialized facts, if any were made."""
        if "facts" in self.__dict__:
            metrics.release(self.session, self.__dict__.pop("facts"))

    @cached_property
    def overall(self) -> metrics.Followthrough:
        return metrics.followthrough(self.session, self.facts, self.now)[0]

    def by(self, dimension: str) -> list[metrics.Followthrough]:
        return metrics.followthrough(self.session, self.facts, self.now, dimension)


def summary(ctx: Context) -> Table:
    return Table(
        "summary",
        _l("Follow-through"),
        FOLLOWTHROUGH_COLUMNS,
        [followthrough_row(ctx.overall)],
        definitions=FOLLOWTHROUGH_DEFINITIONS,
    )


def funnel(ctx: Context) -> Table:
    o = ctx.overall
    columns = (
        Column("requested", _l("Requested")),
        ACCEPTED,
        Column("accepted_share", _l("Accepted of requested"), "rate", ("accepted", "requested")),
        Column("completed", _l("Completed")),
        Column("completed_share", _l("Completed of accepted"), "rate", ("completed", "accepted")),
    )
    row = {
        "requested": o.sent,
        "accepted": o.accepted,
        "accepted_share": metrics.rate(o.accepted, o.sent),
        "completed": o.completed,
        "completed_share": metrics.rate(o.completed, o.accepted),
    }
    return Table("funnel", _l("Funnel"), columns, [row], definitions=("funnel",))


def rejections(ctx: Context) -> Table:
    found = metrics.rejection_reasons(ctx.session, ctx.facts)
    rows = [
        {"label": outcome_label(reason) if reason else _l("no reason code"), "rejected": n}
        for reason, n in found
    ]
    rows = [{**r, "label": str(r["label"])} for r in rows]
    total = {"label": str(_l("All declined")), "rejected": sum(n for _, n in found)}
    columns = (Column("label", _l("Reason"), "label"), REJECTED)
    return Table("rejections", _l("Rejection reasons"), columns, rows, total, ("rejection_reason",))


def _breakdown(name: str, title: Any, dimension: str, heading: Any) -> Callable[[Context], Table]:
    def build(ctx: Context) -> Table:
        groups = ctx.by(dimension)
        if dimension == "month":  # a time series reads in calendar order
            groups = sorted(groups, key=lambda g: str(g.key))
        names = labels(ctx.session, dimension, [g.key for g in groups])
        rows = [
            {"label": names.get(g.key, str(UNKNOWN)), "key": g.key, **followthrough_row(g)}
            for g in groups
        ]
        total = {"label": str(_l("All")), **followthrough_row(ctx.overall)}
        columns = (Column("label", heading, "label"), *FOLLOWTHROUGH_COLUMNS)
        return Table(name, title, columns, rows, total, FOLLOWTHROUGH_DEFINITIONS)

    return build


NAMED = {
    "provider": (Organization.id, Organization.name),
    "organization": (Organization.id, Organization.name),
    "program": (Program.id, Program.name),
    "case_manager": (User.id, User.name),
}


def labels(session: Session, dimension: str, keys: list[Any]) -> dict[Any, str]:
    """Readable names for the group keys of a breakdown."""
    ids = sorted({k for k in keys if k is not None})
    if dimension == "need":
        return {k: need_label(k) for k in ids}
    found: dict[Any, str] = {k: str(k) for k in ids}
    if dimension in NAMED and ids:
        key, name = NAMED[dimension]
        found.update({k: n for k, n in session.execute(select(key, name).where(key.in_(ids)))})
    return found


def unmet_needs(ctx: Context) -> Table:
    found = gaps.unmet_needs(ctx.session, ctx.filters, ctx.facts)
    columns = (
        Column("need", _l("Need"), "label"),
        Column("zip", _l("ZIP code"), "label"),
        Column("assessed", _l("Needs assessed")),
        Column("no_service_found", _l("No eligible service found")),
        Column("referrals", _l("Referrals sent")),
        Column("no_capacity", _l("Ended: no capacity")),
        Column("not_eligible", _l("Ended: not eligible")),
        Column("got_help", _l("Got help")),
    )
    keys = [c.key for c in columns[2:]]
    rows = [
        {
            "need": need_label(g.need),
            "zip": g.zip or str(UNKNOWN),
            **{k: getattr(g, k) for k in keys},
        }
        for g in found
    ]
    total = {"need": str(_l("All")), "zip": "", **{k: sum(r[k] for r in rows) for k in keys}}
    return Table(
        "unmet-needs",
        _l("Unmet needs by need and ZIP code"),
        columns,
        rows,
        total,
        ("client_zip",),
    )


def _freshness(name: str, title: Any, heading: Any, rows: list[freshness.Freshness]) -> Table:
    columns = (
        Column("label", heading, "label"),
        Column("services", _l("Active services")),
        Column("verified_6_months", _l("Verified within 6 months")),
        Column(
            "share_6_months", _l("Share within 6 months"), "rate", ("verified_6_months", "services")
        ),
        Column("verified_12_months", _l("Verified within 12 months")),
        Column(
            "share_12_months",
            _l("Share within 12 months"),
            "rate",
            ("verified_12_months", "services"),
        ),
        Column("never_verified", _l("Never verified")),
    )
    out = [
        {
            "label": r.label,
            "services": r.services,
            "verified_6_months": r.verified_6_months,
            "share_6_months": metrics.rate(r.verified_6_months, r.services),
            "verified_12_months": r.verified_12_months,
            "share_12_months": metrics.rate(r.verified_12_months, r.services),
            "never_verified": r.never_verified,
        }
        for r in rows
    ]
    return Table(name, title, columns, out)


def freshness_organizations(ctx: Context) -> Table:
    rows = freshness.by_organization(ctx.session, ctx.today, ctx.filters.provider)
    return _freshness(
        "freshness-organizations",
        _l("Listings verified, by organization"),
        _l("Organization"),
        rows,
    )


def freshness_taxonomy(ctx: Context) -> Table:
    rows = freshness.by_taxonomy_term(ctx.session, ctx.today)
    return _freshness(
        "freshness-taxonomy", _l("Listings verified, by taxonomy term"), _l("Taxonomy term"), rows
    )


BUILDERS: dict[str, Callable[[Context], Table]] = {
    "summary": summary,
    "funnel": funnel,
    "rejections": rejections,
    "by-need": _breakdown("by-need", _l("By need"), "need", _l("Need")),
    "by-provider": _breakdown("by-provider", _l("By provider"), "provider", _l("Provider")),
    "by-organization": _breakdown(
        "by-organization", _l("By referring organization"), "organization", _l("Organization")
    ),
    "by-month": _breakdown("by-month", _l("By month sent"), "month", _l("Month")),
    "unmet-needs": unmet_needs,
    "freshness-organizations": freshness_organizations,
    "freshness-taxonomy": freshness_taxonomy,
}
# The provider view: the same follow-through, about the referrals one provider received.
PROVIDER_TABLES = ("summary", "funnel", "rejections", "by-need", "by-organization", "by-month")
# Directory data is public: its tables are never suppressed.
PUBLIC_TABLES = frozenset({"freshness-organizations", "freshness-taxonomy"})


def build_all(ctx: Context, names: Iterable[str], suppress: bool) -> dict[str, Table]:
    """Several tables from one materialization of the facts, dropped afterwards."""
    try:
        return {name: build(ctx, name, suppress) for name in names}
    finally:
        ctx.close()


def build(ctx: Context, name: str, suppress: bool) -> Table:
    table = BUILDERS[name](ctx)
    if suppress and name not in PUBLIC_TABLES:
        return privacy.suppress(table)
    return table
