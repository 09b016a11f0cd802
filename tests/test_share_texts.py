"""Sharing chosen services with a client: the printable list, the text message within
two SMS segments and the email, in English and Spanish."""

from __future__ import annotations

from datetime import date

import pytest
from accounts_helpers import make_org, make_user, sign_in
from referrals_helpers import make_place, make_world
from sqlalchemy import select

from referral.directory.hours import DayHours, WeeklyHours
from referral.directory.models import Address, Location, Phone, RequiredDocument, Schedule
from referral.notify.models import OutboxMessage
from referral.referrals import share

TODAY = date(2026, 11, 18)


def furnish(session, place, *, name="Harbor Pantry", phone="305-555-0142"):
    """A service at a location with what a client needs: address, phone, hours, documents."""
    location = session.get(Location, place.location_id)
    location.transportation = "Bus 7 to Main St; entrance at the back."
    place.service.name = name
    session.add_all(
        [
            Address(location_id=location.id, address_1="12 Harbor Rd", city="Miami",
                    state_province="FL", postal_code="33101", country="US",
                    address_type="physical"),
            Phone(location_id=location.id, number=phone),
            Schedule(location_id=location.id, freq="WEEKLY", byday="MO,TU,WE,TH,FR",
                     opens_at="09:00", closes_at="17:00"),
            RequiredDocument(service_id=place.service_id, document="Photo ID"),
        ]
    )  # fmt: skip
    session.flush()
    session.expire_all()
    return place


@pytest.fixture
def world(session):
    found = make_world(session, tag="-share")
    furnish(session, found.place)
    return found


def test_a_shared_item_has_address_phone_hours_documents_and_directions(session, world):
    [item] = share.items_for(session, [world.place.id], TODAY)
    assert item.name == "Harbor Pantry"
    assert item.address_line == "12 Harbor Rd, Miami, FL 33101"
    assert item.phone == "305-555-0142"
    assert share.hours_lines(item.hours, "en") == ["Mon-Fri: 9:00 AM – 5:00 PM"]
    assert share.hours_lines(item.hours, "es") == ["lun-vie: 9:00 AM – 5:00 PM"]
    assert item.documents == ("Photo ID",)
    assert item.directions.startswith("Bus 7")


def test_texts_are_written_in_english_and_in_spanish(session, world):
    items = share.items_for(session, [world.place.id], TODAY)
    english = share.build_texts(items, "en", "Ana", "Eastside Navigators")
    spanish = share.build_texts(items, "es", "Ana", "Eastside Navigators")
    assert english.sms.startswith("Hi Ana, services we talked about:")
    assert "305-555-0142" in english.sms and "12 Harbor Rd" in english.sms
    assert spanish.sms.startswith("Hola Ana, servicios de los que hablamos:")
    assert "What to bring: Photo ID" in english.email_list
    assert "Qué llevar: Photo ID" in spanish.email_list
    assert "Horario: lun-vie" in spanish.email_list
    assert "Cómo llegar: Bus 7" in spanish.email_list


def test_the_language_follows_the_client_and_falls_back_to_english():
    assert share.template_language("es") == "es"
    assert share.template_language("es-MX") == "es"
    assert share.template_language("ht") == "en"
    assert share.template_language(None) == "en"
    assert share.has_template("es") and not share.has_template("ht")


def _item(n: int, name: str = "Neighborhood Food Pantry and Community Kitchen") -> share.ShareItem:
    return share.ShareItem(
        service_at_location_id=f"sal-{n}",
        service_id=f"svc-{n}",
        name=f"{name} {n}",
        organization="Greater Miami Community Services Association",
        address=None,
        phones=(),
        hours=WeeklyHours(days=(DayHours("MO", "Monday", ("9:00 AM – 5:00 PM",)),), notes=()),
        documents=(),
        directions=None,
        website=None,
    )


def test_the_text_message_stays_within_two_sms_segments_and_says_what_did_not_fit():
    items = [_item(n) for n in range(1, 9)]
    for language in ("en", "es"):
        texts = share.build_texts(items, language, "Ana", "Eastside Navigators")
        assert share.gsm_length(texts.sms) <= share.SMS_LIMIT
        assert texts.sms_left_out > 0
        assert f"+{texts.sms_left_out}" in texts.sms
        assert texts.sms.count("\n") >= 2


def test_the_text_message_uses_only_the_gsm_alphabet():
    texts = share.build_texts([_item(1, "Clínica Médica “Esperanza” – Niños")], "es", "Ana", "X")
    assert 'Clinica Médica "Esperanza" - Niños' in texts.sms
    assert all(c in share.GSM_BASIC or c in share.GSM_EXTENDED for c in texts.sms)


def test_gsm_extension_characters_count_twice():
    assert share.gsm_length("a{b}") == 6
    assert share.gsm_length("ñé") == 2


def _sign_in(app, client, world):
    sign_in(app, client, world.case_manager)
    return client


def test_the_share_page_shows_the_printable_list_and_both_texts(app, client, session, world):
    _sign_in(app, client, world)
    page = client.get(f"/clients/{world.client.id}/share?sal={world.place.id}").get_data(True)
    assert 'lang="es"' in page  # the helper's client prefers Spanish
    assert "Servicios para Ana" in page and "Qué llevar" in page and "Photo ID" in page
    assert "Hola Ana" in page
    assert "Su lista de servicios" in page  # the email subject, as the outbox will send it


def test_the_share_page_without_services_offers_the_referred_and_matched_ones(
    app, client, session, world
):
    from referrals_helpers import send

    send(session, world)
    _sign_in(app, client, world)
    page = client.get(f"/clients/{world.client.id}/share").get_data(True)
    assert f'value="{world.place.id}"' in page and "Harbor Pantry" in page


def test_send_to_client_queues_one_text_message_even_when_submitted_twice(
    app, client, session, world
):
    world.client.contact_preference = "text"
    session.flush()
    _sign_in(app, client, world)
    form = {"sal": world.place.id, "send_key": "k1"}
    for _ in range(2):
        assert client.post(f"/clients/{world.client.id}/share/send", data=form).status_code == 303
    messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.related_id == world.client.id)
    ).all()
    assert len(messages) == 1
    assert messages[0].channel == "sms" and messages[0].to_address == "555-0100"
    assert "Harbor Pantry" in messages[0].body and messages[0].language == "es"


def test_a_do_not_contact_client_has_no_send_button_and_nothing_is_sent(
    app, client, session, world
):
    world.client.contact_preference = "do-not-contact"
    session.flush()
    _sign_in(app, client, world)
    url = f"/clients/{world.client.id}/share?sal={world.place.id}"
    page = client.get(url).get_data(True)
    assert "asked not to be contacted" in page
    assert "Send to client</button>" not in page
    client.post(f"/clients/{world.client.id}/share/send", data={"sal": world.place.id})
    count = session.scalars(
        select(OutboxMessage).where(OutboxMessage.related_id == world.client.id)
    ).all()
    assert count == []


def test_another_organization_cannot_open_or_send_the_share_page(app, client, session, world):
    other_org = make_org(session, "Elsewhere share")
    outsider = make_user(session, "outsider-share@example.org", "case_manager", other_org.id)
    sign_in(app, client, outsider)
    url = f"/clients/{world.client.id}/share?sal={world.place.id}"
    assert client.get(url).status_code == 403
    response = client.post(f"/clients/{world.client.id}/share/send", data={"sal": world.place.id})
    assert response.status_code == 403


def test_unknown_services_are_left_out_of_the_list(session, world):
    other = make_place(session, world.provider)
    found = share.items_for(session, ["nope", other.id, world.place.id], TODAY)
    assert [i.service_at_location_id for i in found] == [other.id, world.place.id]
