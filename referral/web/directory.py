"""Directory browse and service detail pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("directory", __name__)


@bp.get("/")
def browse() -> str:
    return "referral"
