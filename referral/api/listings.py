"""``PATCH /api/v1/services/{id}``: providers keep their own listings current.

Who may edit is the policy's call (provider staff of the service's organization,
curators; a token needs the ``listings:write`` scope). Besides the plain fields, the
body may carry ``hours`` and ``capacity`` (see ``referral.provider.api_input``). Each
field change is written to the HSDS metadata trail by the directory audit hook, with
the editor as actor.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, request
from flask_login import current_user

from referral import db
from referral.accounts import policy
from referral.api.problems import InvalidParameter, Problem
from referral.directory.models import Service
from referral.provider import api_input

bp = Blueprint("listings_api", __name__, url_prefix="/api/v1")

TEXT_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "fees_description",
    "application_process",
    "wait_time",
    "eligibility_description",
)
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
MAX_TEXT = 10_000


@bp.patch("/services/<service_id>")
def update_service(service_id: str) -> dict[str, Any]:
    # First "in any organization?", before the lookup, so that people who could never
    # edit a listing learn nothing about which ids exist.
    policy.require(current_user, policy.EDIT_LISTING)
    db_session = db.session()
    service = db_session.get(Service, service_id)
    if service is None:
        raise Problem(404, "Not Found", f"no service with id {service_id!r}")
    policy.require(current_user, policy.EDIT_LISTING, service)
    body = request.get_json(silent=True)
    # "hours" and "capacity" (referral.provider.api_input) are written as the provider
    # pages write them; the other fields are the listing's own columns.
    extensions = api_input.pop_extensions(body)
    changes = _validated(body) if body or not extensions else {}
    db_session.info["actor"] = current_user.email
    for field, value in changes.items():
        setattr(service, field, value)
    api_input.apply(db_session, service, extensions)
    db_session.commit()
    shown = {"id": service.id, **{f: _jsonable(getattr(service, f)) for f in _fields()}}
    return {**shown, **api_input.describe(service)} if "capacity" in extensions else shown


def _fields() -> tuple[str, ...]:
    return (*TEXT_FIELDS, "status", "assured_date")


def _validated(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not body:
        raise InvalidParameter("body", "send a JSON object with the fields to change")
    unknown = sorted(set(body) - set(_fields()))
    if unknown:
        raise InvalidParameter(unknown[0], f"{unknown[0]!r} cannot be edited here")
    changes: dict[str, Any] = {}
    for field, value in body.items():
        changes[field] = _checked(field, value)
    return changes


def _checked(field: str, value: Any) -> Any:
    if field == "status":
        if value not in STATUSES:
            raise InvalidParameter("status", f"status must be one of {', '.join(STATUSES)}")
        return value
    if field == "assured_date":
        try:
            return date.fromisoformat(value) if value is not None else None
        except (TypeError, ValueError):
            raise InvalidParameter("assured_date", "use a date like 2026-11-27") from None
    if value is not None and not isinstance(value, str):
        raise InvalidParameter(field, f"{field} must be a string or null")
    if field == "name" and not (value or "").strip():
        raise InvalidParameter("name", "a service needs a name")
    if value is not None and len(value) > MAX_TEXT:
        raise InvalidParameter(field, f"{field} is longer than {MAX_TEXT} characters")
    return value


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
