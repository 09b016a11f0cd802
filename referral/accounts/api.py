"""``GET /api/v1/me``: who a session or token is, and what the token may do."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_login import current_user

from referral.accounts import policy

bp = Blueprint("accounts_api", __name__, url_prefix="/api/v1")


@bp.get("/me")
def me() -> dict[str, Any]:
    policy.require(current_user, policy.VIEW_ACCOUNT)
    token = current_user.api_token
    return {
        "id": current_user.id,
        "email": current_user.email,
        "name": current_user.name,
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
