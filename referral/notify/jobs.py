"""The worker's jobs. Each takes ``now`` (tests pass a fixed clock), is idempotent
(a reminder row per referral and kind, dedupe keys on messages) and commits its own
work, so two workers at once do each thing once.

- overdue: a requested referral past its respond-by time is flagged once, and the
  referrer and the provider organization (staff and admins) are told.
- follow-up: a referral accepted ``follow_up_days`` ago with no outcome yet reminds
  the referring case manager, once.
- outbox: due messages are sent (see :mod:`referral.notify.outbox`).

A deadline that passed more than :data:`NOTICE_WINDOW` ago is recorded as handled
without a message: after a long outage, or on first start over an imported history,
nobody wants hundreds of e-mails about month-old referrals; the pages list them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from referral.accounts.models import AGENCY_ADMIN, PROVIDER_STAFF, User, aware
from referral.notify import enqueue, outbox
from referral.notify.models import ReferralReminder
from referral.notify.recipients import members, referrer_side
from referral.notify.referral_events import lazy_date, staff_message
from referral.notify.settings import NotifySettings
from referral.notify.transports import Transport
from referral.referrals import states
from referral.referrals.models import Referral, ReferralEvent

log = logging.getLogger(__name__)
OVERDUE = "overdue"
OPEN_AFTER_ACCEPTANCE = (states.ACCEPTED, states.IN_PROGRESS, states.ON_HOLD)
NOTICE_WINDOW = timedelta(days=14)


@dataclass
class TickReport:
    overdue: int = 0
    follow_ups: int = 0
    delivery: outbox.Delivery = field(default_factory=outbox.Delivery)

    @property
    def busy(self) -> bool:
        d = self.delivery
        return bool(self.overdue or self.follow_ups or d.sent or d.failed or d.dead)

    def line(self) -> str:
        d = self.delivery
        return (
            f"overdue flagged {self.overdue}, follow-ups {self.follow_ups}, "
            f"sent {d.sent}, failed {d.failed}, dead {d.dead}"
        )


def run_tick(
    session: Session,
    settings: NotifySettings,
    transports: dict[str, Transport],
    now: datetime,
) -> TickReport:
    """One round of every job; messages queued by the deadline jobs go out in the same round."""
    report = TickReport()
    report.overdue = flag_overdue(session, settings, now)
    report.follow_ups = remind_follow_ups(session, settings, now)
    report.delivery = outbox.deliver_due(session, transports, now, settings.max_attempts)
    return report


def _not_reminded(kind: str):  # noqa: ANN202 - a SQL expression
    given = exists().where(ReferralReminder.referral_id == Referral.id)
    return ~given.where(ReferralReminder.kind == kind)


def overdue_referrals(session: Session, now: datetime) -> list[Referral]:
    return list(
        session.scalars(
            select(Referral)
            .where(
                Referral.status == states.REQUESTED,
                Referral.respond_by.is_not(None),
                Referral.respond_by < now,
                _not_reminded(OVERDUE),
            )
            .order_by(Referral.respond_by)
        )
    )


def flag_overdue(session: Session, settings: NotifySettings, now: datetime) -> int:
    flagged = 0
    for referral in overdue_referrals(session, now):
        if not _remember(session, referral, OVERDUE, now):
            continue
        if aware(referral.respond_by) < now - NOTICE_WINDOW:  # type: ignore[arg-type]
            session.commit()
            continue
        url = settings.url(f"/referrals/{referral.id}")
        provider_side = members(
            session, referral.recipient_organization_id, [PROVIDER_STAFF, AGENCY_ADMIN]
        )
        sides = (("referrer", referrer_side(session, referral)), ("provider", provider_side))
        for side, users in sides:
            for user in users:
                _send(
                    session,
                    user,
                    "referral-overdue",
                    referral,
                    OVERDUE,
                    now,
                    side=side,
                    referral_url=url,
                )
        session.commit()
        flagged += 1
    return flagged


def remind_follow_ups(session: Session, settings: NotifySettings, now: datetime) -> int:
    days = settings.follow_up_days
    kind = f"follow-up-{days}d"
    accepted_at = (
        select(func.min(ReferralEvent.occurred_at))
        .where(ReferralEvent.referral_id == Referral.id, ReferralEvent.to_status == states.ACCEPTED)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Referral, accepted_at)
        .where(
            Referral.status.in_(OPEN_AFTER_ACCEPTANCE),
            Referral.outcome.is_(None),
            accepted_at <= now - timedelta(days=days),
            _not_reminded(kind),
        )
        .order_by(Referral.updated_at)
    ).all()
    reminded = 0
    for referral, accepted in rows:
        if not _remember(session, referral, kind, now):
            continue
        if aware(accepted) < now - timedelta(days=days) - NOTICE_WINDOW:
            session.commit()
            continue
        url = settings.url(f"/referrals/{referral.id}")
        for user in referrer_side(session, referral):
            _send(
                session,
                user,
                "referral-follow-up",
                referral,
                kind,
                now,
                days=days,
                accepted_on=lazy_date(aware(accepted)),
                referral_url=url,
            )
        session.commit()
        reminded += 1
    return reminded


def _remember(session: Session, referral: Referral, kind: str, now: datetime) -> bool:
    """Record that this reminder is given; False when another worker already did."""
    try:
        with session.begin_nested():
            session.add(ReferralReminder(referral_id=referral.id, kind=kind, created_at=now))
            session.flush()
    except IntegrityError:
        return False
    return True


def _send(
    session: Session,
    user: User,
    template: str,
    referral: Referral,
    kind: str,
    now: datetime,
    **context: object,
) -> None:
    """Queue ``template`` for ``user``, in their language (see referral_events.staff_message)."""
    subject, body, language = staff_message(session, user, template, referral, **context)
    enqueue(
        session,
        channel="email",
        to=user.email,
        subject=subject,
        body=body,
        kind=template,
        language=language,
        related_id=referral.id,
        dedupe_key=f"{kind}:{referral.id}:{user.id}",
        now=now,
    )
