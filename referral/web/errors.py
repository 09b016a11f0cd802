"""Friendly HTML error pages for people; problem+json stays for the API prefixes.

Handlers are registered per status code, which Flask prefers over the API's
``HTTPException`` handler, so each one hands API paths back to problem+json itself.
Error pages never show a traceback or exception text: the log has those.
"""

from __future__ import annotations

from flask import Flask, Response, make_response, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from referral.api.problems import problem_response, wants_problem_json

# (title, what to tell the reader) for each status with its own page.
FRIENDLY = {
    400: (
        _l("Something in the request was not right"),
        _l("Check the address or the form and try again."),
    ),
    403: (_l("You cannot open this page"), _l("Your account does not have access to this page.")),
    404: (
        _l("Page not found"),
        _l("We could not find that page. The link may be out of date, or the address mistyped."),
    ),
    405: (
        _l("That action is not available here"),
        _l("This page cannot be used that way. Go back and use the page's own links and buttons."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("The problem has been logged. Please try again in a moment."),
    ),
}


def _message(exc: HTTPException, code: int) -> str:
    """A view's own description (abort(404, description=...)) beats the generic text."""
    custom = exc.description and exc.description != type(exc).description
    return str(exc.description) if custom and code < 500 else str(FRIENDLY[code][1])


def error_page(exc: HTTPException) -> Response:
    code = exc.code or 500
    allow = getattr(exc, "valid_methods", None)
    if wants_problem_json():
        response = problem_response(code, exc.name, exc.description)
    else:
        title = str(FRIENDLY.get(code, (exc.name, ""))[0])
        html = render_template(
            "errors/error.html", code=code, title=title, message=_message(exc, code)
        )
        response = make_response(html, code)
    if allow:
        response.headers["Allow"] = ", ".join(allow)
    return response


def register_error_pages(app: Flask) -> None:
    for code in FRIENDLY:
        app.register_error_handler(code, error_page)
