"""The provider's service form, read and checked: the listing fields, phones,
languages, documents, capacity and the structured eligibility a case manager's match
depends on. Pure: no Flask, no database. Every problem names its input, so the page
can show it beside the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from flask_babel import format_decimal, format_number
from flask_babel import gettext as _

from referral.directory.listing import PHONE_REGION, STATUSES
from referral.matching import places
from referral.matching.criteria import POPULATIONS

MAX_TEXT = 10_000
MAX_NAME = 250
PHONE_ROWS = 3
GENDERS = ("female", "male")
RESIDENCY_SCOPES = places.SCOPES
CAPACITY_MODES = ("none", "count", "waitlist")
# The oldest age anyone states in a listing; beyond it a number is a typo.
MAX_AGE = 120
# Income limits above 1000% of the poverty line are not limits in practice.
MAX_FPL = 1000


@dataclass(frozen=True)
class PhoneInput:
    number: str
    extension: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class CapacityInput:
    mode: str = "none"
    available: float | None = None
    maximum: float | None = None
    unit: str = ""
    description: str | None = None


@dataclass(frozen=True)
class EligibilityInput:
    minimum_age: int | None = None
    maximum_age: int | None = None
    income_fpl: float | None = None
    residency_scope: str = ""
    residency: tuple[str, ...] = ()
    gender: str = ""
    populations: tuple[str, ...] = ()


@dataclass
class ServiceInput:
    name: str
    description: str | None = None
    status: str = "active"
    alert: str | None = None
    url: str | None = None
    email: str | None = None
    fees_description: str | None = None
    application_process: str | None = None
    wait_time: str | None = None
    eligibility_description: str | None = None
    required_documents: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    phones: tuple[PhoneInput, ...] = ()
    capacity: CapacityInput = field(default_factory=CapacityInput)
    eligibility: EligibilityInput = field(default_factory=EligibilityInput)


class FormErrors(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _text(
    form: Mapping[str, str], name: str, errors: dict[str, str], limit: int = MAX_TEXT
) -> str | None:
    value = (form.get(name) or "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        errors[name] = _("Keep this under %(limit)s characters.", limit=format_number(limit))
    return value or None


def _number(
    form: Mapping[str, str], name: str, errors: dict[str, str], top: float, whole: bool = False
) -> Any:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        errors[name] = _("Give a whole number.") if whole else _("Give a number.")
        return None
    if value < 0 or value > top:
        errors[name] = _("Give a number from 0 to %(top)s.", top=format_decimal(top))
        return None
    return value


def _lines(form: Mapping[str, str], name: str) -> tuple[str, ...]:
    parts = re.split(r"[\n,;]", form.get(name) or "")
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _phones(form: Mapping[str, str], errors: dict[str, str]) -> tuple[PhoneInput, ...]:
    found = []
    for n in range(PHONE_ROWS):
        number = (form.get(f"phone-{n}-number") or "").strip()
        if not number:
            continue
        try:
            parsed = phonenumbers.parse(number, PHONE_REGION)
            possible = phonenumbers.is_possible_number(parsed)
        except phonenumbers.NumberParseException:
            possible = False
        if not possible:
            errors[f"phone-{n}-number"] = _("This does not look like a phone number.")
            continue
        extension = _number(form, f"phone-{n}-extension", errors, 99_999_999, whole=True)
        label = _text(form, f"phone-{n}-description", errors, 200)
        found.append(PhoneInput(number, extension, label))
    return tuple(found)


def _capacity(form: Mapping[str, str], errors: dict[str, str]) -> CapacityInput:
    mode = form.get("capacity-mode") or "none"
    if mode not in CAPACITY_MODES:
        errors["capacity-mode"] = _("Choose how you count capacity.")
        return CapacityInput()
    available = _number(form, "capacity-available", errors, 1_000_000)
    maximum = _number(form, "capacity-maximum", errors, 1_000_000)
    unit = (form.get("capacity-unit") or "").strip()[:100]
    description = _text(form, "capacity-description", errors, 500)
    if mode == "count":
        if available is None and "capacity-available" not in errors:
            errors["capacity-available"] = _("Say how many are available now (0 if none).")
        if maximum is not None and available is not None and available > maximum:
            errors["capacity-available"] = _("Available cannot be more than the maximum.")
        if not unit:
            errors["capacity-unit"] = _("Say what you count: beds, appointments, places...")
    if mode == "waitlist":
        available = 0.0
        unit = unit or "Places"
    return CapacityInput(mode, available, maximum, unit, description)


def _eligibility(form: Mapping[str, str], errors: dict[str, str]) -> EligibilityInput:
    low = _number(form, "minimum_age", errors, MAX_AGE, whole=True)
    high = _number(form, "maximum_age", errors, MAX_AGE, whole=True)
    if low is not None and high is not None and low > high:
        errors["maximum_age"] = _("The oldest age must not be below the youngest.")
    fpl = _number(form, "income_fpl", errors, MAX_FPL)
    if fpl == 0:
        errors["income_fpl"] = _("Give a percentage above 0, or leave it empty for no limit.")
    scope = form.get("residency_scope") or ""
    values = _lines(form, "residency")
    if scope and scope not in RESIDENCY_SCOPES:
        errors["residency_scope"] = _("Choose county, city, ZIP code or state.")
    elif values and not scope:
        errors["residency_scope"] = _(
            "Say whether these are counties, cities, ZIP codes or states."
        )
    elif scope:
        for value in values:
            if places.scope_key(scope, value) is None or (
                scope == "zip" and not re.fullmatch(r"\d{5}", value.strip()[:5])
            ):
                errors["residency"] = f"{value!r} is not a {scope.replace('zip', 'ZIP code')}."
    gender = form.get("gender") or ""
    if gender and gender not in GENDERS:
        errors["gender"] = _("Choose women only, men only, or anyone.")
    chosen = tuple(p for p in _getlist(form, "population") if p)
    unknown = [p for p in chosen if p not in POPULATIONS]
    if unknown:
        errors["population"] = _("Unknown group: %(group)s.", group=unknown[0])
    return EligibilityInput(
        low, high, fpl, scope if values else "", values if scope else (), gender, chosen
    )


def _getlist(form: Mapping[str, str], name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    if getlist is not None:
        return list(getlist(name))
    value = form.get(name)
    return [value] if value else []


def parse_service(form: Mapping[str, str]) -> ServiceInput:
    """The service a form posted; raises FormErrors naming each bad input."""
    errors: dict[str, str] = {}
    name = _text(form, "name", errors, MAX_NAME)
    if not name:
        errors["name"] = _("A service needs a name.")
    status = form.get("status") or "active"
    if status not in STATUSES:
        errors["status"] = _("Choose a status.")
    alert = _text(form, "alert", errors, 2000)
    if status == "temporarily closed" and not alert:
        errors["alert"] = _("Say why the service is closed and, if you know, when it reopens.")
    email = _text(form, "email", errors, 254)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors["email"] = _("This is not an email address.")
    url = _text(form, "url", errors, 2000)
    if url and not re.match(r"https?://", url):
        url = "https://" + url
    result = ServiceInput(
        name=name or "",
        description=_text(form, "description", errors),
        status=status,
        alert=alert,
        url=url,
        email=email,
        fees_description=_text(form, "fees_description", errors),
        application_process=_text(form, "application_process", errors),
        wait_time=_text(form, "wait_time", errors, 500),
        eligibility_description=_text(form, "eligibility_description", errors),
        required_documents=_lines(form, "required_documents"),
        languages=_lines(form, "languages"),
        phones=_phones(form, errors),
        capacity=_capacity(form, errors),
        eligibility=_eligibility(form, errors),
    )
    if errors:
        raise FormErrors(errors)
    return result
