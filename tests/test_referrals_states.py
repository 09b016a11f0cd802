"""The referral lifecycle table, its reasons, and properties over call sequences."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referrals_helpers import NOW, make_world, send
from sqlalchemy import func, select

from referral.referrals import service, states
from referral.referrals.models import ReferralEvent
from referral.referrals.states import (
    ForbiddenTransition,
    ReasonRequired,
    TransitionError,
    UnknownStatus,
    WrongActor,
    transition,
)


def test_the_referrer_sends_and_the_provider_answers():
    assert transition("draft", "requested", "referrer").to_status == "requested"
    assert transition("requested", "accepted", "provider").to_status == "accepted"
    assert transition("accepted", "in-progress", "provider").to_status == "in-progress"
    assert transition("in-progress", "completed", "provider").to_status == "completed"


def test_the_provider_cannot_cancel_and_the_referrer_cannot_accept():
    with pytest.raises(WrongActor) as refused:
        transition("requested", "cancelled", "provider", "no longer needed")
    assert refused.value.required == "referrer"
    with pytest.raises(WrongActor):
        transition("requested", "accepted", "referrer")


@pytest.mark.parametrize("target", sorted(states.REASON_REQUIRED))
def test_a_reason_is_required_for_rejected_cancelled_on_hold_and_failed(target):
    source = next(frm for (frm, to) in states.TRANSITIONS if to == target)
    role = states.TRANSITIONS[(source, target)]
    with pytest.raises(ReasonRequired):
        transition(source, target, role, "   ")
    assert transition(source, target, role, "client moved away").reason == "client moved away"


@pytest.mark.parametrize("final", sorted(states.FINAL))
def test_nothing_follows_a_final_status(final):
    for target in states.STATUSES:
        with pytest.raises(ForbiddenTransition):
            states.required_role(final, target)


def test_a_completed_referral_cannot_be_reopened_and_the_error_says_why():
    with pytest.raises(ForbiddenTransition, match="cannot become accepted"):
        transition("completed", "accepted", "provider")


def test_unknown_statuses_and_codes_are_named():
    with pytest.raises(UnknownStatus):
        transition("requested", "done", "provider")
    with pytest.raises(TransitionError) as bad:
        states.check_outcome("helped", None)
    assert bad.value.field == "outcome"
    with pytest.raises(TransitionError) as bad:
        states.check_outcome("got-help", "maybe")
    assert bad.value.field == "enrollment"


def test_every_transition_is_made_by_one_of_the_two_sides():
    assert set(states.TRANSITIONS.values()) == {"referrer", "provider"}
    assert all(frm not in states.FINAL for frm, _ in states.TRANSITIONS)


attempts = st.lists(
    st.tuples(
        st.sampled_from(states.STATUSES),
        st.sampled_from(states.ACTOR_ROLES),
        st.sampled_from([None, "", "client asked"]),
    ),
    max_size=12,
)


@given(attempts)
def test_no_sequence_of_calls_reaches_a_transition_the_table_forbids(calls):
    current = states.DRAFT
    for target, role, reason in calls:
        try:
            change = transition(current, target, role, reason)
        except TransitionError:
            continue
        assert states.TRANSITIONS[(current, target)] == role
        assert target not in states.REASON_REQUIRED or change.reason
        current = change.to_status


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(attempts)
def test_every_applied_transition_writes_exactly_one_event(session, calls):
    savepoint = session.begin_nested()
    try:
        _replay(session, calls)
    finally:
        savepoint.rollback()


def _replay(session, calls) -> None:
    world = make_world(session, tag=uuid.uuid4().hex[:8])
    referral = send(session, world, send_now=False)
    actors = {"referrer": world.case_manager, "provider": world.staff}
    applied = 0
    for target, role, reason in calls:
        before = referral.status
        move = service.Move(target, referral.version, reason=reason)
        try:
            service.transition_referral(session, referral.id, move, actors[role], NOW)
        except TransitionError:
            assert referral.status == before
        else:
            applied += 1
            assert states.TRANSITIONS[(before, target)] == role
        transitions = session.scalar(
            select(func.count())
            .select_from(ReferralEvent)
            .where(ReferralEvent.referral_id == referral.id, ReferralEvent.from_status.is_not(None))
        )
        assert transitions == applied
    assert referral.version == 1 + applied
