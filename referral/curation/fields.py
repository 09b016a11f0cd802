"""The listing fields a change request may touch, per kind of record, read and
written as text (list fields one item per line).

Each field knows how to read its current value from a loaded record and how to
write a new one through the ORM (so the audit hook sees every change). Address
fields of a service are those of its one location; a service at several locations
takes address suggestions on each location instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from referral.directory import models as dm
from referral.directory.detail import web_link

STATUSES = ("active", "temporarily closed", "inactive", "defunct")
MAX_TEXT = 5000
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class FieldError(ValueError):
    pass


@dataclass(frozen=True)
class Field:
    name: str
    label: Any  # a lazy string
    kind: str  # "line", "text", "lines" or "choice"
    required: bool = False


FIELDS: dict[str, tuple[Field, ...]] = {
    "service": (
        Field("name", _l("Service name"), "line", required=True),
        Field("description", _l("Description"), "text"),
        Field("phones", _l("Phone numbers"), "lines"),
        Field("address_1", _l("Street address"), "line"),
        Field("city", _l("City"), "line"),
        Field("state_province", _l("State"), "line"),
        Field("postal_code", _l("ZIP code"), "line"),
        Field("hours", _l("Hours"), "text"),
        Field("eligibility", _l("Who can get this service"), "text"),
        Field("fees", _l("Fees"), "text"),
        Field("required_documents", _l("Documents to bring"), "lines"),
        Field("website", _l("Website"), "line"),
        Field("email", _l("Email"), "line"),
        Field("status", _l("Status"), "choice", required=True),
    ),
    "organization": (
        Field("name", _l("Organization name"), "line", required=True),
        Field("description", _l("Description"), "text"),
        Field("phones", _l("Phone numbers"), "lines"),
        Field("website", _l("Website"), "line"),
        Field("email", _l("Email"), "line"),
    ),
    "location": (
        Field("name", _l("Location name"), "line"),
        Field("description", _l("Description"), "text"),
        Field("phones", _l("Phone numbers"), "lines"),
        Field("address_1", _l("Street address"), "line"),
        Field("city", _l("City"), "line"),
        Field("state_province", _l("State"), "line"),
        Field("postal_code", _l("ZIP code"), "line"),
        Field("hours", _l("Hours"), "text"),
    ),
}
MODELS = {"service": dm.Service, "organization": dm.Organization, "location": dm.Location}
ADDRESS_PARTS = ("address_1", "city", "state_province", "postal_code")
# Columns behind plain text fields, per record type.
COLUMNS = {
    "service": {
        "name": "name", "description": "description", "eligibility": "eligibility_description",
        "fees": "fees_description", "website": "url", "email": "email", "status": "status",
    },
    "organization": {"name": "name", "description": "description", "website": "website",
                     "email": "email"},
    "location": {"name": "name", "description": "description"},
}  # fmt: skip


def editable(target_type: str) -> tuple[Field, ...]:
    return FIELDS[target_type]


def label(target_type: str, name: str) -> str:
    for f in FIELDS.get(target_type, ()):
        if f.name == name:
            return str(f.label)
    return name


def looks_like_email(value: str) -> bool:
    return bool(EMAIL.match(value))


def normalized(raw: Any) -> str:
    """Text with line endings unified and blank lines and outer spaces dropped."""
    if raw is None:
        return ""
    if isinstance(raw, list | tuple):
        raw = "\n".join(str(item) for item in raw)
    lines = [line.strip() for line in str(raw).replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def check(target_type: str, name: str, value: str) -> str:
    spec = next(f for f in FIELDS[target_type] if f.name == name)
    if len(value) > MAX_TEXT:
        raise FieldError(str(_l("Keep this under %(n)s characters.", n=MAX_TEXT)))
    if spec.required and not value:
        raise FieldError(str(_l("This field cannot be empty.")))
    if spec.kind == "line" and "\n" in value:
        raise FieldError(str(_l("Write this on one line.")))
    if name == "status" and value not in STATUSES:
        raise FieldError(str(_l("Choose one of the listed statuses.")))
    if name == "email" and value and not looks_like_email(value):
        raise FieldError(str(_l("Enter an email address like name@example.org.")))
    if name == "website" and value:
        link = web_link(value)
        if link is None or link.href is None:
            raise FieldError(str(_l("Enter a web address like https://example.org.")))
    return value


def load(session: Session, target_type: str, target_id: str) -> Any:
    model = MODELS.get(target_type)
    return session.get(model, target_id) if model is not None else None


def record_label(record: Any, target_type: str) -> str:
    if target_type == "location":
        return str(record.name or _address_text(record) or record.id)
    return str(record.name)


def _address_text(location: dm.Location) -> str:
    address = _address(location)
    return ", ".join(p for p in (address.address_1, address.city) if p) if address else ""


def _location(record: Any, target_type: str) -> dm.Location | None:
    if target_type == "location":
        return record  # type: ignore[no-any-return]
    if target_type == "service":
        places = [s.location for s in record.service_at_locations if s.location is not None]
        return places[0] if len(places) == 1 else None
    return None


def _address(location: dm.Location | None) -> dm.Address | None:
    if location is None or not location.addresses:
        return None
    return sorted(location.addresses, key=lambda a: (a.address_type != "physical", a.id))[0]


def _phone_text(phone: dm.Phone) -> str:
    return f"{phone.number} x{phone.extension}" if phone.extension else phone.number


def _hours_text(record: Any) -> str:
    return normalized([s.description for s in record.schedules if s.description])


def current_values(record: Any, target_type: str) -> dict[str, str]:
    """Field name -> the listing's value now, for every field this record offers."""
    values = {
        name: normalized(getattr(record, column)) for name, column in COLUMNS[target_type].items()
    }
    values["phones"] = normalized([_phone_text(p) for p in record.phones])
    if target_type in ("service", "location"):
        values["hours"] = _hours_text(record)
    if target_type == "service":
        values["required_documents"] = normalized(
            [d.document or d.uri for d in record.required_documents]
        )
    location = _location(record, target_type)
    if location is not None:
        address = _address(location)
        for part in ADDRESS_PARTS:
            values[part] = normalized(getattr(address, part)) if address else ""
    return values


def apply(session: Session, record: Any, target_type: str, name: str, value: str) -> None:
    """Write one field's new value (already checked) to the record."""
    column = COLUMNS[target_type].get(name)
    setter = _SETTERS.get(name)
    if column is not None:
        setattr(record, column, value or _empty(record, column))
    elif setter is not None:
        setter(session, record, target_type, value)
    else:
        raise FieldError(f"{target_type} has no field {name!r}")


def _empty(record: Any, column: str) -> str | None:
    """Organizations must keep a description (HSDS requires one): an empty string."""
    nullable = record.__table__.columns[column].nullable
    return None if nullable else ""


def _set_phones(session: Session, record: Any, target_type: str, value: str) -> None:
    wanted = value.split("\n") if value else []
    keep = []
    for phone in list(record.phones):
        text = _phone_text(phone)
        if text in wanted and text not in keep:
            keep.append(text)
        else:
            record.phones.remove(phone)
            session.delete(phone)
    for text in wanted:
        if text not in keep:
            number, _, ext = text.partition(" x")
            extension = int(ext) if ext.isdigit() else None
            if extension is None:
                number = text
            record.phones.append(dm.Phone(number=number, extension=extension))


def _set_hours(session: Session, record: Any, target_type: str, value: str) -> None:
    """Hours as text live in the description of a schedule without structured times;
    structured schedules (used for "open now") are kept."""
    texts = [s for s in record.schedules if s.description]
    for schedule in texts[1:]:
        if schedule.freq is None and not schedule.opens_at:
            record.schedules.remove(schedule)
            session.delete(schedule)
        else:
            schedule.description = None
    if texts:
        texts[0].description = value or None
    elif value:
        record.schedules.append(dm.Schedule(description=value))


def _set_documents(session: Session, record: Any, target_type: str, value: str) -> None:
    wanted = value.split("\n") if value else []
    for document in list(record.required_documents):
        text = document.document or document.uri
        if text in wanted:
            wanted.remove(text)
        else:
            record.required_documents.remove(document)
            session.delete(document)
    for text in wanted:
        record.required_documents.append(dm.RequiredDocument(document=text))


def _set_address_part(name: str) -> Callable[[Session, Any, str, str], None]:
    def setter(session: Session, record: Any, target_type: str, value: str) -> None:
        location = _location(record, target_type)
        if location is None:
            raise FieldError("this service is not at exactly one location")
        address = _address(location)
        if address is None:
            address = dm.Address(address_1="", city="", state_province="", postal_code="",
                                 country="US", address_type="physical")  # fmt: skip
            location.addresses.append(address)
        setattr(address, name, value)

    return setter


_SETTERS: dict[str, Callable[[Session, Any, str, str], None]] = {
    "phones": _set_phones,
    "hours": _set_hours,
    "required_documents": _set_documents,
    **{part: _set_address_part(part) for part in ADDRESS_PARTS},
}
