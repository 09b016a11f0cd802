"""Client records, their dated facts, possible duplicates and consents.

Functions take a Session and never commit. Input has been validated by the caller
(the API) except where a rule needs the database, which raises :class:`ClientError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rapidfuzz import fuzz, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.accounts.models import User
from referral.matching.assessment import InvalidClient, parse_facts
from referral.referrals import consent as consent_rules
from referral.referrals.models import (
    CONTACT_PREFERENCES,
    DO_NOT_CONTACT,
    Client,
    ClientDuplicate,
    ClientFact,
    Consent,
)

# Name similarity (rapidfuzz token_sort_ratio, 0-100) above which two clients of one
# organization born on the same day are flagged: catches "Ana Maria Lopez" vs
# "Lopez, Ana María" and one-letter typos, not siblings with different first names.
DUPLICATE_NAME_THRESHOLD = 85.0
CONTACT_FIELDS = ("email", "phone", "address")


class ClientError(Exception):
    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


@dataclass(frozen=True)
class NewClient:
    organization_id: str
    given_name: str
    family_name: str
    birth_date: date | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    preferred_language: str | None = None
    contact_preference: str = "phone"


def create_client(session: Session, new: NewClient, by: User | None) -> Client:
    if new.contact_preference not in CONTACT_PREFERENCES:
        raise ClientError("contact_preference", f"use one of {', '.join(CONTACT_PREFERENCES)}")
    client = Client(**vars(new), created_by_id=by.id if by else None)
    session.add(client)
    session.flush()
    flag_duplicates(session, client)
    return client


def find_possible_duplicates(session: Session, client: Client) -> list[tuple[Client, float]]:
    if client.birth_date is None:
        return []
    same_day = session.scalars(
        select(Client).where(
            Client.organization_id == client.organization_id,
            Client.birth_date == client.birth_date,
            Client.id != client.id,
        )
    )
    found = []
    for other in same_day:
        score = fuzz.token_sort_ratio(client.name, other.name, processor=utils.default_process)
        if score >= DUPLICATE_NAME_THRESHOLD:
            found.append((other, round(score, 1)))
    return sorted(found, key=lambda pair: -pair[1])


def flag_duplicates(session: Session, client: Client) -> list[ClientDuplicate]:
    flags = [
        ClientDuplicate(client_id=client.id, possible_duplicate_id=other.id, score=score)
        for other, score in find_possible_duplicates(session, client)
    ]
    session.add_all(flags)
    return flags


def possible_duplicate_ids(session: Session, client_id: str) -> list[str]:
    pairs = session.execute(
        select(ClientDuplicate.client_id, ClientDuplicate.possible_duplicate_id).where(
            (ClientDuplicate.client_id == client_id)
            | (ClientDuplicate.possible_duplicate_id == client_id)
        )
    )
    return sorted({a if b == client_id else b for a, b in pairs})


def record_facts(
    session: Session, client: Client, facts: Mapping[str, Any], observed_on: date, by: User | None
) -> list[ClientFact]:
    """Facts keep matching's names and checks (``parse_facts``), each with its date,
    so an old income is never mistaken for today's."""
    try:
        parse_facts(facts)
    except InvalidClient as exc:
        raise ClientError(exc.field, exc.detail) from None
    rows = [
        ClientFact(client_id=client.id, name=name, value=value, observed_on=observed_on)
        for name, value in facts.items()
        if value is not None
    ]
    for row in rows:
        row.recorded_by_id = by.id if by else None
    session.add_all(rows)
    return rows


def latest_facts(client: Client) -> dict[str, Any]:
    return {fact.name: fact.value for fact in client.facts}


def contact_details(client: Client, masked: bool) -> dict[str, Any]:
    """Contact fields as a provider may see them: hidden when the client asked not to
    be contacted and the viewer is not the client's own organization."""
    hidden = masked and client.contact_preference == DO_NOT_CONTACT
    return {field: None if hidden else getattr(client, field) for field in CONTACT_FIELDS}


@dataclass(frozen=True)
class NewConsent:
    purpose: str
    starts_on: date
    method: str
    ends_on: date | None = None
    recipient_organization_ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


def record_consent(session: Session, client: Client, new: NewConsent, by: User | None) -> Consent:
    _check_consent(new)
    row = Consent(
        client_id=client.id,
        recipient_organization_ids=sorted(set(new.recipient_organization_ids)),
        categories=sorted(set(new.categories)),
        purpose=new.purpose,
        starts_on=new.starts_on,
        ends_on=new.ends_on,
        method=new.method,
        obtained_by_id=by.id if by else None,
    )
    session.add(row)
    session.flush()
    return row


def _check_consent(new: NewConsent) -> None:
    if new.purpose not in consent_rules.PURPOSES:
        raise ClientError("purpose", f"use one of {', '.join(consent_rules.PURPOSES)}")
    if new.method not in consent_rules.METHODS:
        raise ClientError("method", f"use one of {', '.join(consent_rules.METHODS)}")
    if new.ends_on is not None and new.ends_on < new.starts_on:
        raise ClientError("ends_on", "a consent cannot end before it starts")
    if not new.recipient_organization_ids and not new.categories:
        raise ClientError(
            "recipient_organization_ids", "name at least one recipient organization or category"
        )


def revoke_consent(
    session: Session, consent: Consent, reason: str | None, by: User | None, now: datetime
) -> Consent:
    if consent.revoked_at is not None:
        raise ClientError("consent", "this consent is already revoked")
    consent.revoked_at = now
    consent.revoked_by_id = by.id if by else None
    consent.revocation_reason = reason
    session.flush()
    return consent


def terms_of(consents: Sequence[Consent]) -> list[consent_rules.Terms]:
    return [
        consent_rules.Terms(
            id=c.id,
            purpose=c.purpose,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            recipient_organization_ids=frozenset(c.recipient_organization_ids),
            categories=frozenset(c.categories),
            revoked_at=c.revoked_at,
        )
        for c in consents
    ]
