"""Notifications: messages are written to the outbox table in the caller's transaction
and sent by ``referral worker`` after it commits, so a rolled-back change never sends
mail and a mail server that is down never fails a request.

Texts come from ``templates/notify/<name>.<language>.txt``: the first line is the
subject, then a blank line, then the body (Jinja, no HTML escaping). A language with no
template falls back to English.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

import jinja2
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from referral.accounts.models import utcnow
from referral.notify.models import CHANNELS, PENDING, OutboxMessage

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "notify"
FALLBACK_LANGUAGE = "en"
# Longer subjects are cut: mail clients show about this much, and the column holds 300.
MAX_SUBJECT = 200

__all__ = ["OutboxMessage", "base_language", "enqueue", "render"]


def enqueue(
    session: Session,
    *,
    channel: str,
    to: str,
    subject: str,
    body: str,
    kind: str,
    language: str = "en",
    related_id: str | None = None,
    dedupe_key: str | None = None,
    html: str | None = None,
    now: datetime | None = None,
) -> OutboxMessage | None:
    """Add a message to the outbox (flushed, never committed). ``None`` when a message
    with this ``dedupe_key`` already exists, so a job or hook that runs twice sends
    once. ``channel`` is "email" or "sms"; ``to`` an address or a phone number."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    if not to or not to.strip():
        raise ValueError("a message needs an address to go to")
    if dedupe_key is not None and _exists(session, dedupe_key):
        return None
    moment = now or utcnow()
    message = OutboxMessage(
        channel=channel,
        to_address=to.strip(),
        subject=" ".join(subject.split())[:MAX_SUBJECT],
        body=body,
        html=html,
        language=language,
        kind=kind,
        related_id=related_id,
        dedupe_key=dedupe_key,
        status=PENDING,
        attempts=0,
        next_attempt_at=moment,
        created_at=moment,
    )
    try:
        with session.begin_nested():
            session.add(message)
            session.flush()
    except IntegrityError:
        if dedupe_key is not None and _exists(session, dedupe_key):
            return None
        raise
    return message


def _exists(session: Session, dedupe_key: str) -> bool:
    found = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
    return found is not None


def base_language(language: str | None) -> str:
    """ "es-MX" -> "es"; nothing -> English."""
    code = (language or FALLBACK_LANGUAGE).strip().lower().replace("_", "-")
    return code.split("-")[0] or FALLBACK_LANGUAGE


def render(template: str, language: str, **context: object) -> tuple[str, str]:
    """(subject, body) of ``templates/notify/<template>.<language>.txt``, or of the
    English template when that language has none."""
    chosen = template_language(template, language)
    text = _environment().get_template(f"{template}.{chosen}.txt").render(**context)
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip("\n") + "\n"


def template_language(template: str, language: str | None) -> str:
    """The language a message in ``language`` will actually be written in."""
    wanted = base_language(language)
    if (TEMPLATES / f"{template}.{wanted}.txt").is_file():
        return wanted
    if (TEMPLATES / f"{template}.{FALLBACK_LANGUAGE}.txt").is_file():
        return FALLBACK_LANGUAGE
    raise LookupError(f"no notification template {template!r} (looked in {TEMPLATES})")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # plain-text mail and SMS; HTML parts are built elsewhere
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
