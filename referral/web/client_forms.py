"""Reading the client and consent forms of the case manager's pages.

Each reader returns the parsed value and a dict of field -> message; the page shows
each message beside its field and answers 400. Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from referral.matching import codes
from referral.referrals import consent as consent_rules
from referral.referrals.models import CONTACT_PREFERENCES, DO_NOT_CONTACT, EMAIL, PHONE, TEXT

# Languages offered for "preferred language"; stored as the code. Client-facing texts
# exist in English and Spanish; the others are kept so the provider knows.
LANGUAGE_CHOICES = (
    ("en", _l("English")),
    ("es", _l("Spanish")),
    ("ht", _l("Haitian Creole")),
    ("pt", _l("Portuguese")),
    ("fr", _l("French")),
    ("zh", _l("Chinese")),
    ("vi", _l("Vietnamese")),
    ("ar", _l("Arabic")),
    ("ru", _l("Russian")),
)
CONTACT_LABELS = {
    EMAIL: _l("By email"),
    TEXT: _l("By text message"),
    PHONE: _l("By phone call"),
    DO_NOT_CONTACT: _l("Do not contact"),
}
METHOD_LABELS = {"written": _l("Written"), "verbal": _l("Verbal"), "electronic": _l("Electronic")}
PURPOSE_LABELS = {"referral": _l("Referral"), "care-coordination": _l("Care coordination")}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_LIMIT, TEXT_LIMIT, NOTE_LIMIT = 200, 500, 2000
CLIENT_FIELDS = (
    "given_name",
    "family_name",
    "birth_date",
    "email",
    "phone",
    "address",
    "preferred_language",
    "contact_preference",
)


@dataclass
class Parsed:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _text(form: Mapping[str, str], name: str) -> str:
    return (form.get(name) or "").strip()


def parse_day(raw: str, name: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Enter a date as YYYY-MM-DD.")
        return None


def read_client(form: Mapping[str, str], today: date) -> Parsed:
    parsed = Parsed({name: _text(form, name) for name in CLIENT_FIELDS})
    values, errors = parsed.values, parsed.errors
    for name in ("given_name", "family_name"):
        if not values[name]:
            errors[name] = _("Enter the client's name.")
        elif len(values[name]) > NAME_LIMIT:
            errors[name] = _("Use at most %(n)s characters.", n=NAME_LIMIT)
    born = parse_day(values["birth_date"], "birth_date", errors)
    if born is not None and (born > today or born.year < 1900):
        errors["birth_date"] = _("Enter a date of birth in the past.")
    values["birth_date"] = born
    for name in ("email", "phone", "address"):
        if len(values[name]) > TEXT_LIMIT:
            errors[name] = _("Use at most %(n)s characters.", n=TEXT_LIMIT)
        values[name] = values[name] or None
    if values["email"] and not _EMAIL.match(values["email"]):
        errors["email"] = _("Enter an email address like name@example.org.")
    if values["phone"] and len(re.sub(r"\D", "", values["phone"])) < 7:
        errors["phone"] = _("Enter a phone number with at least 7 digits.")
    values["preferred_language"] = values["preferred_language"] or None
    _check_preference(values, errors)
    return parsed


def _check_preference(values: dict[str, Any], errors: dict[str, str]) -> None:
    preference = values["contact_preference"] or PHONE
    values["contact_preference"] = preference
    if preference not in CONTACT_PREFERENCES:
        errors["contact_preference"] = _("Choose how the client wants to be contacted.")
    elif preference == EMAIL and not values["email"]:
        errors["email"] = _("Enter an email address, or choose another way to contact.")
    elif preference in (TEXT, PHONE) and not values["phone"]:
        errors["phone"] = _("Enter a phone number, or choose another way to contact.")


def read_consent(form: Any, today: date) -> Parsed:
    """``form`` is a MultiDict: recipients and categories are repeated checkboxes."""
    parsed = Parsed()
    values, errors = parsed.values, parsed.errors
    values["recipient_organization_ids"] = tuple(
        dict.fromkeys(x for x in form.getlist("recipient") if x)
    )
    values["categories"] = tuple(dict.fromkeys(x for x in form.getlist("category") if x))
    unknown = [c for c in values["categories"] if not codes.is_need_code(c)]
    if unknown:
        errors["category"] = _("Choose needs from the list.")
    if not values["recipient_organization_ids"] and not values["categories"]:
        errors["recipient"] = _(
            "Choose at least one organization or kind of need the client agrees to."
        )
    values["purpose"] = _text(form, "purpose")
    if values["purpose"] not in consent_rules.PURPOSES:
        errors["purpose"] = _("Choose what the consent is for.")
    values["method"] = _text(form, "method")
    if values["method"] not in consent_rules.METHODS:
        errors["method"] = _("Choose how the consent was obtained.")
    starts = parse_day(_text(form, "starts_on"), "starts_on", errors)
    values["starts_on"] = starts or today
    values["ends_on"] = parse_day(_text(form, "ends_on"), "ends_on", errors)
    if values["ends_on"] is not None and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("The end date cannot be before the start date.")
    return parsed


FACT_LABELS = {
    "age": _l("Age"),
    "household_size": _l("Household size"),
    "monthly_income": _l("Monthly income"),
    "languages": _l("Languages"),
    "gender": _l("Gender"),
    "veteran": _l("Veteran"),
    "insurance": _l("Insurance"),
    "disability": _l("Disability"),
    "pregnant": _l("Pregnant"),
    "housing_status": _l("Housing"),
    "children": _l("Children"),
    "violence_survivor": _l("Survivor of violence"),
    "county": _l("County"),
}


def fact_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
