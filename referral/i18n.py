"""The user's language: English or Spanish, with Flask-Babel and the gettext catalogs
in ``translations/``. Chosen explicitly (``?lang=es``, remembered in a cookie for a
year), else from the browser's Accept-Language, else English.

The choice lives in a cookie rather than on the account: a case manager on a shared
office PC and the same person signed out on a phone both keep what they picked.
"""

from __future__ import annotations

from flask import Flask, Response, request, url_for
from flask_babel import Babel, get_locale

from referral import PROJECT_ROOT

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT


def language_url(code: str) -> str:
    """This page in another language: the same path and query, with ``lang`` set."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    if request.endpoint is None or request.method != "GET":
        return url_for("directory.browse", lang=code)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def _remember_choice(response: Response) -> Response:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax")
    # The same URL answers in the language of the cookie or of Accept-Language.
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def _template_globals() -> dict[str, object]:
    return {
        "ui_languages": LANGUAGES,
        "current_language": current_language,
        "language_url": language_url,
    }


def init_app(app: Flask) -> None:
    Babel(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(PROJECT_ROOT / "translations"),
    )
    app.after_request(_remember_choice)
    app.context_processor(_template_globals)
