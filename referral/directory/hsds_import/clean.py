"""Field-level cleaning of every record: types, enumerations, repairs, required fields.

Each change is reported against the record's input row; a record that cannot be used
(no name, an unknown service status, no phone number) is rejected with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Enum

from referral.directory.hsds_import import repairs
from referral.directory.hsds_import.records import (
    MODELS,
    Package,
    Record,
    columns,
    foreign_keys,
    required,
)
from referral.directory.hsds_import.repairs import Unrepairable
from referral.directory.hsds_import.summary import ImportSummary

# Required text that may be empty rather than cost the row (HSDS requires the field,
# but a listing without a description is still a listing).
MAY_BE_EMPTY = {
    "organization": {"description"},
    "program": {"description"},
    "taxonomy": {"description"},
    "taxonomy_term": {"description"},
    "address": {"address_1", "city", "state_province", "postal_code", "country"},
    "metadata": {"field_name", "previous_value", "replacement_value", "updated_by"},
}
WEB_ADDRESSES = frozenset({"url", "website", "logo", "uri", "term_uri", "schedule_link"})
# fmt: off
US_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC", "PR", "VI", "GU", "AS", "MP",
})
# fmt: on


def clean_package(package: Package, summary: ImportSummary) -> None:
    for table, records in package.records.items():
        kept = []
        for record in records:
            if clean_record(record, summary):
                kept.append(record)
        package.records[table] = kept


def clean_record(record: Record, summary: ImportSummary) -> bool:
    """Clean ``record`` in place; False (and reported) when it must be rejected."""
    try:
        _clean_fields(record, summary)
        if not record.append:
            TABLE_RULES.get(record.table, _nothing)(record, summary)
            _check_required(record, summary)
    except Unrepairable as exc:
        summary.reject(record, str(exc), exc.field, exc.value)
        return False
    return True


def _nothing(record: Record, summary: ImportSummary) -> None:
    pass


@cache
def _enums(table: str) -> dict[str, tuple[str, ...]]:
    table_columns = MODELS[table].__table__.columns
    return {c.name: tuple(c.type.enums) for c in table_columns if isinstance(c.type, Enum)}


def _clean_fields(record: Record, summary: ImportSummary) -> None:
    types = columns(record.table)
    links = foreign_keys(record.table)
    may_be_empty = MAY_BE_EMPTY.get(record.table, ())
    cleaned: dict[str, Any] = {}
    for name, value in record.values.items():
        kind = types.get(name)
        if kind is None or value is None or (value == "" and name not in may_be_empty):
            continue
        if name == "id" or name in links or name in ("link_id", "resource_id"):
            if str(value).strip():
                cleaned[name] = str(value).strip()
            continue
        new = _convert(record, summary, name, value, kind)
        if new is not None:
            cleaned[name] = new
    record.values = cleaned


CONVERTERS: dict[type, Callable[[Any], tuple[Any, str | None]]] = {
    str: repairs.text,
    date: repairs.day,
    datetime: repairs.moment,
    int: lambda v: repairs.number(v, int),
    float: lambda v: repairs.number(v, float),
}


def _convert(record: Record, summary: ImportSummary, name: str, value: Any, kind: type) -> Any:
    if value == "":
        return ""  # required text given as empty: HSDS allows it (legacy terms have none)
    try:
        new, reason = CONVERTERS[kind](value)
        allowed = _enums(record.table).get(name)
        if allowed and new is not None:
            new, reason = repairs.enumeration(new, allowed)
    except Unrepairable as exc:
        if name in required(record.table):
            raise _field_error(str(exc), name, value) from None
        summary.repair(record, name, f"{exc}; kept as missing", value, "")
        return None
    if name in WEB_ADDRESSES and new is not None:
        new, web_reason = repairs.web_address(new)
        reason = "; ".join(filter(None, (reason, web_reason))) or None
    if reason:
        summary.repair(record, name, reason, value, new)
    return new


def _field_error(message: str, field: str, value: Any) -> Unrepairable:
    return Unrepairable(f"{field}: {message}", field, value)


def _check_required(record: Record, summary: ImportSummary) -> None:
    for name in sorted(required(record.table)):
        if record.values.get(name) not in (None, ""):
            continue
        if name in MAY_BE_EMPTY.get(record.table, ()):
            if name not in record.values:
                summary.repair(record, name, f"required {name} missing; stored empty", "", "")
            record.values[name] = ""
        elif name in foreign_keys(record.table):
            continue  # checked with the other links
        else:
            raise _field_error(f"required {name} is missing", name, "")


def _service(record: Record, summary: ImportSummary) -> None:
    if not record.values.get("status"):
        record.values["status"] = "active"
        summary.repair(record, "status", "status missing; assumed active", "", "active")


def _location(record: Record, summary: ImportSummary) -> None:
    values = record.values
    lat, lon = values.get("latitude"), values.get("longitude")
    new_lat, new_lon, reason = repairs.coordinates(lat, lon)
    if reason:
        summary.repair(record, "latitude,longitude", reason, f"{lat},{lon}", "")
        values.pop("latitude", None)
        values.pop("longitude", None)
    if not values.get("location_type"):
        kind = "virtual" if values.get("url") and new_lat is None else "physical"
        values["location_type"] = kind
        summary.repair(record, "location_type", f"location_type missing; set to {kind}", "", kind)


def _address(record: Record, summary: ImportSummary) -> None:
    values = record.values
    state = (values.get("state_province") or "").upper()
    postal = values.get("postal_code") or ""
    if not values.get("country") and state in US_STATES:
        values["country"] = "US"
        summary.repair(record, "country", "country missing; US from the state", "", "US")
    if (values.get("country") or "").lower() in repairs.US_NAMES and postal:
        new, reason = repairs.us_postal_code(postal)
        if reason:
            values["postal_code"] = new
            summary.repair(record, "postal_code", reason, postal, new)


def _schedule(record: Record, summary: ImportSummary) -> None:
    values = record.values
    opens, closes = values.get("opens_at"), values.get("closes_at")
    try:
        opens_at, closes_at, reasons = repairs.opening_hours(opens, closes)
    except Unrepairable as exc:
        summary.repair(
            record, "opens_at,closes_at", f"{exc}; hours kept as missing", f"{opens}-{closes}", ""
        )
        values.pop("opens_at", None)
        values.pop("closes_at", None)
        return
    values.update({k: v for k, v in (("opens_at", opens_at), ("closes_at", closes_at)) if v})
    if reasons:
        summary.repair(
            record,
            "opens_at,closes_at",
            "; ".join(reasons),
            f"{opens}-{closes}",
            f"{opens_at}-{closes_at}",
        )


TABLE_RULES: dict[str, Callable[[Record, ImportSummary], None]] = {
    "service": _service,
    "location": _location,
    "address": _address,
    "schedule": _schedule,
}
