"""Form values from saved records, so an edit page opens with what is there now."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from referral.directory import models as dm
from referral.directory.hours import clock
from referral.provider import editing, hours_form
from referral.provider.places import physical_address


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def service_values(session: Session, service: dm.Service) -> dict[str, object]:
    values: dict[str, object] = {
        name: getattr(service, name) or "" for name in editing.SCALAR_FIELDS
    }
    values["required_documents"] = "\n".join(d.document or "" for d in service.required_documents)
    values["languages"] = ", ".join(lang.name or lang.code or "" for lang in service.languages)
    for n, phone in enumerate(service.phones[:3]):
        values[f"phone-{n}-number"] = phone.number
        values[f"phone-{n}-extension"] = str(phone.extension or "")
        values[f"phone-{n}-description"] = phone.description or phone.type or ""
    capacity = editing.capacity_mode(service)
    values.update(
        {
            "capacity-mode": capacity.mode,
            "capacity-available": _number(capacity.available),
            "capacity-maximum": _number(capacity.maximum),
            "capacity-unit": capacity.unit,
            "capacity-description": capacity.description or "",
        }
    )
    rules = editing.eligibility_form(session, service)
    values.update(
        {
            "minimum_age": "" if rules.minimum_age is None else str(rules.minimum_age),
            "maximum_age": "" if rules.maximum_age is None else str(rules.maximum_age),
            "income_fpl": _number(rules.income_fpl),
            "residency_scope": rules.residency_scope,
            "residency": ", ".join(rules.residency),
            "gender": rules.gender,
            "population": list(rules.populations),
        }
    )
    return values


def hours_values(rows: list[dm.Schedule], today: date) -> dict[str, str]:
    return hours_form.form_values(hours_form.from_schedules(rows, today))


def unmanaged_hours(rows: list[dm.Schedule]) -> list[str]:
    """Rows the weekly editor leaves alone, described so the provider knows they stay."""
    found = []
    for row in rows:
        if hours_form.is_managed(row):
            continue
        times = " – ".join(t for t in (clock(row.opens_at), clock(row.closes_at)) if t)
        found.append(" ".join(p for p in (row.freq, row.byday, times, row.description) if p))
    return found


def location_values(location: dm.Location) -> dict[str, str]:
    address = physical_address(location)
    return {
        "name": location.name or "",
        "description": location.description or "",
        "transportation": location.transportation or "",
        "address_1": address.address_1 if address else "",
        "address_2": (address.address_2 or "") if address else "",
        "city": address.city if address else "",
        "state_province": address.state_province if address else "",
        "postal_code": address.postal_code if address else "",
        "accessibility": "\n".join(a.description or "" for a in location.accessibility),
    }
