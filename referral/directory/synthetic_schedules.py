"""Opening hours for fictional services, as HSDS 3.0 schedule values.

The patterns cover what real listings have and what "open now" must handle: office
hours, evenings and weekends, around-the-clock hotlines, shelters open across
midnight, the nth weekday of the month, and seasons (winter shelters, tax time).
Times are local ``HH:MM``; a closing time not after the opening time runs past midnight.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

from referral.directory.synthetic_kinds import Kind

WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
PHONE_KINDS = frozenset({"crisis", "dv_hotline", "sa"})

Span = dict[str, Any]
Pattern = Callable[[random.Random, date], list[Span]]


def weekly(byday: str, opens: str, closes: str, description: str | None = None) -> Span:
    return {
        "freq": "WEEKLY",
        "interval": 1,
        "wkst": "MO",
        "byday": byday,
        "opens_at": opens,
        "closes_at": closes,
        "description": description,
    }


def monthly(byday: str, opens: str, closes: str, description: str | None = None) -> Span:
    return {
        "freq": "MONTHLY",
        "interval": 1,
        "wkst": "MO",
        "byday": byday,
        "opens_at": opens,
        "closes_at": closes,
        "description": description,
    }


def _weekday(rng: random.Random, _today: date) -> list[Span]:
    opens = rng.choice(("08:00", "08:30", "09:00", "09:00", "10:00"))
    closes = rng.choice(("16:00", "16:30", "17:00", "17:00", "18:00"))
    note = "Closed on federal holidays." if rng.random() < 0.3 else None
    return [weekly(WEEKDAYS, opens, closes, note)]


def _weekday_evening(rng: random.Random, _today: date) -> list[Span]:
    late = rng.choice(("19:00", "20:00", "20:30"))
    return [weekly("MO,TU,WE,TH", "09:00", late), weekly("FR", "09:00", "17:00")]


def _split(rng: random.Random, _today: date) -> list[Span]:
    return [weekly("MO,WE,FR", "09:00", "13:00"), weekly("TU,TH", "13:00", "19:00")]


def _pantry(rng: random.Random, _today: date) -> list[Span]:
    days = ",".join(sorted(rng.sample(("MO", "TU", "WE", "TH", "FR"), 2), key=WEEKDAYS.index))
    spans = [weekly(days, "10:00", rng.choice(("12:00", "13:00", "14:00")))]
    if rng.random() < 0.5:
        spans.append(weekly("SA", "09:00", "12:00"))
    return spans


def _pantry_monthly(rng: random.Random, _today: date) -> list[Span]:
    day = rng.choice(("1SA", "2SA", "3SA", "4SA", "3WE"))
    return [
        monthly(day, "10:00", "12:00", "Monthly distribution"),
        weekly(rng.choice(("TU", "TH")), "16:00", "18:30"),
    ]


def _monthly(rng: random.Random, _today: date) -> list[Span]:
    day = rng.choice(("1SA", "2SA", "3SA", "4TH", "2TU", "-1FR"))
    return [monthly(day, "09:00", "12:00", "Once a month; arrive early, lines form.")]


def _weekend(rng: random.Random, _today: date) -> list[Span]:
    return [weekly(rng.choice(("SA", "SA,SU")), "10:00", "16:00")]


def _meals(rng: random.Random, _today: date) -> list[Span]:
    spans = [weekly(EVERY_DAY, "11:30", "13:00", "Lunch served daily")]
    if rng.random() < 0.4:
        spans.append(weekly(WEEKDAYS, "17:00", "18:30", "Dinner on weekdays"))
    return spans


def _always(_rng: random.Random, _today: date) -> list[Span]:
    return [weekly(EVERY_DAY, "00:00", "23:59", "Open 24 hours a day, 7 days a week.")]


def _overnight(rng: random.Random, _today: date) -> list[Span]:
    opens, closes = rng.choice((("19:00", "07:00"), ("20:00", "08:00"), ("18:00", "08:00")))
    return [weekly(EVERY_DAY, opens, closes, f"Doors open at {opens}; guests leave by {closes}.")]


def _winter(rng: random.Random, today: date) -> list[Span]:
    span = weekly(
        EVERY_DAY, "19:00", "07:00", "Open November 15 to March 31 and on Code Blue nights."
    )
    span.update(valid_from=date(today.year, 11, 15), valid_to=date(today.year + 1, 3, 31))
    return [span]


def _tax(rng: random.Random, today: date) -> list[Span]:
    season = {"valid_from": date(today.year + 1, 1, 26), "valid_to": date(today.year + 1, 4, 15)}
    spans = [weekly("TU,TH", "17:00", "20:00", "Tax season only"), weekly("SA", "09:00", "13:00")]
    for span in spans:
        span.update(season)
    return spans


def _after_school(rng: random.Random, _today: date) -> list[Span]:
    return [weekly(WEEKDAYS, rng.choice(("14:30", "15:00")), rng.choice(("18:00", "18:30")))]


def _early(rng: random.Random, _today: date) -> list[Span]:
    return [weekly(WEEKDAYS, "06:00", "12:00"), weekly("SA", "07:00", "10:00")]


PATTERNS: dict[str, Pattern] = {
    "weekday": _weekday,
    "weekday_evening": _weekday_evening,
    "split": _split,
    "pantry": _pantry,
    "pantry_monthly": _pantry_monthly,
    "monthly": _monthly,
    "weekend": _weekend,
    "meals": _meals,
    "24/7": _always,
    "overnight": _overnight,
    "winter": _winter,
    "tax": _tax,
    "after_school": _after_school,
    "early": _early,
}


def schedule_rows(kind: Kind, rng: random.Random, today: date) -> list[Span]:
    """Schedule values for one service at one site, from one of the kind's patterns."""
    spans = PATTERNS[rng.choice(kind.hours)](rng, today)
    attending = "phone" if kind.key in PHONE_KINDS else "in person"
    for span in spans:
        span["attending_type"] = attending
    return spans
