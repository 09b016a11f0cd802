"""``GET /api/v1/search`` and :func:`get_index`, the app's one search index."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from sqlalchemy.orm import Session

from referral import db
from referral.curation.verification import Freshness
from referral.search.fallback import DatabaseIndex
from referral.search.index import RebuildingWhooshIndex, SearchIndex
from referral.search.query import parse_params
from referral.search.service import search

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")
EXTENSION = "referral.search_index"


def get_index(app: Flask) -> SearchIndex:
    """The index this app searches, made once per process.

    ``SEARCH_BACKEND`` "database" searches the database directly (no index files);
    otherwise Whoosh at ``SEARCH_INDEX_DIR``. ``SEARCH_REBUILD`` says how a missing
    index is rebuilt: "thread" (default), "inline" (default when TESTING) or "off".
    """
    index = app.extensions.get(EXTENSION)
    if index is None:
        if app.config.get("SEARCH_BACKEND") == "database":
            index = DatabaseIndex(degraded=False)
        else:
            mode = app.config.get("SEARCH_REBUILD") or ("inline" if app.testing else "thread")
            engine = app.extensions["referral.engine"]
            index = RebuildingWhooshIndex(
                app.config["SEARCH_INDEX_DIR"], mode, lambda: Session(engine)
            )
        app.extensions[EXTENSION] = index
    return index  # type: ignore[no-any-return]


@bp.get("/search")
def search_endpoint() -> Response:
    params = parse_params(request.args)
    today = datetime.now(UTC).date()
    params.verified_since = Freshness.from_config(current_app.config).hidden_before(today)
    found = search(db.session(), params, get_index(current_app))
    return jsonify(found.to_dict())
