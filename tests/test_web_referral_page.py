"""The referral page: both sides read it, each sees only the moves the lifecycle table
gives its side, a stale form is a 409 that keeps what was typed, a missing reason is
a 422 beside the field, and do-not-contact hides the client's contact details from
the provider."""

from __future__ import annotations

import re

from accounts_helpers import make_org, make_user, sign_in
from referrals_helpers import make_world, move, send
from sqlalchemy import select

from referral.accounts.models import SecurityAuditEvent
from referral.referrals import states
from referral.referrals.models import Referral


def _page(client, referral):
    return client.get(f"/referrals/{referral.id}")


def _post(client, referral, **form):
    form.setdefault("version", referral.version)
    return client.post(f"/referrals/{referral.id}/transitions", data=form)


def _buttons(html: str) -> list[str]:
    return re.findall(r'<button type="submit" class="button">([^<]+)</button>', html)


def test_the_provider_sees_the_referral_and_may_accept_or_decline_only(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    sign_in(app, client, world.staff)
    response = _page(client, referral)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ana Lopez" in html and "555-0100" in html
    assert f"{world.provider.name} pantry" in html and world.agency.name in html
    assert _buttons(html) == ["Accept", "Decline"]
    assert f'name="version" value="{referral.version}"' in html
    # A phone shows the actions after the history: the header links to them.
    assert 'class="jump-to-actions" href="#h-actions"' in html and 'id="h-actions"' in html


def test_a_referral_status_reads_as_one_referral_in_spanish(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    sign_in(app, client, world.staff)
    html = client.get(f"/referrals/{referral.id}?lang=es").get_data(as_text=True)
    assert 'badge--requested">Solicitada</span>' in html
    assert "Creada como Solicitada" in html and "Solicitadas" not in html


def test_the_referrer_sees_send_and_cancel_on_a_draft_and_no_provider_moves(app, client, session):
    world = make_world(session)
    draft = send(session, world, send_now=False)
    sign_in(app, client, world.case_manager)
    html = _page(client, draft).get_data(as_text=True)
    assert _buttons(html) == ["Send referral", "Cancel referral", "Withdraw: entered in error"]


def test_the_provider_cannot_open_a_draft_and_strangers_get_404(app, client, session):
    world = make_world(session)
    draft = send(session, world, send_now=False)
    sign_in(app, client, world.staff)
    assert _page(client, draft).status_code == 404
    stranger_org = make_org(session, "Hilltop Shelter")
    stranger = make_user(session, "stranger@example.org", "case_manager", stranger_org.id)
    other = app.test_client()
    sign_in(app, other, stranger)
    assert other.get(f"/referrals/{draft.id}").status_code == 404
    assert other.get("/referrals/no-such-referral").status_code == 404


def test_accepting_then_completing_with_an_outcome_closes_the_loop_with_history(
    app, client, session
):
    world = make_world(session)
    referral = send(session, world)
    sign_in(app, client, world.staff)
    accepted = _post(client, referral, to="accepted", note="Called, coming Monday")
    assert accepted.status_code == 303
    session.refresh(referral)
    done = _post(client, referral, to="completed", outcome="got-help", enrollment="enrolled")
    assert done.status_code == 303
    session.refresh(referral)
    assert (referral.status, referral.outcome, referral.enrollment) == (
        "completed",
        "got-help",
        "enrolled",
    )
    html = _page(client, referral).get_data(as_text=True)
    assert "Requested → Accepted" in html and "Accepted → Completed" in html
    assert "Called, coming Monday" in html and "Outcome: Got help" in html
    assert world.staff.email in html
    assert _buttons(html) == []


def test_completing_without_an_outcome_is_a_422_beside_the_outcome(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    move(session, world, referral, states.ACCEPTED)
    sign_in(app, client, world.staff)
    response = _post(client, referral, to="completed", note="done")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true" aria-describedby="e-completed-outcome"' in html
    assert 'role="alert"' in html
    assert ">done</textarea>" in html
    session.refresh(referral)
    assert referral.status == states.ACCEPTED


def test_declining_without_a_reason_is_a_422_beside_the_reason(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    sign_in(app, client, world.staff)
    response = _post(client, referral, to="rejected", reason="  ", note="kept note")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="e-rejected-reason"' in html and "Give a reason" in html
    assert 'aria-describedby="e-rejected-reason"' in html
    assert ">kept note</textarea>" in html
    session.refresh(referral)
    assert referral.status == states.REQUESTED


def test_a_stale_form_is_a_409_that_shows_the_change_and_keeps_the_typed_note(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    move(session, world, referral, states.ACCEPTED)
    seen = referral.version
    move(session, world, referral, states.IN_PROGRESS)  # someone else, meanwhile
    sign_in(app, client, world.staff)
    response = _post(
        client,
        referral,
        version=seen,
        to="on-hold",
        reason="Waiting for documents",
        note="Client brings ID on Friday",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This referral changed while you were looking at it" in html
    assert "It is now In progress" in html
    assert ">Client brings ID on Friday</textarea>" in html
    assert ">Waiting for documents</textarea>" in html
    assert f'name="version" value="{referral.version}"' in html
    session.refresh(referral)
    assert referral.status == states.IN_PROGRESS


def test_a_stale_form_whose_action_is_gone_still_shows_what_was_typed(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    seen = referral.version
    move(session, world, referral, states.REJECTED, reason="full")
    sign_in(app, client, world.staff)
    response = _post(client, referral, version=seen, to="accepted", note="See you at 9")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "no longer possible" in html and "See you at 9" in html


def test_the_referrer_cannot_accept_its_own_referral(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    sign_in(app, client, world.case_manager)
    assert _post(client, referral, to="accepted").status_code == 403
    session.refresh(referral)
    assert referral.status == states.REQUESTED


def test_the_referrer_cancels_with_a_reason(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    sign_in(app, client, world.case_manager)
    response = _post(client, referral, to="cancelled", reason="Client found housing")
    assert response.status_code == 303
    session.refresh(referral)
    assert referral.status == states.CANCELLED
    html = _page(client, referral).get_data(as_text=True)
    assert "Client found housing" in html


def test_a_form_without_a_version_is_a_400(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    sign_in(app, client, world.staff)
    response = client.post(f"/referrals/{referral.id}/transitions", data={"to": "accepted"})
    assert response.status_code == 400


def test_do_not_contact_hides_contact_details_from_the_provider_with_a_note(app, client, session):
    world = make_world(session, preference="do-not-contact")
    referral = send(session, world)
    sign_in(app, client, world.staff)
    html = _page(client, referral).get_data(as_text=True)
    assert "Ana Lopez" in html
    for detail in ("555-0100", "ana@example.org", "1 Main St"):
        assert detail not in html
    assert "asked not to be contacted directly" in html
    assert 'id="contact-hidden"' in html


def test_the_referrer_still_sees_contact_details_of_a_do_not_contact_client(app, client, session):
    world = make_world(session, preference="do-not-contact")
    referral = send(session, world)
    sign_in(app, client, world.case_manager)
    html = _page(client, referral).get_data(as_text=True)
    assert "555-0100" in html
    assert "provider does not see these contact details" in html
    assert f'href="/clients/{world.client.id}"' in html


def test_the_provider_gets_no_link_to_the_client_record(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    sign_in(app, client, world.staff)
    html = _page(client, referral).get_data(as_text=True)
    assert f'href="/clients/{world.client.id}"' not in html
    assert 'href="/inbox"' in html


def test_every_view_of_the_page_is_audited_as_a_client_read(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    sign_in(app, client, world.staff)
    _page(client, referral)
    reads = session.scalars(
        select(SecurityAuditEvent).where(SecurityAuditEvent.target_id == world.client.id)
    ).all()
    assert len(reads) == 1


def test_an_overdue_referral_says_so(app, client, session):
    from datetime import timedelta

    from referral.accounts.models import utcnow

    world = make_world(session)
    referral = send(session, world)
    referral.respond_by = utcnow() - timedelta(days=1)
    session.flush()
    sign_in(app, client, world.staff)
    html = _page(client, referral).get_data(as_text=True)
    assert "Overdue: no answer yet" in html and "1 day ago" in html


def test_sending_a_draft_without_consent_explains_why_with_422(app, client, session):
    world = make_world(session, consent=False)
    draft = send(session, world, send_now=False)
    sign_in(app, client, world.case_manager)
    response = _post(client, draft, to="requested")
    assert response.status_code == 422
    assert "consent" in response.get_data(as_text=True).lower()
    assert session.get(Referral, draft.id).status == states.DRAFT


def test_the_provider_cannot_open_the_full_client_record_of_a_do_not_contact_client(
    app, client, session
):
    world = make_world(session, preference="do-not-contact")
    send(session, world)
    sign_in(app, client, world.staff)
    response = client.get(f"/clients/{world.client.id}")
    assert response.status_code in (403, 404)
    assert "555-0100" not in response.get_data(as_text=True)


def test_a_move_the_table_forbids_is_a_422_that_says_what_is_allowed(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    sign_in(app, client, world.staff)
    response = _post(client, referral, to="completed", outcome="got-help")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A requested referral cannot become completed" in html and 'href="#h-actions"' in html
    assert _post(client, referral, to="reopened").status_code == 422


def test_the_page_offers_each_side_exactly_the_moves_the_lifecycle_table_gives_it(app):
    from referral.web.referral_page import actions_for

    sides = [frozenset(), frozenset({"referrer"}), frozenset({"provider"})]
    sides.append(frozenset({"referrer", "provider"}))
    with app.test_request_context():
        for status in states.STATUSES:
            for acting in sides:
                offered = {(a.to, a.side) for a in actions_for(Referral(status=status), acting)}
                allowed = {
                    (to, side)
                    for (frm, to), side in states.TRANSITIONS.items()
                    if frm == status and side in acting
                }
                assert offered == allowed, (status, acting)
                for action in actions_for(Referral(status=status), acting):
                    assert action.reason_required == (action.to in states.REASON_REQUIRED)


def test_a_referral_outcome_reads_as_one_referral_in_spanish(app, client, session):
    world = make_world(session)
    referral = send(session, world)
    referral = move(session, world, referral, states.ACCEPTED)
    move(session, world, referral, states.COMPLETED, outcome="got-help")
    sign_in(app, client, world.staff)
    html = client.get(f"/referrals/{referral.id}?lang=es").get_data(as_text=True)
    assert "Resultado: Recibió ayuda" in html and "Recibieron ayuda" not in html
