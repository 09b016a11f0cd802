"""Spanish: the catalogs are complete and compiled, and the language follows the
user's choice (?lang=, remembered in a cookie) or else the browser."""

from __future__ import annotations

from datetime import date

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from conftest import PROJECT_ROOT
from sqlalchemy.orm import Session

from referral.directory.models import Organization, Service
from referral.i18n import COOKIE

TRANSLATIONS = PROJECT_ROOT / "translations"
CATALOGS = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def load_po(path):
    with path.open("rb") as handle:
        return read_po(handle)


def hashable(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def extracted_msgids() -> set[str]:
    """What ``make translations`` would extract from the code and templates now."""
    with (PROJECT_ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    )
    ids = set()
    for _filename, _lineno, message, _comments, _context in found:
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_there_is_a_spanish_catalog():
    assert TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po" in CATALOGS


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.parts[-3])
def test_every_message_is_translated_and_none_is_fuzzy(po_path):
    catalog = load_po(po_path)
    untranslated = [
        m.id for m in catalog if m.id and not (all(m.string) if m.pluralizable else m.string)
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [], "translate these (then `make translations`)"
    assert fuzzy == [], "check these fuzzy translations and drop the fuzzy flag"


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.parts[-3])
def test_translations_keep_the_placeholders_of_the_english(po_path):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in load_po(po_path).check()]
    assert problems == []


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.parts[-3])
def test_the_compiled_catalog_matches_its_po_file(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run `make translations` to compile {mo_path.name}"
    with mo_path.open("rb") as handle:
        compiled = {
            (m.context, hashable(m.id)): hashable(m.string) for m in read_mo(handle) if m.id
        }
    source = {(m.context, hashable(m.id)): hashable(m.string) for m in load_po(po_path) if m.id}
    assert compiled == source, "the .mo is stale: run `make translations`"


def test_every_string_in_the_code_and_templates_is_in_the_catalogs():
    extracted = extracted_msgids()
    for po_path in CATALOGS:
        known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in load_po(po_path)}
        missing = sorted(extracted - known)
        assert missing == [], f"new strings not in {po_path}: run `make translations`"


# The pages ------------------------------------------------------------------------


def make_service(session: Session) -> Service:
    org = Organization(name="Harbor Food Bank", description="Food for all.")
    service = Service(
        name="Weekend Groceries",
        organization=org,
        status="temporarily closed",
        assured_date=date(2026, 3, 5),
    )
    session.add(service)
    session.flush()
    return service


def test_pages_default_to_english(client, session):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Browse services" in html


def test_the_browser_language_picks_spanish(client, session):
    response = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Explorar servicios" in html
    assert "Saltar al contenido principal" in html
    assert "Accept-Language" in response.headers["Vary"]


def test_an_unsupported_browser_language_falls_back_to_english(client, session):
    html = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_choosing_spanish_is_remembered_in_a_cookie_over_the_browser_language(client, session):
    chosen = client.get("/?lang=es", headers={"Accept-Language": "en"})
    assert f"{COOKIE}=es" in chosen.headers["Set-Cookie"]
    later = client.get("/search", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="es">' in later
    assert "¿Qué necesita?" in later


def test_the_language_switch_links_to_the_same_page_in_the_other_language(client, session):
    html = client.get("/search?q=food").get_data(as_text=True)
    assert 'aria-label="Language"' in html
    assert 'href="/search?q=food&amp;lang=es" lang="es" hreflang="es">Español</a>' in html
    assert '<span lang="en" aria-current="true">English</span>' in html


def test_service_page_shows_dates_and_statuses_in_spanish(client, session):
    service = make_service(session)
    html = client.get(f"/services/{service.id}?lang=es").get_data(as_text=True)
    assert "5 de marzo de 2026" in html
    assert "Cerrado temporalmente" in html
    assert "Quién puede recibir ayuda" in html
    english = client.get(f"/services/{service.id}?lang=en").get_data(as_text=True)
    assert "March 5, 2026" in english


def test_error_pages_are_translated(client, session):
    response = client.get("/services/nope?lang=es")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Ningún servicio tiene esta dirección" in html
    assert "Ir a la lista de servicios" in html


def test_search_form_messages_are_translated(client, session):
    response = client.get("/search?q=food&near=nowhere&lang=es")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Escriba un código postal de 5 dígitos" in html


def test_search_language_choices_are_named_and_sorted_in_spanish(client, session):
    html = client.get("/search?lang=es").get_data(as_text=True)
    html = html[html.index('id="language"') :]
    assert html.index(">Árabe<") < html.index(">Chino<") < html.index(">Español<")


def test_plural_counts_read_naturally_in_spanish(client, session):
    make_service(session)
    html = client.get("/?status=all&lang=es").get_data(as_text=True)
    assert "Se muestra 1–1 de 1 servicio" in html


def test_the_sign_in_form_is_in_spanish(client, session):
    html = client.get("/login?lang=es").get_data(as_text=True)
    assert "<h1>Iniciar sesión</h1>" in html
    assert '<label for="password">Contraseña</label>' in html
    assert "El directorio público no necesita una cuenta." in html


def test_the_match_form_names_needs_and_choices_in_spanish(client, session):
    html = client.get("/match?lang=es").get_data(as_text=True)
    assert "Buscar servicios para un cliente" in html
    assert "Inseguridad alimentaria" in html
    assert ">Pronto</option>" in html
    assert "Food insecurity" not in html
