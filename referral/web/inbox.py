"""``/inbox``: the referrals sent to the organizations a provider answers for.

Tabs split them by what the provider has to do: New (waiting for an answer, still in
time), Overdue (waiting, respond-by passed), Open (accepted, in progress, on hold) and
Closed. Lists name the client by first name and initial only; the full record is on
the referral's own page, where reading it is audited.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from referral import db
from referral.accounts import policy
from referral.accounts.models import utcnow
from referral.accounts.security import no_store
from referral.directory.models import Organization, Service, ServiceAtLocation
from referral.i18n import need_label
from referral.referrals import states
from referral.referrals.models import Referral, ReferralEvent

bp = Blueprint("inbox", __name__)
log = logging.getLogger(__name__)

PER_PAGE = 25
NEW, OVERDUE, OPEN, CLOSED = "new", "overdue", "open", "closed"
TABS = (
    (NEW, _l("New")),
    (OVERDUE, _l("Overdue")),
    (OPEN, _l("Open")),
    (CLOSED, _l("Closed")),
)
OPEN_STATUSES = (states.ACCEPTED, states.IN_PROGRESS, states.ON_HOLD)


@dataclass(frozen=True)
class Row:
    referral: Referral
    client_label: str
    need: str
    service_name: str
    organization_name: str
    received_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class InboxPage:
    tab: str
    counts: dict[str, int]
    rows: list[Row]
    page: int
    pages: int
    total: int


def answering_organizations(user: Any) -> list[str]:
    """The organizations whose referrals this user answers (provider staff)."""
    return sorted(
        {
            org
            for org, _role in policy.roles(user)
            if org is not None and policy.can(user, policy.RESPOND_REFERRAL, org)
        }
    )


def _tab_condition(tab: str, now: datetime) -> ColumnElement[bool]:
    waiting = Referral.status == states.REQUESTED
    late = and_(Referral.respond_by.is_not(None), Referral.respond_by < now)
    if tab == NEW:
        return and_(waiting, or_(Referral.respond_by.is_(None), Referral.respond_by >= now))
    if tab == OVERDUE:
        return and_(waiting, late)
    if tab == OPEN:
        return Referral.status.in_(OPEN_STATUSES)
    return Referral.status.in_(sorted(states.FINAL))


def _scope(org_ids: Sequence[str], service_id: str | None) -> list[ColumnElement[bool]]:
    """Referrals sent (never drafts) to these organizations, optionally to one service."""
    conditions = [
        Referral.recipient_organization_id.in_(org_ids),
        Referral.status != states.DRAFT,
    ]
    if service_id:
        places = select(ServiceAtLocation.id).where(ServiceAtLocation.service_id == service_id)
        conditions.append(Referral.service_at_location_id.in_(places))
    return conditions


def tab_counts(
    session: Session, org_ids: Sequence[str], now: datetime, service_id: str | None = None
) -> dict[str, int]:
    tabs = [NEW, OVERDUE, OPEN, CLOSED]
    bucket = case(
        *[(_tab_condition(tab, now), tab) for tab in tabs[:-1]],
        else_=CLOSED,
    )
    counts = dict.fromkeys(tabs, 0)
    if not org_ids:
        return counts
    rows = session.execute(
        select(bucket, func.count()).where(*_scope(org_ids, service_id)).group_by(bucket)
    )
    for tab, count in rows:
        counts[tab] = int(count)
    return counts


def _ordered(query: Select[Any], tab: str) -> Select[Any]:
    """Most urgent first while waiting; most recently changed first afterwards."""
    if tab in (NEW, OVERDUE):
        return query.order_by(Referral.respond_by.asc(), Referral.created_at, Referral.id)
    return query.order_by(Referral.updated_at.desc(), Referral.id)


def inbox_page(
    session: Session,
    org_ids: Sequence[str],
    tab: str,
    now: datetime,
    *,
    service_id: str | None = None,
    page: int = 1,
) -> InboxPage:
    counts = tab_counts(session, org_ids, now, service_id)
    total = counts[tab]
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    referrals: Sequence[Referral] = []
    if org_ids:
        query = (
            select(Referral)
            .options(selectinload(Referral.client))
            .where(*_scope(org_ids, service_id), _tab_condition(tab, now))
        )
        referrals = session.scalars(
            _ordered(query, tab).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        ).all()
    rows = _rows(session, referrals, now)
    return InboxPage(tab, counts, rows, page, pages, total)


def _rows(session: Session, referrals: Sequence[Referral], now: datetime) -> list[Row]:
    ids = [r.id for r in referrals]
    received = _received_times(session, ids)
    places = _place_names(session, [r.service_at_location_id for r in referrals])
    return [
        Row(
            referral=r,
            client_label=short_name(r.client.given_name, r.client.family_name),
            need=need_label(r.need_code),
            service_name=places.get(r.service_at_location_id, ("", ""))[0],
            organization_name=places.get(r.service_at_location_id, ("", ""))[1],
            received_at=received.get(r.id, r.created_at),
            overdue=_is_overdue(r, now),
        )
        for r in referrals
    ]


def _received_times(session: Session, ids: Sequence[str]) -> dict[str, datetime]:
    """When each referral reached the provider: its (first) move to requested."""
    if not ids:
        return {}
    rows = session.execute(
        select(ReferralEvent.referral_id, func.min(ReferralEvent.occurred_at))
        .where(ReferralEvent.referral_id.in_(ids), ReferralEvent.to_status == states.REQUESTED)
        .group_by(ReferralEvent.referral_id)
    )
    return {referral_id: moment for referral_id, moment in rows}


def _place_names(session: Session, place_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    if not place_ids:
        return {}
    rows = session.execute(
        select(ServiceAtLocation.id, Service.name, Organization.name)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Organization, Organization.id == Service.organization_id)
        .where(ServiceAtLocation.id.in_(set(place_ids)))
    )
    return {place_id: (service or "", org or "") for place_id, service, org in rows}


def _is_overdue(referral: Referral, now: datetime) -> bool:
    due = referral.respond_by
    if referral.status != states.REQUESTED or due is None:
        return False
    return (due if due.tzinfo else due.replace(tzinfo=now.tzinfo)) < now


def short_name(given: str, family: str) -> str:
    """'Ana L.': enough to recognise a person in a list, not enough to identify them."""
    initial = family.strip()[:1]
    return f"{given.strip()} {initial.upper()}." if initial else given.strip()


def services_of(session: Session, org_ids: Sequence[str]) -> list[tuple[str, str]]:
    if not org_ids:
        return []
    rows = session.execute(
        select(Service.id, Service.name)
        .where(Service.organization_id.in_(org_ids))
        .order_by(Service.name, Service.id)
    )
    return [(service_id, name or "") for service_id, name in rows]


def awaiting_answer(session: Session, org_ids: Sequence[str]) -> int:
    """Referrals waiting for these organizations' answer, overdue ones included."""
    if not org_ids:
        return 0
    query = select(func.count()).where(
        Referral.recipient_organization_id.in_(org_ids), Referral.status == states.REQUESTED
    )
    return int(session.scalar(query) or 0)


@bp.get("/inbox")
@no_store
def inbox() -> str:
    policy.require(current_user, policy.RESPOND_REFERRAL)
    org_ids = answering_organizations(current_user)
    session = db.session()
    services = services_of(session, org_ids)
    tab = request.args.get("tab", NEW)
    tab = tab if tab in dict(TABS) else NEW
    service_id = request.args.get("service") or None
    if service_id not in {s for s, _ in services}:
        service_id = None
    page_number = request.args.get("page", 1, type=int) or 1
    found = inbox_page(session, org_ids, tab, utcnow(), service_id=service_id, page=page_number)

    def inbox_url(**changes: object) -> str:
        params: dict[str, object] = {"tab": tab, "service": service_id, "page": None}
        params.update(changes)
        return url_for("inbox.inbox", **{k: v for k, v in params.items() if v})  # type: ignore[arg-type]

    return render_template(
        "inbox/inbox.html",
        inbox=found,
        tabs=TABS,
        services=services,
        service_id=service_id,
        inbox_url=inbox_url,
        now=utcnow(),
        several_orgs=len(org_ids) > 1,
    )


@bp.app_context_processor
def inbox_badge() -> dict[str, object]:
    """How many referrals wait for the signed-in provider's answer, for the nav link."""
    if not policy.can(current_user, policy.RESPOND_REFERRAL):
        return {}
    try:
        count = awaiting_answer(db.session(), answering_organizations(current_user))
    except SQLAlchemyError:  # a decoration must never break a page (say, an error page)
        log.warning("could not count the inbox for the nav badge", exc_info=True)
        return {}
    return {"nav_badges": {"inbox.inbox": count}}
