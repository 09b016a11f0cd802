"""``/api/v1/me``: who a session or token is, and what the token may do (GET); the
owner's preferences, today the interface language (PATCH, bearer token only, as
every API write)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask_login import current_user

from referral import db
from referral.accounts import policy, users
from referral.api.problems import InvalidParameter

bp = Blueprint("accounts_api", __name__, url_prefix="/api/v1")
EDITABLE = ("language",)


@bp.get("/me")
def me() -> dict[str, Any]:
    policy.require(current_user, policy.VIEW_ACCOUNT)
    return _described()


@bp.patch("/me")
def update_me() -> dict[str, Any]:
    policy.require(current_user, policy.EDIT_PREFERENCES)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body:
        raise InvalidParameter("body", 'send a JSON object such as {"language": "es"}')
    unknown = sorted(set(body) - set(EDITABLE))
    if unknown:
        raise InvalidParameter(unknown[0], f"{unknown[0]!r} cannot be changed here")
    language = body["language"]
    if language is not None and (not isinstance(language, str) or not language):
        raise InvalidParameter("language", 'language is "en", "es", or null to forget it')
    try:
        users.set_language(current_user, language)
    except users.AccountError as exc:
        raise InvalidParameter(exc.field, exc.message) from exc
    db.session().commit()
    return _described()


def _described() -> dict[str, Any]:
    token = current_user.api_token
    return {
        "id": current_user.id,
        "email": current_user.email,
        "name": current_user.name,
        "language": current_user.language,
        "roles": [
            {"organization_id": m.organization_id, "role": m.role} for m in current_user.memberships
        ],
        "token": None
        if token is None
        else {
            "id": token.id,
            "name": token.name,
            "scopes": sorted(token.scope_set),
            "organization_id": token.organization_id,
        },
    }
