"""Sending referrals and moving them through their lifecycle.

Functions take a Session and never commit. Every status change, creation included,
appends one :class:`ReferralEvent` in the same flush as the change. The referral's
``version`` column makes a change made from a stale read fail (:class:`StaleVersion`)
instead of overwriting someone else's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from referral.accounts import policy
from referral.accounts.models import User
from referral.directory.models import ServiceAtLocation
from referral.matching.codes import is_need_code
from referral.notify import referral_events
from referral.referrals import consent as consent_rules
from referral.referrals import deadlines, states
from referral.referrals.clients import terms_of
from referral.referrals.models import (
    Client,
    Consent,
    Referral,
    ReferralEvent,
    ReferralSetting,
    reach_milestones,
)

MAX_NOTE = 10_000


class ReferralError(Exception):
    """Bad input that only the database can reveal; ``field`` names the culprit."""

    status = 422

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


class NotFound(ReferralError):
    status = 404


class ConsentMissing(ReferralError):
    def __init__(self, detail: str) -> None:
        super().__init__("consent", detail)


class IdempotencyConflict(ReferralError):
    status = 409

    def __init__(self, key: str) -> None:
        super().__init__(
            "idempotency_key", f"key {key!r} was already used for a different referral"
        )


class StaleVersion(Exception):
    def __init__(self, expected: int, current: int | None) -> None:
        super().__init__(f"version {expected} is stale (now {current or 'newer'})")
        self.expected = expected
        self.current = current


@dataclass(frozen=True)
class NewReferral:
    client_id: str
    need_code: str
    service_at_location_id: str
    idempotency_key: str
    note: str | None = None
    send: bool = True


@dataclass(frozen=True)
class Move:
    to: str
    expected_version: int
    reason: str | None = None
    note: str | None = None
    outcome: str | None = None
    enrollment: str | None = None


def create_referral(
    session: Session, new: NewReferral, by: User, now: datetime
) -> tuple[Referral, bool]:
    """The referral for this idempotency key, and whether it was created just now.
    Repeating a request returns the first referral; reusing a key for another is 409."""
    client = session.get(Client, new.client_id)
    if client is None:
        raise NotFound("client_id", f"no client with id {new.client_id!r}")
    existing = _by_key(session, client.organization_id, new.idempotency_key)
    if existing is not None:
        return _same_request(existing, new), False
    referral = _draft(session, client, new, by, now)
    try:
        with session.begin_nested():
            session.add(referral)
            session.flush()
    except IntegrityError:
        existing = _by_key(session, client.organization_id, new.idempotency_key)
        if existing is None:
            raise
        return _same_request(existing, new), False
    event = _append_event(session, referral, by, states.REFERRER, None, Move(referral.status, 0))
    session.flush()
    referral_events.on_transition(session, referral, event)
    return referral, True


def _by_key(session: Session, organization_id: str, key: str) -> Referral | None:
    return session.scalar(
        select(Referral).where(
            Referral.referrer_organization_id == organization_id, Referral.idempotency_key == key
        )
    )


def _same_request(existing: Referral, new: NewReferral) -> Referral:
    asked = (new.client_id, new.need_code, new.service_at_location_id)
    if asked != (existing.client_id, existing.need_code, existing.service_at_location_id):
        raise IdempotencyConflict(new.idempotency_key)
    return existing


def _draft(session: Session, client: Client, new: NewReferral, by: User, now: datetime) -> Referral:
    if not is_need_code(new.need_code):
        raise ReferralError("need", f"{new.need_code!r} is not an SDOH need code")
    recipient = _recipient_organization(session, new.service_at_location_id)
    referral = Referral(
        client_id=client.id,
        need_code=new.need_code,
        service_at_location_id=new.service_at_location_id,
        referrer_id=by.id,
        referrer_organization_id=client.organization_id,
        recipient_organization_id=recipient,
        status=states.DRAFT,
        note=new.note,
        idempotency_key=new.idempotency_key,
        created_at=now,
        updated_at=now,
    )
    if new.send:
        _send(session, referral, client, now)
    # Before the INSERT, so creating a referral stays one row write (version 1).
    reach_milestones(referral, referral.status, None, now, client)
    return referral


def _recipient_organization(session: Session, service_at_location_id: str) -> str:
    place = session.get(ServiceAtLocation, service_at_location_id)
    if place is None:
        raise ReferralError(
            "service_at_location_id", f"no service at location {service_at_location_id!r}"
        )
    if place.service is None or place.service.organization_id is None:
        raise ReferralError("service_at_location_id", "this service has no organization")
    return place.service.organization_id


def _send(session: Session, referral: Referral, client: Client, now: datetime) -> None:
    """Entering ``requested``: the client's consent must cover the recipient today,
    and the provider's answer is due within its business days."""
    wanted = consent_rules.Request(
        referral.recipient_organization_id, referral.need_code, now.date()
    )
    consents = session.scalars(
        select(Consent).where(Consent.client_id == client.id).order_by(Consent.recorded_at)
    ).all()
    found = consent_rules.covering(terms_of(consents), wanted)
    if found is None:
        raise ConsentMissing(consent_rules.explain_missing(terms_of(consents), wanted))
    referral.consent_id = found.id
    referral.status = states.REQUESTED
    days = respond_within(session, referral.recipient_organization_id)
    referral.respond_by = deadlines.add_business_days(now, days)


def respond_within(session: Session, organization_id: str) -> int:
    setting = session.get(ReferralSetting, organization_id)
    if setting is None:
        return deadlines.DEFAULT_RESPOND_WITHIN_BUSINESS_DAYS
    return setting.respond_within_business_days


def actor_sides(user: User, referral: Referral) -> frozenset[str]:
    """Which side(s) of this referral the user acts for, according to the policy.
    The provider has no side in a referral that is still a draft."""
    sides = set()
    if policy.can(user, policy.SEND_REFERRAL, referral.referrer_organization_id):
        sides.add(states.REFERRER)
    provider = policy.can(user, policy.RESPOND_REFERRAL, referral.recipient_organization_id)
    if provider and referral.status != states.DRAFT:
        sides.add(states.PROVIDER)
    return frozenset(sides)


def may_view(user: User, referral: Referral) -> bool:
    referrer = policy.can(user, policy.VIEW_CLIENT, referral.referrer_organization_id)
    return referrer or states.PROVIDER in actor_sides(user, referral)


def transition_referral(
    session: Session, referral_id: str, move: Move, by: User, now: datetime
) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound("id", f"no referral with id {referral_id!r}")
    if referral.version != move.expected_version:
        raise StaleVersion(move.expected_version, referral.version)
    sides = actor_sides(by, referral)
    required = states.required_role(referral.status, move.to)
    acting = required if required in sides else next(iter(sorted(sides)), "nobody")
    change = states.transition(referral.status, move.to, acting, move.reason)
    states.check_outcome(move.outcome, move.enrollment)
    _check_note(move.note)
    # One UPDATE per transition, so the version moves by exactly one.
    with session.no_autoflush:
        if move.to == states.REQUESTED:
            _send(session, referral, referral.client, now)
        _apply(referral, move, now)
        event = _append_event(session, referral, by, change.actor_role, change.from_status, move)
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion(move.expected_version, None) from None
    referral_events.on_transition(session, referral, event)
    return referral


def _check_note(note: str | None) -> None:
    if note is not None and len(note) > MAX_NOTE:
        raise ReferralError("note", f"a note can be at most {MAX_NOTE} characters")


def _apply(referral: Referral, move: Move, now: datetime) -> None:
    referral.status = move.to
    referral.updated_at = now
    if move.outcome is not None:
        referral.outcome = move.outcome
    if move.enrollment is not None:
        referral.enrollment = move.enrollment


def _append_event(
    session: Session,
    referral: Referral,
    by: User,
    role: str,
    from_status: str | None,
    move: Move,
) -> ReferralEvent:
    row = ReferralEvent(
        referral_id=referral.id,
        occurred_at=referral.updated_at,
        actor_id=by.id,
        actor=by.email,
        actor_role=role,
        from_status=from_status,
        to_status=referral.status,
        reason=(move.reason or "").strip() or None,
        note=move.note if from_status is not None else referral.note,
        outcome=move.outcome,
        enrollment=move.enrollment,
    )
    session.add(row)
    reach_milestones(referral, row.to_status, row.outcome, row.occurred_at)
    return row


def events(session: Session, referral_id: str) -> Sequence[ReferralEvent]:
    return session.scalars(
        select(ReferralEvent)
        .where(ReferralEvent.referral_id == referral_id)
        .order_by(ReferralEvent.id)
    ).all()


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    client_id: str | None = None
    organization_id: str | None = None
    overdue: bool = False
    limit: int = 50
    offset: int = 0


def visible_to(user: User) -> ColumnElement[bool]:
    """Referrals from organizations whose clients the user serves, and referrals sent
    (not drafts) to organizations whose referrals the user answers."""
    referring = _organizations_where(user, policy.VIEW_CLIENT)
    answering = _organizations_where(user, policy.RESPOND_REFERRAL)
    if not referring and not answering:
        return false()
    return or_(
        Referral.referrer_organization_id.in_(referring),
        Referral.recipient_organization_id.in_(answering) & (Referral.status != states.DRAFT),
    )


def _organizations_where(user: User, action: str) -> list[str]:
    return sorted(
        {org for org, _ in policy.roles(user) if org is not None and policy.can(user, action, org)}
    )


def list_referrals(
    session: Session, user: User, filters: Filters, now: datetime
) -> tuple[int, Sequence[Referral]]:
    conditions: list[ColumnElement[bool]] = [visible_to(user)]
    if filters.status:
        conditions.append(Referral.status == filters.status)
    if filters.client_id:
        conditions.append(Referral.client_id == filters.client_id)
    if filters.organization_id:
        org = filters.organization_id
        conditions.append(
            (Referral.referrer_organization_id == org) | (Referral.recipient_organization_id == org)
        )
    if filters.overdue:
        conditions.append((Referral.status == states.REQUESTED) & (Referral.respond_by < now))
    total = session.scalar(select(func.count()).select_from(Referral).where(*conditions)) or 0
    page = session.scalars(
        select(Referral)
        .where(*conditions)
        .order_by(Referral.created_at.desc(), Referral.id)
        .limit(filters.limit)
        .offset(filters.offset)
    ).all()
    return total, page


def is_overdue(referral: Referral, now: datetime) -> bool:
    if referral.status != states.REQUESTED or referral.respond_by is None:
        return False
    due = referral.respond_by
    return (due if due.tzinfo else due.replace(tzinfo=now.tzinfo)) < now


def completion_stats(
    session: Session, organization_ids: Iterable[str] | None = None
) -> dict[str, tuple[int, int]]:
    """Per receiving organization: (completed with outcome got-help, closed by the
    provider). Closed means rejected, completed or failed; referrals the referrer
    cancelled or withdrew say nothing about the provider. Feeds
    ``referral.matching.followthrough``. ``None`` means every organization."""
    got_help = (Referral.status == states.COMPLETED) & (Referral.outcome == states.GOT_HELP)
    query = (
        select(
            Referral.recipient_organization_id,
            func.count().filter(got_help),
            func.count(),
        )
        .where(Referral.status.in_(sorted(states.PROVIDER_CLOSED)))
        .group_by(Referral.recipient_organization_id)
    )
    if organization_ids is not None:
        ids = sorted(set(organization_ids))
        if not ids:
            return {}
        query = query.where(Referral.recipient_organization_id.in_(ids))
    rows = session.execute(query)
    return {org: (int(helped), int(total)) for org, helped, total in rows}


def referred_to_user(session: Session, user: User, client_id: str) -> bool:
    """Has this client been sent (not merely drafted) to an organization where the
    user may read referred clients?"""
    orgs = _organizations_where(user, policy.VIEW_REFERRED_CLIENT)
    if not orgs:
        return False
    found = session.scalar(
        select(Referral.id)
        .where(
            Referral.client_id == client_id,
            Referral.recipient_organization_id.in_(orgs),
            Referral.status != states.DRAFT,
        )
        .limit(1)
    )
    return found is not None
