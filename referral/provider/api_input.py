"""The API's listing-update extensions: ``hours`` and ``capacity`` in the body of
``PATCH /api/v1/services/{id}``, read into the same forms the provider pages use, so
the API and the pages write identical schedule and capacity rows.

    "hours": {"weekly": {"MO": [["09:00", "12:00"], ["13:00", "17:00"]], "SA": []},
              "exceptions": [{"date": "2026-12-25", "closed": true},
                             {"date": "2026-12-24", "opens": "10:00", "closes": "14:00"}],
              "notes": "Last entry 4:30 PM"}
    "capacity": {"available": 4, "maximum": 20, "unit": "Beds", "description": "..."}
              | {"waitlist": true, "description": "..."} | null (not tracked)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from referral.api.problems import InvalidParameter
from referral.directory import models as dm
from referral.provider import editing, hours_form
from referral.provider.service_form import CapacityInput

EXTENSIONS = ("hours", "capacity")


def pop_extensions(body: Any) -> dict[str, Any]:
    """Take ``hours`` and ``capacity`` out of a JSON body, checked; the rest of the body
    is left for the listing's plain fields."""
    if not isinstance(body, dict):
        return {}
    found: dict[str, Any] = {}
    if "hours" in body:
        found["hours"] = _hours(body.pop("hours"))
    if "capacity" in body:
        found["capacity"] = _capacity(body.pop("capacity"))
    return found


def _time(field: str, value: Any) -> str:
    try:
        normal = hours_form.normal_time(value if isinstance(value, str) else None)
    except ValueError:
        normal = None
    if normal is None:
        raise InvalidParameter(field, f"{field} must be a time like 09:00")
    return normal


def _weekly(weekly: Any) -> dict[str, hours_form.DayForm]:
    if not isinstance(weekly, dict) or set(weekly) - set(hours_form.DAY_CODES):
        raise InvalidParameter("hours.weekly", "weekly maps MO..SU to lists of [opens, closes]")
    days = {}
    for code in hours_form.DAY_CODES:
        spans = weekly.get(code) or []
        if not isinstance(spans, list) or len(spans) > hours_form.RANGES_PER_DAY:
            raise InvalidParameter(
                f"hours.weekly.{code}", "give at most two [opens, closes] ranges"
            )
        ranges = []
        for n, pair in enumerate(spans):
            name = f"hours.weekly.{code}[{n}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise InvalidParameter(name, "a range is [opens, closes]")
            ranges.append((_time(name, pair[0]), _time(name, pair[1])))
        days[code] = hours_form.DayForm(code, tuple(ranges))
    return days


def _exception(n: int, item: Any) -> hours_form.ExceptionForm:
    name = f"hours.exceptions[{n}]"
    if not isinstance(item, dict):
        raise InvalidParameter(name, "an exception is an object with a date")
    try:
        day = date.fromisoformat(str(item.get("date")))
    except ValueError:
        raise InvalidParameter(f"{name}.date", "use a date like 2026-12-25") from None
    if item.get("closed"):
        return hours_form.ExceptionForm(day, closed=True)
    span = (_time(f"{name}.opens", item.get("opens")), _time(f"{name}.closes", item.get("closes")))
    return hours_form.ExceptionForm(day, closed=False, hours=span)


def _hours(value: Any) -> hours_form.HoursForm:
    if not isinstance(value, dict):
        raise InvalidParameter("hours", "hours is an object with weekly, exceptions, notes")
    exceptions = value.get("exceptions") or []
    if not isinstance(exceptions, list) or len(exceptions) > hours_form.MAX_EXCEPTIONS:
        raise InvalidParameter("hours.exceptions", "exceptions is a list (30 at most)")
    found = [_exception(n, item) for n, item in enumerate(exceptions)]
    if len({e.day for e in found}) != len(found):
        raise InvalidParameter("hours.exceptions", "each date may appear once")
    notes = value.get("notes") or ""
    if not isinstance(notes, str):
        raise InvalidParameter("hours.notes", "notes is text")
    return hours_form.HoursForm(
        _weekly(value.get("weekly") or {}), sorted(found, key=lambda e: e.day), notes.strip()
    )


def _count(field: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InvalidParameter(field, f"{field} must be a number of 0 or more")
    return float(value)


def _capacity(value: Any) -> CapacityInput:
    if value is None:
        return CapacityInput("none")
    if not isinstance(value, dict):
        raise InvalidParameter("capacity", "capacity is an object, or null when not tracked")
    description = value.get("description")
    if description is not None and not isinstance(description, str):
        raise InvalidParameter("capacity.description", "description is text")
    maximum = _count("capacity.maximum", value.get("maximum"))
    unit = value.get("unit") or ""
    if not isinstance(unit, str) or len(unit) > 100:
        raise InvalidParameter("capacity.unit", "unit is a short text such as Beds")
    if value.get("waitlist"):
        return CapacityInput("waitlist", 0.0, maximum, unit or "Places", description)
    available = _count("capacity.available", value.get("available"))
    if available is None:
        raise InvalidParameter("capacity.available", "say how many are available now")
    if not unit:
        raise InvalidParameter("capacity.unit", "say what is counted, such as Beds")
    if maximum is not None and available > maximum:
        raise InvalidParameter("capacity.available", "available cannot exceed maximum")
    return CapacityInput("count", available, maximum, unit, description)


def apply(session: Session, service: dm.Service, extensions: dict[str, Any]) -> None:
    if "capacity" in extensions:
        editing.set_capacity(session, service, extensions["capacity"])
    if "hours" in extensions:
        editing.replace_hours(session, service, extensions["hours"])


def describe(service: dm.Service) -> dict[str, Any]:
    """The capacity in the API's shape, for the response."""
    capacity = editing.capacity_mode(service)
    if capacity.mode == "none":
        return {"capacity": None}
    shown: dict[str, Any] = {
        "available": capacity.available,
        "maximum": capacity.maximum,
        "unit": capacity.unit,
        "description": capacity.description,
    }
    if capacity.mode == "waitlist":
        shown["waitlist"] = True
    return {"capacity": shown}
