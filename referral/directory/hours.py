"""Opening hours as a case manager reads them: a Monday-to-Sunday table.

HSDS 3.0 keeps hours as iCalendar-like rules (``freq``, ``byday``, ``opens_at``,
``closes_at``). Weekly rules fill the table; anything the table cannot show (monthly
rules such as "first Monday", free-text descriptions, notes) is kept as a line of text
beside it, so nothing in the data is hidden from the reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

DAYS = (
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
)
DAY_NAMES = dict(DAYS)
ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "-1": "last"}
_BYDAY = re.compile(r"^(?P<nth>[+-]?\d)?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
_TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::\d{2})?")


class ScheduleLike(Protocol):
    freq: str | None
    byday: str | None
    opens_at: str | None
    closes_at: str | None
    description: str | None
    notes: str | None
    valid_to: date | None


@dataclass(frozen=True)
class DayHours:
    code: str
    name: str
    # Human-readable opening spans, e.g. "9:00 AM – 5:00 PM"; empty means closed.
    spans: tuple[str, ...]


@dataclass(frozen=True)
class WeeklyHours:
    days: tuple[DayHours, ...]
    notes: tuple[str, ...]

    @property
    def listed(self) -> bool:
        return bool(self.days or self.notes)


NO_HOURS = WeeklyHours(days=(), notes=())


def clock(value: str | None) -> str | None:
    """'09:00' or '17:30:00' -> '9:00 AM' / '5:30 PM'; unreadable text is shown as given."""
    if not value:
        return None
    found = _TIME.match(value.strip())
    if not found:
        return value.strip()
    hour, minute = int(found["h"]), int(found["m"])
    if hour > 23 or minute > 59:
        return value.strip()
    suffix = "AM" if hour < 12 else "PM"
    return f"{(hour % 12) or 12}:{minute:02d} {suffix}"


def span(opens_at: str | None, closes_at: str | None) -> str:
    opens, closes = clock(opens_at), clock(closes_at)
    if opens and closes:
        return f"{opens} – {closes}"
    if opens:
        return f"from {opens}"
    if closes:
        return f"until {closes}"
    return "open (times not listed)"


def _sort_key(schedule: ScheduleLike) -> str:
    found = _TIME.match((schedule.opens_at or "").strip())
    return f"{int(found['h']):02d}:{found['m']}" if found else "99"


def _monthly_note(nth: str, day: str, schedule: ScheduleLike) -> str:
    hours = span(schedule.opens_at, schedule.closes_at)
    if not nth:
        return f"Some {DAY_NAMES[day]}s each month: {hours}"
    which = ORDINALS.get(nth.lstrip("+"), f"number {nth}")
    return f"The {which} {DAY_NAMES[day]} of the month: {hours}"


def _one_day(schedule: ScheduleLike) -> date | None:
    """The date of a schedule valid for one day only (an exception to the week: special
    hours, or a closure with no times), else None."""
    valid_from = getattr(schedule, "valid_from", None)
    return valid_from if valid_from is not None and valid_from == schedule.valid_to else None


def _dated_note(day: date, schedule: ScheduleLike) -> str:
    when = f"{DAY_NAMES[DAYS[day.weekday()][0]]}, {day:%B} {day.day}, {day.year}"
    if schedule.opens_at or schedule.closes_at:
        return f"{when}: {span(schedule.opens_at, schedule.closes_at)}"
    return f"{when}: {(schedule.description or 'Closed').strip()}"


def weekly_hours(schedules: Iterable[ScheduleLike], today: date) -> WeeklyHours:
    """The week table and the notes for ``schedules``; expired schedules are left out,
    and one-day exceptions are dated notes rather than part of the week."""
    current = [s for s in schedules if s.valid_to is None or s.valid_to >= today]
    spans: dict[str, list[str]] = {code: [] for code, _ in DAYS}
    notes: list[str] = []
    weekly = False
    for schedule in sorted(current, key=lambda s: (_one_day(s) or date.min, _sort_key(s))):
        if (day := _one_day(schedule)) is not None:
            notes.append(_dated_note(day, schedule))
            continue
        for token in (schedule.byday or "").upper().replace(" ", "").split(","):
            found = _BYDAY.match(token)
            if not found:
                continue
            if found["nth"] or schedule.freq == "MONTHLY":
                notes.append(_monthly_note(found["nth"] or "", found["day"], schedule))
            else:
                weekly = True
                spans[found["day"]].append(span(schedule.opens_at, schedule.closes_at))
        notes.extend(text.strip() for text in (schedule.description, schedule.notes) if text)
    days = tuple(DayHours(c, n, tuple(dict.fromkeys(spans[c]))) for c, n in DAYS) if weekly else ()
    return WeeklyHours(days=days, notes=tuple(dict.fromkeys(notes)))
