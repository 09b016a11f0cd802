"""The weekly-hours editor: a form a provider fills in a minute, turned into HSDS
``schedule`` rows that the hours table (``directory.hours``) and search's open-now
(``search.hours``) read without knowing a form ever existed.

The form has, per day, "closed" or up to two opening ranges, and a few exceptions
("closed on 2026-12-25", "10:00-14:00 on 2026-12-24"). Rows it writes:

* one WEEKLY row per opening range, ``byday`` listing every day with that range;
* a one-day row (``valid_from == valid_to``) per exception: with times for special
  hours, without times (description "Closed") for a closure;
* around each exception date, the weekly rows of that weekday are split by
  ``valid_from``/``valid_to`` so that only the exception applies on that date.

Rows the form cannot show (monthly rules, "first Monday") are left untouched.
Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _

from referral.directory.hours import DAYS

DAY_CODES = tuple(code for code, _name in DAYS)
RANGES_PER_DAY = 2
# Blank exception rows offered beside the saved ones.
BLANK_EXCEPTIONS = 3
MAX_EXCEPTIONS = 30
CLOSED_NOTE = "Closed"
_TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::\d{2})?$")
_BYDAY = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)$")

Range = tuple[str, str]  # ("09:00", "17:00")


@dataclass(frozen=True)
class DayForm:
    code: str
    ranges: tuple[Range, ...] = ()  # empty: closed

    @property
    def is_open(self) -> bool:
        return bool(self.ranges)


@dataclass(frozen=True)
class ExceptionForm:
    day: date
    closed: bool
    hours: Range | None = None


@dataclass
class HoursForm:
    days: dict[str, DayForm] = field(default_factory=dict)
    exceptions: list[ExceptionForm] = field(default_factory=list)
    notes: str = ""
    # Raw values to show back when the form has errors, keyed by input name.
    raw: dict[str, str] = field(default_factory=dict)

    def day(self, code: str) -> DayForm:
        return self.days.get(code, DayForm(code))

    @property
    def listed(self) -> bool:
        return any(d.is_open for d in self.days.values()) or bool(self.exceptions)


class HoursErrors(ValueError):
    """Input names -> messages, for the form to show beside each field."""

    def __init__(self, errors: dict[str, str], form: HoursForm) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.form = form


def normal_time(value: str | None) -> str | None:
    """'9:05' / '09:05:00' -> '09:05'; None for blank; ValueError for nonsense."""
    text = (value or "").strip()
    if not text:
        return None
    found = _TIME.match(text)
    if not found or int(found["h"]) > 23 or int(found["m"]) > 59:
        raise ValueError(_("Use a time like 09:00 or 17:30."))
    return f"{int(found['h']):02d}:{found['m']}"


def _minutes(value: str) -> int:
    hour, minute = value.split(":")
    return int(hour) * 60 + int(minute)


def _range(form: Mapping[str, str], name: str, errors: dict[str, str]) -> Range | None:
    opens_name, closes_name = f"{name}-opens", f"{name}-closes"
    try:
        opens = normal_time(form.get(opens_name))
    except ValueError as exc:
        errors[opens_name] = str(exc)
        return None
    try:
        closes = normal_time(form.get(closes_name))
    except ValueError as exc:
        errors[closes_name] = str(exc)
        return None
    if opens is None and closes is None:
        return None
    if opens is None or closes is None:
        errors[opens_name if opens is None else closes_name] = _(
            "Give both an opening and a closing time."
        )
        return None
    if opens == closes:
        errors[closes_name] = _("The closing time must differ from the opening time.")
        return None
    return (opens, closes)


def _parse_day(form: Mapping[str, str], prefix: str, code: str, errors: dict[str, str]) -> DayForm:
    state = form.get(f"{prefix}{code}-state", "closed")
    if state != "open":
        return DayForm(code)
    ranges = [
        r
        for n in range(1, RANGES_PER_DAY + 1)
        if (r := _range(form, f"{prefix}{code}-{n}", errors)) is not None
    ]
    first_name = f"{prefix}{code}-1-opens"
    if not ranges and not any(k.startswith(f"{prefix}{code}-") for k in errors):
        errors[first_name] = _("Give the opening hours, or mark the day closed.")
    if len(ranges) == 2:
        (a_open, a_close), (b_open, _b_close) = ranges
        same_day = _minutes(a_close) > _minutes(a_open)
        if same_day and _minutes(b_open) < _minutes(a_close):
            errors[f"{prefix}{code}-2-opens"] = _(
                "The second range must start after the first ends."
            )
    return DayForm(code, tuple(ranges))


def _parse_exception(
    form: Mapping[str, str], name: str, errors: dict[str, str]
) -> ExceptionForm | None:
    kind = form.get(f"{name}-kind", "")
    raw_date = (form.get(f"{name}-date") or "").strip()
    if not kind and not raw_date:
        return None
    if kind not in ("closed", "special"):
        errors[f"{name}-kind"] = _("Choose closed or special hours for this date.")
        return None
    try:
        day = date.fromisoformat(raw_date)
    except ValueError:
        errors[f"{name}-date"] = _("Give the date as YYYY-MM-DD.")
        return None
    if kind == "closed":
        return ExceptionForm(day, closed=True)
    hours = _range(form, name, errors)
    if hours is None:
        errors.setdefault(f"{name}-opens", _("Give the special opening and closing times."))
        return None
    return ExceptionForm(day, closed=False, hours=hours)


def parse(form: Mapping[str, str], prefix: str = "hours-") -> HoursForm:
    """The hours a form posted; raises HoursErrors naming each bad input."""
    errors: dict[str, str] = {}
    raw = {k: v for k, v in form.items() if k.startswith(prefix)}
    days = {code: _parse_day(form, prefix, code, errors) for code in DAY_CODES}
    exceptions: list[ExceptionForm] = []
    seen: set[date] = set()
    for n in range(MAX_EXCEPTIONS):
        name = f"{prefix}exception-{n}"
        found = _parse_exception(form, name, errors)
        if found is None:
            continue
        if found.day in seen:
            errors[f"{name}-date"] = _("This date is listed twice.")
            continue
        seen.add(found.day)
        exceptions.append(found)
    notes = (form.get(f"{prefix}notes") or "").strip()
    result = HoursForm(days, sorted(exceptions, key=lambda e: e.day), notes, raw)
    if errors:
        raise HoursErrors(errors, result)
    return result


def _is_exception_row(row: Any) -> bool:
    return row.valid_from is not None and row.valid_from == row.valid_to


def _weekday_codes(row: Any) -> list[str] | None:
    """The days of a plain weekly row, or None when the row is not one (monthly, nth)."""
    if row.freq not in (None, "WEEKLY") or row.interval not in (None, 1):
        return None
    tokens = [t for t in (row.byday or "").upper().replace(" ", "").split(",") if t]
    if not tokens or not all(_BYDAY.match(t) for t in tokens):
        return None
    return tokens


def is_managed(row: Any) -> bool:
    """Rows the editor owns: plain weekly ranges and one-day exceptions."""
    if _is_exception_row(row):
        return bool(_weekday_codes(row))
    if _weekday_codes(row) is None:
        return False
    try:
        return normal_time(row.opens_at) is not None and normal_time(row.closes_at) is not None
    except ValueError:
        return False


def from_schedules(rows: Iterable[Any], today: date) -> HoursForm:
    """The form as the saved rows fill it; past exceptions are left out."""
    spans: dict[str, list[Range]] = {code: [] for code in DAY_CODES}
    exceptions: list[ExceptionForm] = []
    notes: list[str] = []
    for row in rows:
        if not is_managed(row):
            continue
        if _is_exception_row(row):
            if row.valid_from >= today:
                exceptions.append(_exception_of(row))
            continue
        if row.valid_to is not None and row.valid_to < today:
            continue
        rng = (normal_time(row.opens_at) or "", normal_time(row.closes_at) or "")
        for code in _weekday_codes(row) or ():
            if rng not in spans[code]:
                spans[code].append(rng)
        notes.extend(t.strip() for t in (row.description, row.notes) if t and t.strip())
    days = {
        code: DayForm(
            code, tuple(sorted(spans[code], key=lambda r: _minutes(r[0])))[:RANGES_PER_DAY]
        )
        for code in DAY_CODES
    }
    exceptions.sort(key=lambda e: e.day)
    return HoursForm(days, exceptions, "\n".join(dict.fromkeys(notes)))


def _exception_of(row: Any) -> ExceptionForm:
    opens, closes = normal_time(row.opens_at), normal_time(row.closes_at)
    if opens and closes:
        return ExceptionForm(row.valid_from, closed=False, hours=(opens, closes))
    return ExceptionForm(row.valid_from, closed=True)


def _segments(dates: list[date]) -> list[tuple[date | None, date | None]]:
    """Validity periods that skip ``dates``: (None, d1-1), (d1+1, d2-1), ..., (dn+1, None)."""
    periods: list[tuple[date | None, date | None]] = []
    start: date | None = None
    for day in sorted(set(dates)):
        end = day - timedelta(days=1)
        if start is None or start <= end:
            periods.append((start, end))
        start = day + timedelta(days=1)
    periods.append((start, None))
    return periods


def to_rows(hours: HoursForm, attending_type: str | None = None) -> list[dict[str, Any]]:
    """Schedule column values for ``hours`` (without owner ids)."""
    by_range: dict[Range, list[str]] = {}
    for code in DAY_CODES:
        for rng in hours.day(code).ranges:
            by_range.setdefault(rng, []).append(code)
    base = {"freq": "WEEKLY", "wkst": "MO", "interval": 1, "attending_type": attending_type}
    rows: list[dict[str, Any]] = []
    for (opens, closes), codes in sorted(by_range.items(), key=lambda item: _minutes(item[0][0])):
        skipped = [e.day for e in hours.exceptions if DAY_CODES[e.day.weekday()] in codes]
        for valid_from, valid_to in _segments(skipped):
            rows.append(
                {
                    **base,
                    "byday": ",".join(codes),
                    "opens_at": opens,
                    "closes_at": closes,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                }
            )
    if rows and hours.notes:
        rows[0]["description"] = hours.notes
    for exception in hours.exceptions:
        special: tuple[str | None, str | None] = exception.hours or (None, None)
        rows.append(
            {
                **base,
                "byday": DAY_CODES[exception.day.weekday()],
                "opens_at": special[0],
                "closes_at": special[1],
                "valid_from": exception.day,
                "valid_to": exception.day,
                "description": CLOSED_NOTE if exception.closed else None,
            }
        )
    return rows


def form_values(hours: HoursForm, prefix: str = "hours-") -> dict[str, str]:
    """Input name -> value to pre-fill, with BLANK_EXCEPTIONS empty exception rows."""
    if hours.raw:
        return dict(hours.raw)
    values: dict[str, str] = {f"{prefix}notes": hours.notes}
    for code in DAY_CODES:
        day = hours.day(code)
        values[f"{prefix}{code}-state"] = "open" if day.is_open else "closed"
        for n, (opens, closes) in enumerate(day.ranges, start=1):
            values[f"{prefix}{code}-{n}-opens"] = opens
            values[f"{prefix}{code}-{n}-closes"] = closes
    for n, exception in enumerate(hours.exceptions):
        name = f"{prefix}exception-{n}"
        values[f"{name}-date"] = exception.day.isoformat()
        values[f"{name}-kind"] = "closed" if exception.closed else "special"
        if exception.hours:
            values[f"{name}-opens"], values[f"{name}-closes"] = exception.hours
    return values


def exception_rows(values: Mapping[str, str], prefix: str = "hours-") -> int:
    """How many exception rows the form shows: the filled ones plus a few blank."""
    filled = [
        n
        for n in range(MAX_EXCEPTIONS)
        if values.get(f"{prefix}exception-{n}-date") or values.get(f"{prefix}exception-{n}-kind")
    ]
    return min(MAX_EXCEPTIONS, (max(filled) + 1 if filled else 0) + BLANK_EXCEPTIONS)
