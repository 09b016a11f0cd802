"""Verification: "this listing is still correct", and campaigns that ask for it.

Marking a service verified sets ``assured_date`` (and ``assurer_email``) through the
ORM, so the audit hook writes the metadata rows. A listing whose ``assured_date`` is
older than ``REFERRAL_STALE_AFTER_DAYS`` (365 by default) is stale: labelled "Not
verified since ..." and demoted by matching's freshness factor; older than
``REFERRAL_HIDE_AFTER_DAYS`` (off by default) it leaves search and match results.

A campaign (:func:`run_campaign`) emails each stale organization that has an email
address a signed link to ``/verify/<token>``, where the organization confirms its
services or suggests changes (applied at once: the link proves who is answering).
One :class:`VerificationRequest` per organization and campaign keeps the sends, the
reminders (at most :data:`MAX_REMINDERS`) and the answer, so a run repeated on the
same day sends nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from referral.db import Base
from referral.directory import models as dm

STALE_AFTER_DAYS = 365
MAX_REMINDERS = 2
TOKEN_PURPOSE = "verify-listings"
TOKEN_DAYS = 30
# Services that no longer run are not asked about.
ASKED_STATUSES = ("active", "temporarily closed", "inactive")
CONFIRMED, CHANGES = "confirmed", "changes"


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Freshness:
    """The staleness policy, from settings. Pure: no Flask, no database."""

    stale_after_days: int = STALE_AFTER_DAYS
    hide_after_days: int | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Freshness:
        stale = config.get("STALE_AFTER_DAYS") or STALE_AFTER_DAYS
        hide = config.get("HIDE_AFTER_DAYS") or None
        return cls(int(stale), int(hide) if hide else None)

    def stale_before(self, today: date) -> date:
        return today - timedelta(days=self.stale_after_days)

    def is_stale(self, assured: date | None, today: date) -> bool:
        return assured is None or assured < self.stale_before(today)

    def hidden_before(self, today: date) -> date | None:
        """Listings last verified before this day leave search and match results."""
        if self.hide_after_days is None:
            return None
        return today - timedelta(days=self.hide_after_days)

    def is_hidden(self, assured: date | None, today: date) -> bool:
        """Hidden only when verified long ago: a listing never verified at all is
        labelled, not hidden (most imports carry no verification date)."""
        if self.hide_after_days is None or assured is None:
            return False
        return assured < today - timedelta(days=self.hide_after_days)


class VerificationRequest(Base):
    """One organization asked, in one campaign, to confirm its listings."""

    __tablename__ = "verification_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(String(16))
    organization: Mapped[dm.Organization] = relationship()

    def is_open(self, now: datetime) -> bool:
        return self.answered_at is None and _aware(self.expires_at) > now


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for aware columns; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def mark_verified(session: Session, services: Iterable[dm.Service], by: str, today: date) -> int:
    """Set ``assured_date`` to today on each service; returns how many changed."""
    previous = session.info.get("actor")
    session.info["actor"] = by
    changed = 0
    try:
        for service in services:
            if service.assured_date != today or service.assurer_email != by:
                service.assured_date, service.assurer_email = today, by
                changed += 1
        session.flush()
    finally:
        session.info["actor"] = previous
    return changed


def services_of(session: Session, organization_id: str) -> list[dm.Service]:
    query = (
        select(dm.Service)
        .where(dm.Service.organization_id == organization_id)
        .where(dm.Service.status.in_(ASKED_STATUSES))
        .order_by(dm.Service.name, dm.Service.id)
    )
    return list(session.scalars(query))


def stale_organizations(session: Session, before: date) -> list[dm.Organization]:
    """Organizations with an email address and at least one service asked about that
    was never verified or last verified before ``before``."""
    stale = (
        select(dm.Service.organization_id)
        .where(dm.Service.status.in_(ASKED_STATUSES))
        .where(or_(dm.Service.assured_date.is_(None), dm.Service.assured_date < before))
    )
    query = (
        select(dm.Organization)
        .where(dm.Organization.id.in_(stale))
        .where(dm.Organization.email.is_not(None), dm.Organization.email != "")
        .order_by(dm.Organization.name, dm.Organization.id)
    )
    return list(session.scalars(query))


@dataclass
class CampaignResult:
    sent: list[str] = field(default_factory=list)  # organization names
    reminded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already asked today or waiting
    exhausted: list[str] = field(default_factory=list)  # no reminders left


@dataclass(frozen=True)
class Campaign:
    older_than_days: int = STALE_AFTER_DAYS
    remind_after_days: int = 14
    dry_run: bool = False


def latest_request(session: Session, organization_id: str) -> VerificationRequest | None:
    query = (
        select(VerificationRequest)
        .where(VerificationRequest.organization_id == organization_id)
        .order_by(VerificationRequest.sent_at.desc(), VerificationRequest.id.desc())
    )
    return session.scalars(query.limit(1)).first()


def plan(session: Session, campaign: Campaign, now: datetime) -> list[tuple[str, Any]]:
    """(what, organization or request) for each stale organization: "send",
    "remind", "skip" (asked today, waiting for the reminder delay, or answered within
    the last round) or "exhausted" (no answer after every reminder)."""
    steps: list[tuple[str, Any]] = []
    before = now.date() - timedelta(days=campaign.older_than_days)
    for org in stale_organizations(session, before):
        last = latest_request(session, org.id)
        if last is None:
            steps.append(("send", org))
        elif not last.is_open(now):
            # Answered or expired: a new round only once the last one's link has run out.
            again = now - _aware(last.sent_at) >= timedelta(days=TOKEN_DAYS)
            steps.append(("send", org) if again else ("skip", last))
        elif _waiting(last, campaign, now):
            steps.append(("skip", last))
        elif last.reminders >= MAX_REMINDERS:
            steps.append(("exhausted", last))
        else:
            steps.append(("remind", last))
    return steps


def _waiting(request: VerificationRequest, campaign: Campaign, now: datetime) -> bool:
    """Sent today, or not yet ``remind_after_days`` ago."""
    last = _aware(request.last_sent_at)
    return last.date() == now.date() or now - last < timedelta(days=campaign.remind_after_days)


def run_campaign(
    session: Session, campaign: Campaign, send: Any, now: datetime | None = None
) -> CampaignResult:
    """Carry out :func:`plan`. ``send(request, reminder: bool)`` queues the email; it
    is not called on a dry run, and nothing is written then either."""
    now = now or utcnow()
    result = CampaignResult()
    for step, subject in plan(session, campaign, now):
        org = subject if step == "send" else subject.organization
        if step == "send":
            result.sent.append(org.name)
            if not campaign.dry_run:
                request = VerificationRequest(
                    organization_id=org.id, email=org.email, sent_at=now, last_sent_at=now,
                    expires_at=now + timedelta(days=TOKEN_DAYS), reminders=0,
                )  # fmt: skip
                session.add(request)
                session.flush()
                send(request, False)
        elif step == "remind":
            result.reminded.append(org.name)
            if not campaign.dry_run:
                subject.reminders += 1
                subject.last_sent_at = now
                send(subject, True)
        else:
            (result.exhausted if step == "exhausted" else result.skipped).append(org.name)
    session.flush()
    return result


def answer(session: Session, request: VerificationRequest, kind: str, now: datetime) -> None:
    if request.answered_at is None:
        request.answered_at, request.answer = now, kind
    elif kind == CHANGES:
        request.answer = CHANGES
    session.flush()


def make_link(request: VerificationRequest, now: datetime, secret_key: str | None = None) -> str:
    """A token for ``/verify/<token>``, valid until the request expires."""
    from referral import links

    return links.make_token(
        TOKEN_PURPOSE,
        str(request.id),
        max_age=max(_aware(request.expires_at) - now, timedelta(minutes=1)),
        extra={"org": request.organization_id},
        now=now,
        secret_key=secret_key,
    )


def read_link(session: Session, token: str, now: datetime) -> VerificationRequest:
    """The request a token names; raises ``links.LinkError`` when it cannot be used.
    Not single use: an organization may confirm some services today and fix another
    tomorrow, until the link expires."""
    from referral import links

    claim = links.read_token(session, token, TOKEN_PURPOSE, now=now)
    request = session.get(VerificationRequest, int(claim.subject_id))
    if request is None or request.organization_id != claim.extra.get("org"):
        raise links.LinkInvalid()
    return request


def queue_email(
    session: Session, request: VerificationRequest, reminder: bool, config: Mapping[str, Any]
) -> None:
    """The email asking the organization to check its listings (or the reminder)."""
    from referral.notify import enqueue, render
    from referral.notify.settings import from_config

    now = _aware(request.last_sent_at)
    secret = config.get("SECRET_KEY")
    link = make_link(request, now, str(secret) if secret else None)
    subject, body = render(
        "verify-listings",
        "en",
        organization=request.organization.name,
        services=[s.name for s in services_of(session, request.organization_id)],
        expires_on=_aware(request.expires_at).date().isoformat(),
        url=from_config(config).url("/verify/" + link),
        reminder=reminder,
    )
    enqueue(
        session,
        channel="email",
        to=request.email,
        subject=subject,
        body=body,
        kind="verify-listings",
        related_id=request.organization_id,
        dedupe_key=f"verify-listings:{request.id}:{request.reminders}",
        now=now,
    )
