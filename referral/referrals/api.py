"""``/api/v1/referrals``: send a referral, list and read them, move them through their
lifecycle, read their history.

Authenticated by a session (reads) or a bearer token with the ``referrals`` scope;
every decision about who may do what is the policy's (``referral.accounts.policy``)
or the lifecycle table's (``referral.referrals.states``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask_login import current_user

from referral import db
from referral.accounts import audit, auth, policy
from referral.accounts.models import utcnow
from referral.api.problems import InvalidParameter, Problem
from referral.referrals import service, states
from referral.referrals.api_input import (
    MAX_LIMIT,
    domain_problem,
    flag,
    idempotency_key,
    integer,
    json_body,
    page_arg,
    text,
)
from referral.referrals.clients_api import client_summary
from referral.referrals.models import Client, Referral, ReferralEvent

bp = Blueprint("referrals_api", __name__, url_prefix="/api/v1/referrals")
for _error in (service.ReferralError, service.StaleVersion, states.TransitionError):
    bp.register_error_handler(_error, domain_problem)

SIDE_ACTIONS = {states.REFERRER: policy.SEND_REFERRAL, states.PROVIDER: policy.RESPOND_REFERRAL}


@bp.post("")
def create_referral() -> tuple[dict[str, Any], int]:
    policy.require(current_user, policy.SEND_REFERRAL)
    body = json_body()
    new = service.NewReferral(
        client_id=text(body, "client_id", required=True, limit=36),
        need_code=text(body, "need", required=True, limit=64),
        service_at_location_id=text(body, "service_at_location_id", required=True, limit=36),
        idempotency_key=idempotency_key(body),
        note=text(body, "note", limit=service.MAX_NOTE),
        send=_send_flag(body),
    )
    db_session = db.session()
    client = db_session.get(Client, new.client_id)
    if client is None:
        raise InvalidParameter("client_id", f"no client with id {new.client_id!r}")
    policy.require(current_user, policy.SEND_REFERRAL, client)
    referral, created = service.create_referral(db_session, new, current_user, utcnow())
    db_session.commit()
    return referral_json(referral, masked=False), 201 if created else 200


def _send_flag(body: dict[str, Any]) -> bool:
    value = body.get("send", True)
    if not isinstance(value, bool):
        raise InvalidParameter("send", "send must be true (request now) or false (keep a draft)")
    return value


@bp.get("")
def list_referrals() -> dict[str, Any]:
    if not any(policy.can(current_user, a) for a in (policy.VIEW_CLIENT, policy.RESPOND_REFERRAL)):
        policy.require(current_user, policy.VIEW_CLIENT)
    status = request.args.get("status")
    if status is not None and status not in states.STATUSES:
        raise InvalidParameter("status", f"status must be one of {', '.join(states.STATUSES)}")
    filters = service.Filters(
        status=status,
        client_id=request.args.get("client"),
        organization_id=request.args.get("organization"),
        overdue=flag("overdue"),
        limit=page_arg("limit", 50, MAX_LIMIT) or 1,
        offset=page_arg("offset", 0, 10**9),
    )
    now = utcnow()
    total, page = service.list_referrals(db.session(), current_user, filters, now)
    return {
        "total": total,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_list_item(r, now) for r in page],
    }


def _list_item(referral: Referral, now: Any) -> dict[str, Any]:
    """No personal data in lists: the client is named by id only."""
    return {**_core(referral), "overdue": service.is_overdue(referral, now)}


@bp.get("/<referral_id>")
def get_referral(referral_id: str) -> dict[str, Any]:
    db_session = db.session()
    referral = _visible(db_session, referral_id)
    client = referral.client
    audit.record_client_read(db_session, auth.context(), client.id, client.organization_id)
    db_session.commit()
    return referral_json(referral, masked=_masked(referral))


@bp.post("/<referral_id>/transitions")
def transition(referral_id: str) -> dict[str, Any]:
    db_session = db.session()
    referral = _visible(db_session, referral_id)
    body = json_body()
    move = service.Move(
        to=text(body, "to", required=True, limit=40),
        expected_version=integer(body, "version"),
        reason=text(body, "reason", limit=states.MAX_REASON),
        note=text(body, "note", limit=service.MAX_NOTE),
        outcome=text(body, "outcome", limit=40),
        enrollment=text(body, "enrollment", limit=40),
    )
    try:
        service.transition_referral(db_session, referral.id, move, current_user, utcnow())
        db_session.commit()
    except states.WrongActor as exc:
        raise policy.Forbidden(SIDE_ACTIONS[exc.required]) from None
    except service.StaleVersion:
        db_session.rollback()
        raise
    return referral_json(referral, masked=_masked(referral))


def _masked(referral: Referral) -> bool:
    """Only the client's own organization sees contact details of a do-not-contact client."""
    return not policy.can(current_user, policy.VIEW_CLIENT, referral.referrer_organization_id)


@bp.get("/<referral_id>/events")
def list_events(referral_id: str) -> dict[str, Any]:
    db_session = db.session()
    referral = _visible(db_session, referral_id)
    return {"items": [event_json(e) for e in service.events(db_session, referral.id)]}


def _visible(db_session: Any, referral_id: str) -> Referral:
    """Refuses people who may never see a referral before saying whether it exists;
    a referral of someone else's is refused (and the refusal audited)."""
    if not any(policy.can(current_user, a) for a in (policy.VIEW_CLIENT, policy.RESPOND_REFERRAL)):
        policy.require(current_user, policy.VIEW_CLIENT)
    referral = db_session.get(Referral, referral_id)
    if referral is None:
        raise Problem(404, "Not Found", f"no referral with id {referral_id!r}")
    if not service.may_view(current_user, referral):
        raise policy.Forbidden(policy.VIEW_CLIENT)
    return referral


def _core(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.id,
        "version": referral.version,
        "status": referral.status,
        "outcome": referral.outcome,
        "enrollment": referral.enrollment,
        "need": referral.need_code,
        "client_id": referral.client_id,
        "service_at_location_id": referral.service_at_location_id,
        "referrer_id": referral.referrer_id,
        "referrer_organization_id": referral.referrer_organization_id,
        "recipient_organization_id": referral.recipient_organization_id,
        "consent_id": referral.consent_id,
        "respond_by": _time(referral.respond_by),
        "created_at": _time(referral.created_at),
        "updated_at": _time(referral.updated_at),
    }


def referral_json(referral: Referral, *, masked: bool) -> dict[str, Any]:
    return {
        **_core(referral),
        "note": referral.note,
        "overdue": service.is_overdue(referral, utcnow()),
        "client": client_summary(referral.client, masked=masked),
    }


def event_json(event: ReferralEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "occurred_at": _time(event.occurred_at),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "actor_role": event.actor_role,
        "from": event.from_status,
        "to": event.to_status,
        "reason": event.reason,
        "note": event.note,
        "outcome": event.outcome,
        "enrollment": event.enrollment,
    }


def _time(moment: Any) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)).isoformat()
