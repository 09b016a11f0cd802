"""Indexes the analytics queries lean on (tables belong to the referrals package).

Declared here so that the models and migration 0012 describe the same schema.
"""

from __future__ import annotations

from sqlalchemy import Index

from referral.referrals.models import Referral, ReferralEvent

# Milestones (sent, answered, outcome) are read per referral from its events; with
# these four columns in the index SQLite answers the grouping from the index alone.
REFERRAL_EVENT_MILESTONES = Index(
    "ix_referral_event_milestones",
    ReferralEvent.referral_id,
    ReferralEvent.to_status,
    ReferralEvent.occurred_at,
    ReferralEvent.outcome,
)
# A referral cannot be sent before it was created: narrows a short period quickly.
REFERRAL_CREATED_AT = Index("ix_referral_created_at", Referral.created_at)
