"""The user's language: English or Spanish, with Flask-Babel and the gettext catalogs
in ``translations/``.

Chosen, in this order: explicitly on the page (``?lang=es``, the header switch); else
the signed-in user's account (``user.language``), so the choice follows them to the
office PC and to their phone; else the ``lang`` cookie, which keeps the choice of
people without an account (the public directory); else the browser's
Accept-Language; else English.

Picking a language with ``?lang=`` sets the cookie for everyone, and, for a user
signed in with a session, saves it on the account too. The account's language is read
from the user Flask-Login has already loaded for the request: no query of its own.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, has_request_context, request, url_for
from flask_babel import Babel, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from referral import PROJECT_ROOT, db

LANGUAGES = {"en": "English", "es": "Español"}
# The Gravity Project need categories (referral/matching/data/sdoh_codes.csv) in the
# reader's language; the csv keeps the English display names the API returns.
NEED_LABELS = {
    "food-insecurity": _l("Food insecurity"),
    "housing-instability": _l("Housing instability"),
    "homelessness": _l("Homelessness"),
    "inadequate-housing": _l("Inadequate housing"),
    "transportation-insecurity": _l("Transportation insecurity"),
    "financial-insecurity": _l("Financial insecurity"),
    "material-hardship": _l("Material hardship"),
    "educational-attainment": _l("Educational attainment"),
    "employment-status": _l("Employment status"),
    "veteran-status": _l("Veteran status"),
    "stress": _l("Stress"),
    "social-connection": _l("Social connection"),
    "intimate-partner-violence": _l("Intimate partner violence"),
    "elder-abuse": _l("Elder abuse"),
    "personal-health-literacy": _l("Personal health literacy"),
    "health-insurance-coverage-status": _l("Health insurance coverage status"),
    "medical-cost-burden": _l("Medical cost burden"),
    "digital-literacy": _l("Digital literacy"),
    "digital-access": _l("Digital access"),
    "utility-insecurity": _l("Utility insecurity"),
    "language-access": _l("Language access"),
    "incarceration-status": _l("Incarceration status"),
    "sdoh-category-unspecified": _l("Other social need"),
}
DEFAULT = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    if not has_request_context():  # a worker or command: English unless force_locale()
        return DEFAULT
    for chosen in (request.args.get("lang"), _account_language(), request.cookies.get(COOKIE)):
        if chosen is not None and chosen in LANGUAGES:
            return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def _account_language() -> str | None:
    return current_user.language if current_user.is_authenticated else None


def _save_choice_on_account() -> None:
    """Before the view: a signed-in user who picks a language with ``?lang=`` keeps it
    on their account. Committed at once, in the request's still untouched session, so
    a view that fails later cannot take it (or take anything else) along. Not for API
    tokens: a script asking for Spanish once is no one's preference. Nor for a link
    followed from another site (the browser's Sec-Fetch-Site says so): a page elsewhere
    must not change a user's settings."""
    chosen = request.args.get("lang")
    if chosen not in LANGUAGES or not current_user.is_authenticated:
        return
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return
    if current_user.api_token is not None or current_user.language == chosen:
        return
    current_user.language = chosen
    db.session().commit()


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT


def listing_language() -> str:
    """The language providers write listings in (``REFERRAL_LISTING_LANGUAGE``)."""
    return str(current_app.config.get("LISTING_LANGUAGE") or DEFAULT)


def language_url(code: str) -> str:
    """This page in another language: the same path and query, with ``lang`` set."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    if request.endpoint is None or request.method != "GET":
        return url_for("directory.browse", lang=code)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def need_label(code: str, fallback: str | None = None) -> str:
    """A need category's name in the reader's language: ``{{ d.code | need_label }}``."""
    label = NEED_LABELS.get(code)
    return str(label) if label is not None else (fallback or code)


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
    app.before_request(_save_choice_on_account)
    app.after_request(_remember_choice)
    app.context_processor(_template_globals)
    app.add_template_filter(need_label)
