"""The outbox: queueing with dedupe keys, templates per language, sending with
retries and backoff, and giving up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from notify_helpers import connection, isolating_engine  # noqa: F401 - fixtures
from sqlalchemy import select

from referral import notify
from referral.notify import outbox
from referral.notify.models import DEAD, FAILED, PENDING, SENDING, SENT, OutboxMessage
from referral.notify.settings import CLAIM_LEASE, NotifySettings
from referral.notify.transports import (
    FileTransport,
    TransportError,
    email_message,
    transports_for,
)

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


class Recorder:
    def __init__(self, failures: int = 0) -> None:
        self.sent: list[str] = []
        self.failures = failures

    def __call__(self, message: OutboxMessage) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("mail server down")
        self.sent.append(message.id)


def queue(session, key: str | None = "k1", **kw) -> OutboxMessage | None:
    fields = {"channel": "email", "to": "a@example.org", "subject": "Hi", "body": "Body"}
    fields.update(kw)
    return notify.enqueue(session, kind="test", dedupe_key=key, now=NOW, **fields)


def test_a_dedupe_key_queues_a_message_once(session):
    first = queue(session, "same")
    again = queue(session, "same", subject="Another")
    assert first is not None and first.status == PENDING
    assert again is None
    count = session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == "same")).all()
    assert len(count) == 1


def test_messages_without_a_dedupe_key_are_all_queued(session):
    assert queue(session, None) is not None
    assert queue(session, None) is not None


def test_an_unknown_channel_or_empty_address_is_refused(session):
    with pytest.raises(ValueError, match="channel"):
        queue(session, channel="pigeon")
    with pytest.raises(ValueError, match="address"):
        queue(session, to="  ")


def test_a_due_message_is_sent_once_even_when_delivery_runs_twice(session):
    message = queue(session)
    transport = Recorder()
    first = outbox.deliver_due(session, {"email": transport}, NOW, max_attempts=3)
    second = outbox.deliver_due(session, {"email": transport}, NOW, max_attempts=3)
    assert (first.sent, second.sent) == (1, 0)
    assert transport.sent == [message.id]
    session.refresh(message)
    assert message.status == SENT and message.attempts == 1


def test_a_failed_send_is_retried_after_a_doubling_wait(session):
    message = queue(session)
    transport = Recorder(failures=2)
    outbox.deliver_due(session, {"email": transport}, NOW, max_attempts=5)
    session.refresh(message)
    assert message.status == FAILED and message.attempts == 1
    assert "mail server down" in message.last_error
    first_wait = message.next_attempt_at.replace(tzinfo=UTC) - NOW
    assert first_wait == timedelta(minutes=1)
    # Not due yet: nothing happens.
    outbox.deliver_due(session, {"email": transport}, NOW + timedelta(seconds=30), max_attempts=5)
    session.refresh(message)
    assert message.attempts == 1
    later = NOW + timedelta(minutes=1)
    outbox.deliver_due(session, {"email": transport}, later, max_attempts=5)
    session.refresh(message)
    assert message.attempts == 2
    assert message.next_attempt_at.replace(tzinfo=UTC) - later == timedelta(minutes=2)
    outbox.deliver_due(session, {"email": transport}, later + timedelta(minutes=2), max_attempts=5)
    session.refresh(message)
    assert message.status == SENT and message.attempts == 3 and message.last_error is None


def test_a_message_that_keeps_failing_is_dead_after_the_maximum_attempts(session):
    message = queue(session)
    transport = Recorder(failures=100)
    moment = NOW
    for _ in range(3):
        outbox.deliver_due(session, {"email": transport}, moment, max_attempts=3)
        moment += timedelta(hours=3)
    session.refresh(message)
    assert message.status == DEAD and message.attempts == 3
    outbox.deliver_due(session, {"email": transport}, moment + timedelta(days=1), max_attempts=3)
    session.refresh(message)
    assert message.attempts == 3
    assert outbox.retry_dead(session, moment) == 1
    session.refresh(message)
    assert message.status == PENDING and message.attempts == 0


def test_backoff_doubles_and_is_capped():
    waits = [outbox.backoff(n) for n in range(1, 10)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(waits) == timedelta(hours=2)


def test_a_message_claimed_by_a_worker_that_died_is_sent_after_the_lease(session):
    message = queue(session)
    assert outbox.claim(session, NOW) == [message.id]
    session.refresh(message)
    assert message.status == SENDING
    transport = Recorder()
    outbox.deliver_due(session, {"email": transport}, NOW + timedelta(seconds=10), max_attempts=5)
    assert transport.sent == []
    outbox.deliver_due(session, {"email": transport}, NOW + CLAIM_LEASE, max_attempts=5)
    assert transport.sent == [message.id]


def test_a_channel_without_a_transport_is_a_recorded_failure(session):
    message = queue(session, channel="sms", to="555-0100")
    outbox.deliver_due(session, {"email": Recorder()}, NOW, max_attempts=5)
    session.refresh(message)
    assert message.status == FAILED and "sms" in message.last_error


def test_the_file_transport_writes_a_readable_file_per_message(session, tmp_path):
    message = queue(session, subject="New referral", body="Hello there\n")
    FileTransport(tmp_path / "outbox")(message)
    (written,) = (tmp_path / "outbox").iterdir()
    text = written.read_text()
    assert "To: a@example.org" in text and "Subject: New referral" in text
    assert text.endswith("Hello there\n")


def test_the_default_transports_write_files_under_the_instance_folder(tmp_path):
    transports = transports_for(NotifySettings(instance_dir=str(tmp_path)))
    assert isinstance(transports["email"], FileTransport)
    assert transports["email"].folder == tmp_path / "outbox"


SMS_SENT: list[str] = []


def collect_sms(message: OutboxMessage) -> None:
    SMS_SENT.append(message.to_address)


def test_an_sms_transport_can_be_any_callable_named_in_the_settings(session):
    transports = transports_for(NotifySettings(sms_transport="test_notify_outbox:collect_sms"))
    queue(session, channel="sms", to="555-0142")
    outbox.deliver_due(session, transports, NOW, max_attempts=3)
    assert "555-0142" in SMS_SENT


def test_an_sms_transport_that_cannot_be_loaded_stops_the_worker_at_start():
    with pytest.raises(TransportError, match="cannot load"):
        transports_for(NotifySettings(sms_transport="no_such_module:send"))


def test_an_email_message_has_the_headers_mail_servers_expect(session):
    message = queue(session, html="<p>Body</p>")
    mail = email_message(message, "noreply@example.org")
    assert mail["To"] == "a@example.org" and mail["From"] == "noreply@example.org"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_body(("plain",)).get_content().strip() == "Body"
    assert mail.get_body(("html",)) is not None


def test_templates_render_in_the_language_asked_for_with_english_as_fallback():
    context = {"given_name": "Ana", "organization": "Harbor", "services_text": "1. Pantry"}
    subject_es, body_es = notify.render("service-list", "es-MX", **context)
    subject_fr, _ = notify.render("service-list", "fr", **context)
    assert subject_es == "Su lista de servicios de Harbor"
    assert body_es.startswith("Hola Ana:")
    assert subject_fr == "Your list of services from Harbor"


def test_a_missing_template_is_an_error_not_a_blank_message():
    with pytest.raises(LookupError):
        notify.render("no-such-template", "en")


class FakeSmtp:
    instances: list[FakeSmtp] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.calls = host, port, []
        FakeSmtp.instances.append(self)

    def __enter__(self) -> FakeSmtp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.calls.append("quit")

    def starttls(self) -> None:
        self.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        self.calls.append(f"login {user}")

    def send_message(self, mail) -> None:  # noqa: ANN001
        self.calls.append(f"send {mail['To']}")


def test_the_smtp_transport_uses_starttls_and_login_when_configured(session, monkeypatch):
    monkeypatch.setattr("referral.notify.transports.smtplib.SMTP", FakeSmtp)
    settings = NotifySettings(
        email_transport="smtp", smtp_host="mail.example.org", smtp_port=587, smtp_user="bot"
    )
    message = queue(session)
    transports_for(settings)["email"](message)
    (smtp,) = FakeSmtp.instances
    assert (smtp.host, smtp.port) == ("mail.example.org", 587)
    assert smtp.calls == ["starttls", "login bot", "send a@example.org", "quit"]
