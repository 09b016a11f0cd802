"""Unmet needs, data freshness and the synthetic referral history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from accounts_helpers import make_org, make_service
from analytics_helpers import FOOD, HOUSING, NOW, build_history
from referrals_helpers import make_place, make_world
from sqlalchemy import func, select

from referral.analytics import freshness, gaps, metrics, synthetic
from referral.analytics.filters import Filters
from referral.directory.models import Attribute, TaxonomyTerm
from referral.referrals import states
from referral.referrals.models import Assessment, Referral, ReferralEvent

MARCH = Filters(date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 11, 27)


def test_unmet_needs_combine_empty_matches_and_referrals_ended_for_capacity_or_eligibility(
    session,
):
    history = build_history(session)
    session.add(
        Assessment(
            client_id=history.world.client.id,
            needs=[{"domain": FOOD}, {"domain": HOUSING}],
            results=[
                {"domain": FOOD, "results": [{"service_id": "x"}]},
                {"domain": HOUSING, "results": []},
            ],
            location="21205",
            created_at=datetime(2026, 3, 20, tzinfo=UTC),
        )
    )
    session.flush()
    found = {(g.need, g.zip): g for g in gaps.unmet_needs(session, MARCH)}
    food = found[(FOOD, None)]
    assert (food.referrals, food.no_capacity, food.not_eligible, food.got_help) == (6, 1, 1, 1)
    assert found[(HOUSING, "21201")].referrals == 1
    assert (found[(HOUSING, "21205")].assessed, found[(HOUSING, "21205")].no_service_found) == (
        1,
        1,
    )
    assert (found[(FOOD, "21205")].assessed, found[(FOOD, "21205")].no_service_found) == (1, 0)
    # Largest unmet first: food (2 referrals ended unmet) before housing in 21205 (1).
    assert gaps.unmet_needs(session, MARCH)[0].need == FOOD


def test_freshness_counts_listings_verified_within_six_and_twelve_months(session):
    org = make_org(session, "Freshness Test Org")
    ages = [30, 300, 500, None]
    services = []
    for i, age in enumerate(ages):
        service = make_service(session, org, f"Service {i}")
        service.assured_date = TODAY - timedelta(days=age) if age is not None else None
        services.append(service)
    make_service(session, org, "Closed").status = "inactive"
    term = TaxonomyTerm(name="Freshness Term", description="x")
    session.add(term)
    session.flush()
    for service in services[:2]:
        session.add(Attribute(link_id=service.id, link_entity="service", taxonomy_term_id=term.id))
    session.flush()
    row = freshness.by_organization(session, TODAY, org.id)[0]
    assert (row.services, row.verified_6_months, row.verified_12_months, row.never_verified) == (
        4,
        1,
        2,
        1,
    )
    by_term = {r.label: r for r in freshness.by_taxonomy_term(session, TODAY)}
    assert (by_term["Freshness Term"].services, by_term["Freshness Term"].verified_6_months) == (
        2,
        1,
    )


def test_synthetic_history_is_a_consistent_set_of_referrals_and_events(session):
    world = make_world(session, tag=" synthetic")
    make_place(session, world.agency)  # the agency also provides a service
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    before = session.scalar(select(func.count()).select_from(Referral))
    assert synthetic.generate(session, 90, now, seed=3) == 90
    assert session.scalar(select(func.count()).select_from(Referral)) - before == 90
    year = Filters(date(2025, 11, 1), date(2026, 11, 27))
    overall = metrics.followthrough(session, year, now)[0]
    assert overall.sent >= 90 and overall.responded > 0 and overall.got_help > 0
    # Every referral starts with a 'requested' event and ends in the status it has.
    providers = {organization for _, organization in synthetic._plan(session).places}
    referrals = session.scalars(
        select(Referral).where(Referral.idempotency_key.like("synthetic-%"))
    )
    for referral in referrals:
        events = session.scalars(
            select(ReferralEvent)
            .where(ReferralEvent.referral_id == referral.id)
            .order_by(ReferralEvent.occurred_at)
        ).all()
        assert events[0].to_status == states.REQUESTED
        assert events[-1].to_status == referral.status
        assert referral.version == len(events)
        # An agency refers its clients to other organizations, not to itself, unless
        # it is the only organization with services.
        if providers != {referral.referrer_organization_id}:
            assert referral.recipient_organization_id != referral.referrer_organization_id
        if referral.outcome == states.GOT_HELP:
            assert referral.status == states.COMPLETED


def test_the_history_metric_survives_no_referrals_at_all(session):
    assert metrics.followthrough(session, MARCH, NOW)[0].sent == 0
    assert gaps.unmet_needs(session, MARCH) == []
