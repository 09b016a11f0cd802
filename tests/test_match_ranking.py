"""The pure ranker: factor functions, ordering, exclusion, the organization cap, words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from referral.matching import scoring
from referral.matching.assessment import ClientFacts, Need, Place
from referral.matching.criteria import Criterion
from referral.matching.eligibility import check, evaluate
from referral.matching.ranking import ORG_CAP, Candidate, eligibility_status, rank
from referral.matching.records import ServiceRecord

TODAY = date(2026, 11, 1)
FOOD = Need("food-insecurity", "groceries", "routine")


def candidate(n: int, **changes: object) -> Candidate:
    record = ServiceRecord(id=f"svc-{n:03d}", name=f"Pantry {n}")
    base = Candidate(
        service_at_location_id=f"sal-{n:03d}",
        service_id=record.id,
        organization_id=f"org-{n:03d}",
        service_name=record.name,
        organization_name=f"Org {n}",
        record=record,
        relevance=1.0,
        matched_terms=("Food Pantry",),
        distance_km=2.0,
        assured_date=TODAY,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def with_record(c: Candidate, **fields: object) -> Candidate:
    return replace(c, record=replace(c.record, **fields))  # type: ignore[arg-type]


def ids(result: object) -> list[str]:
    return [r.candidate.service_at_location_id for r in result.results]  # type: ignore[attr-defined]


# --- factors ------------------------------------------------------------------------


def test_weights_are_a_share_of_one_for_every_factor() -> None:
    assert set(scoring.WEIGHTS) == set(scoring.FACTORS)
    assert abs(sum(scoring.WEIGHTS.values()) - 1.0) < 1e-9


def test_distance_factor_halves_every_half_distance_and_never_rises() -> None:
    assert scoring.distance_factor(0) == 1.0
    assert abs(scoring.distance_factor(scoring.DISTANCE_HALF_KM) - 0.5) < 1e-9
    values = [scoring.distance_factor(km) for km in (0, 1, 5, 20, 80)]
    assert values == sorted(values, reverse=True)
    assert scoring.distance_factor(None) == scoring.UNKNOWN_DISTANCE


def test_language_factor_rewards_a_shared_language_only_when_the_client_named_one() -> None:
    assert scoring.language_factor(("es",), ("en", "es")) == 1.0
    assert scoring.language_factor(("es",), ("en",)) == 0.0
    assert scoring.language_factor(("es",), ()) == scoring.UNKNOWN_VALUE
    assert scoring.language_factor((), ("en",)) == 1.0


def test_freshness_is_full_for_recent_listings_and_zero_for_three_year_old_ones() -> None:
    assert scoring.freshness_factor(date(2026, 9, 1), TODAY) == 1.0
    assert scoring.freshness_factor(date(2023, 10, 1), TODAY) == 0.0
    assert 0 < scoring.freshness_factor(date(2025, 6, 1), TODAY) < 1
    assert scoring.freshness_factor(None, TODAY) == 0.0


def test_capacity_open_hours_and_accessibility_factors_order_the_cases() -> None:
    assert scoring.capacity_factor(3) > scoring.capacity_factor(None) > scoring.capacity_factor(0)
    assert (
        scoring.open_hours_factor(True)
        > scoring.open_hours_factor(False)
        > scoring.open_hours_factor(None)
    )
    assert (
        scoring.accessibility_factor(True)
        > scoring.accessibility_factor(None)
        > scoring.accessibility_factor(False)
    )


def test_urgent_needs_and_disability_raise_the_matching_weights() -> None:
    weights = scoring.weights_for("urgent", True)
    assert weights["open_hours"] == scoring.URGENT_OPEN_HOURS_WEIGHT
    assert weights["accessibility"] == scoring.DISABILITY_ACCESSIBILITY_WEIGHT
    assert scoring.weights_for("routine", None) == dict(scoring.WEIGHTS)


# --- ranking ------------------------------------------------------------------------


def test_ranking_is_deterministic_whatever_the_input_order() -> None:
    pool = [candidate(n, distance_km=float(n % 4)) for n in range(12)]
    first = rank(FOOD, pool, ClientFacts(), today=TODAY)
    second = rank(FOOD, list(reversed(pool)), ClientFacts(), today=TODAY)
    assert ids(first) == ids(second)
    assert [r.score for r in first.results] == [r.score for r in second.results]


def test_equal_services_tie_break_by_id() -> None:
    pool = [candidate(n) for n in (5, 3, 9, 1)]
    assert ids(rank(FOOD, pool, ClientFacts(), today=TODAY)) == [
        "sal-001",
        "sal-003",
        "sal-005",
        "sal-009",
    ]


def test_a_nearer_service_ranks_higher_when_all_else_is_equal() -> None:
    pool = [
        candidate(1, distance_km=9.0),
        candidate(2, distance_km=1.0),
        candidate(3, distance_km=4.0),
    ]
    assert ids(rank(FOOD, pool, ClientFacts(), today=TODAY)) == ["sal-002", "sal-003", "sal-001"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=200, allow_nan=False), min_size=2, max_size=12))
def test_nearer_never_ranks_below_farther_among_otherwise_equal_services(
    distances: list[float],
) -> None:
    pool = [candidate(n, distance_km=d) for n, d in enumerate(distances)]
    ranked = rank(FOOD, pool, ClientFacts(), top=len(pool), today=TODAY).results
    shown = [r.candidate.distance_km for r in ranked]
    assert shown == sorted(shown)


def test_no_organization_fills_more_than_its_cap_in_the_top_results() -> None:
    big = [candidate(n, organization_id="org-big", distance_km=0.5) for n in range(6)]
    small = [candidate(10 + n, distance_km=5.0 + n) for n in range(6)]
    result = rank(FOOD, big + small, ClientFacts(), top=6, today=TODAY)
    orgs = [r.candidate.organization_id for r in result.results]
    assert orgs.count("org-big") == ORG_CAP
    assert orgs[:ORG_CAP] == ["org-big"] * ORG_CAP


def test_an_ineligible_service_is_listed_apart_with_the_failed_rule() -> None:
    kids = with_record(candidate(1, service_name="Kids Meals"), minimum_age=5, maximum_age=13)
    result = rank(FOOD, [kids, candidate(2)], ClientFacts(age=67), today=TODAY)
    assert ids(result) == ["sal-002"]
    assert [(e.service_id, e.reason) for e in result.excluded] == [
        ("svc-001", "Age 5 to 13: client is 67")
    ]


def test_a_closed_service_is_listed_apart_not_ranked() -> None:
    result = rank(
        FOOD, [candidate(1, status="temporarily closed"), candidate(2)], ClientFacts(), today=TODAY
    )
    assert ids(result) == ["sal-002"]
    assert result.excluded[0].reason == "Temporarily closed"


def test_an_eligible_service_outranks_one_whose_rules_are_unknown() -> None:
    unknown = with_record(candidate(1), minimum_age=60)
    result = rank(FOOD, [unknown, candidate(2)], ClientFacts(), today=TODAY)
    assert ids(result) == ["sal-002", "sal-001"]
    assert result.results[1].verdict.status == "unknown"


def test_factor_contributions_add_up_to_the_score() -> None:
    result = rank(
        FOOD, [candidate(1, languages=("es",))], ClientFacts(languages=("es",)), today=TODAY
    ).results[0]
    assert {p.factor for p in result.contributions} == set(scoring.FACTORS)
    assert abs(sum(p.points for p in result.contributions) - result.score) < 1e-9


# --- explanations -------------------------------------------------------------------


def test_the_explanation_names_the_service_the_help_the_distance_and_the_language() -> None:
    c = candidate(
        1,
        service_name="Choice Pantry",
        organization_name="Govans",
        languages=("es",),
        open_now=True,
    )
    text = rank(FOOD, [c], ClientFacts(languages=("es",)), today=TODAY).results[0].explanation
    assert text.startswith("Choice Pantry (Govans) offers food pantry, 2.0 km away.")
    assert "serves people in Spanish" in text and "is open now" in text


def test_unknown_criteria_become_ask_the_client_prompts() -> None:
    c = with_record(candidate(1), minimum_age=60, required_documents=("Photo ID",))
    result = rank(FOOD, [c], ClientFacts(), today=TODAY).results[0]
    assert result.asks[0].startswith("Ask the client about their age: Age 60 or older")
    assert result.asks[-1] == "Ask the client whether they can bring photo ID."
    assert "first check: age 60 or older" in result.explanation


# --- the hard-eligibility property --------------------------------------------------

ages = st.none() | st.integers(0, 100)
services = st.builds(
    lambda n, low, high, text: (n, low, high, text),
    st.integers(0, 999),
    ages,
    ages,
    st.sampled_from(
        [None, "Women only.", "Veterans only.", "Ages 18 and older.", "Seniors 60+.",
         "Households at or below 200% of the federal poverty level.", "Open to all."]
    ),
)  # fmt: skip
clients = st.builds(
    ClientFacts,
    age=ages,
    household_size=st.none() | st.integers(1, 8),
    monthly_income=st.none() | st.floats(0, 12000),
    gender=st.none() | st.sampled_from(["female", "male"]),
    veteran=st.none() | st.booleans(),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(services, min_size=1, max_size=25, unique_by=lambda s: s[0]), clients, st.floats(0, 1)
)
def test_no_service_the_clients_known_facts_fail_reaches_the_top_ten(
    listing: list[tuple[int, int | None, int | None, str | None]], facts: ClientFacts, spread: float
) -> None:
    pool = [
        with_record(
            candidate(n, distance_km=n * spread),
            minimum_age=low,
            maximum_age=high,
            eligibility_description=text,
        )
        for n, low, high, text in listing
    ]
    result = rank(FOOD, pool, facts, top=10, today=TODAY)
    for r in result.results:
        assert check(r.candidate.record, facts).status != "ineligible"
    shown = {r.candidate.service_id for r in result.results} | {
        e.service_id for e in result.excluded
    }
    eligible = [c for c in pool if check(c.record, facts).status != "ineligible"]
    assert len(result.results) == min(10, len(eligible))
    assert shown <= {c.service_id for c in pool}


def test_a_soft_rule_the_client_fails_ranks_below_a_rule_nobody_could_check() -> None:
    zip_rule = Criterion("residency", {"zip": ["21205"]}, hard=False)
    doubtful = evaluate([zip_rule], ClientFacts(place=Place(postal_code="21201")))
    unknown = evaluate([Criterion("population", {"value": "veteran"})], ClientFacts())
    assert doubtful.status == "eligible" and eligibility_status(doubtful) == "doubtful"
    assert eligibility_status(unknown) == "unknown"
    assert scoring.eligibility_factor("doubtful") < scoring.eligibility_factor("unknown")
    assert scoring.eligibility_factor("unknown") < scoring.eligibility_factor("eligible")
