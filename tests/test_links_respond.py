"""The one-click Accept and Decline links in a new-referral email (``/r/<token>``)."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import timedelta

import pytest
from notify_helpers import connection, isolating_engine  # noqa: F401 - fixtures
from referrals_helpers import make_world, move, send
from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from referral import create_app, db
from referral.accounts.models import Membership, SecurityAuditEvent, utcnow
from referral.links import make_token
from referral.notify.models import OutboxMessage, UsedLink
from referral.referrals import states
from referral.referrals.models import Referral, ReferralEvent

LINK = re.compile(r"http://127\.0\.0\.1:5000(/r/[\w.\-]+)")


def links_in(session: Session, referral_id: str, to: str) -> dict[str, str]:
    message = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.related_id == referral_id,
            OutboxMessage.kind == "referral-requested",
            OutboxMessage.to_address == to,
        )
    )
    assert message is not None, f"no referral email to {to}"
    accept, decline = LINK.findall(message.body)
    return {"accept": accept, "decline": decline}


@pytest.fixture
def sent(app):
    """A referral just sent to the provider, committed (to the test's savepoint)."""
    with app.app_context():
        session = db.session()
        world = make_world(session, tag=uuid.uuid4().hex[:6])
        referral = send(session, world)
        links = links_in(session, referral.id, world.staff.email)
        session.commit()
    return world, referral.id, links


def status_of(app, referral_id: str) -> str:
    with app.app_context():
        return db.session().get(Referral, referral_id).status


def test_opening_a_link_shows_what_will_happen_and_changes_nothing(app, client, sent):
    world, referral_id, links = sent
    page = client.get(links["accept"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Accept this referral?" in html and "Eastside Navigators" in html
    assert html.count('<button type="submit"') == 1
    assert "Ana" not in html and "555-0100" not in html  # initials only
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    client.get(links["accept"])
    assert status_of(app, referral_id) == states.REQUESTED
    with app.app_context():
        assert db.session().scalars(select(UsedLink)).all() == []


def test_accepting_from_the_link_acts_as_the_staff_member_and_tells_the_referrer(app, client, sent):
    world, referral_id, links = sent
    done = client.post(links["accept"])
    assert done.status_code == 200
    assert "Referral accepted" in done.get_data(as_text=True)
    with app.app_context():
        session = db.session()
        referral = session.get(Referral, referral_id)
        assert referral.status == states.ACCEPTED
        last = session.scalars(
            select(ReferralEvent)
            .where(ReferralEvent.referral_id == referral_id)
            .order_by(ReferralEvent.id.desc())
        ).first()
        assert (last.actor_id, last.actor_role) == (world.staff.id, states.PROVIDER)
        audit_row = session.scalars(
            select(SecurityAuditEvent).where(SecurityAuditEvent.target_id == referral_id)
        ).one()
        assert audit_row.event_type == "referral_answered_by_link"
        assert audit_row.user_id == world.staff.id and audit_row.detail == {"action": "accept"}
        told = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.related_id == referral_id, OutboxMessage.kind == "referral-updated"
            )
        ).all()
        assert [m.to_address for m in told] == [world.case_manager.email]
        assert "accepted" in told[0].subject and "Ana" not in told[0].subject


def test_a_link_used_once_cannot_be_used_again(client, sent):
    _, _, links = sent
    assert client.post(links["accept"]).status_code == 200
    again = client.post(links["accept"])
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert client.get(links["accept"]).status_code == 410


def test_declining_needs_a_reason(app, client, sent):
    _, referral_id, links = sent
    page = client.post(links["decline"], data={"reason": ""})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and "Choose why you are declining." in html
    other = client.post(links["decline"], data={"reason": "other", "note": ""})
    assert other.status_code == 422 and "Say why in the note." in other.get_data(as_text=True)
    assert status_of(app, referral_id) == states.REQUESTED


def test_declining_with_a_reason_records_it_and_the_outcome(app, client, sent):
    _, referral_id, links = sent
    done = client.post(links["decline"], data={"reason": "no-capacity", "note": "Full until May"})
    assert done.status_code == 200
    with app.app_context():
        referral = db.session().get(Referral, referral_id)
        assert referral.status == states.REJECTED and referral.outcome == "no-capacity"
        event = referral.events[-1]
        assert event.reason == "We have no capacity right now" and event.note == "Full until May"


def test_a_referral_answered_elsewhere_makes_the_link_say_so(app, client, sent):
    world, referral_id, links = sent
    with app.app_context():
        session = db.session()
        move(session, world, session.get(Referral, referral_id), states.ACCEPTED)
        session.commit()
    page = client.get(links["decline"])
    assert page.status_code == 409
    assert "now accepted" in page.get_data(as_text=True)
    assert client.post(links["decline"], data={"reason": "no-capacity"}).status_code == 409
    assert status_of(app, referral_id) == states.ACCEPTED


def test_a_staff_member_who_lost_the_role_cannot_use_the_link(app, client, sent):
    world, referral_id, links = sent
    with app.app_context():
        session = db.session()
        session.execute(delete(Membership).where(Membership.user_id == world.staff.id))
        session.commit()
    assert client.post(links["accept"]).status_code == 403
    assert status_of(app, referral_id) == states.REQUESTED


def test_changed_and_expired_links_get_a_clear_page_with_a_way_to_sign_in(app, client, sent):
    world, referral_id, links = sent
    payload, _, signature = links["accept"].rpartition(".")
    tampered = client.get(f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}")
    assert tampered.status_code == 400
    assert "This link is not valid" in tampered.get_data(as_text=True)
    with app.app_context():
        old = make_token(
            "referral-respond",
            referral_id,
            max_age=timedelta(days=7),
            extra={"u": world.staff.id, "a": "accept", "v": 1},
            now=utcnow() - timedelta(days=8),
        )
    expired = client.post(f"/r/{old}")
    assert expired.status_code == 410
    html = expired.get_data(as_text=True)
    assert "This link has expired" in html and "/login" in html
    assert status_of(app, referral_id) == states.REQUESTED


def test_a_link_for_another_purpose_is_not_a_referral_answer(app, client, sent):
    world, referral_id, _ = sent
    with app.app_context():
        other = make_token(
            "verify-email", referral_id, max_age=timedelta(days=1), extra={"u": world.staff.id}
        )
    assert client.post(f"/r/{other}").status_code == 400


@pytest.fixture(scope="module")
def own_database(database_url):
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer, nothing can race")
    name = f"referral_links_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    own = url.set(database=name).render_as_string(hide_password=False)
    try:
        engine = db.make_engine(own)
        db.upgrade(engine)
        engine.dispose()
        yield own
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_two_clicks_at_the_same_moment_answer_the_referral_once(own_database, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": own_database,
            "INSTANCE_DIR": str(tmp_path),
            "SECRET_KEY": "race-secret",
            "WTF_CSRF_ENABLED": False,
        }
    )
    engine = app.extensions["referral.engine"]
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        world = make_world(session)
        referral = send(session, world)
        links = links_in(session, referral.id, world.staff.email)
        session.commit()
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def click(path: str, data: dict[str, str]) -> None:
        client = app.test_client()
        barrier.wait()
        codes.append(client.post(path, data=data).status_code)

    threads = [
        threading.Thread(target=click, args=(links["accept"], {})),
        threading.Thread(target=click, args=(links["decline"], {"reason": "no-capacity"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as session:
        answered = session.scalars(
            select(ReferralEvent).where(
                ReferralEvent.referral_id == referral.id,
                ReferralEvent.from_status == states.REQUESTED,
            )
        ).all()
    engine.dispose()
    assert sorted(codes)[0] == 200 and sorted(codes)[1] in (409, 410)
    assert len(answered) == 1
