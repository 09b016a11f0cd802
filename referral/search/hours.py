"""Is a service open at a given moment? Evaluated from HSDS schedules.

Schedules are compiled once per document into plain tuples (weekday, nth-of-month,
opening and closing minute, validity dates), so a search checks thousands of them
without touching the database. Times are local to the location: the moment asked
about is converted with ``zoneinfo`` into the location's IANA zone (from its ZIP
code via ``zipcodes``), so daylight-saving changes fall out right. A span whose closing
time is not after its opening time runs past midnight into the next day.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "America/New_York"
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^(?P<nth>[+-]?\d)?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
_TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})")

# (weekday 0=Monday, nth weekday of the month or 0 for every week, opens minute,
#  closes minute, valid_from ordinal or 0, valid_to ordinal or 0)
Rule = tuple[int, int, int, int, int, int]
WeeklyRules = tuple[Rule, ...]


class ScheduleLike(Protocol):
    byday: str | None
    opens_at: str | None
    closes_at: str | None
    valid_from: date | None
    valid_to: date | None


def default_timezone() -> str:
    return os.environ.get("REFERRAL_DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE


# Room for every US ZIP code (about 42,000): a lookup scans the whole table (~1 ms),
# so an index build over a national directory must not evict and repeat them.
@lru_cache(maxsize=65536)
def timezone_for_postcode(postcode: str) -> str:
    """The IANA zone of a US ZIP code (offline), else the configured default."""
    import zipcodes

    try:
        found = zipcodes.matching(postcode[:5]) if len(postcode) >= 5 else []
    except (TypeError, ValueError):
        found = []
    zone = found[0].get("timezone") if found else None
    return zone or default_timezone()


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def _minute(value: str | None) -> int | None:
    found = _TIME.match((value or "").strip())
    if not found or int(found["h"]) > 24 or int(found["m"]) > 59:
        return None
    return min(int(found["h"]) * 60 + int(found["m"]), 24 * 60)


def compile_rules(schedules: Iterable[ScheduleLike]) -> WeeklyRules:
    rules: list[Rule] = []
    for schedule in schedules:
        opens, closes = _minute(schedule.opens_at), _minute(schedule.closes_at)
        if opens is None or closes is None:
            continue
        start = schedule.valid_from.toordinal() if schedule.valid_from else 0
        end = schedule.valid_to.toordinal() if schedule.valid_to else 0
        for token in (schedule.byday or "").upper().replace(" ", "").split(","):
            found = _BYDAY.match(token)
            if found:
                day = DAY_CODES.index(found["day"])
                rules.append((day, int(found["nth"] or 0), opens, closes, start, end))
    return tuple(rules)


def _nth_matches(nth: int, day: date) -> bool:
    if nth == 0:
        return True
    if nth > 0:
        return (day.day - 1) // 7 + 1 == nth
    return (day + timedelta(days=7)).month != day.month  # the last such weekday


def _applies(rule: Rule, day: date) -> bool:
    weekday, nth, _, _, start, end = rule
    if day.weekday() != weekday or not _nth_matches(nth, day):
        return False
    ordinal = day.toordinal()
    return (not start or ordinal >= start) and (not end or ordinal <= end)


def open_at_local(rules: WeeklyRules, local: datetime) -> bool:
    """Open at this local wall-clock time? Spans past midnight count for the next day."""
    minute = local.hour * 60 + local.minute
    today, yesterday = local.date(), local.date() - timedelta(days=1)
    for rule in rules:
        opens, closes = rule[2], rule[3]
        overnight = closes <= opens
        if _applies(rule, today) and opens <= minute and (overnight or minute < closes):
            return True
        if overnight and minute < closes and _applies(rule, yesterday):
            return True
    return False


def is_open(rules: WeeklyRules, moment: datetime, timezone: str) -> bool | None:
    """Open at ``moment``; None when no hours are known.

    An aware moment is converted into the location's zone; a naive one is read as the
    location's own wall-clock time ("open Saturday at 10" wherever the place is).
    """
    if not rules:
        return None
    local = moment if moment.tzinfo is None else moment.astimezone(zone(timezone))
    return open_at_local(rules, local)
