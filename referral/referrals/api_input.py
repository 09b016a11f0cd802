"""Reading JSON bodies and query strings for the referrals API: each helper names the
field it rejects, so a client always learns which part of its request was wrong."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Response, request

from referral.api.problems import InvalidParameter, problem_response
from referral.referrals.clients import ClientError
from referral.referrals.service import ReferralError, StaleVersion
from referral.referrals.states import TransitionError

MAX_LIMIT = 200


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidParameter("body", "send a JSON object")
    return body


def text(body: Mapping[str, Any], name: str, *, required: bool = False, limit: int = 200) -> Any:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidParameter(name, f"{name} is required")
        return None
    if not isinstance(value, str):
        raise InvalidParameter(name, f"{name} must be a string")
    if len(value) > limit:
        raise InvalidParameter(name, f"{name} is longer than {limit} characters")
    return value.strip()


def day(body: Mapping[str, Any], name: str, *, required: bool = False) -> date | None:
    value = body.get(name)
    if value is None:
        if required:
            raise InvalidParameter(name, f"{name} is required (a date like 2026-11-27)")
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidParameter(name, f"{name} must be a date like 2026-11-27") from None


def strings(body: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = body.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidParameter(name, f"{name} must be a list of strings")
    return tuple(value)


def integer(body: Mapping[str, Any], name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParameter(name, f"{name} is required: the integer version you last read")
    return value


def flag(name: str) -> bool:
    value = request.args.get(name, "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise InvalidParameter(name, f"{name} must be true or false")
    return value in ("true", "1")


def page_arg(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) > maximum:
        raise InvalidParameter(name, f"{name} must be a whole number from 0 to {maximum}")
    return int(raw)


def idempotency_key(body: Mapping[str, Any]) -> str:
    key = request.headers.get("Idempotency-Key") or body.get("idempotency_key")
    if not isinstance(key, str) or not key.strip() or len(key) > 255:
        raise InvalidParameter(
            "Idempotency-Key",
            "send an Idempotency-Key header (or idempotency_key field) of 1-255 characters",
        )
    return key.strip()


def domain_problem(exc: Exception) -> Response:
    """Domain errors raised by the referrals services, as problem+json."""
    if isinstance(exc, StaleVersion):
        return problem_response(
            409,
            "Conflict",
            f"{exc}: read the referral again and retry",
            field="version",
            current_version=exc.current,
        )
    if isinstance(exc, ReferralError):
        title = {404: "Not Found", 409: "Conflict"}.get(exc.status, "Unprocessable Content")
        return problem_response(exc.status, title, exc.detail, field=exc.field)
    if isinstance(exc, ClientError):
        return problem_response(422, "Unprocessable Content", exc.detail, field=exc.field)
    assert isinstance(exc, TransitionError)
    return problem_response(422, "Unprocessable Content", str(exc), field=exc.field)
