"""Every follow-through metric against figures computed by hand from a known history
(tests/analytics_helpers.py), on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date

import pytest
from analytics_helpers import FOOD, HOUSING, NOW, build_history

from referral.analytics import metrics, tables
from referral.analytics.filters import Filters, InvalidFilter, parse_filters

MARCH = Filters(date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def history(session):
    return build_history(session)


def overall(session, f=MARCH):
    return metrics.followthrough(session, f, NOW)[0]


def test_every_followthrough_metric_matches_the_hand_computed_figures(session, history):
    o = overall(session)
    assert (o.sent, o.responded, o.accepted, o.rejected) == (7, 5, 3, 2)
    assert (o.closed_loop, o.got_help, o.completed, o.overdue) == (3, 1, 1, 1)
    # Hours to answer: 1, 2, 4, 6, 10 -> median 4; p90 at rank 3.6 -> 6 + 0.6 * 4 = 8.4.
    assert o.response_hours_median == pytest.approx(4.0)
    assert o.response_hours_p90 == pytest.approx(8.4)
    # Hours to outcome: 10, 50, 100 -> median 50.
    assert o.outcome_hours_median == pytest.approx(50.0)


def test_rates_are_the_defined_ratios(session, history):
    row = tables.followthrough_row(overall(session))
    assert row["response_rate"] == pytest.approx(0.7143)  # 5 / 7
    assert row["acceptance_rate"] == pytest.approx(0.6)  # 3 / 5
    assert row["rejection_rate"] == pytest.approx(0.4)  # 2 / 5
    assert row["closed_loop_rate"] == pytest.approx(0.4286)  # 3 / 7
    assert row["got_help_rate"] == pytest.approx(0.1429)  # 1 / 7


def test_funnel_goes_from_requested_to_accepted_to_completed(session, history):
    ctx = tables.Context(session, MARCH, NOW)
    row = tables.build(ctx, "funnel", suppress=False).rows[0]
    assert (row["requested"], row["accepted"], row["completed"]) == (7, 3, 1)
    assert row["accepted_share"] == pytest.approx(0.4286)
    assert row["completed_share"] == pytest.approx(0.3333)


def test_rejection_reasons_count_outcome_codes_never_free_text(session, history):
    found = metrics.rejection_reasons(session, MARCH)
    assert sorted(found, key=str) == sorted([("not-eligible", 1), (None, 1)], key=str)


def test_breakdown_by_need_splits_the_referrals(session, history):
    groups = {g.key: g for g in metrics.followthrough(session, MARCH, NOW, "need")}
    assert groups[FOOD].sent == 6 and groups[HOUSING].sent == 1
    assert groups[HOUSING].response_hours_median == pytest.approx(1.0)
    # Food: hours to answer 2, 4, 10, 6 -> median 5.
    assert groups[FOOD].response_hours_median == pytest.approx(5.0)


def test_breakdown_by_month_puts_each_referral_in_the_month_it_was_sent(session, history):
    f = Filters(date(2026, 2, 1), date(2026, 3, 31))
    groups = {g.key: g.sent for g in metrics.followthrough(session, f, NOW, "month")}
    assert groups == {"2026-02": 1, "2026-03": 7}


@pytest.mark.parametrize(
    ("field", "value", "sent"),
    [
        ("need", HOUSING, 1),
        ("zip", "21201", 1),
        ("language", "en", 1),
        ("language", "es", 6),
        ("need", "utility-insecurity", 0),
    ],
)
def test_filters_narrow_the_referrals_counted(session, history, field, value, sent):
    f = Filters(MARCH.start, MARCH.end, **{field: value})
    assert overall(session, f).sent == sent


def test_organization_provider_program_and_case_manager_filters(session, history):
    world = history.world
    assert overall(session, Filters(MARCH.start, MARCH.end, organization=world.agency.id)).sent == 7
    assert overall(session, Filters(MARCH.start, MARCH.end, provider=world.provider.id)).sent == 7
    assert overall(session, Filters(MARCH.start, MARCH.end, provider=world.agency.id)).sent == 0
    cm = world.case_manager.id
    assert overall(session, Filters(MARCH.start, MARCH.end, case_manager=cm)).sent == 7
    assert overall(session, Filters(MARCH.start, MARCH.end, program="no-such")).sent == 0


def test_scope_limits_an_agency_to_its_own_referrals(session, history):
    other = build_history(session, tag=" 2")
    mine = MARCH.with_scope(frozenset({history.world.agency.id}))
    assert overall(session, mine).sent == 7
    assert overall(session, MARCH).sent == 14
    assert other.world.agency.id not in mine.scope


def test_a_period_with_no_referrals_has_zero_counts_and_no_times(session, history):
    o = overall(session, Filters(date(2025, 1, 1), date(2025, 1, 31)))
    assert (o.sent, o.responded, o.response_hours_median) == (0, 0, None)


def test_client_zip_is_read_from_the_end_of_the_address(session, history):
    groups = {g.key: g.sent for g in metrics.followthrough(session, MARCH, NOW, "zip")}
    assert groups == {None: 6, "21201": 1}


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-04-01", "to": "2026-03-01"}, "from"),
        ({"need": "hunger"}, "need"),
        ({"zip": "2120"}, "zip"),
        ({"language": "english please"}, "language"),
        ({"from": "2010-01-01", "to": "2026-01-01"}, "from"),
    ],
)
def test_bad_periods_and_filters_are_refused_naming_the_field(args, field):
    with pytest.raises(InvalidFilter) as caught:
        parse_filters(args, date(2026, 4, 1))
    assert caught.value.field == field


def test_the_default_period_is_the_last_twelve_months():
    f = parse_filters({}, date(2026, 4, 1))
    assert (f.start, f.end) == (date(2025, 4, 2), date(2026, 4, 1))


def test_every_table_column_that_is_a_metric_has_a_definition():
    for key in tables.FOLLOWTHROUGH_DEFINITIONS:
        assert str(metrics.DEFINITIONS[key])
