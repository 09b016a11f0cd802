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
# The follow-through reads the milestones kept on the referral row (migration 0014):
# the period is a range of sent_at, alone or within one referring or receiving
# organization (an agency's dashboard, a provider's view).
REFERRAL_SENT_AT = Index("ix_referral_sent_at", Referral.sent_at)
REFERRAL_REFERRER_SENT = Index(
    "ix_referral_referrer_sent", Referral.referrer_organization_id, Referral.sent_at
)
REFERRAL_RECIPIENT_SENT = Index(
    "ix_referral_recipient_sent", Referral.recipient_organization_id, Referral.sent_at
)
