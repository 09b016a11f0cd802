"""Client records, their dated facts, possible duplicates and consents.

Functions take a Session and never commit. Input has been validated by the caller
(the API) except where a rule needs the database, which raises :class:`ClientError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from rapidfuzz import fuzz, utils
from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session

from referral.accounts import audit, policy
from referral.accounts.models import User
from referral.db import Base
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


# Filled on the surviving record from the duplicate when empty there; never overwritten.
MERGE_FILL_FIELDS = (*CONTACT_FIELDS, "preferred_language")
CLIENT_MERGED = "client_merged"


@dataclass(frozen=True)
class MergeResult:
    survivor: Client
    duplicate_id: str
    moved: dict[str, int]  # table name -> rows moved to the survivor
    filled: tuple[str, ...]  # survivor fields filled from the duplicate


def merge_clients(
    session: Session,
    survivor_id: str,
    duplicate_id: str,
    by: User,
    now: datetime,
    context: audit.Context | None = None,
) -> MergeResult:
    """Fold the duplicate record of one person into the survivor, in the caller's
    transaction: every row naming the duplicate moves (referrals keep their ids and
    events), empty contact fields are filled, the duplicate is deleted and the merge
    is written to the security audit log."""
    survivor, duplicate = _merge_pair(session, survivor_id, duplicate_id, by)
    filled = fields_to_fill(survivor, duplicate)
    for name in filled:
        setattr(survivor, name, getattr(duplicate, name))
    _move_duplicate_flags(session, survivor.id, duplicate.id)
    moved = {
        table: cast(
            "CursorResult[Any]",
            session.execute(
                update(model).where(column == duplicate.id).values({column.key: survivor.id}),
                execution_options={"synchronize_session": "fetch"},
            ),
        ).rowcount
        for table, model, column in _client_references()
    }
    movers = tuple(model for _table, model, _column in _client_references())
    for obj in list(session.identity_map.values()):
        if isinstance(obj, movers) or obj is duplicate:
            session.expire(obj)
    session.delete(duplicate)
    session.flush()
    session.expire(survivor, ["facts", "consents"])
    row = audit.record(
        session,
        context or audit.Context.of(by),
        CLIENT_MERGED,
        target=("client", survivor.id),
        organization_id=survivor.organization_id,
        merged_client_id=duplicate_id,
        moved=moved,
        filled=list(filled),
    )
    row.occurred_at = now
    return MergeResult(survivor, duplicate_id, moved, filled)


def merge_preview(session: Session, client_id: str) -> dict[str, int]:
    """How many rows of each table name this client: what a merge would move."""
    return {
        table: session.scalar(select(func.count()).select_from(model).where(column == client_id))
        or 0
        for table, model, column in _client_references()
    }


def _merge_pair(
    session: Session, survivor_id: str, duplicate_id: str, by: User
) -> tuple[Client, Client]:
    if survivor_id == duplicate_id:
        raise ClientError("duplicate_id", "a client record cannot be merged into itself")
    survivor = session.get(Client, survivor_id)
    if survivor is None:
        raise ClientError("survivor_id", "no such client")
    duplicate = session.get(Client, duplicate_id)
    if duplicate is None:
        raise ClientError("duplicate_id", "no such client")
    if duplicate.organization_id != survivor.organization_id:
        raise ClientError("duplicate_id", "the two records belong to different organizations")
    policy.require(by, policy.EDIT_CLIENT, survivor)
    return survivor, duplicate


def fields_to_fill(survivor: Client, duplicate: Client) -> tuple[str, ...]:
    """Fields empty on the survivor that the duplicate has."""
    return tuple(
        name
        for name in MERGE_FILL_FIELDS
        if _blank(getattr(survivor, name)) and not _blank(getattr(duplicate, name))
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _client_references() -> list[tuple[str, type[Any], Any]]:
    """Every mapped column with a foreign key to client.id (duplicate flags apart):
    (table name, model, column). Found from the models, so a table added later that
    names a client moves too instead of blocking the delete."""
    models = {mapper.local_table: mapper.class_ for mapper in Base.registry.mappers}
    return [
        (table.name, models[table], getattr(models[table], column.key))
        for table in Base.metadata.sorted_tables
        if table in models and table.name != ClientDuplicate.__tablename__
        for column in table.columns
        if any(fk.target_fullname == "client.id" for fk in column.foreign_keys)
    ]


def _move_duplicate_flags(session: Session, survivor_id: str, duplicate_id: str) -> None:
    """Flags between the two go; the duplicate's flags with third records pass to the
    survivor unless the survivor already has that pair."""
    flags = session.scalars(
        select(ClientDuplicate).where(
            or_(
                ClientDuplicate.client_id.in_((survivor_id, duplicate_id)),
                ClientDuplicate.possible_duplicate_id.in_((survivor_id, duplicate_id)),
            )
        )
    ).all()
    seen: set[frozenset[str]] = set()
    for flag in sorted(flags, key=lambda f: duplicate_id in (f.client_id, f.possible_duplicate_id)):
        ends = {flag.client_id, flag.possible_duplicate_id}
        pair = frozenset(survivor_id if end == duplicate_id else end for end in ends)
        if len(pair) < 2 or pair in seen:
            session.delete(flag)
            continue
        seen.add(pair)
        if flag.client_id == duplicate_id:
            flag.client_id = survivor_id
        if flag.possible_duplicate_id == duplicate_id:
            flag.possible_duplicate_id = survivor_id
    session.flush()
