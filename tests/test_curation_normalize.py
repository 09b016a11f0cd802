"""Normal forms of names, phones, addresses and websites for duplicate detection."""

from __future__ import annotations

import pytest

from referral.curation import normalize as n


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("GIRL SCOUTS COUNCIL, INC.", "Girl Scouts Council"),
        ("Acme Corp.", "ACME CORPORATION"),
        ("Boys & Girls Club", "Boys and Girls Club"),
        ("St. Ambrose Community Association", "Saint Ambrose Community Association"),
        ("The Lantern Food Collective", "Lantern Food Collective LLC"),
        ("Veterans' Alliance", "Veterans Alliance"),
        ("Café Esperanza", "Cafe Esperanza"),
        ("2nd Chance House", "Second Chance House"),
    ],
)
def test_names_that_differ_only_in_form_normalize_alike(left, right):
    assert n.normalize_name(left) == n.normalize_name(right)


def test_jurisdiction_words_stay_in_the_name_and_tell_bodies_apart():
    city = n.name_tokens("Baltimore City Health Department")
    county = n.name_tokens("Baltimore County Health Department")
    assert n.normalize_name("Baltimore City Health Department") != n.normalize_name(
        "Baltimore County Health Department"
    )
    assert n.distinguishing_tokens(city) ^ n.distinguishing_tokens(county) == {"city", "county"}


def test_numbers_and_roman_numerals_are_distinguishing():
    tokens = n.name_tokens("Harbor Hope Shelter II - Station 19")
    assert n.distinguishing_tokens(tokens) == {"ii", "19"}


@pytest.mark.parametrize(
    "raw", ["(410) 555-0100", "410.555.0100", "+1 410 555 0100", "4105550100", "410-555-0100"]
)
def test_phone_formats_become_one_e164_number(raw):
    assert n.normalize_phone(raw) == "+14105550100"


@pytest.mark.parametrize("raw", [None, "", "call us", "12"])
def test_what_is_not_a_phone_number_normalizes_to_none(raw):
    assert n.normalize_phone(raw) is None


def test_addresses_agree_across_abbreviation_case_directionals_and_suites():
    long = n.address_key("400 South Monroe Street, Suite 2", "32399-1234")
    short = n.address_key("400 S MONROE ST", "32399")
    assert long == short == "400 s monroe st|32399"
    assert n.normalize_street("1500 NW 12th Avenue") == "1500 nw 12 ave"


def test_an_address_without_a_number_is_not_compared():
    assert n.address_key("Downtown", "21201") is None


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.example.org/",
        "http://example.org",
        "www.example.org",
        "EXAMPLE.org/index.html",
    ],
)
def test_websites_lose_scheme_www_case_and_index_pages(raw):
    assert n.normalize_website(raw) == "example.org"


def test_website_paths_are_kept_and_public_domains_flagged():
    assert n.normalize_website("http://www.miamidade.gov/parks/") == "miamidade.gov/parks"
    assert n.website_domain("miamidade.gov/parks") == "miamidade.gov"
    assert n.is_shared_domain("miamidade.gov") and not n.is_shared_domain("example.org")
    assert n.normalize_website("not a site") is None
