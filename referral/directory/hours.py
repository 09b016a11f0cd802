"""Opening hours as a case manager reads them: a Monday-to-Sunday table.

HSDS 3.0 keeps hours as iCalendar-like rules (``freq``, ``byday``, ``opens_at``,
``closes_at``). Weekly rules fill the table; anything the table cannot show (monthly
rules such as "first Monday", free-text descriptions, notes) is kept as a line of text
beside it, so nothing in the data is hidden from the reader.

The words and times we write are ``Phrase``s: they take the reader's language when
shown (like ``lazy_gettext``), so the same table serves a page in the reader's language
and a share text in the client's (``in_language``). The listing's own text
(descriptions, notes) is kept as written. Outside a Flask app everything is English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Protocol

from babel import Locale
from babel.dates import format_date, format_time, get_day_names
from flask_babel import force_locale, get_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

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
CODES = tuple(code for code, _name in DAYS)
# "Some Mondays each month": whole sentences, since plural day names differ by language.
SOME_DAYS = {
    "MO": _l("Some Mondays each month: %(hours)s"),
    "TU": _l("Some Tuesdays each month: %(hours)s"),
    "WE": _l("Some Wednesdays each month: %(hours)s"),
    "TH": _l("Some Thursdays each month: %(hours)s"),
    "FR": _l("Some Fridays each month: %(hours)s"),
    "SA": _l("Some Saturdays each month: %(hours)s"),
    "SU": _l("Some Sundays each month: %(hours)s"),
}
_BYDAY = re.compile(r"^(?P<nth>[+-]?\d)?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
_TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::\d{2})?")
ENGLISH = Locale("en")


@dataclass(frozen=True, eq=False)
class Phrase:
    """Text about hours that is written when shown, in the language of that moment.
    Like ``lazy_gettext``'s strings, it compares (and hashes) as the text it shows."""

    render: Callable[..., str]
    args: tuple[Any, ...] = ()

    def __str__(self) -> str:
        return self.render(*self.args)

    @property
    def language(self) -> str:
        """The language it is written in now (``lang_attr`` reads it, as on a TermName)."""
        return _locale().language

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Phrase | str):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


Text = str | Phrase


def in_language(text: Text, language: str) -> str:
    """``text`` as a reader of ``language`` reads it (English outside a Flask app)."""
    with force_locale(language):
        return str(text)


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
    # Opening spans, e.g. "9:00 AM – 5:00 PM" ("9:00 – 17:00" in Spanish); empty: closed.
    spans: tuple[Text, ...]


@dataclass(frozen=True)
class WeeklyHours:
    days: tuple[DayHours, ...]
    notes: tuple[Text, ...]

    @property
    def listed(self) -> bool:
        return bool(self.days or self.notes)


NO_HOURS = WeeklyHours(days=(), notes=())


def _locale() -> Locale:
    return get_locale() or ENGLISH


def clock(value: str | None) -> str | None:
    """'09:00' or '17:30:00' -> '9:00 AM' / '5:30 PM' in English, '9:00' / '17:30' in
    Spanish; unreadable text is shown as given."""
    if not value:
        return None
    found = _TIME.match(value.strip())
    if not found:
        return value.strip()
    hour, minute = int(found["h"]), int(found["m"])
    if hour > 23 or minute > 59:
        return value.strip()
    locale = _locale()
    if locale.language != "en":
        return format_time(time(hour, minute), "short", locale=locale)
    suffix = "AM" if hour < 12 else "PM"
    return f"{(hour % 12) or 12}:{minute:02d} {suffix}"


def span(opens_at: str | None, closes_at: str | None) -> Phrase:
    return Phrase(_span, (opens_at, closes_at))


def _span(opens_at: str | None, closes_at: str | None) -> str:
    opens, closes = clock(opens_at), clock(closes_at)
    if opens and closes:
        return f"{opens} – {closes}"
    if opens:
        return _("from %(time)s", time=opens)
    if closes:
        return _("until %(time)s", time=closes)
    return _("open (times not listed)")


def _sort_key(schedule: ScheduleLike) -> str:
    found = _TIME.match((schedule.opens_at or "").strip())
    return f"{int(found['h']):02d}:{found['m']}" if found else "99"


def _day_name(code: str) -> str:
    """The day's name as it reads inside a sentence ("Monday", "lunes")."""
    return get_day_names("wide", locale=_locale())[CODES.index(code)]


def _monthly_note(nth: str, day: str, schedule: ScheduleLike) -> Phrase:
    return Phrase(_monthly, (nth.lstrip("+"), day, span(schedule.opens_at, schedule.closes_at)))


def _monthly(nth: str, day: str, hours: Phrase) -> str:
    if not nth:
        return str(SOME_DAYS[day]) % {"hours": hours}
    name, which = _day_name(day), _ordinal(nth)
    if which is None:
        return _("The number %(n)s %(day)s of the month: %(hours)s", n=nth, day=name, hours=hours)
    return _("The %(which)s %(day)s of the month: %(hours)s", which=which, day=name, hours=hours)


def _ordinal(nth: str) -> str | None:
    """'1' -> 'first' ... '-1' -> 'last', as it reads before a day's name."""
    words = {
        "1": pgettext("the nth weekday of a month", "first"),
        "2": pgettext("the nth weekday of a month", "second"),
        "3": pgettext("the nth weekday of a month", "third"),
        "4": pgettext("the nth weekday of a month", "fourth"),
        "5": pgettext("the nth weekday of a month", "fifth"),
        "-1": pgettext("the nth weekday of a month", "last"),
    }
    return words.get(nth)


def _one_day(schedule: ScheduleLike) -> date | None:
    """The date of a schedule valid for one day only (an exception to the week: special
    hours, or a closure with no times), else None."""
    valid_from = getattr(schedule, "valid_from", None)
    return valid_from if valid_from is not None and valid_from == schedule.valid_to else None


def _dated_note(day: date, schedule: ScheduleLike) -> Phrase:
    if schedule.opens_at or schedule.closes_at:
        return Phrase(_dated, (day, span(schedule.opens_at, schedule.closes_at)))
    said = (schedule.description or "").strip()
    # "Closed" is what the hours editor (and the HSDS 1 importer) write for a closure:
    # our word, shown in the reader's language; any other description is the listing's.
    return Phrase(_dated, (day, None if said.casefold() == "closed" else said or None))


def _dated(day: date, what: Phrase | str | None) -> str:
    """'Thursday, November 26, 2026: Closed' ('Jueves, 26 de noviembre de 2026: Cerrado');
    a description the listing gives for the day is kept as written."""
    when = format_date(day, "full", locale=_locale())
    shown = _("Closed") if what is None else what
    return f"{when[:1].upper()}{when[1:]}: {shown}"


def weekly_hours(schedules: Iterable[ScheduleLike], today: date) -> WeeklyHours:
    """The week table and the notes for ``schedules``; expired schedules are left out,
    and one-day exceptions are dated notes rather than part of the week."""
    current = [s for s in schedules if s.valid_to is None or s.valid_to >= today]
    spans: dict[str, list[Text]] = {code: [] for code in CODES}
    notes: list[Text] = []
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
