"""Clients, consent, sending and answering referrals, deadlines and follow-through."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from accounts_helpers import make_org
from referrals_helpers import NEED, NOW, give_consent, make_client, make_world, move, send
from sqlalchemy import delete, select, update

from referral.referrals import clients, deadlines, service
from referral.referrals.models import (
    ClientFact,
    EventImmutable,
    Referral,
    ReferralEvent,
    ReferralSetting,
)


def test_sending_a_referral_records_consent_deadline_and_a_creation_event(session):
    world = make_world(session)
    referral = send(session, world)
    assert referral.status == "requested"
    assert referral.consent_id == world.consent.id
    assert referral.referrer_organization_id == world.agency.id
    assert referral.recipient_organization_id == world.provider.id
    assert referral.respond_by == datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    [created] = service.events(session, referral.id)
    assert (created.from_status, created.to_status, created.actor) == (
        None,
        "requested",
        "cm@example.org",
    )


def test_creating_twice_with_one_idempotency_key_returns_the_first_referral(session):
    world = make_world(session)
    first = send(session, world, "same-key")
    again, created = service.create_referral(
        session,
        service.NewReferral(world.client.id, NEED, world.place.id, "same-key"),
        world.case_manager,
        NOW,
    )
    assert (again.id, created) == (first.id, False)
    assert len(session.scalars(select(Referral)).all()) == 1
    assert len(service.events(session, first.id)) == 1


def test_reusing_an_idempotency_key_for_another_referral_is_a_conflict(session):
    world = make_world(session)
    send(session, world, "same-key")
    other = service.NewReferral(world.client.id, "housing-instability", world.place.id, "same-key")
    with pytest.raises(service.IdempotencyConflict):
        service.create_referral(session, other, world.case_manager, NOW)


def test_no_referral_is_sent_without_consent(session):
    world = make_world(session, consent=False)
    with pytest.raises(service.ConsentMissing, match="no consent"):
        send(session, world)
    assert session.scalars(select(Referral)).all() == []


def test_expired_consent_does_not_cover_a_referral(session):
    world = make_world(session, consent=False)
    give_consent(session, world.client, world.provider, ends_on=date(2026, 10, 31))
    with pytest.raises(service.ConsentMissing, match="expired on 2026-10-31"):
        send(session, world)


def test_consent_that_has_not_started_does_not_cover_a_referral(session):
    world = make_world(session, consent=False)
    give_consent(session, world.client, world.provider, starts_on=date(2026, 12, 1))
    with pytest.raises(service.ConsentMissing, match="not in force"):
        send(session, world)


def test_revoked_consent_blocks_new_referrals(session):
    world = make_world(session)
    send(session, world, "before")
    clients.revoke_consent(session, world.consent, "changed mind", world.case_manager, NOW)
    with pytest.raises(service.ConsentMissing, match="revoked"):
        send(session, world, "after")


def test_consent_for_another_recipient_does_not_cover_this_one(session):
    world = make_world(session, consent=False)
    give_consent(session, world.client, make_org(session, "Somewhere Else"))
    with pytest.raises(service.ConsentMissing, match="does not name this recipient"):
        send(session, world)


def test_consent_for_a_category_covers_any_recipient_for_that_need(session):
    world = make_world(session, consent=False)
    new = clients.NewConsent("referral", date(2026, 1, 1), "verbal", categories=(NEED,))
    clients.record_consent(session, world.client, new, world.case_manager)
    assert send(session, world).status == "requested"


def test_a_draft_needs_no_consent_until_it_is_requested(session):
    world = make_world(session, consent=False)
    draft = send(session, world, send_now=False)
    assert (draft.status, draft.respond_by) == ("draft", None)
    with pytest.raises(service.ConsentMissing):
        move(session, world, draft, "requested")
    assert draft.status == "draft"
    give_consent(session, world.client, world.provider)
    assert move(session, world, draft, "requested").status == "requested"


def test_a_stale_version_is_refused_and_loses_nothing(session):
    world = make_world(session)
    referral = send(session, world)
    stale = referral.version
    move(session, world, referral, "accepted")
    with pytest.raises(service.StaleVersion):
        service.transition_referral(
            session, referral.id, service.Move("rejected", stale, "full"), world.staff, NOW
        )
    assert referral.status == "accepted"
    assert [e.to_status for e in service.events(session, referral.id)] == [
        "requested",
        "accepted",
    ]


def test_outcome_and_enrollment_are_kept_beside_the_status(session):
    world = make_world(session)
    referral = send(session, world)
    move(session, world, referral, "accepted", enrollment="waitlisted")
    move(session, world, referral, "completed", outcome="got-help", enrollment="enrolled")
    assert (referral.status, referral.outcome, referral.enrollment) == (
        "completed",
        "got-help",
        "enrolled",
    )
    assert service.events(session, referral.id)[-1].outcome == "got-help"


def test_referral_events_cannot_be_changed_or_deleted(session):
    world = make_world(session)
    referral = send(session, world)
    [event] = service.events(session, referral.id)
    event.reason = "rewritten"
    with pytest.raises(EventImmutable):
        session.flush()
    session.rollback()
    with pytest.raises(EventImmutable):
        session.execute(delete(ReferralEvent))
    with pytest.raises(EventImmutable):
        session.execute(update(ReferralEvent).values(note="x"))


def test_respond_by_skips_weekends_and_holidays():
    friday = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert deadlines.add_business_days(friday, 2) == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    before_thanksgiving = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert deadlines.add_business_days(before_thanksgiving, 2).date() == date(2026, 11, 30)
    saturday = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    assert deadlines.add_business_days(saturday, 1).date() == date(2026, 11, 23)


def test_an_organization_can_give_itself_more_time_to_answer(session):
    world = make_world(session)
    session.add(ReferralSetting(organization_id=world.provider.id, respond_within_business_days=5))
    assert send(session, world).respond_by == datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_overdue_referrals_are_found_by_the_list_filter(session):
    world = make_world(session)
    referral = send(session, world)
    later = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    overdue = service.Filters(overdue=True)
    assert service.list_referrals(session, world.case_manager, overdue, NOW)[0] == 0
    assert service.list_referrals(session, world.case_manager, overdue, later)[1] == [referral]
    assert service.is_overdue(referral, later)


def test_possible_duplicate_clients_are_flagged(session):
    world = make_world(session)
    twin = make_client(session, world.agency, given="Anna", family="Lopez")
    stranger = make_client(session, world.agency, given="Maria", family="Chen")
    other_day = make_client(session, world.agency, birth_date=date(1981, 5, 17))
    assert clients.possible_duplicate_ids(session, twin.id) == [world.client.id]
    assert clients.possible_duplicate_ids(session, world.client.id) == [twin.id]
    assert clients.possible_duplicate_ids(session, stranger.id) == []
    assert clients.possible_duplicate_ids(session, other_day.id) == []


def test_client_facts_are_kept_with_the_day_they_were_observed(session):
    world = make_world(session)
    clients.record_facts(
        session, world.client, {"age": 45, "household_size": 3}, date(2026, 3, 1), None
    )
    session.flush()
    rows = session.scalars(select(ClientFact).order_by(ClientFact.name)).all()
    assert [(r.name, r.value, r.observed_on) for r in rows] == [
        ("age", 45, date(2026, 3, 1)),
        ("household_size", 3, date(2026, 3, 1)),
    ]
    with pytest.raises(clients.ClientError) as bad:
        clients.record_facts(session, world.client, {"shoe_size": 9}, date(2026, 3, 1), None)
    assert bad.value.field == "facts.shoe_size"


def test_completion_stats_count_got_help_over_provider_closed_referrals(session):
    world = make_world(session)
    helped = send(session, world, "a")
    move(session, world, helped, "accepted")
    move(session, world, helped, "completed", outcome="got-help")
    move(session, world, send(session, world, "b"), "rejected", "no capacity")
    unhelped = send(session, world, "c")
    move(session, world, unhelped, "accepted")
    move(session, world, unhelped, "completed", outcome="could-not-get-help")
    move(session, world, send(session, world, "d"), "cancelled", "client moved")
    send(session, world, "e")
    stats = service.completion_stats(session, [world.provider.id, world.agency.id])
    assert stats == {world.provider.id: (1, 3)}
