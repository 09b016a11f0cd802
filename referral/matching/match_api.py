"""``POST /api/v1/match``: a client (location, facts, needs) in, a ranked and explained
list per need out. Body: the client JSON, optionally wrapped as {"client": ..., "top": n}."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from referral import db
from referral.api.problems import InvalidParameter
from referral.matching.assessment import InvalidClient, parse_client
from referral.matching.match_web import hidden_before

bp = Blueprint("match_api", __name__, url_prefix="/api/v1")
TOP_MAX = 50


@bp.post("/match")
def match_endpoint() -> Response:
    from referral.matching.match import match
    from referral.matching.train import active_weights

    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidParameter("body", "send a JSON object: the client (location, facts, needs)")
    client, prefix = (body["client"], "client.") if "client" in body else (body, "")
    top = _top(body.get("top", 10) if prefix else 10)
    try:
        assessment = parse_client(client)
    except InvalidClient as exc:
        raise InvalidParameter(f"{prefix}{exc.field}", exc.detail) from exc
    if not assessment.needs:
        raise InvalidParameter(f"{prefix}needs", "give at least one need")
    weights = active_weights(current_app.config["INSTANCE_DIR"])
    result = match(
        db.session(), assessment, top=top, weights=weights, verified_since=hidden_before()
    )
    return jsonify(result.to_dict())


def _top(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= TOP_MAX:
        raise InvalidParameter("top", f"must be a whole number from 1 to {TOP_MAX}")
    return raw
