"""Pair features, blocking and the duplicate score on hand-made profiles (no database)."""

from __future__ import annotations

from referral.curation.features import Corpus, candidate_pairs, make_profile, pair_features
from referral.curation.reason_codes import Reason
from referral.curation.scoring import DUPLICATE_THRESHOLD, REVIEW_THRESHOLD, score_pair
from referral.curation.service import score_profiles

RELAY = "800-735-2258"


def org(id, name, *, phones=(), address=None, website=None, alternate=None):
    return make_profile(
        id,
        "organization",
        [name, alternate],
        phones=phones,
        addresses=[address] if address else [],
        websites=[website],
    )


def score(a, b, *others):
    corpus = Corpus.of([a, b, *others])
    return score_pair(pair_features(a, b, corpus))


def relay_users():
    return [org(f"r{i}", f"Public Office {i}", phones=[RELAY]) for i in range(6)]


def test_case_and_legal_suffix_variants_sharing_a_phone_are_duplicates():
    a = org("a", "GIRL SCOUTS OF CENTRAL MARYLAND, INC.", phones=["(410) 555-0100"])
    b = org("b", "Girl Scouts of Central Maryland", phones=["410.555.0100"])
    result = score(a, b)
    assert result.score >= DUPLICATE_THRESHOLD
    assert Reason("same-phone") in result.reasons


def test_saint_and_ampersand_variants_at_one_address_are_duplicates():
    a = org("a", "St. Vincent Boys & Girls Club", address=("12 North Main Street", "21201"))
    b = org("b", "Saint Vincent Boys and Girls Club", address=("12 N Main St", "21201"))
    assert score(a, b).score >= DUPLICATE_THRESHOLD


def test_baltimore_city_and_county_offices_are_not_duplicates_despite_a_relay_phone():
    a = org("a", "Baltimore City Health Department", phones=[RELAY])
    b = org("b", "Baltimore County Health Department", phones=[RELAY])
    result = score(a, b, *relay_users())
    assert result.score < REVIEW_THRESHOLD
    assert Reason("names-differ", words=("city", "county")) in result.reasons


def test_a_relay_number_shared_by_many_is_weak_evidence():
    a = org("a", "Harbor Legal Aid", phones=[RELAY])
    b = org("b", "Harbor Legal Aid Society", phones=[RELAY])
    shared = score(a, b, *relay_users())
    exclusive = score(a, b)
    assert shared.score < exclusive.score
    assert Reason("same-phone", organizations=8) in shared.reasons


def test_a_shared_municipal_website_does_not_make_departments_duplicates():
    site = "https://www.baltimorecity.gov"
    a = org("a", "Baltimore City Office of Homeless Services", website=site)
    b = org("b", "Baltimore City Office of Aging Services", website=site)
    c = org("c", "Baltimore City Office of Immigrant Affairs", website=site)
    result = score(a, b, c)
    assert result.score < DUPLICATE_THRESHOLD
    assert any(r.public_body for r in result.reasons)


def test_different_organizations_in_one_building_are_not_duplicates():
    hall = ("100 N Holliday St", "21202")
    a = org("a", "Eastside Legal Clinic", address=hall, phones=["410-555-0331"])
    b = org("b", "Eastside Family Clinic", address=hall, phones=["410-555-0332"])
    assert score(a, b).score < DUPLICATE_THRESHOLD


def test_a_parent_named_as_alternate_name_is_not_enough():
    a = org("a", "Homestead Hospital", alternate="Regional Health System")
    b = org("b", "Regional Health System")
    assert score(a, b).score < REVIEW_THRESHOLD


def test_two_records_of_one_place_of_one_organization_are_duplicate_locations():
    def site(id, name):
        return make_profile(
            id, "location", [name], addresses=[("833 6th Street", "33139")], owner="org"
        )

    a, b = site("a", "Centre - Food Programme"), site("b", "Centre - Tax Help")
    other = make_profile(
        "c", "location", ["Centre - Food"], addresses=[("833 6th St", "33139")], owner="x"
    )
    assert score(a, b, other).score >= DUPLICATE_THRESHOLD
    assert score(a, other).score < DUPLICATE_THRESHOLD


def test_blocking_pairs_records_sharing_a_phone_a_rare_word_or_an_address():
    profiles = [
        org("1", "Gunpowder Family Violence Council", phones=["410-555-0145"]),
        org("2", "GUNPOWDER FAMILY VIOLENCE COUNCIL INC"),
        org("3", "Lantern Food Collective", address=("7529 Fayette Blvd", "21234")),
        org("4", "Food Collective of Parkville", address=("7529 Fayette Boulevard", "21234")),
        org("5", "Unrelated Agency", phones=["410-555-0145"]),
        org("6", "Something Else Entirely"),
    ]
    pairs = candidate_pairs(profiles, Corpus.of(profiles))
    assert {("1", "2"), ("3", "4"), ("1", "5")} <= pairs
    assert not any("6" in pair for pair in pairs)


def test_blocking_can_be_limited_to_new_records():
    profiles = [org(str(i), "Gunpowder Council", phones=["410-555-0145"]) for i in range(4)]
    pairs = candidate_pairs(profiles, Corpus.of(profiles), only={"3"})
    assert pairs == {("0", "3"), ("1", "3"), ("2", "3")}


def test_scored_candidates_come_best_first_with_reasons():
    profiles = [
        org("a", "Unity Food Collective", phones=["410-555-0106"]),
        org("b", "UNITY FOOD COLLECTIVE, LLC", phones=["(410) 555-0106"]),
        org("c", "Unity Food Pantry"),
    ]
    found = score_profiles(profiles, min_score=0.0)
    assert (found[0].a_id, found[0].b_id) == ("a", "b")
    assert found[0].score >= DUPLICATE_THRESHOLD and found[0].reasons
    assert found == sorted(found, key=lambda c: -c.score)
