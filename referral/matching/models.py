"""Eligibility criteria that providers (or curators) state themselves.

Extracted criteria are computed from the listing's text when read; only criteria a
person entered are stored, so they survive re-extraction and outrank it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from referral.db import Base
from referral.directory.models import new_id


def _now() -> datetime:
    return datetime.now(UTC)


class EligibilityCriterion(Base):
    __tablename__ = "eligibility_criterion"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    hard: Mapped[bool] = mapped_column(default=True)
    source: Mapped[str] = mapped_column(String(32), default="provider")
    evidence: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
