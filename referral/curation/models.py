"""The duplicate review queue and the memory of curators' decisions.

``duplicate_candidate`` is derived data: detection writes and refreshes it.
``duplicate_decision`` is what curators said ("not a duplicate", "merged") and is never
recomputed, so a pair judged distinct stays out of the queue on every later run.
Pairs are stored ordered (``a_id < b_id``) so one pair has one row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from referral.db import Base

ENTITIES = ("organization", "service", "location")
STATUSES = ("open", "merged", "not-duplicate")
DECISIONS = ("merged", "not-duplicate")


def ordered(a_id: str, b_id: str) -> tuple[str, str]:
    return (a_id, b_id) if a_id <= b_id else (b_id, a_id)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class DuplicateCandidate(Base):
    __tablename__ = "duplicate_candidate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(16))
    a_id: Mapped[str] = mapped_column(String(36), index=True)
    b_id: Mapped[str] = mapped_column(String(36), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="open")
    decided_by: Mapped[str | None] = mapped_column(String(255))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("entity", "a_id", "b_id", name="uq_duplicate_candidate_pair"),
        CheckConstraint(_one_of("entity", ENTITIES), name="entity"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint("a_id < b_id", name="ordered"),
    )


class DuplicateDecision(Base):
    __tablename__ = "duplicate_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(16))
    a_id: Mapped[str] = mapped_column(String(36), index=True)
    b_id: Mapped[str] = mapped_column(String(36), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(String(255))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(String(1000))

    __table_args__ = (
        UniqueConstraint("entity", "a_id", "b_id", name="uq_duplicate_decision_pair"),
        CheckConstraint(_one_of("entity", ENTITIES), name="entity"),
        CheckConstraint(_one_of("decision", DECISIONS), name="decision"),
        CheckConstraint("a_id < b_id", name="ordered"),
    )
