"""Clients, their facts and consents, referrals and the append-only referral events.

A client belongs to the organization whose case managers serve them. A referral
carries both sides by name (``referrer_organization_id``, ``recipient_organization_id``)
so that every authorization check says which side it means.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship

from referral.accounts.models import utcnow
from referral.db import Base
from referral.directory.models import new_id
from referral.referrals import states

EMAIL, TEXT, PHONE, DO_NOT_CONTACT = "email", "text", "phone", "do-not-contact"
CONTACT_PREFERENCES = (EMAIL, TEXT, PHONE, DO_NOT_CONTACT)
AWARE = DateTime(timezone=True)


class Client(Base):
    __tablename__ = "client"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(Text)
    preferred_language: Mapped[str | None] = mapped_column(String(20))
    contact_preference: Mapped[str] = mapped_column(String(20), default=PHONE)
    created_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow)
    created_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    facts: Mapped[list[ClientFact]] = relationship(
        back_populates="client", order_by="ClientFact.observed_on", passive_deletes=True
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="client", order_by="Consent.recorded_at", passive_deletes=True
    )

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class ClientDuplicate(Base):
    """A pair of clients that look like one person; kept for a person to decide."""

    __tablename__ = "client_duplicate"
    __table_args__ = (UniqueConstraint("client_id", "possible_duplicate_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    possible_duplicate_id: Mapped[str] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column(Float)
    flagged_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow)


class ClientFact(Base):
    """One assessed fact (matching's ClientFacts field names) and the day it was true."""

    __tablename__ = "client_fact"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    value: Mapped[Any] = mapped_column(JSON)
    observed_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow)
    recorded_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    client: Mapped[Client] = relationship(back_populates="facts")


class Consent(Base):
    __tablename__ = "consent"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    recipient_organization_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    purpose: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(20))
    obtained_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(AWARE)
    revoked_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    client: Mapped[Client] = relationship(back_populates="consents")


class ReferralSetting(Base):
    """Per receiving organization: how many business days it has to answer."""

    __tablename__ = "referral_setting"

    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True
    )
    respond_within_business_days: Mapped[int] = mapped_column(Integer)


class Referral(Base):
    __tablename__ = "referral"
    __table_args__ = (UniqueConstraint("referrer_organization_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id"), index=True)
    need_code: Mapped[str] = mapped_column(String(64))
    service_at_location_id: Mapped[str] = mapped_column(
        ForeignKey("service_at_location.id"), index=True
    )
    referrer_id: Mapped[str | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    referrer_organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    recipient_organization_id: Mapped[str] = mapped_column(
        ForeignKey("organization.id"), index=True
    )
    consent_id: Mapped[str | None] = mapped_column(ForeignKey("consent.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    outcome: Mapped[str | None] = mapped_column(String(30))
    enrollment: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    respond_by: Mapped[datetime | None] = mapped_column(AWARE)
    idempotency_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow)
    # Optimistic locking: every UPDATE says "WHERE version = <what I read>".
    version: Mapped[int] = mapped_column(Integer)
    # Milestones, kept with the referral as its events are appended (see
    # ``reach_milestones``) so analytics reads one indexed table, not the events.
    sent_at: Mapped[datetime | None] = mapped_column(AWARE)
    first_response_at: Mapped[datetime | None] = mapped_column(AWARE)
    accepted_at: Mapped[datetime | None] = mapped_column(AWARE)
    outcome_at: Mapped[datetime | None] = mapped_column(AWARE)
    # The client's ZIP code and language when the referral was sent.
    client_zip: Mapped[str | None] = mapped_column(String(5))
    client_language: Mapped[str | None] = mapped_column(String(20))
    client: Mapped[Client] = relationship()
    events: Mapped[list[ReferralEvent]] = relationship(order_by="ReferralEvent.id", viewonly=True)

    __mapper_args__ = {"version_id_col": version}


MILESTONES = ("sent_at", "first_response_at", "accepted_at", "outcome_at")


def milestones_reached(to_status: str, outcome: str | None) -> tuple[str, ...]:
    """The milestones an event marks: sent (entered requested), first response (accepted
    or rejected), accepted, and an outcome recorded."""
    reached = {
        "sent_at": to_status == states.REQUESTED,
        "first_response_at": to_status in (states.ACCEPTED, states.REJECTED),
        "accepted_at": to_status == states.ACCEPTED,
        "outcome_at": outcome is not None,
    }
    return tuple(name for name in MILESTONES if reached[name])


def reach_milestones(
    referral: Referral,
    to_status: str,
    outcome: str | None,
    at: datetime,
    client: Client | None = None,
) -> None:
    """Record on the referral the milestones an event at ``at`` reaches for the first
    time (events are appended in time order), and the client's ZIP and language when
    it is sent. The one place these columns are written for live referrals."""
    for name in milestones_reached(to_status, outcome):
        if getattr(referral, name) is None:
            setattr(referral, name, at)
            if name == "sent_at":
                client = client or referral.client
                referral.client_zip = zip_of_address(client.address)
                referral.client_language = client.preferred_language


def zip_of_address(address: str | None) -> str | None:
    """The 5-digit ZIP code ending an address ('..., MD 21201' or '21201-1234'), else
    None: the rule analytics applies in SQL (``analytics.metrics.client_zip``)."""
    text = (address or "").strip(" ")
    candidate = text[-10:-5] if text[-5:-4] == "-" else text[-5:]
    if len(candidate) == 5 and all("0" <= c <= "9" for c in candidate):
        return candidate
    return None


class ReferralEvent(Base):
    """Append-only history: one row per status change (and one for creation)."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referral.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(String(36))
    actor: Mapped[str] = mapped_column(String(254))
    actor_role: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(30))
    enrollment: Mapped[str | None] = mapped_column(String(20))


class EventImmutable(Exception):
    """Raised when code tries to change or remove a referral event."""


def _reject_change(_mapper: Any, _connection: Any, target: ReferralEvent) -> None:
    raise EventImmutable(f"referral event {target.id} cannot be changed or deleted")


event.listen(ReferralEvent, "before_update", _reject_change)
event.listen(ReferralEvent, "before_delete", _reject_change)


@event.listens_for(Session, "do_orm_execute")
def _reject_bulk_change(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) == ReferralEvent.__tablename__:
        raise EventImmutable("referral events cannot be updated or deleted")


class Assessment(Base):
    """What a case manager entered on the match page for a client (needs, facts, where
    the client is) and the match lists it produced, as they were on that day."""

    __tablename__ = "assessment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    needs: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    location: Mapped[str | None] = mapped_column(String(200))
    # Per need: the services the match listed (ids, names, score), top first.
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(AWARE, default=utcnow, index=True)
