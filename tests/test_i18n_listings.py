"""Listing data in the reader's language: the needs taxonomy has Spanish names (seeded
beside the HSDS package), pages show a term's name in the page's language with English
as the fallback, and provider-written listing text carries its own language (lang="en"
on a Spanish page, WCAG 2.1 SC 3.1.2)."""

from __future__ import annotations

import re

import pytest
from accounts_helpers import make_user, sign_in
from conftest import PROJECT_ROOT
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral import create_app
from referral.directory import needs_taxonomy, seed, term_translations
from referral.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
    TaxonomyTermTranslation,
)
from referral.search.index import WhooshIndex
from referral.search.query import parse_params
from referral.search.service import search

TRANSLATIONS_CSV = PROJECT_ROOT / "seed_data" / "taxonomy_term_translations.csv"


@pytest.fixture
def tagged(session: Session) -> dict[str, str]:
    """A service at a place, tagged with a translated term and an untranslated one."""
    org = Organization(name="Harbor Food Bank", description="Groceries for the harbor.")
    pantry = TaxonomyTerm(name="Food Pantry", code="FOOD.PANTRY", description="Groceries.")
    diapers = TaxonomyTerm(name="Diaper Bank", code="X.DIAPERS", description="Diapers.")
    session.add_all([org, pantry, diapers])
    session.flush()
    session.add(
        TaxonomyTermTranslation(
            taxonomy_term_id=pantry.id, language="es", name="Despensa de alimentos"
        )
    )
    service = Service(
        name="Harbor Pantry",
        status="active",
        organization_id=org.id,
        description="Free groceries every Tuesday.",
        eligibility_description="Open to all.",
    )
    location = Location(location_type="physical", latitude=39.29, longitude=-76.61, name="Dock")
    location.addresses.append(
        Address(
            address_1="1 Pier Rd",
            city="Baltimore",
            state_province="MD",
            postal_code="21202",
            country="US",
            address_type="physical",
        )
    )
    session.add_all([service, location])
    session.flush()
    session.add(ServiceAtLocation(service_id=service.id, location_id=location.id))
    for term in (pantry, diapers):
        session.add(Attribute(link_id=service.id, link_entity="service", taxonomy_term_id=term.id))
    session.flush()
    return {"service": service.id, "pantry": pantry.id, "diapers": diapers.id, "org": org.id}


def opening_tag(html: str, text: str) -> str:
    """The opening tag of the first element in the body whose text starts with ``text``
    (<title> is plain text: it cannot mark a part's language)."""
    body = html[html.index("<body") :]
    found = re.search(r"<(\w+)([^<>]*)>\s*" + re.escape(text), body)
    assert found, f"{text!r} is not on the page"
    return found.group(0)


def page(client, path: str, lang: str) -> str:
    response = client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# The seed --------------------------------------------------------------------------


def test_every_spanish_row_has_a_name_and_a_description_and_no_english_left():
    rows = term_translations.read_csv(TRANSLATIONS_CSV)
    english = {t.code: t for t in needs_taxonomy.TERMS}
    assert [r["taxonomy_term_code"] for r in rows] == list(english)
    for row in rows:
        assert row["language"] == "es" and row["name"] and row["description"]
        same = row["name"] == english[row["taxonomy_term_code"]].name
        assert not same or row["name"] in {"WIC"}, row  # WIC is its name in Spanish too


def test_a_translations_file_without_a_required_value_is_refused_with_its_line(session, tmp_path):
    bad = tmp_path / "translations.csv"
    bad.write_text("taxonomy_term_id,language,name\nabc,es,\n", encoding="utf-8")
    with pytest.raises(term_translations.TranslationFileError, match="line 2"):
        term_translations.load_csv(session, bad)
    assert session.scalar(select(func.count()).select_from(TaxonomyTermTranslation)) == 0


def test_a_translations_file_missing_a_column_is_refused(session, tmp_path):
    bad = tmp_path / "translations.csv"
    bad.write_text("taxonomy_term_id,name\nabc,Comida\n", encoding="utf-8")
    with pytest.raises(term_translations.TranslationFileError, match="language"):
        term_translations.load_csv(session, bad)


def test_deleting_a_term_deletes_its_translations(session, tagged):
    session.delete(session.get(TaxonomyTerm, tagged["pantry"]))
    session.flush()
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(TaxonomyTermTranslation)) == 0


# Term names in the reader's language ---------------------------------------------------


def test_the_service_page_in_spanish_shows_the_spanish_term_name(client, tagged):
    html = page(client, f"/services/{tagged['service']}", "es")
    assert "Despensa de alimentos" in html
    assert "Food Pantry" not in html
    assert "lang=" not in opening_tag(html, "Despensa de alimentos")


def test_the_service_page_in_english_shows_the_english_term_name(client, tagged):
    html = page(client, f"/services/{tagged['service']}", "en")
    assert "Food Pantry" in html
    assert "Despensa" not in html
    assert "lang=" not in opening_tag(html, "Food Pantry")


def test_a_term_without_a_translation_falls_back_to_english_marked_as_english(client, tagged):
    html = page(client, f"/services/{tagged['service']}", "es")
    assert 'lang="en"' in opening_tag(html, "Diaper Bank")


def test_the_browse_filter_line_names_the_term_in_spanish(client, tagged):
    html = page(client, f"/?taxonomy_term_id={tagged['pantry']}", "es")
    assert re.search(r"<strong>Despensa de alimentos</strong>", html)


def test_the_search_category_list_is_in_spanish_and_sorted_by_the_spanish_names(client, tagged):
    html = page(client, "/search", "es")
    options = re.findall(r'<option value="[^"]+"( lang="en")?>([^<]+)</option>', html)
    names = [name for _lang, name in options]
    assert ("", "Despensa de alimentos") in options  # translated: no lang attribute
    assert (' lang="en"', "Diaper Bank") in options
    assert names.index("Despensa de alimentos") < names.index("Diaper Bank")


def test_the_freshness_report_by_service_type_names_terms_in_spanish(app, client, session, tagged):
    sign_in(app, client, make_user(session, "curator@example.org", "curator"))
    html = page(client, "/curation/freshness?by=taxonomy", "es")
    assert "<span>Despensa de alimentos</span>" in html
    assert '<span lang="en">Diaper Bank</span>' in html


# Listing text marked with its language ------------------------------------------------


def test_listing_text_is_marked_english_on_a_spanish_page(client, tagged):
    html = page(client, f"/services/{tagged['service']}", "es")
    assert 'lang="en"' in opening_tag(html, "Free groceries every Tuesday.")
    assert 'lang="en"' in opening_tag(html, "Harbor Pantry")
    assert 'lang="en"' in opening_tag(html, "Harbor Food Bank")
    assert 'lang="en"' in opening_tag(html, "Open to all.")
    assert 'lang="en"' in opening_tag(html, "Dock")


def test_listing_text_has_no_lang_attribute_on_an_english_page(client, tagged):
    html = page(client, f"/services/{tagged['service']}", "en")
    for text in ("Free groceries every Tuesday.", "Harbor Pantry", "Open to all.", "Dock"):
        assert "lang=" not in opening_tag(html, text), text


def test_the_organization_page_marks_its_description_and_service_names(client, tagged):
    html = page(client, f"/organizations/{tagged['org']}", "es")
    assert 'lang="en"' in opening_tag(html, "Groceries for the harbor.")
    assert 'lang="en"' in opening_tag(html, "Harbor Pantry")


def test_a_listing_language_other_than_english_is_marked_on_english_pages(
    connection, database_url, tmp_path, tagged
):
    from sqlalchemy.orm import sessionmaker

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "LISTING_LANGUAGE": "es",
        }
    )
    app.extensions["referral.sessionmaker"] = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        client = app.test_client()
        english = page(client, f"/services/{tagged['service']}", "en")
        spanish = page(client, f"/services/{tagged['service']}", "es")
    finally:
        app.extensions["referral.engine"].dispose()
    assert 'lang="es"' in opening_tag(english, "Free groceries every Tuesday.")
    assert "lang=" not in opening_tag(spanish, "Free groceries every Tuesday.")


@pytest.mark.parametrize("value", ["english", "e n", " ", "en_US!"])
def test_a_listing_language_that_is_not_a_language_code_is_refused(tmp_path, value):
    settings = {"INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x", "LISTING_LANGUAGE": value}
    with pytest.raises(ValueError, match="REFERRAL_LISTING_LANGUAGE"):
        create_app(settings)


# Search ---------------------------------------------------------------------------------


def test_a_spanish_term_name_finds_the_services_tagged_with_it(session, tagged, tmp_path):
    index = WhooshIndex(tmp_path / "search-index")
    try:
        index.rebuild(session)
        found = search(session, parse_params({"q": "despensa"}), index)
    finally:
        index.close()
    assert [r.service_name for r in found.results] == ["Harbor Pantry"]


def test_the_index_is_told_when_a_term_gets_a_new_translation(session, tagged):
    from referral.search.models import SearchChange

    before = session.scalar(select(func.max(SearchChange.id))) or 0
    session.add(
        TaxonomyTermTranslation(taxonomy_term_id=tagged["diapers"], language="es", name="Pañales")
    )
    session.flush()
    logged = session.scalars(select(SearchChange).where(SearchChange.id > before)).all()
    assert any(change.taxonomy_term_id == tagged["diapers"] for change in logged)


def test_analytics_freshness_tables_name_terms_in_spanish_and_mark_organizations(
    app, client, session, tagged
):
    sign_in(app, client, make_user(session, "root@example.org", "system_admin"))
    html = page(client, "/analytics", "es")
    assert '<th scope="row">Despensa de alimentos</th>' in html
    assert '<th scope="row" lang="en">Diaper Bank</th>' in html
    assert '<th scope="row" lang="en">Harbor Food Bank</th>' in html


# The seeded sample (last: its module-wide transaction holds SQLite's write lock) ------


def test_the_seed_loads_a_spanish_name_for_every_term_of_the_needs_taxonomy(seeded_session):
    terms = select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy == needs_taxonomy.TAXONOMY_KEY)
    term_count = seeded_session.scalar(select(func.count()).select_from(terms.subquery()))
    spanish = seeded_session.scalar(
        select(func.count())
        .select_from(TaxonomyTermTranslation)
        .where(
            TaxonomyTermTranslation.language == "es",
            TaxonomyTermTranslation.taxonomy_term_id.in_(terms),
        )
    )
    assert term_count == len(needs_taxonomy.TERMS) == 90
    assert spanish == term_count
    pantry = seeded_session.scalar(
        select(TaxonomyTermTranslation.name)
        .join(TaxonomyTerm, TaxonomyTerm.id == TaxonomyTermTranslation.taxonomy_term_id)
        .where(TaxonomyTerm.code == "FOOD.SNAP", TaxonomyTermTranslation.language == "es")
    )
    assert pantry == "Ayuda para solicitar SNAP"


def test_loading_the_translations_again_changes_nothing(seeded_session):
    seeded_session.flush()
    assert seed.load_term_translations(seeded_session) == len(needs_taxonomy.TERMS)
    assert not seeded_session.new and not seeded_session.dirty
