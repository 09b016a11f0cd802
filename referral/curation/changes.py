"""Field-level change requests: suggestions that wait for a curator.

Anyone may suggest an edit to a service, organization or location. :func:`propose`
compares each suggested value with what the listing holds now and keeps one
:class:`ChangeField` per field that differs (add, edit or remove, with the old and
new value as text). A curator approves or rejects each field (:func:`decide`);
approved fields are written through the ORM with the curator as the session actor,
so the directory audit hook records a ``metadata`` row for exactly those fields.

A field whose listing value moved since the suggestion (someone else edited it) is
a conflict: it is applied only when the curator says so explicitly.

Values are text; list fields (phones, required documents) are one item per line.
The fields each kind of record offers are in :mod:`referral.curation.fields`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from referral.curation import fields as registry
from referral.curation.fields import FieldError, normalized
from referral.db import Base
from referral.directory.models import new_id

OPEN, CLOSED = "open", "closed"
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
ADD, EDIT, REMOVE = "add", "edit", "remove"
# Where a request came from: the public form, a signed-in user without an approved
# claim, or an organization answering a verification email (applied at once).
SOURCES = ("public", "user", "verification")
MAX_NOTE = 2000


def utcnow() -> datetime:
    return datetime.now(UTC)


class ChangeError(ValueError):
    """Suggested values that cannot be accepted; ``problems`` maps field -> message
    (the empty key for the request as a whole)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k or 'request'}: {v}" for k, v in problems.items()))
        self.problems = problems


class ChangeRequest(Base):
    __tablename__ = "change_request"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(36), index=True)
    # The listing's name when suggested, so the queue reads well even after a rename.
    target_label: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    source: Mapped[str] = mapped_column(String(16), default="public")
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    submitter_name: Mapped[str | None] = mapped_column(String(200))
    submitter_email: Mapped[str | None] = mapped_column(String(254))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fields: Mapped[list[ChangeField]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="ChangeField.id"
    )

    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("target_type IN ('service', 'organization', 'location')", name="target"),
        CheckConstraint("source IN ('public', 'user', 'verification')", name="source"),
    )

    def counts(self) -> dict[str, int]:
        found = {PENDING: 0, APPROVED: 0, REJECTED: 0}
        for f in self.fields:
            found[f.status] += 1
        return found


class ChangeField(Base):
    __tablename__ = "change_request_field"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_request_id: Mapped[str] = mapped_column(
        ForeignKey("change_request.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(8))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The listing's value when the field was applied over a conflict.
    overwrote: Mapped[str | None] = mapped_column(Text)
    request: Mapped[ChangeRequest] = relationship(back_populates="fields")

    __table_args__ = (
        CheckConstraint("action IN ('add', 'edit', 'remove')", name="action"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
    )

    @property
    def label(self) -> str:
        return registry.label(self.request.target_type, self.field)


def _action(old: str, new: str) -> str:
    if not old:
        return ADD
    return REMOVE if not new else EDIT


def _submitter(submitter: dict[str, str] | None) -> tuple[str | None, str | None]:
    submitter = submitter or {}
    name = (submitter.get("name") or "").strip()[:200] or None
    email = (submitter.get("email") or "").strip()[:254] or None
    if email and not registry.looks_like_email(email):
        raise ChangeError({"submitter_email": "Enter an email address like name@example.org."})
    return name, email


def propose(
    session: Session,
    *,
    target_type: str,
    target_id: str,
    fields: dict[str, Any],
    by_user: Any = None,
    submitter: dict[str, str] | None = None,
    note: str | None = None,
    source: str | None = None,
) -> ChangeRequest:
    """Record the fields of ``fields`` whose value differs from the listing's.

    ``fields`` maps a field name (see :func:`referral.curation.fields.editable`) to
    the new value: text, a list of lines, or None / "" to remove. ``submitter`` is
    ``{"name": ..., "email": ...}`` for people without an account. Raises
    :class:`ChangeError` for unknown targets or fields, invalid values, or when
    nothing differs. Not committed here.
    """
    record = registry.load(session, target_type, target_id)
    if record is None:
        raise ChangeError({"": f"No {target_type} with id {target_id}."})
    current = registry.current_values(record, target_type)
    problems: dict[str, str] = {}
    rows = []
    for name, raw in fields.items():
        if name not in current:
            problems[name] = "This field cannot be changed here."
            continue
        try:
            new = registry.check(target_type, name, normalized(raw))
        except FieldError as exc:
            problems[name] = str(exc)
            continue
        old = current[name]
        if new != old:
            rows.append(ChangeField(field=name, action=_action(old, new), old_value=old,
                                    new_value=new))  # fmt: skip
    person, email = _submitter(submitter) if by_user is None else (None, None)
    if problems:
        raise ChangeError(problems)
    if not rows:
        raise ChangeError({"": "Nothing was changed: every value is the same as the listing's."})
    request = ChangeRequest(
        target_type=target_type,
        target_id=target_id,
        target_label=registry.record_label(record, target_type)[:255],
        source=source or ("user" if by_user is not None else "public"),
        user_id=getattr(by_user, "id", None),
        submitter_name=person,
        submitter_email=email or getattr(by_user, "email", None),
        note=(note or "").strip()[:MAX_NOTE] or None,
        fields=rows,
    )
    session.add(request)
    session.flush()
    return request


@dataclass(frozen=True)
class Decision:
    """A curator's word on one field: approve or reject, and whether to apply over a
    listing value that changed since the suggestion."""

    approve: bool
    reason: str | None = None
    override_conflict: bool = False


class ConflictError(ChangeError):
    """Approved fields whose listing value moved since the suggestion, not overridden."""


def conflicts(session: Session, request: ChangeRequest) -> dict[int, str]:
    """Pending field id -> the listing's value now, where it is no longer the old value."""
    record = registry.load(session, request.target_type, request.target_id)
    if record is None:
        return {f.id: "" for f in request.fields if f.status == PENDING}
    current = registry.current_values(record, request.target_type)
    return {
        f.id: current.get(f.field, "")
        for f in request.fields
        if f.status == PENDING and current.get(f.field, "") != f.old_value
    }


def decide(
    session: Session, request: ChangeRequest, decisions: dict[int, Decision], actor: str
) -> list[ChangeField]:
    """Apply the approved fields and close the rejected ones; returns the fields
    decided now. Raises :class:`ConflictError` (nothing applied) when an approved field
    conflicts and ``override_conflict`` is not set, or the listing is gone."""
    pending = {f.id: f for f in request.fields if f.status == PENDING}
    chosen = {i: d for i, d in decisions.items() if i in pending}
    moved = conflicts(session, request)
    record = registry.load(session, request.target_type, request.target_id)
    blocked = {
        str(i): "The listing changed since this suggestion; confirm to apply it anyway."
        for i, d in chosen.items()
        if d.approve and i in moved and not d.override_conflict
    }
    if any(d.approve for d in chosen.values()) and record is None:
        raise ConflictError({"": "The listing no longer exists; reject the fields instead."})
    if blocked:
        raise ConflictError(blocked)
    now = utcnow()
    previous = session.info.get("actor")
    session.info["actor"] = actor
    try:
        for field_id, decision in chosen.items():
            row = pending[field_id]
            if decision.approve:
                if field_id in moved:
                    row.overwrote = moved[field_id]
                _apply(session, record, request.target_type, row)
            row.status = APPROVED if decision.approve else REJECTED
            row.reason = (decision.reason or "").strip()[:MAX_NOTE] or None
            row.decided_by, row.decided_at = actor, now
        session.flush()
    finally:
        session.info["actor"] = previous
    if all(f.status != PENDING for f in request.fields):
        request.status, request.closed_at = CLOSED, now
    return [pending[i] for i in chosen]


def _apply(session: Session, record: Any, target_type: str, row: ChangeField) -> None:
    """A field the record no longer offers (a service now at two locations has no one
    address) cannot apply; the caller rolls back whatever was applied before it."""
    try:
        registry.apply(session, record, target_type, row.field, row.new_value)
    except FieldError as exc:
        raise ConflictError({str(row.id): f"This change can no longer be applied: {exc}."}) from exc


def approve_all(session: Session, request: ChangeRequest, actor: str) -> None:
    """Apply every field at once (an organization answering its verification email
    proves it speaks for the listing), over any conflict."""
    decisions = {f.id: Decision(True, override_conflict=True) for f in request.fields}
    decide(session, request, decisions, actor)


def queue(session: Session, status: str | None = OPEN, limit: int = 200) -> list[ChangeRequest]:
    """Requests oldest first (open ones before closed when no status is given)."""
    query = select(ChangeRequest)
    if status:
        query = query.where(ChangeRequest.status == status)
    query = query.order_by(ChangeRequest.status.desc(), ChangeRequest.created_at, ChangeRequest.id)
    return list(session.scalars(query.limit(limit)))


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(ChangeRequest.status, func.count()).group_by(ChangeRequest.status)
    )
    found = {OPEN: 0, CLOSED: 0}
    found.update({status: count for status, count in rows})
    return found


TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, text) segments: "same", "del" (only in old) and "ins" (only in new),
    word by word, so a curator sees the one changed digit of a phone number."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    segments: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("ins", "".join(b[j1:j2])))
    return segments


def notify_submitter(session: Session, request: ChangeRequest, config: Any) -> bool:
    """Email the person who suggested the change what became of each field (once).
    In English: nothing tells us the language of a person without an account."""
    if not request.submitter_email:
        return False
    from flask_babel import force_locale

    from referral.notify import enqueue, render
    from referral.notify.settings import from_config

    with force_locale("en"):
        decided = [
            {"label": str(f.label), "approved": f.status == APPROVED, "reason": f.reason}
            for f in request.fields
        ]
    page = {"service": "services", "organization": "organizations"}.get(request.target_type)
    url = from_config(config).url(f"/{page}/{request.target_id}") if page else None
    subject, body = render(
        "change-request-decided", "en", listing=request.target_label,
        name=request.submitter_name, fields=decided, url=url,
    )  # fmt: skip
    enqueue(
        session,
        channel="email",
        to=request.submitter_email,
        subject=subject,
        body=body,
        kind="change-request-decided",
        related_id=request.id,
        dedupe_key=f"change-request-decided:{request.id}",
    )
    return True
