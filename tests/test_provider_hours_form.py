"""The weekly-hours editor: form -> HSDS schedule rows that the hours table and
search's open-now read correctly, and back."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from referral.directory.hours import weekly_hours
from referral.provider import hours_form
from referral.search import hours as search_hours

TODAY = date(2026, 11, 27)  # a Friday


def weekday_form(**extra: str) -> dict[str, str]:
    form = {}
    for code in ("MO", "TU", "WE", "TH", "FR"):
        form[f"hours-{code}-state"] = "open"
        form[f"hours-{code}-1-opens"] = "09:00"
        form[f"hours-{code}-1-closes"] = "12:00"
        form[f"hours-{code}-2-opens"] = "13:00"
        form[f"hours-{code}-2-closes"] = "17:00"
    form.update(extra)
    return form


def rows_of(form: dict[str, str]) -> list[SimpleNamespace]:
    rows = hours_form.to_rows(hours_form.parse(form))
    defaults = dict.fromkeys(("description", "notes", "valid_from", "valid_to", "freq"))
    return [SimpleNamespace(**{**defaults, **row}) for row in rows]


def is_open(rows: list[SimpleNamespace], local: datetime) -> bool:
    return search_hours.open_at_local(search_hours.compile_rules(rows), local)


def test_two_ranges_on_weekdays_become_two_weekly_rows_listing_the_days():
    rows = rows_of(weekday_form())
    assert [(r.byday, r.opens_at, r.closes_at) for r in rows] == [
        ("MO,TU,WE,TH,FR", "09:00", "12:00"),
        ("MO,TU,WE,TH,FR", "13:00", "17:00"),
    ]
    assert all(r.freq == "WEEKLY" and r.valid_from is None for r in rows)


def test_search_open_now_reads_the_rows_the_editor_writes():
    rows = rows_of(weekday_form())
    assert is_open(rows, datetime(2026, 11, 30, 10, 0))  # Monday morning
    assert not is_open(rows, datetime(2026, 11, 30, 12, 30))  # lunch break
    assert not is_open(rows, datetime(2026, 11, 29, 10, 0))  # Sunday


def test_a_closed_date_closes_only_that_date_for_open_now_and_is_a_dated_note():
    form = weekday_form(
        **{"hours-exception-0-date": "2026-12-25", "hours-exception-0-kind": "closed"}
    )
    rows = rows_of(form)
    assert not is_open(rows, datetime(2026, 12, 25, 10, 0))  # Christmas, a Friday
    assert is_open(rows, datetime(2026, 12, 18, 10, 0))  # the Friday before
    assert is_open(rows, datetime(2027, 1, 1, 10, 0))  # the Friday after
    assert is_open(rows, datetime(2026, 12, 24, 10, 0))  # the Thursday
    table = weekly_hours(rows, TODAY)
    friday = next(d for d in table.days if d.code == "FR")
    assert friday.spans == ("9:00 AM – 12:00 PM", "1:00 PM – 5:00 PM")
    assert "Friday, December 25, 2026: Closed" in table.notes


def test_special_hours_on_a_date_replace_that_days_regular_hours():
    form = weekday_form(
        **{
            "hours-exception-0-date": "2026-12-24",
            "hours-exception-0-kind": "special",
            "hours-exception-0-opens": "10:00",
            "hours-exception-0-closes": "14:00",
        }
    )
    rows = rows_of(form)
    assert is_open(rows, datetime(2026, 12, 24, 13, 0))  # inside the special hours
    assert not is_open(rows, datetime(2026, 12, 24, 9, 30))  # regular hours do not apply
    assert not is_open(rows, datetime(2026, 12, 24, 15, 0))
    table = weekly_hours(rows, TODAY)
    thursday = next(d for d in table.days if d.code == "TH")
    assert thursday.spans == ("9:00 AM – 12:00 PM", "1:00 PM – 5:00 PM")
    assert "Thursday, December 24, 2026: 10:00 AM – 2:00 PM" in table.notes


def test_the_form_reads_back_what_it_wrote():
    form = weekday_form(
        **{"hours-exception-0-date": "2026-12-25", "hours-exception-0-kind": "closed"}
    )
    again = hours_form.from_schedules(rows_of(form), TODAY)
    assert again.day("MO").ranges == (("09:00", "12:00"), ("13:00", "17:00"))
    assert not again.day("SA").is_open
    assert [(e.day, e.closed) for e in again.exceptions] == [(date(2026, 12, 25), True)]


def test_past_exceptions_are_not_offered_again():
    form = weekday_form(
        **{"hours-exception-0-date": "2026-01-01", "hours-exception-0-kind": "closed"}
    )
    assert hours_form.from_schedules(rows_of(form), TODAY).exceptions == []


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"hours-SA-state": "open"}, "hours-SA-1-opens"),
        ({"hours-MO-1-opens": "25:00"}, "hours-MO-1-opens"),
        ({"hours-MO-1-closes": ""}, "hours-MO-1-closes"),
        ({"hours-MO-2-opens": "11:00"}, "hours-MO-2-opens"),
        (
            {"hours-exception-0-date": "Christmas", "hours-exception-0-kind": "closed"},
            "hours-exception-0-date",
        ),
        (
            {"hours-exception-0-date": "2026-12-24", "hours-exception-0-kind": "special"},
            "hours-exception-0-opens",
        ),
    ],
)
def test_bad_hours_are_reported_beside_the_field(extra, field):
    with pytest.raises(hours_form.HoursErrors) as caught:
        hours_form.parse(weekday_form(**extra))
    assert field in caught.value.errors


def test_monthly_rules_are_not_the_editors_and_stay():
    monthly = SimpleNamespace(
        freq="MONTHLY", interval=1, byday="1MO", opens_at="10:00", closes_at="12:00",
        valid_from=None, valid_to=None, description=None, notes=None,
    )  # fmt: skip
    assert not hours_form.is_managed(monthly)
