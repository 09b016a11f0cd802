"""Respond-by times counted in business days: weekends and listed holidays skipped.

Days are counted on the UTC calendar; the time of day is kept, so a referral sent on
Friday at 15:00 with two business days is due Tuesday at 15:00.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

# How long a provider has to answer when its organization has not said otherwise.
DEFAULT_RESPOND_WITHIN_BUSINESS_DAYS = 2
SATURDAY = 5

# US federal holidays (observed dates); a small list, extended as the years come.
HOLIDAYS = frozenset(
    date.fromisoformat(d)
    for d in (
        "2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03",
        "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25",
        "2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05",
        "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24",
    )
)  # fmt: skip


def is_business_day(day: date, holidays: frozenset[date] = HOLIDAYS) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_business_days(start: datetime, days: int, holidays: frozenset[date] = HOLIDAYS) -> datetime:
    if days < 0:
        raise ValueError("days must not be negative")
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if is_business_day(moment.date(), holidays):
            days -= 1
    return moment
