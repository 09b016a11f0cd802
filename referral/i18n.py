"""The user's language: English or Spanish, with Flask-Babel and the gettext catalogs
in ``translations/``. Chosen explicitly (``?lang=es``, remembered in a cookie), else
from the browser's Accept-Language, else English."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_babel import Babel

from referral import PROJECT_ROOT

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"
COOKIE = "lang"


def select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def _remember_choice(response: Response) -> Response:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def init_app(app: Flask) -> None:
    Babel(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(PROJECT_ROOT / "translations"),
    )
    app.after_request(_remember_choice)
