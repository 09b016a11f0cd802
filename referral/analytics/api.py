"""``GET /api/v1/analytics/<group>``: each analytics table as JSON, with the definition
of every figure in it. Authenticated by a session or a bearer token with the
``analytics:read`` scope; bad dates and filters are problem+json naming the field."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask_login import current_user

from referral import db
from referral.analytics import access, tables
from referral.analytics.filters import InvalidFilter, parse_filters
from referral.analytics.web import DASHBOARD_TABLES, now
from referral.api.problems import InvalidParameter, Problem

bp = Blueprint("analytics_api", __name__, url_prefix="/api/v1/analytics")


@bp.get("/<group>")
def metric_group(group: str) -> dict[str, Any]:
    """``group`` is a dashboard table name; ``?provider_view=1&organization=ID`` asks
    for the provider's own view of the referrals it received."""
    provider_view = request.args.get("provider_view") in ("1", "true")
    names = tables.PROVIDER_TABLES if provider_view else DASHBOARD_TABLES
    if group not in names:
        raise Problem(404, "Not Found", f"no analytics group {group!r} (one of {', '.join(names)})")
    organization = (request.args.get("organization") or "").strip() or None
    fixed: dict[str, str] = {}
    if provider_view:
        if organization is None:
            raise InvalidParameter("organization", "the provider view needs ?organization=ID")
        view = access.provider_view(current_user, organization)
        # ``organization`` names the provider here, not a referring organization.
        fixed.update(provider=organization, organization="")
    else:
        view = access.agency_view(current_user, organization)
    try:
        f = parse_filters({**request.args.to_dict(), **fixed}, now().date())
    except InvalidFilter as error:
        raise InvalidParameter(error.field, error.detail) from None
    f = f.with_scope(view.scope)
    shareable = request.args.get("shareable") in ("1", "true")
    ctx = tables.Context(db.session(), f, now())
    table = tables.build_all(ctx, [group], view.suppress(organization, shareable))[group]
    return {
        "period": {"from": f.start.isoformat(), "to": f.end.isoformat()},
        "filters": f.as_params(),
        **table.as_json(),
    }
