"""A provider's past follow-through: the share of its referrals that ended with the
client getting help, smoothed toward the mean so that two lucky referrals don't beat
two hundred good ones.

    rate = (completed + PRIOR_STRENGTH * prior) / (referrals + PRIOR_STRENGTH)

Outcomes are the referrals a provider closed (rejected, completed or failed, per
``referrals.states.PROVIDER_CLOSED``); one completed with the outcome got-help counts
as followed through.
Referrals the referrer cancelled or entered in error say nothing about the provider.
With no closed referrals anywhere, every organization gets PRIOR_RATE, so this factor
is the same for every candidate and changes no ranking; once some exist, the prior is
the observed mean over all providers.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

# The completion rate assumed for a provider with no history: a typical share of
# community referrals that end in the client getting help.
PRIOR_RATE = 0.5
# How many referrals' worth of weight the prior carries.
PRIOR_STRENGTH = 10.0


def smoothed_rate(
    completed: int, total: int, prior: float = PRIOR_RATE, strength: float = PRIOR_STRENGTH
) -> float:
    return (completed + strength * prior) / (total + strength)


def outcome_counts(
    session: Session, organization_ids: Iterable[str] | None = None
) -> dict[str, tuple[int, int]]:
    """(got help, closed) referrals per receiving organization (all when ids is None),
    from the referral outcomes providers record."""
    from referral.referrals.service import completion_stats

    return completion_stats(session, organization_ids)


def follow_through(session: Session, organization_ids: Iterable[str]) -> dict[str, float]:
    ids = sorted(set(organization_ids))
    counts = outcome_counts(session, ids)
    if not counts:
        return {org: PRIOR_RATE for org in ids}
    everyone = outcome_counts(session).values()
    prior = sum(c for c, _ in everyone) / max(1, sum(t for _, t in everyone))
    return {org: smoothed_rate(*counts.get(org, (0, 0)), prior=prior) for org in ids}
