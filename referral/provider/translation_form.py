"""The form of a service's text in another language, read and checked. Pure: no Flask
request, no database. Every problem names its input, as the service form does."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from referral.directory.service_translations import FIELDS, LIMITS, clean
from referral.provider.service_form import FormErrors

# The editor's own labels for the fields (the same words as the service form).
LABELS = {
    "name": _l("Service name"),
    "description": _l("Description"),
    "eligibility_description": _l("Eligibility, in your words"),
    "fees_description": _l("Fees"),
    "application_process": _l("How to apply"),
}
ROWS = {"name": 1, "description": 4}


@dataclass(frozen=True)
class TranslationInput:
    texts: dict[str, str | None]
    # Fields whose unchanged translation the provider confirms still matches the
    # listing's text (shown only for translations older than that text).
    confirm: tuple[str, ...] = ()


def parse_translation(form: Mapping[str, str]) -> TranslationInput:
    """The texts a form posted (empty: no translation); raises FormErrors."""
    errors: dict[str, str] = {}
    texts: dict[str, str | None] = {}
    for field in FIELDS:
        value = clean(form.get(field))
        if len(value) > LIMITS[field]:
            errors[field] = _(
                "Keep this under %(limit)s characters.", limit=format_number(LIMITS[field])
            )
        if field == "name" and "\n" in value:
            errors[field] = _("Write the name on one line.")
        texts[field] = value or None
    if errors:
        raise FormErrors(errors)
    confirm = tuple(f for f in FIELDS if form.get(f"confirm-{f}"))
    return TranslationInput(texts, confirm)
