"""RFC 9457 ``application/problem+json`` responses for the API prefixes.

Domain code raises :class:`Problem` (or a subclass naming the field at fault); the
handler turns it, and any HTTP error under an API prefix, into problem+json. Pages get
friendly HTML error pages instead (see ``referral.web``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

API_PREFIXES = ("/api/", "/hsds")
PROBLEM_TYPE = "application/problem+json"


class Problem(Exception):
    """An error the API reports as problem+json."""

    def __init__(
        self, status: int, title: str, detail: str | None = None, **extensions: Any
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.extensions = extensions


class InvalidParameter(Problem):
    """A request parameter or body field is missing or malformed; names the field."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(400, "Invalid parameter", detail, field=field)


def problem_response(status: int, title: str, detail: str | None = None, **ext: Any) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(ext)
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)


def wants_problem_json() -> bool:
    return request.path.startswith(API_PREFIXES)


def register_problem_handlers(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _problem(exc: Problem) -> Response:
        return problem_response(exc.status, exc.title, exc.detail, **exc.extensions)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response | HTTPException:
        if not wants_problem_json():
            return exc
        return problem_response(exc.code or 500, exc.name, exc.description)
