"""The main flows of each role in a real browser with the keyboard alone (issue #9):
Tab and Shift+Tab to move, Enter and Space to act, arrow keys in selects and radio
groups, typing into the focused field. No click and no fill. Every stop on the way is
checked to be on screen with a visible focus indicator, and a submit that fails moves
focus to an error summary that links to the fields."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from browser_helpers import (
    arrow_to,
    assert_focus_shows,
    choose,
    focused,
    press_and_wait,
    sign_in_by_keyboard,
    tab_to,
    type_into,
)
from playwright.sync_api import expect
from sqlalchemy import select

from referral.accounts import users
from referral.accounts.models import PROVIDER_STAFF, utcnow
from referral.analytics import synthetic
from referral.directory import models as dm
from referral.provider import hours_form
from referral.referrals import clients, service

pytestmark = pytest.mark.browser

CASE_MANAGER = "casemanager@demo.invalid"
PROVIDER = "provider@demo.invalid"
CURATOR = "curator@demo.invalid"
AGENCY_ADMIN = "agencyadmin@demo.invalid"


def heading(page) -> str:  # noqa: ANN001
    return page.get_by_role("heading", level=1).inner_text()


def assert_error_summary_has_focus(page, first_field: str | None = None) -> None:  # noqa: ANN001
    """After a refused submit: the summary is an alert and has focus; with
    ``first_field``, its first link takes focus to the field it names."""
    now = focused(page)
    assert now is not None and now.tag in ("div", "p"), f"focus is on {now}, not the summary"
    assert page.locator(":focus").get_attribute("role") == "alert"
    assert_focus_shows(page, now)
    if first_field is None:
        return
    tab_to(page, lambda f: f.tag == "a" and f.href.startswith("#"), limit=3)
    press_and_wait_for_focus(page)
    assert focused(page).label == first_field
    assert_focus_shows(page)


def press_and_wait_for_focus(page) -> None:  # noqa: ANN001
    """Enter on an in-page link, then wait until focus has moved off it."""
    previous = page.evaluate_handle("document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_function("(before) => document.activeElement !== before", arg=previous)


def test_a_case_manager_creates_a_client_matches_refers_and_shares_by_keyboard(demo_server, page):
    given = f"Marta{uuid.uuid4().hex[:5]}"
    sign_in_by_keyboard(page, demo_server.url, CASE_MANAGER)
    tab_to(page, "Clients")
    press_and_wait(page)
    tab_to(page, "New client")
    press_and_wait(page)
    assert heading(page) == "New client"

    tab_to(page, "Create client")  # nothing typed yet: the form refuses it
    press_and_wait(page)
    assert_error_summary_has_focus(page, "Given name")
    page.keyboard.type(given)
    type_into(page, "Family name", "Ortega")
    type_into(page, "Date of birth", "02111986")
    type_into(page, "Phone", "410-555-0142")
    tab_to(page, "Preferred language")
    choose(page, "Spanish")
    tab_to(page, "By phone call")  # the group's checked radio; arrows move the choice
    page.keyboard.press("ArrowUp")
    assert focused(page).name == "By text message" and focused(page).checked
    tab_to(page, "Create client")
    press_and_wait(page)
    assert heading(page) == f"{given} Ortega"
    details = page.locator("#h-details + dl").inner_text()
    assert "February 11, 1986" in details and "Spanish" in details
    assert "By text message" in details and "410-555-0142" in details

    tab_to(page, "Find services")
    press_and_wait(page)
    assert given in page.locator(".client-banner").inner_text()
    tab_to(page, "Food insecurity")
    page.keyboard.press("Space")
    assert focused(page).checked
    type_into(page, "ZIP code or latitude,longitude", "21201")
    type_into(page, "Age", "44")
    tab_to(page, "Find services")
    press_and_wait(page)
    assert page.locator("form.refer-form").count() > 0

    # Focus starts at the results, not at the top of the long form: the first result's
    # title, its explanation, then its refer row. Write a note and refer.
    tab_to(page, "Add to list for client", limit=4)
    type_into(page, "Note for the provider (optional)", "Mornings are best")
    refer = tab_to(page, lambda f: f.label.startswith("Refer to "))
    service_name = refer.label.removeprefix("Refer to ")
    press_and_wait(page)

    # No consent yet: the app asks for it; recording it leads back to the same result.
    assert heading(page) == "Consent needed before referring"
    assert page.get_by_role("alert").count() == 1
    tab_to(page, lambda f: f.text.startswith("Record consent for "))
    press_and_wait(page)
    organization = tab_to(page, lambda f: f.type == "checkbox" and f.checked)
    assert organization.label  # the organization of the result, ticked already
    tab_to(page, "Record consent")
    press_and_wait(page)
    expect(page.get_by_text("Consent recorded.")).to_be_visible()
    tab_to(page, "Note for the provider (optional)", limit=2)
    page.keyboard.type("Mornings are best")
    refer = tab_to(page, lambda f: f.label.startswith("Refer to "), limit=2)
    assert refer.label == f"Refer to {service_name}"
    press_and_wait(page)

    assert heading(page) == f"{given} Ortega"
    expect(page.get_by_text(f"Referral to {service_name} sent.")).to_be_visible()
    referrals = page.locator("#referrals")
    assert referrals.get_by_role("link", name=service_name).count() == 1

    tab_to(page, "Share with client", back=True)
    press_and_wait(page)
    choice = tab_to(page, lambda f: f.type == "checkbox" and service_name in f.label)
    page.keyboard.press("Space")
    assert focused(page).checked, choice
    tab_to(page, "Share with client")
    press_and_wait(page)
    expect(page.get_by_role("heading", name=f"Servicios para {given}")).to_be_visible()
    tab_to(page, lambda f: f.tag == "pre")  # the text to send, scrollable by keyboard
    assert f"Hola {given}" in focused(page).text


@dataclass(frozen=True)
class Arranged:
    service_name: str
    place_id: str
    client_label: str  # as the inbox shows the client: given name, family initial


def arrange_provider_referral(demo_server) -> Arranged:  # noqa: ANN001
    """A service of the demo provider's organization at one location, open Mondays
    9:00-17:00, and a client of the case manager's agency referred to it with consent."""
    word = uuid.uuid4().hex[:6]
    with demo_server.session() as s, s.begin():
        staff = users.find_user(s, PROVIDER)
        org_id = next(m.organization_id for m in staff.memberships if m.role == PROVIDER_STAFF)
        location = dm.Location(
            location_type="physical", name=f"Keys site {word}", organization_id=org_id
        )
        offered = dm.Service(name=f"Keys pantry {word}", status="active", organization_id=org_id)
        s.add_all([location, offered])
        s.flush()
        place = dm.ServiceAtLocation(service_id=offered.id, location_id=location.id)
        s.add(place)
        s.flush()
        monday = hours_form.HoursForm(days={"MO": hours_form.DayForm("MO", (("09:00", "17:00"),))})
        for row in hours_form.to_rows(monday):
            s.add(dm.Schedule(service_id=offered.id, service_at_location_id=place.id, **row))
        manager = users.find_user(s, CASE_MANAGER)
        agency = next(m.organization_id for m in manager.memberships if m.organization_id)
        client = clients.create_client(
            s,
            clients.NewClient(
                organization_id=agency,
                given_name=f"Rosa{word}",
                family_name="Keyes",
                birth_date=date(1979, 5, 2),
                phone="410-555-0123",
                contact_preference="phone",
            ),
            manager,
        )
        clients.record_consent(
            s,
            client,
            clients.NewConsent(
                purpose="referral",
                starts_on=utcnow().date(),
                method="written",
                recipient_organization_ids=(org_id,),
            ),
            manager,
        )
        new = service.NewReferral(client.id, "food-insecurity", place.id, f"keys-{word}")
        service.create_referral(s, new, manager, utcnow())
        return Arranged(offered.name, place.id, f"Rosa{word} K.")


def weekly_hours(demo_server, place_id: str) -> tuple[set, set]:  # noqa: ANN001
    """(weekly (day, opens, closes), exceptions (date, closed)) saved for the place."""
    with demo_server.session() as s:
        rows = s.scalars(
            select(dm.Schedule).where(dm.Schedule.service_at_location_id == place_id)
        ).all()
        hours = hours_form.from_schedules(rows, utcnow().date())
    weekly = {
        (code, opens, closes) for code, day in hours.days.items() for opens, closes in day.ranges
    }
    return weekly, {(e.day, e.closed) for e in hours.exceptions}


def test_a_provider_accepts_a_referral_and_edits_hours_by_keyboard(demo_server, page):
    arranged = arrange_provider_referral(demo_server)
    sign_in_by_keyboard(page, demo_server.url, PROVIDER)
    tab_to(page, lambda f: f.tag == "a" and f.text.startswith("Inbox"))
    press_and_wait(page)
    tab_to(page, arranged.client_label)
    press_and_wait(page)
    assert heading(page).endswith(arranged.service_name)
    tab_to(page, "Accept")
    press_and_wait(page)
    assert page.locator(".detail__status .badge").first.inner_text() == "Accepted"

    tab_to(page, "My organizations")
    press_and_wait(page)
    tab_to(page, arranged.service_name)
    press_and_wait(page)
    tab_to(page, "Hours at this location", limit=200)
    press_and_wait(page)
    assert heading(page).startswith(f"Hours of {arranged.service_name}")

    type_into(page, "Monday range 1 closes", "0600PM")  # was 17:00
    tab_to(page, "Saturday: open or closed")  # a new day, its hours forgotten at first
    choose(page, "Open")
    holiday = utcnow().date() + timedelta(days=30)
    type_into(page, "Date", holiday.strftime("%m%d%Y"))  # the en-US date field: mm/dd/yyyy
    tab_to(page, "What happens")
    choose(page, "Closed all day")
    tab_to(page, "Save hours")
    press_and_wait(page)
    assert_error_summary_has_focus(page, "Saturday range 1 opens")
    page.keyboard.type("1000AM")
    type_into(page, "Saturday range 1 closes", "0200PM")
    tab_to(page, "Save hours")
    press_and_wait(page)
    expect(page.get_by_text("Saved the hours at")).to_be_visible()
    weekly, exceptions = weekly_hours(demo_server, arranged.place_id)
    assert ("MO", "09:00", "18:00") in weekly and ("SA", "10:00", "14:00") in weekly
    assert exceptions == {(holiday, True)}


def test_a_curator_approves_one_field_and_rejects_another_by_keyboard(demo_server, page):
    tag = uuid.uuid4().hex[:6]
    with demo_server.session() as s, s.begin():
        org = dm.Organization(name=f"Harbor Pantry {tag}", description="Feeds the harbor.")
        s.add(org)
        s.flush()
        listing = dm.Service(
            name=f"Harbor groceries {tag}",
            description="Groceries on Tuesdays.",
            status="active",
            organization_id=org.id,
        )
        s.add(listing)
        s.flush()
        service_id = listing.id

    # Someone without an account suggests two changes, by keyboard too.
    page.goto(f"{demo_server.url}/services/{service_id}")
    tab_to(page, "Suggest an edit")
    press_and_wait(page)
    tab_to(page, "Description")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Groceries on Tuesdays and Thursdays.")
    type_into(page, "Fees", "One dollar a bag.")
    tab_to(page, "Send suggestion")
    press_and_wait(page)
    assert heading(page) == "Thank you for your suggestion"

    sign_in_by_keyboard(page, demo_server.url, CURATOR)
    tab_to(page, "Curation")
    press_and_wait(page)
    tab_to(page, "Change requests")
    press_and_wait(page)
    tab_to(page, listing_name := f"Harbor groceries {tag}")
    press_and_wait(page)
    assert listing_name in heading(page)

    tab_to(page, "Save decisions")  # nothing decided yet: refused, and said so
    press_and_wait(page)
    assert_error_summary_has_focus(page)
    # Tab enters each radio group on its checked radio; the arrows change the choice.
    tab_to(page, lambda f: f.group == "Decision on Description" and f.checked)
    arrow_to(page, "Approve and apply")
    tab_to(page, lambda f: f.group == "Decision on Fees" and f.checked)
    arrow_to(page, "Reject")
    type_into(
        page,
        lambda f: f.group == "Decision on Fees" and f.tag == "input" and f.type != "radio",
        "The pantry is free.",
    )
    tab_to(page, "Save decisions")
    press_and_wait(page)
    expect(page.get_by_text("Your decisions were saved.")).to_be_visible()

    with demo_server.session() as s:
        saved = s.get(dm.Service, service_id)
        assert saved.description == "Groceries on Tuesdays and Thursdays."
        assert saved.fees_description in (None, "")


def by_need_rows(page) -> list[str]:  # noqa: ANN001
    table = page.get_by_role("table", name=re.compile(r"need", re.IGNORECASE)).first
    return [row.inner_text() for row in table.locator("tbody th").all()]


def test_an_agency_admin_filters_analytics_by_keyboard(demo_server, page):
    with demo_server.session() as s, s.begin():
        synthetic.generate(s, 200, utcnow(), seed=23)
    sign_in_by_keyboard(page, demo_server.url, AGENCY_ADMIN)
    tab_to(page, "Analytics")
    press_and_wait(page)
    assert heading(page) == "Referral analytics"
    assert len(by_need_rows(page)) > 1

    # A period that ends before it starts: refused, and focus goes to the reason.
    later = utcnow().date() + timedelta(days=10)
    type_into(page, "From", later.strftime("%m%d%Y"))
    tab_to(page, "Show")
    press_and_wait(page)
    assert_error_summary_has_focus(page)
    assert "starts after it ends" in focused(page).text

    earlier = utcnow().date() - timedelta(days=365)
    type_into(page, "From", earlier.strftime("%m%d%Y"), limit=3)
    tab_to(page, "Need")
    choose(page, "Food insecurity")
    tab_to(page, "Show")
    press_and_wait(page)
    assert "need=food-insecurity" in page.url
    assert by_need_rows(page) == ["Food insecurity"]
    # The tables scroll sideways by keyboard on a phone: each is a focusable region.
    region = tab_to(page, lambda f: f.tag == "div" and "Food" in f.text, limit=120)
    assert region.on_screen
