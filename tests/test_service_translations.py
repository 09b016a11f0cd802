"""A service's client-facing text in Spanish, written by its provider: stored per field
beside the HSDS tables (never exported), edited on its own page with the editor's
checks and audit trail, flagged when the English text changes after it, shown to
Spanish readers (service page, search cards, match results, the lists sent to
clients) with the English text as the fallback, and searchable in Spanish."""

from __future__ import annotations

import re

import pytest
from accounts_helpers import make_org, make_user, sign_in
from sqlalchemy import func, select

from referral.directory import models as dm
from referral.directory import seed
from referral.directory import service_translations as st
from referral.search.index import WhooshIndex
from referral.search.models import SearchChange
from referral.search.query import parse_params
from referral.search.service import search

SPANISH = {
    "name": "Despensa del Puerto",
    "description": "Comestibles gratis todos los martes, con frutas y verduras frescas.",
}


@pytest.fixture
def harbor(session):
    organization = make_org(session, "Harbor Food Bank")
    location = dm.Location(location_type="physical", name="Dock", organization_id=organization.id)
    location.latitude, location.longitude = 39.29, -76.61
    location.addresses = [
        dm.Address(
            address_1="1 Pier Rd", city="Baltimore", state_province="MD",
            postal_code="21202", country="US", address_type="physical",
        )
    ]  # fmt: skip
    service = dm.Service(
        name="Harbor Pantry",
        status="active",
        organization_id=organization.id,
        description="Free groceries every Tuesday.",
        eligibility_description="Open to all.",
        fees_description="No cost.",
        application_process="Walk in.",
    )
    session.add_all([location, service])
    session.flush()
    session.add(dm.ServiceAtLocation(service_id=service.id, location_id=location.id))
    session.flush()
    return organization, service


@pytest.fixture
def translated(session, harbor):
    _, service = harbor
    session.info["actor"] = "pat@harbor.example"
    st.save(session, service, "es", SPANISH)
    session.flush()
    return service


@pytest.fixture
def staff(app, client, session, harbor):
    user = make_user(session, "pat@harbor.example", "provider_staff", harbor[0].id)
    sign_in(app, client, user)
    return user


def page(client, path: str, lang: str) -> str:
    response = client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def opening_tag(html: str, text: str) -> str:
    body = html[html.index("<body") :]
    found = re.search(r"<(\w+)([^<>]*)>\s*" + re.escape(text), body)
    assert found, f"{text!r} is not on the page"
    return found.group(0)


# Storage and the audit trail ----------------------------------------------------------


def test_saving_stores_one_row_per_written_field_and_audits_each(session, translated):
    rows = st.rows_for(session, translated.id, "es")
    assert {f: r.text for f, r in rows.items()} == SPANISH
    assert {r.updated_by for r in rows.values()} == {"pat@harbor.example"}
    trail = session.scalars(
        select(dm.Metadata).where(dm.Metadata.resource_id == st.audit_id(translated.id, "es"))
    ).all()
    assert sorted((m.field_name, m.last_action_type, m.replacement_value) for m in trail) == [
        ("description", "create", SPANISH["description"]),
        ("name", "create", SPANISH["name"]),
    ]


def test_an_empty_field_removes_its_translation_and_the_removal_is_audited(session, translated):
    saved = st.save(session, translated, "es", {"name": SPANISH["name"], "description": ""})
    session.flush()
    assert saved.changed == ("description",)
    assert set(st.rows_for(session, translated.id, "es")) == {"name"}
    removal = session.scalars(
        select(dm.Metadata).where(dm.Metadata.last_action_type == "delete")
    ).one()
    assert removal.field_name == "description" and removal.previous_value.startswith("Comestibles")


def test_a_translation_older_than_the_english_text_is_stale_until_confirmed(session, translated):
    assert st.stale_fields(translated, st.rows_for(session, translated.id, "es")) == []
    translated.description = "Free groceries every Tuesday and Thursday."
    session.flush()
    assert st.stale_fields(translated, st.rows_for(session, translated.id, "es")) == ["description"]
    st.save(session, translated, "es", SPANISH, confirm=["description"])
    session.flush()
    assert st.stale_fields(translated, st.rows_for(session, translated.id, "es")) == []


def test_translations_go_when_their_service_is_deleted(session, translated):
    session.execute(dm.Service.__table__.delete().where(dm.Service.id == translated.id))
    count = select(func.count()).select_from(dm.ServiceTranslation)
    assert session.scalar(count) == 0


def test_the_hsds_api_and_export_do_not_carry_translations(client, session, translated):
    body = client.get(f"/hsds/services/{translated.id}").get_data(as_text=True)
    assert "Harbor Pantry" in body
    assert "Despensa" not in body and "Comestibles" not in body


def test_a_changed_translation_asks_the_index_to_rebuild_its_service(session, translated):
    before = session.scalar(select(func.max(SearchChange.id))) or 0
    st.save(session, translated, "es", {**SPANISH, "fees_description": "Gratis."})
    session.flush()
    logged = session.scalars(select(SearchChange).where(SearchChange.id > before)).all()
    assert [c.service_id for c in logged] == [translated.id]


# The provider's page ----------------------------------------------------------------


def test_the_editor_links_to_the_spanish_page_with_what_is_written(client, translated, staff):
    html = client.get(f"/provider/services/{translated.id}/edit").get_data(as_text=True)
    assert f"/provider/services/{translated.id}/translations/es" in html
    assert "2 of 5 fields written" in html


def test_staff_write_the_spanish_text_beside_the_english_it_translates(
    client, session, harbor, staff
):
    _, service = harbor
    url = f"/provider/services/{service.id}/translations/es"
    html = page(client, url, "en")
    assert "Free groceries every Tuesday." in html  # the English text, to translate
    assert '<blockquote class="prose translation-source">Free groceries' in html
    assert re.search(r'<textarea id="description" name="description" rows="4" lang="es"', html)
    spanish_page = page(client, url, "es")
    assert '<blockquote class="prose translation-source" lang="en">Free groceries' in spanish_page
    form = {"name": "Despensa del Puerto", "fees_description": "  Gratis.  "}
    response = client.post(url, data=form)
    assert response.status_code == 303
    session.expire_all()
    rows = st.rows_for(session, service.id, "es")
    assert {f: r.text for f, r in rows.items()} == {
        "name": "Despensa del Puerto",
        "fees_description": "Gratis.",
    }
    assert rows["name"].updated_by == "pat@harbor.example"


def test_too_long_a_spanish_text_is_refused_with_the_field_named(client, session, harbor, staff):
    _, service = harbor
    url = f"/provider/services/{service.id}/translations/es"
    response = client.post(url, data={"name": "x" * 251, "description": "Bien."})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html and "Keep this under 250 characters." in html
    assert 'aria-invalid="true"' in html
    assert st.rows_for(session, service.id, "es") == {}


def test_the_page_says_which_translations_are_older_than_the_english(
    client, session, translated, staff
):
    translated.fees_description = "Free."
    st.save(session, translated, "es", {**SPANISH, "fees_description": "Gratis."})
    translated.fees_description = "$5 a visit."
    session.flush()
    url = f"/provider/services/{translated.id}/translations/es"
    html = page(client, url, "en")
    assert html.count("changed after this translation was written") == 1
    assert 'id="fees_description-stale"' in html and 'name="confirm-fees_description"' in html
    editor = client.get(f"/provider/services/{translated.id}/edit").get_data(as_text=True)
    assert "is older than the listing" in editor
    client.post(
        url, data={**SPANISH, "fees_description": "Gratis.", "confirm-fees_description": "1"}
    )
    assert "changed after this translation" not in page(client, url, "en")


def test_staff_of_another_organization_cannot_translate_the_service(app, session, harbor):
    _, service = harbor
    other = make_org(session, "Elsewhere")
    browser = app.test_client()
    sign_in(app, browser, make_user(session, "sam@else.example", "provider_staff", other.id))
    url = f"/provider/services/{service.id}/translations/es"
    assert browser.get(url).status_code == 403
    assert browser.post(url, data={"name": "Robado"}).status_code == 403
    assert st.rows_for(session, service.id, "es") == {}


def test_someone_whose_claim_is_pending_cannot_translate_yet(app, session, harbor):
    from referral.provider.models import OrganizationClaim

    organization, service = harbor
    hopeful = make_user(session, "hopeful@gmail.com")
    session.add(OrganizationClaim(organization_id=organization.id, user_id=hopeful.id))
    session.flush()
    browser = app.test_client()
    sign_in(app, browser, hopeful)
    assert browser.get(f"/provider/services/{service.id}/translations/es").status_code == 403


def test_only_the_offered_languages_besides_the_listings_own_can_be_written(client, harbor, staff):
    _, service = harbor
    assert client.get(f"/provider/services/{service.id}/translations/en").status_code == 404
    assert client.get(f"/provider/services/{service.id}/translations/fr").status_code == 404


def test_a_curator_may_translate_any_service(app, session, harbor):
    _, service = harbor
    browser = app.test_client()
    sign_in(app, browser, make_user(session, "cora@agency.example", "curator"))
    url = f"/provider/services/{service.id}/translations/es"
    assert browser.post(url, data={"name": "Despensa"}).status_code == 303


# Readers ----------------------------------------------------------------------------


def test_the_spanish_service_page_shows_the_spanish_text_and_falls_back_to_english(
    client, translated
):
    html = page(client, f"/services/{translated.id}", "es")
    assert '<h1 id="service-name">Despensa del Puerto</h1>' in html
    assert f'<p class="prose">{SPANISH["description"]}</p>' in html
    assert '<p class="prose" lang="en">Open to all.</p>' in html  # not translated
    assert "<title>Despensa del Puerto" in html


def test_the_english_service_page_keeps_the_english_text(client, translated):
    html = page(client, f"/services/{translated.id}", "en")
    assert '<h1 id="service-name">Harbor Pantry</h1>' in html
    assert "Despensa" not in html and "Comestibles" not in html


def test_spanish_search_cards_name_the_service_in_spanish_in_one_query(
    client, translated, monkeypatch
):
    calls = []
    original = st.texts_for

    def counted(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(st, "texts_for", counted)
    html = page(client, "/search?q=groceries", "es")
    assert opening_tag(html, SPANISH["name"]).startswith("<a href=")
    assert 'lang="en">Despensa' not in html
    assert len(calls) == 1


def test_match_results_name_the_service_in_spanish(client, session, translated):
    from referral.directory.models import Attribute, TaxonomyTerm

    term = TaxonomyTerm(name="Food Pantry", code="FOOD.PANTRY", description="Groceries.")
    session.add(term)
    session.flush()
    session.add(Attribute(link_id=translated.id, link_entity="service", taxonomy_term_id=term.id))
    session.flush()
    html = page(client, "/match?need=food-insecurity&lat=39.29&lon=-76.61", "es")
    assert SPANISH["name"] in html
    assert ">Harbor Pantry</a>" not in html


def test_search_finds_a_service_by_its_spanish_description(session, translated, tmp_path):
    index = WhooshIndex(tmp_path / "search-index")
    try:
        index.rebuild(session)
        found = search(session, parse_params({"q": "verduras frescas"}), index)
    finally:
        index.close()
    assert [r.service_id for r in found.results] == [translated.id]


# Sharing with a client ----------------------------------------------------------------


def test_the_list_for_a_spanish_reading_client_names_the_service_in_spanish(session):
    from referrals_helpers import make_world

    from referral.referrals import share

    world = make_world(session, tag="-translated")
    service = session.get(dm.Service, world.place.service_id)
    st.save(session, service, "es", {"name": "Despensa del Puerto"})
    session.flush()
    spanish = share.items_for(session, [world.place.id], world_today(), "es", "en")
    english = share.items_for(session, [world.place.id], world_today(), "en", "en")
    assert spanish[0].name == "Despensa del Puerto" and spanish[0].name.language == "es"
    assert english[0].name == service.name
    texts = share.build_texts(spanish, "es", "Ana", "Eastside Navigators")
    assert "Despensa del Puerto" in texts.sms and "Despensa del Puerto" in texts.email_list


def test_the_share_page_shows_the_spanish_name_without_an_english_mark(app, client, session):
    from referrals_helpers import make_world

    world = make_world(session, tag="-translated-page")
    service = session.get(dm.Service, world.place.service_id)
    st.save(session, service, "es", {"name": "Despensa del Puerto"})
    session.flush()
    sign_in(app, client, world.case_manager)
    html = page(client, f"/clients/{world.client.id}/share?sal={world.place.id}", "en")
    assert "<h3>Despensa del Puerto</h3>" in html  # within the lang="es" sheet


def world_today():
    from datetime import UTC, datetime

    return datetime.now(UTC).date()


# The sample -------------------------------------------------------------------------


def test_the_sample_file_names_only_known_fields_in_spanish():
    import csv

    with (seed.SEED_DATA / seed.SERVICE_TRANSLATIONS_FILE).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len({r["service_id"] for r in rows}) >= 5
    assert {r["field"] for r in rows} == set(st.FIELDS)
    assert {r["language"] for r in rows} == {"es"}
    assert all(len(r["text"]) <= st.LIMITS[r["field"]] for r in rows)


def test_the_seed_loads_the_sample_translations_once(seeded_session):
    assert seed.load_service_translations(seeded_session) == 30
    seeded_session.flush()
    count = select(func.count()).select_from(dm.ServiceTranslation)
    assert seeded_session.scalar(count) == 30
    assert seed.load_service_translations(seeded_session) == 0
    assert not seeded_session.new and not seeded_session.dirty
    pantry = seeded_session.scalar(
        select(dm.ServiceTranslation.text).where(
            dm.ServiceTranslation.field == "name",
            dm.ServiceTranslation.text == "Despensa del Barrio",
        )
    )
    assert pantry == "Despensa del Barrio"
