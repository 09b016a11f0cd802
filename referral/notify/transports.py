"""Where outbox messages go: a file per message (development default), the console,
SMTP for email, and any ``module:callable`` for SMS. A transport raises on failure;
the outbox decides about retrying."""

from __future__ import annotations

import importlib
import smtplib
import sys
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

from referral.accounts.models import utcnow
from referral.notify.models import EMAIL, SMS, OutboxMessage
from referral.notify.settings import NotifySettings

SMTP_TIMEOUT = 30


class Transport(Protocol):
    def __call__(self, message: OutboxMessage) -> None: ...


class TransportError(Exception):
    """A transport setting that cannot work; raised when the worker starts."""


class FileTransport:
    """Writes each message as a readable text file, so a developer can open what
    would have been sent: ``<outbox>/<UTC time>-<channel>-<id>.txt``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, message: OutboxMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        path = self.folder / f"{stamp}-{message.channel}-{message.id}.txt"
        path.write_text(_as_text(message), encoding="utf-8")


class ConsoleTransport:
    def __call__(self, message: OutboxMessage) -> None:
        sys.stdout.write(_as_text(message) + "\n" + "-" * 60 + "\n")
        sys.stdout.flush()


class SmtpTransport:
    def __init__(self, settings: NotifySettings) -> None:
        self.settings = settings

    def __call__(self, message: OutboxMessage) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password or "")
            smtp.send_message(email_message(message, s.smtp_from))


def email_message(message: OutboxMessage, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(idstring=message.id)
    mail["Content-Language"] = message.language
    # Automated mail: no out-of-office replies back to us.
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body)
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    return mail


def _as_text(message: OutboxMessage) -> str:
    header = [
        f"Channel: {message.channel}",
        f"To: {message.to_address}",
        f"Subject: {message.subject}",
        f"Language: {message.language}",
        f"Kind: {message.kind}",
        f"Message-Id: {message.id}",
    ]
    return "\n".join(header) + "\n\n" + message.body


def email_transport(settings: NotifySettings) -> Transport:
    name = settings.email_transport
    if name == "file":
        return FileTransport(settings.outbox_dir)
    if name == "console":
        return ConsoleTransport()
    if name == "smtp":
        return SmtpTransport(settings)
    raise TransportError(f"REFERRAL_EMAIL_TRANSPORT must be file, console or smtp, not {name!r}")


def sms_transport(settings: NotifySettings) -> Transport:
    name = settings.sms_transport
    if name == "file":
        return FileTransport(settings.outbox_dir)
    if name == "console":
        return ConsoleTransport()
    if ":" in name:
        return _load(name)
    raise TransportError(
        f"REFERRAL_SMS_TRANSPORT must be file, console or module:callable, not {name!r}"
    )


def _load(target: str) -> Transport:
    module_name, _, attribute = target.partition(":")
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise TransportError(f"cannot load SMS transport {target!r}: {exc}") from exc
    if not callable(found):
        raise TransportError(f"SMS transport {target!r} is not callable")
    return found  # type: ignore[no-any-return]


def transports_for(settings: NotifySettings) -> dict[str, Transport]:
    """channel -> transport, checked now so a bad setting stops the worker at start."""
    return {EMAIL: email_transport(settings), SMS: sms_transport(settings)}
