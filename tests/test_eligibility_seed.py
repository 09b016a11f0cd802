"""Issue 10 over the seed directory (Greater Baltimore): does a client qualify?

The seed is loaded once for this module with the importer, inside a transaction that is
rolled back at the end.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.directory import models as m
from referral.matching.assessment import parse_client
from referral.matching.checks import CheckResult, check_service, verdicts_for
from referral.matching.eligibility import check
from referral.matching.records import load_services

BALTIMORE_CITY_ZIP = "21201"
HARFORD_ZIP = "21014"  # Bel Air


@pytest.fixture(scope="module")
def seeded(seeded_session: Session) -> Session:
    return seeded_session


def service_with(session: Session, text: str, with_area: bool | None = None) -> str:
    """Id of a seed service with this eligibility text (and with or without an area)."""
    services = session.scalars(
        select(m.Service).where(m.Service.eligibility_description == text).order_by(m.Service.id)
    ).all()
    for service in services:
        if with_area is None or bool(service.service_areas) == with_area:
            return service.id
    pytest.fail(f"no seed service says {text!r}")


def run(session: Session, service_id: str, client: dict[str, object]) -> CheckResult:
    return check_service(session, service_id, parse_client(client))


def status_of(result: CheckResult, kind: str) -> str:
    return next(e.status for e in result.verdict.evaluations if e.criterion.kind == kind)


def city_client(**facts: object) -> dict[str, object]:
    return {"location": {"postal_code": BALTIMORE_CITY_ZIP}, "facts": facts}


def test_age_rules_of_the_seed_decide_eligibility(seeded: Session) -> None:
    adults = service_with(seeded, "Adults 18 and older.")
    assert run(seeded, adults, city_client(age=17)).verdict.status == "ineligible"
    assert status_of(run(seeded, adults, city_client(age=30)), "age") == "met"


def test_youth_age_ranges_exclude_adults(seeded: Session) -> None:
    youth = service_with(seeded, "Youth ages 14-24.")
    assert status_of(run(seeded, youth, city_client(age=19)), "age") == "met"
    assert run(seeded, youth, city_client(age=40)).verdict.status == "ineligible"


def test_income_is_checked_as_percent_of_poverty(seeded: Session) -> None:
    service = service_with(seeded, "Households at or below 200% of the federal poverty level.")
    poor = run(seeded, service, city_client(household_size=3, monthly_income=2500))
    richer = run(seeded, service, city_client(household_size=3, monthly_income=6000))
    assert status_of(poor, "income") == "met"
    assert richer.verdict.status == "ineligible"
    failed = richer.verdict.failed[0]
    assert failed.reason.startswith("income is licensed") is False
    assert "% of the poverty level" in failed.reason


def test_residency_by_county_in_the_text(seeded: Session) -> None:
    text = (
        "Residents of Harford County with household income at or below 175% of the"
        " federal poverty level."
    )
    service = service_with(seeded, text)
    harford = {
        "location": {"postal_code": HARFORD_ZIP},
        "facts": {"household_size": 1, "monthly_income": 1000},
    }
    assert run(seeded, service, harford).verdict.status != "ineligible"
    city = run(seeded, service, city_client(household_size=1, monthly_income=1000))
    assert city.verdict.status == "ineligible"
    assert any(e.criterion.kind in {"residency", "any_of"} for e in city.verdict.failed)


def test_residency_by_service_area_map(seeded: Session) -> None:
    area = seeded.scalars(
        select(m.ServiceArea).where(
            m.ServiceArea.name == "Baltimore City", m.ServiceArea.extent.is_not(None)
        )
    ).first()
    assert area is not None and area.service_id is not None
    inside = run(seeded, area.service_id, {"location": {"postal_code": BALTIMORE_CITY_ZIP}})
    outside = run(seeded, area.service_id, {"location": {"postal_code": HARFORD_ZIP}})
    assert status_of(inside, "residency") == "met"
    assert status_of(outside, "residency") == "not_met"
    assert outside.verdict.status == "ineligible"


def test_veterans_only_service(seeded: Session) -> None:
    service = service_with(seeded, "Veterans with any discharge other than dishonorable.")
    assert run(seeded, service, city_client(veteran=False)).verdict.status == "ineligible"
    assert status_of(run(seeded, service, city_client(veteran=True)), "population") == "met"
    unknown = run(seeded, service, city_client())
    assert status_of(unknown, "population") == "unknown"
    assert "Has the client served in the US military (a veteran)?" in unknown.verdict.asks


def test_homeless_families_service(seeded: Session) -> None:
    service = service_with(seeded, "Families with children under 18 who are homeless tonight.")
    housed = run(seeded, service, city_client(housing_status="housed", children=2, age=30))
    assert housed.verdict.status == "ineligible"
    homeless = run(seeded, service, city_client(housing_status="homeless", children=2, age=30))
    assert homeless.verdict.status != "ineligible"


def test_pregnant_women_or_young_children_either_or(seeded: Session) -> None:
    text = "Pregnant women or children under 5, with income at or below 185% of poverty."
    service = service_with(seeded, text)
    low_income = {"household_size": 3, "monthly_income": 2000}
    pregnant = run(seeded, service, city_client(pregnant=True, age=28, **low_income))
    toddler = run(seeded, service, city_client(pregnant=False, age=3, **low_income))
    neither = run(seeded, service, city_client(pregnant=False, age=40, **low_income))
    assert status_of(pregnant, "any_of") == "met"
    assert status_of(toddler, "any_of") == "met"
    assert neither.verdict.status == "ineligible"
    asked = run(seeded, service, city_client(age=40, **low_income))
    assert (
        status_of(asked, "any_of") == "unknown" and "Is the client pregnant?" in asked.verdict.asks
    )


def test_medicaid_members_only(seeded: Session) -> None:
    service = service_with(seeded, "Medicaid members. Call first to check your plan.")
    assert run(seeded, service, city_client(insurance="private")).verdict.status == "ineligible"
    assert status_of(run(seeded, service, city_client(insurance="medicaid")), "insurance") == "met"


def test_women_and_their_children_reports_gender_without_excluding_boys(seeded: Session) -> None:
    service = service_with(seeded, "Women and their children.")
    man = run(seeded, service, city_client(gender="male", age=9))
    assert status_of(man, "gender") == "not_met"
    assert man.verdict.status != "ineligible"  # "and their children": a boy may come too
    assert status_of(run(seeded, service, city_client(gender="female")), "gender") == "met"


def test_a_women_only_rule_excludes_men(seeded: Session) -> None:
    service = m.Service(
        name="Women's shelter",
        status="active",
        eligibility_description="Women only. Adults 18 and older.",
    )
    seeded.add(service)
    seeded.flush()
    assert (
        run(seeded, service.id, city_client(gender="male", age=30)).verdict.status == "ineligible"
    )
    assert (
        run(seeded, service.id, city_client(gender="female", age=30)).verdict.status == "eligible"
    )


def test_required_documents_are_asked_never_exclude(seeded: Session) -> None:
    service = seeded.scalars(select(m.RequiredDocument.service_id)).first()
    assert service is not None
    result = run(seeded, service, city_client(age=40, household_size=1, monthly_income=500))
    docs = [e for e in result.verdict.evaluations if e.criterion.kind == "document"]
    assert docs and all(e.ask and not e.criterion.hard for e in docs)


def test_unknown_facts_never_make_any_seed_service_ineligible(seeded: Session) -> None:
    records = load_services(seeded, seeded.scalars(select(m.Service.id)).all())
    assert len(records) > 100
    for facts in (parse_client({}).facts, parse_client({"facts": {"languages": ["es"]}}).facts):
        verdicts = [check(r, facts) for r in records]
        assert not [v for v in verdicts if v.status == "ineligible"]
        unknown = [v for v in verdicts if v.status == "unknown"]
        assert unknown and all(v.asks for v in unknown)


def test_the_batch_verdicts_a_match_uses_agree_with_the_check(seeded: Session) -> None:
    """A service the check calls ineligible is one the match list drops: both use this."""
    client = parse_client(city_client(age=70, veteran=False, household_size=1, monthly_income=4000))
    ids = seeded.scalars(select(m.Service.id).order_by(m.Service.id)).all()
    batch = verdicts_for(seeded, ids, client.facts)
    assert len(batch) == len(ids)
    assert any(v.status == "ineligible" for v in batch.values())
    for service_id in ids[:80]:
        single = check_service(seeded, service_id, client).verdict
        assert batch[service_id].status == single.status
        assert batch[service_id].evaluations == single.evaluations
