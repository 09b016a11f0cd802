"""A provider's past follow-through: the share of its referrals that ended with the
client getting help, smoothed toward the mean so that two lucky referrals don't beat
two hundred good ones.

    rate = (completed + PRIOR_STRENGTH * prior) / (referrals + PRIOR_STRENGTH)

Referrals do not exist yet (issue 6). Until they do, ``outcome_counts`` finds no
outcomes and every organization gets the prior mean, so this factor is the same for
every candidate and changes no ranking. Issue 6 plugs in by making ``outcome_counts``
read closed referrals (completed with outcome got-help over all closed ones).
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


def outcome_counts(session: Session, organization_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(completed, closed) referrals per organization; none recorded until issue 6."""
    return {}


def follow_through(session: Session, organization_ids: Iterable[str]) -> dict[str, float]:
    ids = sorted(set(organization_ids))
    counts = outcome_counts(session, ids)
    if not counts:
        return {org: PRIOR_RATE for org in ids}
    prior = sum(c for c, _ in counts.values()) / max(1, sum(t for _, t in counts.values()))
    return {org: smoothed_rate(*counts.get(org, (0, 0)), prior=prior) for org in ids}
