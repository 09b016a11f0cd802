"""A request by a signed-in user to manage an organization's listings.

Approval (by a curator, or automatically when the user's verified email domain is the
organization's website domain) grants the provider-staff role in that organization;
the claim row stays as the record of who asked, how it was decided and by whom.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from referral.accounts.models import User, utcnow
from referral.db import Base
from referral.directory.models import Organization, new_id

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATUSES = (PENDING, APPROVED, REJECTED)
# How an approved claim was decided.
BY_DOMAIN, BY_CURATOR = "email-domain", "curator"


class OrganizationClaim(Base):
    __tablename__ = "organization_claim"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    # The requester's own words: their job, how a curator can check.
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decision_method: Mapped[str | None] = mapped_column(String(16))
    decision_note: Mapped[str | None] = mapped_column(Text)
    organization: Mapped[Organization] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        Index("ix_organization_claim_status", "status"),
    )

    @property
    def policy_organization_id(self) -> str:
        return self.organization_id
