"""Open-at evaluation from HSDS schedules: weekdays, overnight spans, validity, DST."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import test_search
from test_search import listing

from referral.search import hours

# shared fixtures
find = test_search.find
index = test_search.index


@dataclass
class Rule:
    byday: str | None
    opens_at: str | None
    closes_at: str | None
    valid_from: date | None = None
    valid_to: date | None = None


NEW_YORK = "America/New_York"


def rules(*schedules: Rule) -> hours.WeeklyRules:
    return hours.compile_rules(schedules)


def test_weekday_hours_are_open_inside_and_closed_outside():
    week = rules(Rule("MO,TU,WE,TH,FR", "09:00", "17:00"))
    assert hours.open_at_local(week, datetime(2026, 11, 23, 9, 0))  # Monday
    assert not hours.open_at_local(week, datetime(2026, 11, 23, 17, 0))
    assert not hours.open_at_local(week, datetime(2026, 11, 28, 12, 0))  # Saturday


def test_a_span_past_midnight_is_open_early_the_next_day():
    overnight = rules(Rule("FR", "20:00", "02:00"))
    assert hours.open_at_local(overnight, datetime(2026, 11, 27, 23, 30))  # Friday night
    assert hours.open_at_local(overnight, datetime(2026, 11, 28, 1, 30))  # Saturday 1:30
    assert not hours.open_at_local(overnight, datetime(2026, 11, 28, 3, 0))
    assert not hours.open_at_local(overnight, datetime(2026, 11, 27, 1, 30))  # Friday early


def test_validity_dates_bound_a_schedule():
    summer = rules(Rule("MO", "09:00", "17:00", date(2026, 6, 1), date(2026, 8, 31)))
    assert hours.open_at_local(summer, datetime(2026, 7, 6, 10, 0))
    assert not hours.open_at_local(summer, datetime(2026, 11, 23, 10, 0))


def test_monthly_rules_open_only_on_that_weekday_of_the_month():
    first_monday = rules(Rule("1MO", "09:00", "12:00"), Rule("-1FR", "09:00", "12:00"))
    assert hours.open_at_local(first_monday, datetime(2026, 11, 2, 10, 0))
    assert not hours.open_at_local(first_monday, datetime(2026, 11, 9, 10, 0))
    assert hours.open_at_local(first_monday, datetime(2026, 11, 27, 10, 0))  # last Friday


def test_an_instant_is_read_in_the_location_zone_across_a_dst_change():
    sunday = rules(Rule("SU", "09:00", "17:00"))
    instant = "T13:30:00+00:00"  # 8:30 EST before the change, 9:30 EDT after it
    before = datetime.fromisoformat("2026-03-01" + instant)
    after = datetime.fromisoformat("2026-03-08" + instant)
    assert hours.is_open(sunday, before, NEW_YORK) is False
    assert hours.is_open(sunday, after, NEW_YORK) is True


def test_a_naive_time_means_the_location_wall_clock():
    week = rules(Rule("MO", "09:00", "17:00"))
    assert hours.is_open(week, datetime(2026, 11, 23, 9, 30), "America/Los_Angeles") is True
    assert (
        hours.is_open(week, datetime(2026, 11, 23, 9, 30, tzinfo=UTC), "America/Los_Angeles")
        is False
    )


def test_no_schedules_means_unknown_not_closed():
    assert hours.is_open((), datetime(2026, 11, 23, 9, 30, tzinfo=UTC), NEW_YORK) is None


def test_unreadable_times_are_ignored():
    assert rules(Rule("MO", "nine", "17:00"), Rule("XX", "09:00", "17:00")) == ()


@pytest.mark.parametrize(
    ("zip_code", "zone"),
    [
        ("90012", "America/Los_Angeles"),
        ("33130", "America/New_York"),
        ("99999", hours.DEFAULT_TIMEZONE),
    ],
)
def test_time_zone_comes_from_the_zip_code(zip_code, zone):
    assert hours.timezone_for_postcode(zip_code) == zone


def test_open_at_filter_uses_each_location_zone(session, find):
    listing(session, "Miami Pantry", postcode="33130", schedules=[("MO", "09:00", "12:00")])
    listing(
        session,
        "LA Pantry",
        postcode="90012",
        lat=34.06,
        lon=-118.24,
        schedules=[("MO", "09:00", "12:00")],
    )
    listing(session, "Night Pantry", schedules=[("SU", "22:00", "02:00")])
    # 15:00 UTC on a Monday: 10:00 in Miami, 7:00 in Los Angeles
    found = find(q="pantry", open_at="2026-11-23T15:00:00+00:00")
    assert [r.service_name for r in found.results] == ["Miami Pantry"]
    # 1:00 local on Monday morning: only the Sunday-night span is open
    found = find(q="pantry", open_at="2026-11-23T01:00:00")
    assert [r.service_name for r in found.results] == ["Night Pantry"]
