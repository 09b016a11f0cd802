"""Judging criteria against facts: met / not met / unknown, and the overall verdict."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from referral.matching.assessment import ClientFacts, Place
from referral.matching.criteria import POPULATIONS, Criterion
from referral.matching.eligibility import criteria_for, evaluate
from referral.matching.extract import any_of
from referral.matching.records import AreaRecord, ServiceRecord
from referral.matching.rules import evaluate_criterion

ADULT = Criterion("age", {"min": 18, "max": None})
FPL_200 = Criterion("income", {"fpl_percent": 200})
BALTIMORE_CITY = Criterion("residency", {"county": ["baltimore-city"]})
WOMEN = Criterion("gender", {"value": "female"})
VETERANS = Criterion("population", {"value": "veteran"})
PREGNANT = Criterion("population", {"value": "pregnant"})
UNDER_3 = Criterion("age", {"min": None, "max": 2})
ID = Criterion("document", {"value": "id"}, hard=False)
CITY_PLACE = Place(39.29, -76.62, "21201", "Baltimore", "Baltimore city", "MD")


def _status(c: Criterion, **facts: object) -> str:
    return evaluate_criterion(c, ClientFacts(**facts)).status  # type: ignore[arg-type]


def test_age_rules_are_met_not_met_or_unknown() -> None:
    assert _status(ADULT, age=18) == "met"
    assert _status(ADULT, age=17) == "not_met"
    assert _status(ADULT) == "unknown"


def test_an_unknown_fact_comes_with_a_question_to_ask() -> None:
    evaluation = evaluate_criterion(ADULT, ClientFacts())
    assert evaluation.ask == "How old is the client?"
    assert evaluate_criterion(ADULT, ClientFacts(age=40)).ask is None


def test_income_is_compared_as_percent_of_poverty() -> None:
    # 2 people: 200% FPL is 42,300 a year = 3,525 a month.
    assert _status(FPL_200, monthly_income=3500, household_size=2) == "met"
    assert _status(FPL_200, monthly_income=3600, household_size=2) == "not_met"
    assert _status(FPL_200, monthly_income=3600) == "unknown"
    assert _status(FPL_200, household_size=2) == "unknown"


def test_alaska_clients_are_measured_against_the_alaska_guideline() -> None:
    alaska = Place(61.2, -149.9, "99501", "Anchorage", "Anchorage", "AK")
    # 3,600/month for 2 is 204% of the contiguous line but 163% of Alaska's.
    assert _status(FPL_200, monthly_income=3600, household_size=2, place=alaska) == "met"


def test_an_amount_limit_per_year_is_compared_with_annualized_income() -> None:
    rule = Criterion("income", {"amount": 30000, "period": "year"})
    assert _status(rule, monthly_income=2400) == "met"
    assert _status(rule, monthly_income=2600) == "not_met"


def test_residency_by_county_uses_the_clients_county() -> None:
    assert _status(BALTIMORE_CITY, county="Baltimore city", place=CITY_PLACE) == "met"
    assert _status(BALTIMORE_CITY, county="Baltimore County") == "not_met"
    evaluation = evaluate_criterion(BALTIMORE_CITY, ClientFacts())
    assert evaluation.status == "unknown" and "Baltimore City" in (evaluation.ask or "")


def test_service_areas_with_a_map_use_the_areas_covering_the_client() -> None:
    rule = Criterion(
        "residency", {"areas": [{"id": "a1", "name": "East side", "has_extent": True}]}
    )
    assert _status(rule, within_areas=frozenset({"a1"})) == "met"
    assert _status(rule, within_areas=frozenset()) == "not_met"
    assert _status(rule) == "unknown"


def test_named_service_areas_match_county_state_or_stay_unknown() -> None:
    def area(name: str) -> Criterion:
        return Criterion("residency", {"areas": [{"id": "x", "name": name, "has_extent": False}]})

    facts = {"county": "Baltimore city", "place": CITY_PLACE}
    assert _status(area("Baltimore City"), **facts) == "met"
    assert _status(area("Harford County"), **facts) == "not_met"
    assert _status(area("Maryland"), **facts) == "met"
    assert _status(area("Virginia"), **facts) == "not_met"
    assert _status(area("Baltimore area"), **facts) == "met"
    assert _status(area("Lothian area"), **facts) == "unknown"  # a region we cannot place
    assert _status(area("Nationwide"), **facts) == "met"


def test_gender_and_populations_use_the_matching_fact() -> None:
    assert _status(WOMEN, gender="female") == "met"
    assert _status(WOMEN, gender="male") == "not_met"
    assert _status(VETERANS, veteran=True) == "met"
    assert _status(VETERANS, veteran=False) == "not_met"
    assert _status(PREGNANT, gender="male") == "not_met"
    homeless = Criterion("population", {"value": "homeless"})
    assert _status(homeless, housing_status="homeless") == "met"
    assert _status(homeless, housing_status="housed") == "not_met"
    assert _status(homeless, housing_status="unstably-housed") == "unknown"


def test_seniors_means_sixty_with_a_grey_zone_that_asks() -> None:
    seniors = Criterion("population", {"value": "senior"})
    assert _status(seniors, age=67) == "met"
    assert _status(seniors, age=57) == "unknown"
    assert _status(seniors, age=40) == "not_met"


def test_families_with_children_is_met_by_a_parent_or_a_child() -> None:
    families = Criterion("population", {"value": "families_with_children"})
    assert _status(families, children=2) == "met"
    assert _status(families, age=9) == "met"
    assert _status(families, children=0, age=40) == "not_met"
    assert _status(families, children=0) == "unknown"


def test_either_or_is_met_by_either_side() -> None:
    rule = any_of((PREGNANT, UNDER_3), "Pregnant women or children under 3")
    assert _status(rule, pregnant=True, age=30) == "met"
    assert _status(rule, pregnant=False, age=2) == "met"
    assert _status(rule, pregnant=False, age=30) == "not_met"
    unknown = evaluate_criterion(rule, ClientFacts(age=30))
    assert unknown.status == "unknown" and unknown.ask == "Is the client pregnant?"


def test_verdict_is_ineligible_only_on_a_hard_rule_not_met() -> None:
    assert evaluate([ADULT, WOMEN], ClientFacts(age=30, gender="female")).status == "eligible"
    assert evaluate([ADULT, WOMEN], ClientFacts(age=30, gender="male")).status == "ineligible"
    soft = replace(WOMEN, hard=False)
    assert evaluate([ADULT, soft], ClientFacts(age=30, gender="male")).status == "eligible"


def test_unknown_facts_make_the_verdict_unknown_never_ineligible() -> None:
    verdict = evaluate([ADULT, FPL_200, BALTIMORE_CITY, VETERANS], ClientFacts())
    assert verdict.status == "unknown"
    assert len(verdict.asks) == 4


def test_documents_are_asked_about_but_never_decide_the_verdict() -> None:
    verdict = evaluate([ADULT, ID], ClientFacts(age=30))
    assert verdict.status == "eligible"
    assert verdict.asks == ("Can the client bring photo ID?",)


def test_hsds_fields_outrank_text_for_the_same_kind() -> None:
    record = ServiceRecord(
        "s1", "Teen drop-in", "Youth 13-18 years old. Must live in Harford County.",
        minimum_age=12, maximum_age=19,
        areas=(AreaRecord("a1", "Baltimore City", False),),
        required_documents=("Photo ID",), terms=("Veterans",),
    )  # fmt: skip
    found = criteria_for(record)
    kinds = [(c.kind, c.source) for c in found]
    assert ("age", "hsds-field") in kinds and ("age", "text") not in kinds
    assert ("residency", "hsds-field") in kinds and ("residency", "text") not in kinds
    assert ("document", "hsds-field") in kinds
    veterans = next(c for c in found if c.source == "attribute")
    assert veterans.params == {"value": "veteran"} and not veterans.hard


def test_provider_criteria_outrank_hsds_fields_and_text() -> None:
    stored = Criterion("age", {"min": 21, "max": None}, source="provider", evidence="21+")
    record = ServiceRecord(
        "s1", "Bar", "Adults 18 and older", minimum_age=18, stored_criteria=(stored,)
    )
    assert [c for c in criteria_for(record) if c.kind == "age"] == [stored]


# --- property: ineligible iff a hard criterion is not met by known facts -----------------

ages = st.one_of(st.none(), st.integers(0, 100))
flags = st.one_of(st.none(), st.booleans())
facts_strategy = st.builds(
    ClientFacts,
    age=ages,
    household_size=st.one_of(st.none(), st.integers(1, 8)),
    monthly_income=st.one_of(st.none(), st.floats(0, 20000, allow_nan=False)),
    gender=st.one_of(st.none(), st.sampled_from(["female", "male", "nonbinary"])),
    veteran=flags,
    disability=flags,
    pregnant=flags,
    violence_survivor=flags,
    housing_status=st.one_of(st.none(), st.sampled_from(["housed", "unstably-housed", "homeless"])),
    children=st.one_of(st.none(), st.integers(0, 4)),
    insurance=st.one_of(st.none(), st.sampled_from(["medicaid", "uninsured", "private"])),
    county=st.one_of(st.none(), st.sampled_from(["Baltimore city", "Harford County"])),
)


def _hard(kind: str, params: dict[str, object]) -> st.SearchStrategy[Criterion]:
    return st.booleans().map(lambda hard: Criterion(kind, params, hard))


def _age(lo: int, span: int | None) -> dict[str, object]:
    return {"min": lo, "max": None if span is None else lo + span}


simple_criteria = st.one_of(
    st.tuples(st.integers(0, 80), st.one_of(st.none(), st.integers(0, 30))).flatmap(
        lambda a: _hard("age", _age(*a))
    ),
    st.integers(50, 400).flatmap(lambda p: _hard("income", {"fpl_percent": p})),
    _hard("income", {"level": "low"}),
    st.sampled_from(["female", "male"]).flatmap(lambda v: _hard("gender", {"value": v})),
    st.sampled_from(sorted(POPULATIONS)).flatmap(lambda v: _hard("population", {"value": v})),
    st.sampled_from(["medicaid", "uninsured"]).flatmap(lambda v: _hard("insurance", {"value": v})),
    _hard("residency", {"county": ["harford"]}),
    st.just(ID),
)
criteria_strategy = st.lists(
    st.one_of(
        simple_criteria,
        st.lists(simple_criteria, min_size=2, max_size=3).map(lambda ms: any_of(tuple(ms), None)),
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(facts=facts_strategy, criteria=criteria_strategy)
def test_a_verdict_is_ineligible_iff_a_hard_criterion_is_not_met(
    facts: ClientFacts, criteria: list[Criterion]
) -> None:
    verdict = evaluate(criteria, facts)
    failed = [e for e in verdict.evaluations if e.criterion.hard and e.status == "not_met"]
    assert (verdict.status == "ineligible") == bool(failed)


@settings(max_examples=200, deadline=None)
@given(criteria=criteria_strategy)
def test_a_client_with_no_known_facts_is_never_ineligible(criteria: list[Criterion]) -> None:
    assert evaluate(criteria, ClientFacts()).status != "ineligible"


@settings(max_examples=200, deadline=None)
@given(facts=facts_strategy, criteria=criteria_strategy)
def test_forgetting_facts_never_turns_a_verdict_into_ineligible(
    facts: ClientFacts, criteria: list[Criterion]
) -> None:
    """Unknown never excludes: a service that a fuller picture does not exclude stays
    non-ineligible when some facts are dropped."""
    if evaluate(criteria, facts).status != "ineligible":
        fewer = replace(facts, age=None, gender=None, veteran=None, county=None)
        assert evaluate(criteria, fewer).status != "ineligible"


PRESCHOOL = Criterion("age", {"min": 3, "max": 4})


def test_a_parent_asking_for_a_childrens_program_is_asked_the_childs_age() -> None:
    parent = evaluate_criterion(PRESCHOOL, ClientFacts(age=27, children=1))
    assert parent.status == "unknown"
    assert parent.ask == "How old are the client's children?"
    assert _status(PRESCHOOL, age=27, children=0) == "not_met"
    assert _status(PRESCHOOL, age=27) == "not_met"
    assert _status(PRESCHOOL, age=4) == "met"
    assert _status(ADULT, age=12, children=1) == "not_met"  # only children's ranges


OLDER_AMERICANS_ACT = "Adults age 65 and older, or 18 and older with a disability."


def test_65_or_older_or_an_adult_with_a_disability_admits_either_side() -> None:
    record = ServiceRecord("s1", "In-home aide", OLDER_AMERICANS_ACT, minimum_age=65)
    criteria = criteria_for(record)
    assert [c.source for c in criteria if c.kind == "age"] == []  # the field is one side
    rule = next(c for c in criteria if c.kind == "any_of")
    assert [m.kind for m in rule.members] == ["age", "population"] and rule.hard
    assert evaluate(criteria, ClientFacts(age=50, disability=True)).status == "eligible"
    assert evaluate(criteria, ClientFacts(age=70, disability=False)).status == "eligible"
    assert evaluate(criteria, ClientFacts(age=50, disability=False)).status == "ineligible"
    assert evaluate(criteria, ClientFacts(age=50)).status == "unknown"


def test_an_hsds_age_field_still_decides_when_the_text_has_no_alternative() -> None:
    record = ServiceRecord("s1", "Senior center", "Seniors 60+.", minimum_age=65)
    assert evaluate(criteria_for(record), ClientFacts(age=62)).status == "ineligible"


def test_a_zip_rule_in_the_text_narrows_the_service_area_instead_of_being_dropped() -> None:
    record = ServiceRecord(
        "s1", "Neighborhood pantry",
        "Must live in ZIP code 21205 or a neighboring ZIP code. Bring proof of address.",
        areas=(AreaRecord("a1", "Baltimore City", False),),
    )  # fmt: skip
    residency = [c for c in criteria_for(record) if c.kind == "residency"]
    assert [c.source for c in residency] == ["hsds-field", "text"]
    zip_rule = residency[1]
    assert zip_rule.params == {"zip": ["21205"]} and not zip_rule.hard  # "or a neighbor"
    elsewhere = ClientFacts(county="baltimore-city", place=CITY_PLACE)  # ZIP 21201
    assert evaluate_criterion(zip_rule, elsewhere).status == "not_met"
