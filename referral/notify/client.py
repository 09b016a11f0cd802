"""Messages to clients, which go only the way the client asked to be reached:
``email`` -> an email, ``text`` -> an SMS, ``phone`` -> nothing automatic (a person
calls), ``do-not-contact`` -> nothing at all. Written in the client's preferred
language when a template exists for it, else English.

Templates for clients (``templates/notify/``): ``referral-sent`` (context: service,
organization, need, sender_organization) and ``service-list`` (context: organization,
services_text: the list as ``referral.referrals.share`` writes it for that channel).
A ``<name>-sms`` template, when present, is used for text messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from referral.directory.models import Organization
from referral.notify import enqueue, render, template_language
from referral.notify.models import EMAIL, SMS, OutboxMessage
from referral.notify.settings import NotifySettings
from referral.referrals.models import EMAIL as PREFERS_EMAIL
from referral.referrals.models import TEXT as PREFERS_TEXT
from referral.referrals.models import Client, Referral, ReferralEvent


def channel_for(client: Client) -> tuple[str, str] | None:
    """(channel, address) the client may be sent a message on, or None: phone and
    do-not-contact preferences, or no address for the preferred way."""
    if client.contact_preference == PREFERS_EMAIL and (client.email or "").strip():
        return EMAIL, client.email.strip()  # type: ignore[union-attr]
    if client.contact_preference == PREFERS_TEXT and (client.phone or "").strip():
        return SMS, client.phone.strip()  # type: ignore[union-attr]
    return None


def send_to_client(
    session: Session,
    client: Client,
    template: str,
    context: Mapping[str, Any],
    *,
    related_id: str | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Queue ``template`` for the client, or return None when the client's contact
    preference rules it out (or the same ``dedupe_key`` was queued before)."""
    route = channel_for(client)
    if route is None:
        return None
    channel, address = route
    name = template
    if channel == SMS and _has_template(f"{template}-sms"):
        name = f"{template}-sms"
    language = template_language(name, client.preferred_language)
    subject, body = render(name, language, **{"given_name": client.given_name, **context})
    return enqueue(
        session,
        channel=channel,
        to=address,
        subject=subject,
        body=body,
        kind=f"client-{template}",
        language=language,
        related_id=related_id or client.id,
        dedupe_key=dedupe_key,
    )


def referral_sent_to_client(
    session: Session, settings: NotifySettings, referral: Referral, event: ReferralEvent
) -> OutboxMessage | None:
    """Tell the client where they were referred and that the provider will be in touch."""
    from referral.notify.referral_events import summary

    about = summary(session, referral)
    sender = session.get(Organization, referral.referrer_organization_id)
    return send_to_client(
        session,
        referral.client,
        "referral-sent",
        {
            "service": about["service"],
            "organization": about["recipient_organization"],
            "need": about["need"],
            "sender_organization": sender.name if sender else "",
        },
        related_id=referral.id,
        dedupe_key=f"client-referral-sent:{event.id}",
    )


def _has_template(name: str) -> bool:
    try:
        template_language(name, None)
    except LookupError:
        return False
    return True
