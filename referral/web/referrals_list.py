""" "My open referrals": what a case manager's organization sent and is waiting on.

Open referrals come overdue first (a provider missed its respond-by time), then by
respond-by time, soonest first; closed ones are on a second tab, latest first.
Filters: status, need, and "sent by me".
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, case, func, select

from referral import db
from referral.accounts import policy
from referral.accounts.security import no_store
from referral.directory.models import Organization, Service, ServiceAtLocation
from referral.i18n import need_label
from referral.matching import codes
from referral.referrals import service, states
from referral.referrals.models import Client, Referral
from referral.web.clients import my_organizations, now

bp = Blueprint("referrals_list", __name__)
PER_PAGE = 50
OPEN, CLOSED = "open", "closed"
OPEN_STATUSES = tuple(s for s in states.STATUSES if s not in states.FINAL)
CLOSED_STATUSES = tuple(s for s in states.STATUSES if s in states.FINAL)


def _filters(tab: str) -> tuple[dict[str, Any], list[ColumnElement[bool]]]:
    statuses = OPEN_STATUSES if tab == OPEN else CLOSED_STATUSES
    chosen = {
        "status": request.args.get("status") if request.args.get("status") in statuses else "",
        "need": request.args.get("need")
        if codes.is_need_code(request.args.get("need") or "")
        else "",
        "mine": request.args.get("mine") == "1",
    }
    conditions: list[ColumnElement[bool]] = [
        Referral.referrer_organization_id.in_(my_organizations(policy.SEND_REFERRAL)),
        Referral.status.in_(statuses),
    ]
    if chosen["status"]:
        conditions.append(Referral.status == chosen["status"])
    if chosen["need"]:
        conditions.append(Referral.need_code == chosen["need"])
    if chosen["mine"]:
        conditions.append(Referral.referrer_id == current_user.id)
    return chosen, conditions


def _order(tab: str) -> tuple[Any, ...]:
    if tab == CLOSED:
        return (Referral.updated_at.desc(), Referral.id)
    overdue = (Referral.status == states.REQUESTED) & (Referral.respond_by < now())
    return (
        case((overdue, 0), else_=1),
        case((Referral.respond_by.is_(None), 1), else_=0),
        Referral.respond_by,
        Referral.created_at.desc(),
        Referral.id,
    )


@bp.get("/referrals")
@no_store
def index() -> str:
    policy.require(current_user, policy.SEND_REFERRAL)
    tab = CLOSED if request.args.get("tab") == CLOSED else OPEN
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    chosen, conditions = _filters(tab)
    session = db.session()
    total = session.scalar(select(func.count()).select_from(Referral).where(*conditions)) or 0
    rows = session.execute(
        select(Referral, Client, Service.name, Organization.name)
        .join(Client, Client.id == Referral.client_id)
        .join(ServiceAtLocation, ServiceAtLocation.id == Referral.service_at_location_id)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Organization, Organization.id == Referral.recipient_organization_id)
        .where(*conditions)
        .order_by(*_order(tab))
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    moment = now()
    items = [
        {
            "referral": referral,
            "client": client,
            "service_name": service_name,
            "organization_name": organization_name,
            "overdue": service.is_overdue(referral, moment),
        }
        for referral, client, service_name, organization_name in rows
    ]
    return render_template(
        "referrals/list.html",
        tab=tab,
        items=items,
        total=total,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        chosen=chosen,
        statuses=OPEN_STATUSES if tab == OPEN else CLOSED_STATUSES,
        domains=list(codes.sdoh_codes().values()),
        need_name=need_label,
        page_url=_page_url(tab, chosen),
    )


def _page_url(tab: str, chosen: dict[str, Any]) -> Any:
    def page_url(page: int = 1, **changes: Any) -> str:
        params = {
            "tab": tab if tab != OPEN else None,
            "status": chosen["status"] or None,
            "need": chosen["need"] or None,
            "mine": "1" if chosen["mine"] else None,
        }
        params.update(changes)
        params["page"] = page if page > 1 else None
        chosen_params = {k: v for k, v in params.items() if v}
        return url_for("referrals_list.index", **chosen_params)  # type: ignore[arg-type]

    return page_url
