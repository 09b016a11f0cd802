"""Sending what the outbox holds: claim due messages, hand each to its transport,
record the result. Failures are retried with doubling waits until the attempts run out,
then the message is ``dead`` (kept, with its last error, for a person to look at).

Delivery is at least once: a worker that dies after the transport accepted a message
but before recording it sends that message again when its claim expires.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from referral.notify.models import DEAD, FAILED, PENDING, SENDING, SENT, OutboxMessage
from referral.notify.settings import CLAIM_LEASE, FIRST_RETRY, MAX_RETRY
from referral.notify.transports import Transport

log = logging.getLogger(__name__)
# Messages claimed per round: small enough that a slow SMTP server does not keep
# claims past their lease, big enough to drain a backlog quickly.
BATCH = 50
MAX_ERROR = 2000
CLAIMABLE = (PENDING, FAILED, SENDING)


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    dead: int = 0


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 1, 2, 4, ... minutes, at most two hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


def claim(session: Session, now: datetime, limit: int = BATCH) -> list[str]:
    """Claim due messages for this worker and commit the claim. On PostgreSQL rows
    another worker is claiming are skipped (SKIP LOCKED); everywhere, the conditional
    UPDATE lets only one claimant win a row. A claim lasts CLAIM_LEASE."""
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status.in_(CLAIMABLE), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    due_ids = list(session.scalars(due))
    claimed: list[str] = []
    if due_ids:
        claimed = list(
            session.scalars(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id.in_(due_ids),
                    OutboxMessage.status.in_(CLAIMABLE),
                    OutboxMessage.next_attempt_at <= now,
                )
                .values(
                    status=SENDING,
                    attempts=OutboxMessage.attempts + 1,
                    next_attempt_at=now + CLAIM_LEASE,
                )
                .returning(OutboxMessage.id)
                .execution_options(synchronize_session=False)
            )
        )
    session.commit()
    position = {message_id: n for n, message_id in enumerate(due_ids)}
    return sorted(claimed, key=position.__getitem__)  # oldest due first


def deliver_due(
    session: Session,
    transports: Mapping[str, Transport],
    now: datetime,
    max_attempts: int,
    limit: int = BATCH,
) -> Delivery:
    """Send every message due at ``now``; commits after each one."""
    result = Delivery()
    while True:
        claimed = claim(session, now, limit)
        for message_id in claimed:
            outcome = _deliver_one(session, message_id, transports, now, max_attempts)
            setattr(result, outcome, getattr(result, outcome) + 1)
        if len(claimed) < limit:
            return result


def _deliver_one(
    session: Session,
    message_id: str,
    transports: Mapping[str, Transport],
    now: datetime,
    max_attempts: int,
) -> str:
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    assert message is not None
    try:
        transport = transports[message.channel]
        transport(message)
    except Exception as exc:  # noqa: BLE001 - any transport failure is recorded and retried
        outcome = _record_failure(message, exc, now, max_attempts)
    else:
        message.status, message.sent_at, message.last_error = SENT, now, None
        outcome = "sent"
    session.commit()
    return outcome


def _record_failure(message: OutboxMessage, exc: Exception, now: datetime, limit: int) -> str:
    message.last_error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
    if message.attempts >= limit:
        message.status = DEAD
        log.error("outbox message %s is dead: %s", message.id, message.last_error)
        return "dead"
    message.status = FAILED
    message.next_attempt_at = now + backoff(message.attempts)
    log.warning("outbox message %s failed: %s", message.id, message.last_error)
    return "failed"


def listing(
    session: Session, status: str | None = None, limit: int = 50
) -> Sequence[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return session.scalars(query).all()


def retry_dead(session: Session, now: datetime) -> int:
    """Give dead messages another round of attempts (after fixing the mail settings)."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == DEAD)
        .values(status=PENDING, attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
