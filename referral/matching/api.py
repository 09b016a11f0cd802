"""``POST /api/v1/eligibility``: the eligibility checklist of one service for a client."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from referral import db
from referral.api.problems import InvalidParameter, Problem
from referral.matching.assessment import InvalidClient, parse_client
from referral.matching.checks import UnknownService, check_service

bp = Blueprint("matching_api", __name__, url_prefix="/api/v1")


@bp.post("/eligibility")
def eligibility() -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidParameter("body", "send a JSON object with service_id and client")
    service_id = body.get("service_id")
    if not isinstance(service_id, str) or not service_id.strip():
        raise InvalidParameter("service_id", "required: the id of a service")
    if "client" not in body:
        raise InvalidParameter("client", "required: the client object (location, facts, needs)")
    try:
        assessment = parse_client(body["client"])
    except InvalidClient as exc:
        raise InvalidParameter(f"client.{exc.field}", exc.detail) from exc
    try:
        result = check_service(db.session(), service_id.strip(), assessment)
    except UnknownService as exc:
        raise Problem(404, "Service not found", str(exc), field="service_id") from exc
    return jsonify(result.to_dict())
