"""Messages about a referral's status changes: the provider hears of a new referral
(with one-click Accept and Decline links) and of a cancellation; the referrer hears of
every answer. Called by the referral service after each event is flushed.

Emails carry the minimum: no client name in a subject, only initials in a body, never
contact details, no free-text note (it may hold anything); the link to the referral
page, behind a login, has the rest.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from referral.accounts.models import PROVIDER_STAFF, User, aware
from referral.directory.models import Organization, ServiceAtLocation
from referral.links import make_token
from referral.matching.codes import display as need_display
from referral.notify import enqueue, render
from referral.notify.client import referral_sent_to_client
from referral.notify.recipients import members, referrer_side
from referral.notify.settings import RESPOND_LINK_DAYS, NotifySettings, current
from referral.referrals import states
from referral.referrals.models import Referral, ReferralEvent

RESPOND_PURPOSE = "referral-respond"
ACCEPT, DECLINE = "accept", "decline"
# Moves the referrer makes that the provider must hear about (it may be working on it).
PROVIDER_HEARS = frozenset({states.CANCELLED, states.ENTERED_IN_ERROR})


def on_transition(session: Session, referral: Referral, event: ReferralEvent) -> None:
    """Queue the messages one referral event calls for (none outside an app context)."""
    settings = current()
    if settings is None:
        return
    if event.to_status == states.REQUESTED:
        notify_provider_of_request(session, settings, referral, event)
        referral_sent_to_client(session, settings, referral, event)
    elif event.actor_role == states.PROVIDER:
        notify_referrer(session, settings, referral, event)
    elif event.to_status in PROVIDER_HEARS and event.from_status not in (None, states.DRAFT):
        notify_provider_of_withdrawal(session, settings, referral, event)


def summary(session: Session, referral: Referral) -> dict[str, object]:
    """What any message about the referral may say about it (no client details)."""
    place = session.get(ServiceAtLocation, referral.service_at_location_id)
    service = place.service if place else None
    location = place.location if place else None
    referrer_org = session.get(Organization, referral.referrer_organization_id)
    recipient_org = session.get(Organization, referral.recipient_organization_id)
    client = referral.client
    return {
        "need": need_display(referral.need_code),
        "service": service.name if service else "",
        "location": location.name if location and location.name else "",
        "referrer_organization": referrer_org.name if referrer_org else "",
        "recipient_organization": recipient_org.name if recipient_org else "",
        "client_initials": initials(client.given_name, client.family_name) if client else "",
        "respond_by": _day(referral.respond_by),
        "status": referral.status,
        "reference": referral.id[:8],
    }


def initials(given: str, family: str) -> str:
    return "".join(f"{part[0].upper()}." for part in (given, family) if part.strip())


def respond_links(settings: NotifySettings, referral: Referral, user: User) -> dict[str, str]:
    """Accept and decline links that act as ``user`` on this version of the referral,
    valid from now (when the email is written), whatever time the event says."""
    links = {}
    for action in (ACCEPT, DECLINE):
        token = make_token(
            RESPOND_PURPOSE,
            referral.id,
            max_age=timedelta(days=RESPOND_LINK_DAYS),
            extra={"u": user.id, "a": action, "v": referral.version},
            secret_key=settings.secret_key,
        )
        links[action] = settings.url(f"/r/{token}")
    return links


def notify_provider_of_request(
    session: Session, settings: NotifySettings, referral: Referral, event: ReferralEvent
) -> None:
    context = summary(session, referral)
    staff = members(session, referral.recipient_organization_id, [PROVIDER_STAFF])
    if not staff:
        notify_referrer_nobody_answers(session, settings, referral, event, context)
    for user in staff:
        links = respond_links(settings, referral, user)
        subject, body = render(
            "referral-requested",
            "en",
            **context,
            name=user.name,
            accept_url=links[ACCEPT],
            decline_url=links[DECLINE],
            referral_url=settings.url(f"/referrals/{referral.id}"),
            link_days=RESPOND_LINK_DAYS,
        )
        _email(session, user, subject, body, "referral-requested", referral, event)


def notify_referrer_nobody_answers(
    session: Session,
    settings: NotifySettings,
    referral: Referral,
    event: ReferralEvent,
    context: dict[str, object],
) -> None:
    """Most listed organizations have no staff here yet: the referral reaches nobody
    unless the case manager calls, so say so rather than let it sit."""
    for user in referrer_side(session, referral):
        subject, body = render(
            "referral-unattended",
            "en",
            **context,
            name=user.name,
            referral_url=settings.url(f"/referrals/{referral.id}"),
        )
        _email(session, user, subject, body, "referral-unattended", referral, event)


def notify_referrer(
    session: Session, settings: NotifySettings, referral: Referral, event: ReferralEvent
) -> None:
    context = summary(session, referral)
    for user in referrer_side(session, referral):
        subject, body = render(
            "referral-updated",
            "en",
            **context,
            name=user.name,
            from_status=event.from_status or "",
            to_status=event.to_status,
            reason=event.reason or "",
            outcome=event.outcome or "",
            referral_url=settings.url(f"/referrals/{referral.id}"),
        )
        _email(session, user, subject, body, "referral-updated", referral, event)


def notify_provider_of_withdrawal(
    session: Session, settings: NotifySettings, referral: Referral, event: ReferralEvent
) -> None:
    context = summary(session, referral)
    for user in members(session, referral.recipient_organization_id, [PROVIDER_STAFF]):
        subject, body = render(
            "referral-withdrawn",
            "en",
            **context,
            name=user.name,
            to_status=event.to_status,
            reason=event.reason or "",
            referral_url=settings.url(f"/referrals/{referral.id}"),
        )
        _email(session, user, subject, body, "referral-withdrawn", referral, event)


def _email(
    session: Session,
    user: User,
    subject: str,
    body: str,
    kind: str,
    referral: Referral,
    event: ReferralEvent,
) -> None:
    enqueue(
        session,
        channel="email",
        to=user.email,
        subject=subject,
        body=body,
        kind=kind,
        related_id=referral.id,
        dedupe_key=f"{kind}:{event.id}:{user.id}",
        now=aware(event.occurred_at),
    )


def _day(moment: datetime | None) -> str:
    return aware(moment).strftime("%A %d %B %Y, %H:%M UTC") if moment else ""
