"""The worker's jobs with a fixed clock: overdue referrals flagged once, follow-up
reminders once, a tick run twice sends once, two workers at once send once."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import timedelta

import pytest
from accounts_helpers import make_user
from click.testing import CliRunner
from notify_helpers import connection, isolating_engine  # noqa: F401 - fixtures
from referrals_helpers import NOW, make_world, move, send
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from referral import db, notify
from referral.accounts.models import AGENCY_ADMIN
from referral.cli import main
from referral.notify import jobs, outbox
from referral.notify.models import SENT, OutboxMessage, ReferralReminder
from referral.notify.settings import NotifySettings
from referral.referrals import states

SETTINGS = NotifySettings(follow_up_days=7)
# The referral helpers send on Wednesday 15:00; two business days: Friday 15:00.
AFTER_DEADLINE = NOW + timedelta(days=2, minutes=1)


class Recorder:
    def __init__(self) -> None:
        self.sent: list[OutboxMessage] = []
        self.addresses: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def __call__(self, message: OutboxMessage) -> None:
        with self.lock:
            self.sent.append(message)
            self.addresses.append((message.kind, message.to_address))


def messages(session: Session, referral_id: str, kind: str) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.related_id == referral_id, OutboxMessage.kind == kind
            )
        )
    )


def test_an_unanswered_referral_is_flagged_overdue_once_and_both_sides_told(session):
    world = make_world(session)
    admin = make_user(session, "provider-admin@example.org", AGENCY_ADMIN, world.provider.id)
    referral = send(session, world)
    assert jobs.flag_overdue(session, SETTINGS, NOW + timedelta(days=2, minutes=-1)) == 0
    assert jobs.flag_overdue(session, SETTINGS, AFTER_DEADLINE) == 1
    assert jobs.flag_overdue(session, SETTINGS, AFTER_DEADLINE + timedelta(hours=1)) == 0
    told = messages(session, referral.id, "referral-overdue")
    assert sorted(m.to_address for m in told) == sorted(
        [world.case_manager.email, world.staff.email, admin.email]
    )
    reminder = session.scalars(
        select(ReferralReminder).where(ReferralReminder.referral_id == referral.id)
    ).one()
    assert reminder.kind == jobs.OVERDUE


def test_deadlines_long_past_are_recorded_without_a_flood_of_messages(session):
    """First start over an imported history, or after a long outage: month-old
    deadlines are marked handled, and nobody is e-mailed about them."""
    world = make_world(session)
    overdue = send(session, world)
    accepted = send(session, world, key="key-2")
    move(session, world, accepted, states.ACCEPTED)
    much_later = NOW + timedelta(days=60)
    assert jobs.flag_overdue(session, SETTINGS, much_later) == 0
    assert jobs.remind_follow_ups(session, SETTINGS, much_later) == 0
    assert messages(session, overdue.id, "referral-overdue") == []
    assert messages(session, accepted.id, "referral-follow-up") == []
    handled = session.scalars(
        select(ReferralReminder.referral_id).where(
            ReferralReminder.referral_id.in_([overdue.id, accepted.id])
        )
    ).all()
    assert sorted(handled) == sorted([overdue.id, accepted.id])
    assert jobs.flag_overdue(session, SETTINGS, much_later + timedelta(days=1)) == 0


def test_an_answered_referral_is_never_overdue(session):
    world = make_world(session)
    referral = send(session, world)
    move(session, world, referral, states.ACCEPTED)
    assert jobs.flag_overdue(session, SETTINGS, AFTER_DEADLINE) == 0


def test_the_case_manager_is_reminded_once_a_week_after_acceptance_without_outcome(session):
    world = make_world(session)
    referral = send(session, world)
    move(session, world, referral, states.ACCEPTED)
    assert jobs.remind_follow_ups(session, SETTINGS, NOW + timedelta(days=6)) == 0
    assert jobs.remind_follow_ups(session, SETTINGS, NOW + timedelta(days=7)) == 1
    assert jobs.remind_follow_ups(session, SETTINGS, NOW + timedelta(days=9)) == 0
    (reminder,) = messages(session, referral.id, "referral-follow-up")
    assert reminder.to_address == world.case_manager.email
    assert "7 days" in reminder.subject and "Ana" not in reminder.subject


def test_no_follow_up_reminder_once_an_outcome_is_recorded(session):
    world = make_world(session)
    referral = send(session, world)
    move(session, world, referral, states.ACCEPTED)
    move(session, world, referral, states.COMPLETED, outcome="got-help")
    assert jobs.remind_follow_ups(session, SETTINGS, NOW + timedelta(days=30)) == 0


def test_a_tick_run_twice_sends_each_message_once(session):
    world = make_world(session)
    referral = send(session, world)
    transport = Recorder()
    transports = {"email": transport, "sms": transport}
    first = jobs.run_tick(session, SETTINGS, transports, AFTER_DEADLINE)
    second = jobs.run_tick(session, SETTINGS, transports, AFTER_DEADLINE + timedelta(minutes=1))
    assert first.overdue == 1 and second.overdue == 0
    mine = [m for m in transport.sent if m.related_id == referral.id]
    assert len(mine) == 2 and second.delivery.sent == 0
    assert all(m.status == SENT for m in messages(session, referral.id, "referral-overdue"))
    assert "overdue flagged 1" in first.line()


def test_two_workers_at_once_send_each_message_once(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer (run one worker)")
    kind = f"race-{uuid.uuid4().hex[:8]}"
    with Session(engine) as session, session.begin():
        for n in range(40):
            to = f"p{n}@example.org"
            notify.enqueue(
                session, channel="email", to=to, subject="s", body="b", kind=kind, now=NOW
            )
    transport = Recorder()
    barrier = threading.Barrier(2)

    def work() -> None:
        with Session(engine) as session:
            barrier.wait()
            outbox.deliver_due(session, {"email": transport}, NOW, max_attempts=3, limit=5)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        mine = [to for sent_kind, to in transport.addresses if sent_kind == kind]
        assert len(mine) == 40 and len(set(mine)) == 40
    finally:
        with Session(engine) as session, session.begin():
            session.execute(delete(OutboxMessage).where(OutboxMessage.kind == kind))


def test_the_worker_command_runs_one_round_and_writes_mail_files(cli_env, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["init"], env=cli_env).exit_code == 0
    cli_db = db.make_engine(cli_env["REFERRAL_DATABASE_URL"])
    with Session(cli_db) as session, session.begin():
        fields = {"to": "cm@example.org", "subject": "Hello", "body": "Referral news\n"}
        notify.enqueue(session, channel="email", kind="test", **fields)
    cli_db.dispose()
    result = runner.invoke(main, ["worker", "--once"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "overdue flagged 0, follow-ups 0, sent 1, failed 0, dead 0" in result.output
    (written,) = (tmp_path / "instance" / "outbox").iterdir()
    assert "Subject: Hello" in written.read_text()
    listing = runner.invoke(main, ["outbox", "--json"], env=cli_env)
    assert listing.exit_code == 0
    row = json.loads(listing.output.splitlines()[0])
    assert (row["status"], row["to"], row["attempts"]) == ("sent", "cm@example.org", 1)
    assert "body" not in row


def test_a_bad_transport_setting_stops_the_worker_with_a_clear_message(cli_env):
    env = {**cli_env, "REFERRAL_EMAIL_TRANSPORT": "carrier-pigeon"}
    runner = CliRunner()
    runner.invoke(main, ["init"], env=cli_env)
    result = runner.invoke(main, ["worker", "--once"], env=env)
    assert result.exit_code != 0 and "REFERRAL_EMAIL_TRANSPORT" in result.output
