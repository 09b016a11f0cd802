"""Messages to clients respect their contact preference and language; messages about
a referral carry no more about the client than they need."""

from __future__ import annotations

import uuid

import pytest
from notify_helpers import connection, isolating_engine  # noqa: F401 - fixtures
from referrals_helpers import make_client, make_world, move, send
from sqlalchemy import delete, select

from referral import db
from referral.accounts.models import Membership
from referral.notify.client import send_to_client
from referral.notify.models import EMAIL, SMS, OutboxMessage
from referral.referrals import states

LIST = {"organization": "Eastside Navigators", "services_text": "1. Harbor pantry"}


def client_with(session, preference: str, language: str = "en"):
    world = make_world(session, tag=uuid.uuid4().hex[:6])
    client = make_client(session, world.agency, preference=preference, given="Rosa")
    client.preferred_language = language
    return client


@pytest.mark.parametrize("preference", ["do-not-contact", "phone"])
def test_no_automatic_message_for_clients_who_asked_not_to_get_one(session, preference):
    client = client_with(session, preference)
    assert send_to_client(session, client, "service-list", LIST) is None
    queued = session.scalars(select(OutboxMessage).where(OutboxMessage.related_id == client.id))
    assert queued.all() == []


def test_an_email_preferring_client_gets_an_email_in_english(session):
    client = client_with(session, "email")
    message = send_to_client(session, client, "service-list", LIST)
    assert message.channel == EMAIL and message.to_address == "ana@example.org"
    assert message.subject == "Your list of services from Eastside Navigators"
    assert message.body.startswith("Hello Rosa,") and "1. Harbor pantry" in message.body


def test_a_spanish_preferring_client_gets_the_spanish_template(session):
    client = client_with(session, "email", language="es")
    message = send_to_client(session, client, "service-list", LIST)
    assert message.language == "es"
    assert message.subject == "Su lista de servicios de Eastside Navigators"
    assert message.body.startswith("Hola Rosa:")


def test_a_language_without_templates_falls_back_to_english(session):
    client = client_with(session, "email", language="vi")
    message = send_to_client(session, client, "service-list", LIST)
    assert message.language == "en" and message.subject.startswith("Your list")


def test_a_text_preferring_client_gets_the_short_text_version(session):
    client = client_with(session, "text", language="es")
    message = send_to_client(session, client, "service-list", LIST)
    assert message.channel == SMS and message.to_address == "555-0100"
    assert message.subject == "Su lista de servicios"
    assert message.body.strip() == "1. Harbor pantry"


def test_no_message_when_the_preferred_way_has_no_address(session):
    client = client_with(session, "email")
    client.email = None
    assert send_to_client(session, client, "service-list", LIST) is None


def _outbox(session, referral_id: str, kind: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(
        OutboxMessage.related_id == referral_id, OutboxMessage.kind == kind
    )
    return list(session.scalars(query))


def test_a_sent_referral_emails_provider_staff_without_client_details(app):
    with app.app_context():
        session = db.session()
        world = make_world(session, preference="do-not-contact")
        referral = send(session, world)
        (email,) = _outbox(session, referral.id, "referral-requested")
        assert email.to_address == world.staff.email
        assert "Ana" not in email.subject and "Lopez" not in email.subject
        for detail in ("Ana", "Lopez", "555-0100", "ana@example.org", "1 Main St"):
            assert detail not in email.body
        assert "A.L." in email.body and f"/referrals/{referral.id}" in email.body
        assert email.body.count("http://127.0.0.1:5000/r/") == 2
        assert _outbox(session, referral.id, "client-referral-sent") == []


def test_a_sent_referral_tells_a_text_preferring_client_in_spanish(app):
    with app.app_context():
        session = db.session()
        world = make_world(session, preference="text")
        referral = send(session, world)
        (text,) = _outbox(session, referral.id, "client-referral-sent")
        assert text.channel == SMS and text.language == "es"
        assert "Eastside Navigators: le referimos" in text.body


def test_the_provider_hears_when_the_referrer_cancels(app):
    with app.app_context():
        session = db.session()
        world = make_world(session)
        referral = send(session, world)
        move(session, world, referral, states.CANCELLED, reason="Client moved away")
        (email,) = _outbox(session, referral.id, "referral-withdrawn")
        assert email.to_address == world.staff.email and "Client moved away" in email.body


def test_drafts_notify_nobody_and_a_repeated_request_notifies_once(app):
    with app.app_context():
        session = db.session()
        world = make_world(session)
        draft = send(session, world, "draft-key", send_now=False)
        assert (
            session.scalars(select(OutboxMessage).where(OutboxMessage.related_id == draft.id)).all()
            == []
        )
        first = send(session, world, "same-key")
        again = send(session, world, "same-key")
        assert first.id == again.id
        assert len(_outbox(session, first.id, "referral-requested")) == 1


def test_the_referrer_is_told_when_nobody_at_the_provider_can_receive_the_referral(app):
    with app.app_context():
        session = db.session()
        world = make_world(session)
        session.execute(delete(Membership).where(Membership.user_id == world.staff.id))
        session.expire_all()
        referral = send(session, world)
        assert _outbox(session, referral.id, "referral-requested") == []
        (email,) = _outbox(session, referral.id, "referral-unattended")
        assert email.to_address == world.case_manager.email
        assert "nobody at Harbor Food Bank" in email.subject
