"""Messages about a referral's status changes: the provider hears of a new referral
(with one-click Accept and Decline links) and of a cancellation; the referrer hears of
every answer. Called by the referral service after each event is flushed.

Emails carry the minimum: no client name in a subject, only initials in a body, never
contact details, no free-text note (it may hold anything); the link to the referral
page, behind a login, has the rest.

Staff read them in their account's language (``user.language``; English when they
chose none or a template has no translation): :func:`staff_message` picks the
template and words everything built here (need, statuses, outcome, dates) in that
language too, with Flask-Babel's ``force_locale`` (which needs an app context, as the
worker and the request hooks have; without one, English).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babel.dates import format_date, format_time
from flask_babel import force_locale, pgettext
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from referral.accounts.models import PROVIDER_STAFF, User, aware
from referral.directory.models import Organization, ServiceAtLocation
from referral.i18n import current_language, need_label
from referral.links import make_token
from referral.matching.codes import display as need_display
from referral.notify import enqueue, render, template_language
from referral.notify.client import referral_sent_to_client
from referral.notify.recipients import members, referrer_side
from referral.notify.settings import RESPOND_LINK_DAYS, NotifySettings, current
from referral.referrals import states
from referral.referrals.labels import outcome_label
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
    """What any message about the referral may say about it (no client details), worded
    in the current language (the page's, or the one :func:`staff_message` forces)."""
    place = session.get(ServiceAtLocation, referral.service_at_location_id)
    service = place.service if place else None
    location = place.location if place else None
    referrer_org = session.get(Organization, referral.referrer_organization_id)
    recipient_org = session.get(Organization, referral.recipient_organization_id)
    client = referral.client
    return {
        "need": need_label(referral.need_code, need_display(referral.need_code)),
        "service": service.name if service else "",
        "location": location.name if location and location.name else "",
        "referrer_organization": referrer_org.name if referrer_org else "",
        "recipient_organization": recipient_org.name if recipient_org else "",
        "client_initials": initials(client.given_name, client.family_name) if client else "",
        "respond_by": _day(referral.respond_by),
        "status": str(lazy_status(referral.status)),
        "reference": referral.id[:8],
    }


def staff_message(
    session: Session, user: User, template: str, referral: Referral, **context: object
) -> tuple[str, str, str]:
    """(subject, body, language) of ``template`` about ``referral`` for a staff member,
    in their account's language. ``context`` adds to the referral's :func:`summary`;
    give Python-built words as lazy strings (:func:`lazy_status`, :func:`lazy_outcome`,
    :func:`lazy_date`) so they are worded in the reader's language too."""
    language = template_language(template, user.language)
    with force_locale(language):
        about = summary(session, referral)
        subject, body = render(template, language, **about, **context, name=user.name)
    return subject, body, language


def lazy_status(status: str | None) -> LazyString:
    """The status for the middle of a sentence ('is now declined', 'ahora está
    rechazada'), worded when the message is rendered."""
    return LazyString(lambda: _status_words().get(status or "", status or ""))


def lazy_outcome(code: str | None) -> LazyString | str:
    return LazyString(outcome_label, code) if code else ""


def _status_words() -> dict[str, str]:
    # Their own context, apart from the pages' labels: those double as plural column
    # headings in Spanish ("Aceptadas"); here one referral (una remisión) is meant.
    return {
        states.DRAFT: pgettext("one referral's status", "draft"),
        states.REQUESTED: pgettext("one referral's status", "requested"),
        states.ACCEPTED: pgettext("one referral's status", "accepted"),
        states.REJECTED: pgettext("one referral's status", "declined"),
        states.IN_PROGRESS: pgettext("one referral's status", "in progress"),
        states.ON_HOLD: pgettext("one referral's status", "on hold"),
        states.COMPLETED: pgettext("one referral's status", "completed"),
        states.FAILED: pgettext("one referral's status", "failed"),
        states.CANCELLED: pgettext("one referral's status", "cancelled"),
        states.ENTERED_IN_ERROR: pgettext("one referral's status", "entered in error"),
    }


def lazy_date(moment: datetime) -> LazyString:
    return LazyString(_date, moment)


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
    staff = members(session, referral.recipient_organization_id, [PROVIDER_STAFF])
    if not staff:
        notify_referrer_nobody_answers(session, settings, referral, event)
    for user in staff:
        links = respond_links(settings, referral, user)
        message = staff_message(
            session,
            user,
            "referral-requested",
            referral,
            accept_url=links[ACCEPT],
            decline_url=links[DECLINE],
            referral_url=settings.url(f"/referrals/{referral.id}"),
            link_days=RESPOND_LINK_DAYS,
        )
        _email(session, user, message, "referral-requested", referral, event)


def notify_referrer_nobody_answers(
    session: Session,
    settings: NotifySettings,
    referral: Referral,
    event: ReferralEvent,
) -> None:
    """Most listed organizations have no staff here yet: the referral reaches nobody
    unless the case manager calls, so say so rather than let it sit."""
    for user in referrer_side(session, referral):
        message = staff_message(
            session,
            user,
            "referral-unattended",
            referral,
            referral_url=settings.url(f"/referrals/{referral.id}"),
        )
        _email(session, user, message, "referral-unattended", referral, event)


def notify_referrer(
    session: Session, settings: NotifySettings, referral: Referral, event: ReferralEvent
) -> None:
    for user in referrer_side(session, referral):
        message = staff_message(
            session,
            user,
            "referral-updated",
            referral,
            from_status=lazy_status(event.from_status),
            to_status=lazy_status(event.to_status),
            reason=event.reason or "",  # typed by a person: as they wrote it
            outcome=lazy_outcome(event.outcome),
            referral_url=settings.url(f"/referrals/{referral.id}"),
        )
        _email(session, user, message, "referral-updated", referral, event)


def notify_provider_of_withdrawal(
    session: Session, settings: NotifySettings, referral: Referral, event: ReferralEvent
) -> None:
    for user in members(session, referral.recipient_organization_id, [PROVIDER_STAFF]):
        message = staff_message(
            session,
            user,
            "referral-withdrawn",
            referral,
            to_status=lazy_status(event.to_status),
            reason=event.reason or "",
            referral_url=settings.url(f"/referrals/{referral.id}"),
        )
        _email(session, user, message, "referral-withdrawn", referral, event)


def _email(
    session: Session,
    user: User,
    message: tuple[str, str, str],
    kind: str,
    referral: Referral,
    event: ReferralEvent,
) -> None:
    subject, body, language = message
    enqueue(
        session,
        channel="email",
        to=user.email,
        subject=subject,
        body=body,
        kind=kind,
        language=language,
        related_id=referral.id,
        dedupe_key=f"{kind}:{event.id}:{user.id}",
        now=aware(event.occurred_at),
    )


def _day(moment: datetime | None) -> str:
    """A deadline in the current language, in UTC and said so: 'Friday, November 27,
    2026, 15:00 UTC', 'viernes, 27 de noviembre de 2026, 15:00 UTC'."""
    if moment is None:
        return ""
    moment = aware(moment).astimezone(UTC)
    language = current_language()
    when = format_time(moment, "HH:mm", tzinfo=UTC, locale=language)
    return f"{format_date(moment.date(), 'full', locale=language)}, {when} UTC"


def _date(moment: datetime) -> str:
    """'November 27, 2026', '27 de noviembre de 2026' (the UTC day)."""
    return format_date(aware(moment).astimezone(UTC).date(), "long", locale=current_language())
