"""The interface language on the user's account: how a request's language is chosen
(?lang= > account > cookie > Accept-Language > English), the header switch saving it
on the account, the account page and /api/v1/me setting it, and staff e-mails written
in it (templates and the words built in Python)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from accounts_helpers import make_user, sign_in
from flask_login import login_user
from notify_helpers import connection, isolating_engine  # noqa: F401 - fixtures
from playwright.sync_api import expect
from referrals_helpers import NOW, bearer, make_world, move, send
from sqlalchemy import select

from referral import db
from referral.accounts import users
from referral.accounts.models import AGENCY_ADMIN, User
from referral.i18n import COOKIE, select_locale
from referral.notify import jobs
from referral.notify.models import OutboxMessage
from referral.notify.settings import NotifySettings
from referral.referrals import states

SPANISH_PAGE = '<html lang="es">'
ENGLISH_PAGE = '<html lang="en">'


def person(session, email: str, language: str | None = None) -> User:
    user = make_user(session, email, "case_manager")
    user.language = language
    session.flush()
    return user


def language_of(session, user: User) -> str | None:
    session.expire(user)
    return user.language


# --- choosing a request's language ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "account", "cookie", "browser", "expected"),
    [
        ("?lang=en", "es", "es", "es", "en"),  # the page's switch wins
        ("", "es", "en", "en", "es"),  # then the account
        ("", None, "es", "en", "es"),  # then the cookie
        ("", None, None, "es-MX,es;q=0.9", "es"),  # then the browser
        ("", None, None, "de-DE", "en"),  # then English
        ("?lang=fr", "es", "en", "en", "es"),  # an unknown choice is no choice
    ],
)
def test_the_language_is_the_switch_then_the_account_then_the_cookie_then_the_browser(
    app, session, query, account, cookie, browser, expected
):
    user = person(session, f"order-{uuid.uuid4().hex[:6]}@example.org", account)
    headers = {"Accept-Language": browser}
    if cookie:
        headers["Cookie"] = f"{COOKIE}={cookie}"
    with app.test_request_context(f"/{query}", headers=headers):
        login_user(user)
        assert select_locale() == expected


def test_a_signed_out_visitor_keeps_the_cookie_over_the_browser(client, session):
    client.set_cookie(COOKIE, "es")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert SPANISH_PAGE in html


def test_the_account_language_wins_over_the_cookie_and_the_browser(app, client, session):
    user = person(session, "spanish@example.org", "es")
    sign_in(app, client, user)
    client.set_cookie(COOKIE, "en")
    html = client.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert SPANISH_PAGE in html and "Su cuenta" in html


# --- the header switch saves the choice on the account --------------------------------


def test_switching_while_signed_in_saves_the_language_and_it_follows_to_a_new_device(
    app, client, session
):
    user = make_user(session, "switcher@example.org", "case_manager")
    sign_in(app, client, user)
    response = client.get("/search?lang=es", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert f"{COOKIE}=es" in response.headers["Set-Cookie"]  # the cookie as before
    assert language_of(session, user) == "es"

    elsewhere = app.test_client()  # another device: no cookie, an English browser
    sign_in(app, elsewhere, user)
    html = elsewhere.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert SPANISH_PAGE in html and "Su cuenta" in html


def test_a_link_from_another_site_shows_the_language_but_does_not_save_it(app, client, session):
    user = make_user(session, "linked@example.org", "case_manager")
    sign_in(app, client, user)
    response = client.get("/search?lang=es", headers={"Sec-Fetch-Site": "cross-site"})
    assert SPANISH_PAGE in response.get_data(as_text=True)
    assert language_of(session, user) is None
    client.get("/search?lang=es", headers={"Sec-Fetch-Site": "same-origin"})
    assert language_of(session, user) == "es"


def test_switching_back_to_english_is_saved_too(app, client, session):
    user = person(session, "back@example.org", "es")
    sign_in(app, client, user)
    assert ENGLISH_PAGE in client.get("/?lang=en").get_data(as_text=True)
    assert language_of(session, user) == "en"


def test_a_signed_out_switch_and_an_unknown_language_save_nothing(app, client, session):
    user = make_user(session, "quiet@example.org", "case_manager")
    client.get("/?lang=es")
    assert language_of(session, user) is None
    sign_in(app, client, user)
    client.get("/?lang=fr")
    assert language_of(session, user) is None


def test_an_api_token_asking_for_spanish_does_not_change_the_account(client, session):
    user = make_user(session, "script@example.org", "case_manager")
    response = client.get("/api/v1/me?lang=es", headers=bearer(session, user))
    assert response.status_code == 200
    assert language_of(session, user) is None


# --- the account page ------------------------------------------------------------------


def test_the_account_page_offers_the_languages_with_the_current_one_selected(app, client, session):
    user = person(session, "form@example.org", "es")
    sign_in(app, client, user)
    html = client.get("/account").get_data(as_text=True)
    form = html[html.index('action="/account/language"') :]
    form = form[: form.index("</form>")]
    assert 'name="csrf_token"' in form
    assert '<option value="es" lang="es" selected>Español</option>' in form
    assert '<option value="">' in form  # "the language of this browser": no choice


def test_the_account_form_saves_the_language(app, client, session):
    user = make_user(session, "saver@example.org", "case_manager")
    sign_in(app, client, user)
    response = client.post("/account/language", data={"language": "es"})
    assert response.status_code == 303 and response.location.endswith("/account")
    assert f"{COOKIE}=es" in response.headers["Set-Cookie"]
    assert language_of(session, user) == "es"
    html = client.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert SPANISH_PAGE in html and "Se guardó su idioma." in html


def test_the_account_form_can_forget_the_choice(app, client, session):
    user = person(session, "forget@example.org", "es")
    sign_in(app, client, user)
    assert client.post("/account/language", data={"language": ""}).status_code == 303
    assert language_of(session, user) is None


@pytest.mark.parametrize("value", ["fr", "ES", "es-MX", "x" * 500])
def test_the_account_form_rejects_an_unknown_language_and_keeps_the_old_one(
    app, client, session, value
):
    user = person(session, f"bad-{uuid.uuid4().hex[:6]}@example.org", "en")
    sign_in(app, client, user)
    response = client.post("/account/language", data={"language": value})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert" id="language-error">Choose one of the languages in the list.' in html
    assert language_of(session, user) == "en"


def test_the_account_form_needs_a_csrf_token(app, client, session):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user(session, "csrf@example.org", "case_manager")
    sign_in(app, client, user)
    assert client.post("/account/language", data={"language": "es"}).status_code == 400
    assert language_of(session, user) is None
    page = client.get("/account").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/account/language", data={"language": "es", "csrf_token": token})
    assert response.status_code == 303
    assert language_of(session, user) == "es"


def test_signed_out_the_account_form_asks_to_sign_in(client, session):
    response = client.post("/account/language", data={"language": "es"})
    assert response.status_code == 303 and "/login" in response.location


# --- /api/v1/me --------------------------------------------------------------------------


def test_the_api_tells_and_sets_the_language_with_any_token(client, session):
    user = make_user(session, "api@example.org", "case_manager")
    headers = bearer(session, user, scopes="directory:read")
    assert client.get("/api/v1/me", headers=headers).json["language"] is None
    response = client.patch("/api/v1/me", json={"language": "es"}, headers=headers)
    assert response.status_code == 200 and response.json["language"] == "es"
    assert language_of(session, user) == "es"
    response = client.patch("/api/v1/me", json={"language": None}, headers=headers)
    assert response.json["language"] is None and language_of(session, user) is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "fr"}, "language"),
        ({"language": ""}, "language"),
        ({"language": 1}, "language"),
        ({"name": "Someone else"}, "name"),
        ({}, "body"),
        (["es"], "body"),
    ],
)
def test_the_api_rejects_bad_changes_with_a_problem_naming_the_field(client, session, body, field):
    user = person(session, f"api-{uuid.uuid4().hex[:6]}@example.org", "en")
    response = client.patch("/api/v1/me", json=body, headers=bearer(session, user))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["field"] == field
    assert language_of(session, user) == "en"


def test_the_api_takes_no_session_cookie_for_the_change(app, client, session):
    user = make_user(session, "cookie-api@example.org", "case_manager")
    sign_in(app, client, user)
    assert client.patch("/api/v1/me", json={"language": "es"}).status_code == 401
    assert language_of(session, user) is None


# --- staff e-mails in the recipient's language -------------------------------------------


def _mail(session, referral_id: str, kind: str, to: str) -> OutboxMessage:
    return session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.related_id == referral_id,
            OutboxMessage.kind == kind,
            OutboxMessage.to_address == to,
        )
    ).one()


def test_a_new_referral_reaches_spanish_and_english_staff_each_in_their_language(app):
    with app.app_context():
        session = db.session()
        world = make_world(session)
        colleague = make_user(session, "colega@example.org", "provider_staff", world.provider.id)
        colleague.language = "es"
        referral = send(session, world)
        spanish = _mail(session, referral.id, "referral-requested", colleague.email)
        english = _mail(session, referral.id, "referral-requested", world.staff.email)

    assert spanish.language == "es"
    assert spanish.subject.startswith("Nueva remisión para Harbor Food Bank")
    assert spanish.body.startswith("Hola Colega:")
    assert "Necesidad: Inseguridad alimentaria" in spanish.body
    assert "viernes, 20 de noviembre de 2026, 15:00 UTC" in spanish.body
    assert "Aceptar:" in spanish.body and spanish.body.count("/r/") == 2

    assert english.language == "en"
    assert english.subject.startswith("New referral for Harbor Food Bank")
    assert "Need:      Food insecurity" in english.body
    assert "Friday, November 20, 2026, 15:00 UTC" in english.body


def test_a_spanish_page_does_not_leak_into_an_english_recipients_mail(app):
    """The case manager sends from a page in Spanish; the provider chose no language."""
    with app.test_request_context("/?lang=es"):
        session = db.session()
        world = make_world(session)
        referral = send(session, world)
        english = _mail(session, referral.id, "referral-requested", world.staff.email)
    assert english.language == "en"
    assert "Food insecurity" in english.body and "Inseguridad" not in english.body


def test_the_referrer_hears_of_an_answer_in_spanish_with_status_and_outcome_in_spanish(app):
    with app.app_context():
        session = db.session()
        world = make_world(session)
        world.case_manager.language = "es"
        referral = send(session, world)
        move(session, world, referral, states.REJECTED, reason="Sin cupo esta semana")
        mail = _mail(session, referral.id, "referral-updated", world.case_manager.email)
        helped = send(session, world, key="key-2")
        move(session, world, helped, states.ACCEPTED)
        move(session, world, helped, states.COMPLETED, outcome="got-help")
        done = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.related_id == helped.id,
                OutboxMessage.kind == "referral-updated",
            )
        ).all()

    assert mail.language == "es"
    assert mail.subject == f"La remisión {referral.id[:8]} ahora está rechazada"
    assert "de solicitada a rechazada" in mail.body
    assert "Motivo:    Sin cupo esta semana" in mail.body
    completed = next(m for m in done if "completada" in m.subject)
    assert "Resultado: Recibió ayuda" in completed.body


def test_the_provider_hears_of_a_withdrawal_in_english_without_a_language(app):
    with app.app_context():
        session = db.session()
        world = make_world(session)
        referral = send(session, world)
        move(session, world, referral, states.CANCELLED, reason="Client moved away")
        mail = _mail(session, referral.id, "referral-withdrawn", world.staff.email)
    assert mail.language == "en"
    assert mail.subject == f"Referral {referral.id[:8]} was cancelled by the referrer"


def test_the_withdrawal_and_the_unattended_notice_in_spanish(app):
    with app.app_context():
        session = db.session()
        world = make_world(session)
        world.staff.language = "es"
        referral = send(session, world)
        move(session, world, referral, states.ENTERED_IN_ERROR, reason="Error de captura")
        withdrawn = _mail(session, referral.id, "referral-withdrawn", world.staff.email)

        lonely = make_world(session, tag="-solo")
        lonely.case_manager.language = "es"
        lonely.staff.memberships.clear()
        session.flush()
        unanswered = send(session, lonely)
        unattended = _mail(session, unanswered.id, "referral-unattended", lonely.case_manager.email)

    assert withdrawn.subject.endswith("fue registrada por error por quien la envió")
    assert "Motivo: Error de captura" in withdrawn.body
    assert unattended.language == "es"
    assert "nadie en Harbor Food Bank-solo" in unattended.subject


def test_worker_reminders_follow_each_recipients_language(app):
    settings = NotifySettings(follow_up_days=7)
    with app.app_context():
        session = db.session()
        world = make_world(session)
        world.case_manager.language = "es"
        admin = make_user(session, "admin-en@example.org", AGENCY_ADMIN, world.provider.id)
        overdue = send(session, world)
        assert jobs.flag_overdue(session, settings, NOW + timedelta(days=2, minutes=1)) == 1
        to_referrer = _mail(session, overdue.id, "referral-overdue", world.case_manager.email)
        to_admin = _mail(session, overdue.id, "referral-overdue", admin.email)

        accepted = send(session, world, key="key-2")
        move(session, world, accepted, states.ACCEPTED)
        assert jobs.remind_follow_ups(session, settings, NOW + timedelta(days=7)) == 1
        follow_up = _mail(session, accepted.id, "referral-follow-up", world.case_manager.email)

    assert to_referrer.language == "es"
    assert to_referrer.subject == f"Remisión {overdue.id[:8]} vencida: aún sin respuesta"
    assert "viernes, 20 de noviembre de 2026" in to_referrer.body
    assert "Inseguridad alimentaria" in to_referrer.body
    assert "Quizás convenga llamar al proveedor" in to_referrer.body
    assert to_admin.language == "en" and to_admin.subject.startswith("Overdue referral")
    assert "Friday, November 20, 2026" in to_admin.body
    assert follow_up.subject.startswith("Seguimiento:")
    assert "el 18 de noviembre de 2026" in follow_up.body


def test_the_language_can_be_set_from_the_account_functions_too(session):
    user = make_user(session, "fn@example.org")
    users.set_language(user, "es")
    assert user.language == "es"
    with pytest.raises(users.AccountError) as raised:
        users.set_language(user, "pt")
    assert raised.value.field == "language" and user.language == "es"


# --- in a real browser -------------------------------------------------------------------


@pytest.mark.browser
def test_a_case_manager_switches_to_spanish_and_gets_it_again_on_a_new_device(
    demo_server, page, browser
):
    from browser_helpers import click_and_wait
    from browser_helpers import sign_in as sign_in_page

    from referral.accounts import audit

    email = f"cm-{uuid.uuid4().hex[:8]}@example.org"
    password = "a long enough passphrase for the test"
    with demo_server.session() as session, session.begin():
        manager = users.find_user(session, "casemanager@demo.invalid")
        agency = next(m.organization_id for m in manager.memberships if m.organization_id)
        user = users.create_user(session, audit.Context(actor="test"), email, "Marta", password)
        users.grant_role(session, audit.Context(actor="test"), user, "case_manager", agency)

    sign_in_page(page, demo_server.url, email, password)
    assert page.locator("html").get_attribute("lang") == "en"
    switch = page.get_by_role("navigation", name="Language").get_by_role("link", name="Español")
    click_and_wait(page, switch)
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Marta"
    with demo_server.session() as session:
        assert users.find_user(session, email).language == "es"

    # Another device: no cookie, an English browser; signing in brings Spanish back.
    elsewhere = browser.new_context(locale="en-US")
    try:
        other = elsewhere.new_page()
        sign_in_page(other, demo_server.url, email, password)
        assert other.locator("html").get_attribute("lang") == "es"
        expect(other.get_by_role("heading", name="Idioma")).to_be_visible()
        assert other.get_by_label("Páginas y correos en").input_value() == "es"
    finally:
        elsewhere.close()
