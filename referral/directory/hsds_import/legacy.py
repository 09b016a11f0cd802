"""HSDS 1.x/2.x tabular packages converted to HSDS 3.0 rows.

What changes on the way:
- ``physical_addresses``/``postal_addresses`` -> ``address`` with ``address_type``
  (``address_3``/``address_4`` joined into ``address_2``);
- ``regular_schedules`` -> weekly ``schedule`` rows (``byday`` MO..SU, the
  ``original_text`` kept as the description); ``holiday_schedules`` -> ``schedule`` rows
  with ``valid_from``/``valid_to`` and a note saying closed or special hours;
- ``taxonomy`` (with ``vocabulary``) -> ``taxonomy_term`` (the legacy id kept as ``code``)
  and one ``taxonomy`` per vocabulary; ``services_taxonomy`` -> ``attribute`` rows
  linking the service to the term (``link_type`` "service_taxonomy");
- ``eligibility`` and ``payments_accepted`` texts are appended to the service's
  ``eligibility_description`` / ``fees_description``; rows that name no service are
  rejected as unlinkable;
- ``accessibility_for_disabilities`` -> ``accessibility``; ``fees`` -> ``fees_description``;
  organization ``url`` -> ``website``; a phone's ``language`` -> a ``language`` row;
- ``languages`` rows get ids from their legacy id and language (1.x exports reuse the
  location id for every language of a location).
Rows without an id (common for schedules) get one made from their links, weekday and
position, so a re-import finds them again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from referral.directory.hsds_import.records import Package, Record
from referral.directory.hsds_import.summary import ImportSummary
from referral.directory.hsds_import.tabular import CsvFile, note_unknown_columns, table_for

Row = dict[str, str]
WEEKDAYS = {
    "monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH",
    "friday": "FR", "saturday": "SA", "sunday": "SU",
}  # fmt: skip
TRUE_WORDS = {"1", "true", "yes", "y", "t", "closed"}


def _clean(row: Row) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None and v.strip() != ""}


def _rename(values: dict[str, Any], renames: dict[str, str]) -> dict[str, Any]:
    for old, new in renames.items():
        if old in values:
            values.setdefault(new, values.pop(old))
    return values


def convert(files: dict[str, CsvFile], package: Package, summary: ImportSummary) -> None:
    converters = _converters()
    for stem, csv_file in files.items():
        table, handled = HANDLED.get(stem) or (table_for(stem), frozenset())
        if table is None:
            summary.notes.append(f"{csv_file.name}: not an HSDS table; ignored")
            continue
        note_unknown_columns(csv_file, table, summary, handled)
        converter = converters.get(stem) or _same(table)
        for number, row in csv_file.rows:
            converter(package, summary, csv_file, number, row)
    location_types = _location_types(files)
    for record in package.records.get("location", []):
        default = location_types.get(str(record.values.get("id")), "physical")
        record.values.setdefault("location_type", default)
    summary.notes.append("read as an HSDS 1.x/2.x package and converted to HSDS 3.0")


def _location_types(files: dict[str, CsvFile]) -> dict[str, str]:
    """Location id -> "postal" for locations that only have a postal address."""
    physical = {r.get("location_id") for _, r in _rows(files, "physical_addresses")}
    postal = {r.get("location_id") for _, r in _rows(files, "postal_addresses")}
    return {str(i): "postal" for i in postal - physical if i}


def _rows(files: dict[str, CsvFile], stem: str) -> list[tuple[int, Row]]:
    return files[stem].rows if stem in files else []


Converter = Callable[[Package, ImportSummary, CsvFile, int, Row], None]


def _same(table: str, renames: dict[str, str] | None = None) -> Converter:
    def convert_row(
        package: Package, summary: ImportSummary, f: CsvFile, number: int, row: Row
    ) -> None:
        values = _rename(_clean(row), renames or {})
        package.add(Record(table, values, f.name, number, original_id=row.get("id")))

    return convert_row


def _address(kind: str) -> Converter:
    def convert_row(
        package: Package, summary: ImportSummary, f: CsvFile, number: int, row: Row
    ) -> None:
        values = _clean(row)
        values.pop("organization_id", None)
        extra = [values.pop(k) for k in ("address_2", "address_3", "address_4") if k in values]
        if extra:
            values["address_2"] = ", ".join(v.strip() for v in extra)
        values["address_type"] = kind
        if not set(values) - {"id", "location_id", "address_type"}:
            summary.reject_row("address", f.name, number, "empty address", row.get("id", ""))
            package.count_read(f.name)
            return
        package.add(Record("address", values, f.name, number, original_id=row.get("id")))

    return convert_row


def _schedule_id(row: Row, key: str, seen: Counter[str]) -> str:
    if row.get("id", "").strip():
        return row["id"].strip()
    links = "/".join(row.get(k, "").strip() for k in ("service_id", "location_id"))
    base = f"{links}/{row.get('service_at_location_id', '').strip()}/{key}"
    seen[base] += 1
    return f"{base}/{seen[base]}"


def _regular_schedule() -> Converter:
    seen: Counter[str] = Counter()

    def convert_row(
        package: Package, summary: ImportSummary, f: CsvFile, number: int, row: Row
    ) -> None:
        values = _clean(row)
        weekday = values.pop("weekday", "").strip()
        byday = WEEKDAYS.get(weekday.lower()) or WEEKDAYS.get(weekday.lower() + "day")
        if weekday.isdigit() and 1 <= int(weekday) <= 7:
            byday = list(WEEKDAYS.values())[int(weekday) - 1]
        values["id"] = _schedule_id(row, f"regular/{weekday}", seen)
        values |= {"freq": "WEEKLY", "wkst": "MO"}
        if byday:
            values["byday"] = byday
        elif weekday:
            summary.repair(
                _record(f, number, row), "weekday", "not a weekday; dropped", weekday, ""
            )
        _rename(values, {"original_text": "description"})
        package.add(Record("schedule", values, f.name, number, original_id=row.get("id")))

    return convert_row


def _holiday_schedule() -> Converter:
    seen: Counter[str] = Counter()

    def convert_row(
        package: Package, summary: ImportSummary, f: CsvFile, number: int, row: Row
    ) -> None:
        values = _rename(_clean(row), {"start_date": "valid_from", "end_date": "valid_to"})
        closed = values.pop("closed", "").strip().lower() in TRUE_WORDS
        values["id"] = _schedule_id(row, f"holiday/{row.get('start_date', '')}", seen)
        values["notes"] = "Closed" if closed else "Special hours"
        if closed:
            values.pop("opens_at", None)
            values.pop("closes_at", None)
        package.add(Record("schedule", values, f.name, number, original_id=row.get("id")))

    return convert_row


def _record(f: CsvFile, number: int, row: Row, table: str = "schedule") -> Record:
    return Record(table, dict(row), f.name, number, original_id=row.get("id"))


def _service_text(field: str, prefix: str = "") -> Converter:
    """Text rows that belong on their service (eligibility, payments accepted)."""

    def convert_row(
        package: Package, summary: ImportSummary, f: CsvFile, number: int, row: Row
    ) -> None:
        text = next((v for k, v in row.items() if k not in ("id", "service_id") and v), "")
        if not text.strip():
            package.count_read(f.name)
            summary.reject_row("service", f.name, number, "empty row", row.get("id", ""))
            return
        values = {"id": row.get("service_id", "").strip() or None, field: prefix + text}
        package.add(Record("service", values, f.name, number, row.get("id"), append=True))

    return convert_row


def _language(package: Package, summary: ImportSummary, f: CsvFile, number: int, row: Row) -> None:
    values = _rename(_clean(row), {"language": "name"})
    name = values.get("name", "").strip()
    values["id"] = f"{values.get('id', '')}/{name}"
    package.add(Record("language", values, f.name, number, original_id=row.get("id")))


def _phone(package: Package, summary: ImportSummary, f: CsvFile, number: int, row: Row) -> None:
    values = _clean(row)
    language = values.pop("language", "").strip()
    package.add(Record("phone", values, f.name, number, original_id=row.get("id")))
    if language and values.get("id"):
        lang = {
            "id": f"phone/{values['id']}/{language}",
            "phone_id": values["id"],
            "name": language,
        }
        package.add(Record("language", lang, f.name, number, row.get("id"), counted=False))


def _taxonomy_term(
    package: Package, summary: ImportSummary, f: CsvFile, number: int, row: Row
) -> None:
    values = _clean(row)
    vocabulary = values.pop("vocabulary", "").strip()
    values |= {"code": values.get("id"), "description": values.get("description", "")}
    if vocabulary:
        values |= {"taxonomy": vocabulary, "taxonomy_id": vocabulary}
        if not any(r.id == vocabulary for r in package.records.get("taxonomy", [])):
            taxonomy = {"id": vocabulary, "name": vocabulary, "description": ""}
            package.add(Record("taxonomy", taxonomy, f.name, number, vocabulary, counted=False))
    package.add(Record("taxonomy_term", values, f.name, number, original_id=row.get("id")))


def _service_taxonomy(
    package: Package, summary: ImportSummary, f: CsvFile, number: int, row: Row
) -> None:
    values = {
        "id": row.get("id") or f"{row.get('service_id')}/{row.get('taxonomy_id')}",
        "link_id": row.get("service_id") or None,
        "link_entity": "service",
        "link_type": "service_taxonomy",
        "taxonomy_term_id": row.get("taxonomy_id") or None,
        "value": row.get("taxonomy_detail") or None,
    }
    package.add(Record("attribute", values, f.name, number, original_id=row.get("id")))


# Legacy file -> (the HSDS 3.0 table it becomes, the legacy columns converted into it).
HANDLED: dict[str, tuple[str, frozenset[str]]] = {
    "organizations": ("organization", frozenset({"url"})),
    "services": ("service", frozenset({"fees"})),
    "services_at_location": ("service_at_location", frozenset()),
    "physical_addresses": ("address", frozenset({"address_3", "address_4"})),
    "postal_addresses": ("address", frozenset({"address_3", "address_4"})),
    "regular_schedules": ("schedule", frozenset({"weekday", "original_text"})),
    "holiday_schedules": ("schedule", frozenset({"closed", "start_date", "end_date"})),
    "eligibility": ("service", frozenset({"eligibility", "service_id"})),
    "payments_accepted": ("service", frozenset({"payment", "service_id"})),
    "languages": ("language", frozenset({"language"})),
    "phones": ("phone", frozenset({"language"})),
    "taxonomy": ("taxonomy_term", frozenset({"vocabulary"})),
    "services_taxonomy": ("attribute", frozenset({"service_id", "taxonomy_id", "taxonomy_detail"})),
    "service_taxonomy": ("attribute", frozenset({"service_id", "taxonomy_id", "taxonomy_detail"})),
    "accessibility_for_disabilities": ("accessibility", frozenset({"accessibility"})),
    "service_areas": ("service_area", frozenset({"service_area"})),
}


def _converters() -> dict[str, Converter]:
    """Fresh converters per import (some number rows as they go)."""
    return {
        "organizations": _same("organization", {"url": "website"}),
        "services": _same("service", {"fees": "fees_description"}),
        "services_at_location": _same("service_at_location"),
        "physical_addresses": _address("physical"),
        "postal_addresses": _address("postal"),
        "regular_schedules": _regular_schedule(),
        "holiday_schedules": _holiday_schedule(),
        "eligibility": _service_text("eligibility_description"),
        "payments_accepted": _service_text("fees_description", "Payment accepted: "),
        "languages": _language,
        "phones": _phone,
        "taxonomy": _taxonomy_term,
        "services_taxonomy": _service_taxonomy,
        "service_taxonomy": _service_taxonomy,
        "accessibility_for_disabilities": _same("accessibility", {"accessibility": "description"}),
        "service_areas": _same("service_area", {"service_area": "name"}),
    }
