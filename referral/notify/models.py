"""The notifications outbox, the one-click links already used, and the reminders the
worker has already given (so a job run twice does its work once)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from referral.accounts.models import utcnow
from referral.db import Base
from referral.directory.models import new_id

EMAIL, SMS = "email", "sms"
CHANNELS = (EMAIL, SMS)
# pending: waiting for its first attempt; sending: claimed by a worker (the claim
# expires, so a worker that died mid-send does not strand it); failed: the last attempt
# failed and another is due at next_attempt_at; sent; dead: gave up after max attempts.
PENDING, SENDING, SENT, FAILED, DEAD = "pending", "sending", "sent", "failed", "dead"
STATUSES = (PENDING, SENDING, SENT, FAILED, DEAD)
AWARE = DateTime(timezone=True)


class OutboxMessage(Base):
    """One email or text message, written in the transaction that caused it and sent
    by ``referral worker`` once that transaction has committed."""

    __tablename__ = "outbox_message"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(10))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(20), default="en")
    kind: Mapped[str] = mapped_column(String(60), index=True)
    related_id: Mapped[str | None] = mapped_column(String(36), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(AWARE)


class UsedLink(Base):
    """A single-use link that has been used. The primary key is the link's nonce, so
    two simultaneous uses cannot both be recorded."""

    __tablename__ = "used_link"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    used_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow)


class ReferralReminder(Base):
    """A deadline the worker has acted on for one referral: ``overdue`` (flagged and
    escalated) or ``follow-up-<days>d`` (case manager reminded)."""

    __tablename__ = "referral_reminder"
    __table_args__ = (UniqueConstraint("referral_id", "kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    referral_id: Mapped[str] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow)
