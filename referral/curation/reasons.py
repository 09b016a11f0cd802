"""Why two records look alike, in the reader's language.

Reasons are stored as codes with parameters (``reason_codes.Reason``); each code has a
message here with the same named parameters, so the words come from the catalog when
shown: on the review pages in the reader's language, in ``referral dedupe`` and the
evaluation in English (no request: no locale). The words a name conflict quotes
("city", "north") are listing text, joined as a list in the reader's language.
A ``text`` reason (a phrase no migration could read) is shown as stored, marked English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from babel.lists import format_list
from flask import has_app_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from referral.curation.reason_codes import Reason
from referral.i18n import listing_language

MESSAGES = {
    "names-alike": _l("names %(percent)s%% alike"),
    "one-place": _l("one place: same address, same or unknown organization"),
    "names-too-different": _l("names too different"),
    "names-differ": _l("names differ in %(words)s"),
    "different-organizations": _l("different organizations"),
    "same-phone": _l("same phone"),
    "same-address": _l("same address"),
    "same-website": _l("same website"),
    "same-domain": _l("same website domain"),
    "near": _l("%(metres)s m apart"),
}
# The same details when more organizations than the pair's own use them.
SHARED_BY_MANY = {
    "same-phone": _l("same phone (used by %(organizations)s organizations)"),
    "same-address": _l("same address (used by %(organizations)s organizations)"),
    "same-website": _l("same website (used by %(organizations)s organizations)"),
    "same-domain": _l("same website domain (used by %(organizations)s organizations)"),
}
PUBLIC_BODY = _l("%(reason)s, a public-body domain")

Stored = Reason | Mapping[str, Any] | str


def _reason(value: Stored) -> Reason:
    return value if isinstance(value, Reason) else Reason.from_json(value)


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def _words(words: tuple[str, ...], html: bool) -> str:
    """The quoted name words as a list in the reader's language ("a, b y c"); on a
    page marked with the listing language when it is not the reader's."""
    if not html:
        return format_list(list(words), locale=_language())
    language = listing_language() if has_app_context() else _language()
    attr = Markup(' lang="{}"').format(language) if language != _language() else ""
    items = [str(Markup("<span{}>{}</span>").format(attr, w) if attr else escape(w)) for w in words]
    return Markup(format_list(items, locale=_language()))


def _fill(message: Any, params: Mapping[str, Any], html: bool) -> str:
    """A catalog message with its named parameters; on a page, escaped (Markup escapes
    the parameters that are not Markup themselves)."""
    text = str(message)
    return escape(text) % params if html else text % params


def _render(reason: Reason, html: bool) -> str:
    params: dict[str, Any] = reason.params()
    if "words" in params:
        params["words"] = _words(reason.words, html)
    many = reason.organizations is not None and reason.code in SHARED_BY_MANY
    shown = _fill((SHARED_BY_MANY if many else MESSAGES)[reason.code], params, html)
    return _fill(PUBLIC_BODY, {"reason": shown}, html) if reason.public_body else shown


def reason_text(value: Stored) -> str:
    """One reason as plain text in the current language (English outside a request)."""
    reason = _reason(value)
    if reason.code == "text":
        return str(reason.text)
    return str(_render(reason, html=False))


def reason_texts(values: Iterable[Stored]) -> list[str]:
    return [reason_text(v) for v in values]


def reason_html(value: Stored) -> Markup:
    reason = _reason(value)
    if reason.code == "text":
        if _language() == "en":
            return escape(reason.text)
        return Markup('<span lang="en">{}</span>').format(reason.text)
    return Markup(_render(reason, html=True))


def shown_reasons(values: Iterable[Stored] | None) -> Markup:
    """The reasons joined with "; " for a page (the ``duplicate_reasons`` filter)."""
    return Markup("; ").join(reason_html(v) for v in values or ())
