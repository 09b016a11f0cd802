"""Factor functions and weights of the match score: pure, over plain values.

Each factor maps one property of a candidate to [0, 1] (1 = best for this client);
the score is the weighted sum, so every result can say how much each factor added.
The weights below are the defaults; ``referral train`` may replace them with fitted
ones saved in the instance folder (see ``train.py``), but only if those rank better
on the evaluation scenarios.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

FACTORS = (
    "relevance",
    "distance",
    "eligibility",
    "language",
    "open_hours",
    "accessibility",
    "capacity",
    "freshness",
    "follow_through",
)

WEIGHTS: Mapping[str, float] = {
    # What the service does is most of the answer: a far pantry beats a near shelter
    # for a client who needs groceries.
    "relevance": 0.40,
    # Clients without a car drop referrals that need long trips; second only to fit.
    "distance": 0.20,
    # A verdict of "eligible" (every hard rule checked) beats "unknown" (questions left).
    "eligibility": 0.10,
    # A service nobody there can speak with the client in is a likely failed referral.
    "language": 0.08,
    # Open hours matter most for urgent needs (see URGENT_OPEN_HOURS_WEIGHT).
    "open_hours": 0.05,
    # Small unless the client has a disability (see DISABILITY_ACCESSIBILITY_WEIGHT).
    "accessibility": 0.03,
    # Open slots versus a full waitlist: real but often stale information.
    "capacity": 0.05,
    # Old listings have wrong phones and hours; recently verified ones fail less often.
    "freshness": 0.04,
    # Past completion rate of the provider; small until real outcomes accumulate.
    "follow_through": 0.05,
}
# For an urgent need, being open now counts as much as language does.
URGENT_OPEN_HOURS_WEIGHT = 0.10
# For a client with a disability, an accessible site is close to a requirement.
DISABILITY_ACCESSIBILITY_WEIGHT = 0.12

# Distance decay: the factor halves every DISTANCE_HALF_KM (about a bus ride across town).
DISTANCE_HALF_KM = 8.0
# Score given when a distance cannot be computed (no client point or no site point).
UNKNOWN_DISTANCE = 0.3
# Freshness: full credit when verified in the last half year, none after three years.
# Deliberately not derived from REFERRAL_STALE_AFTER_DAYS (curation/verification.py):
# that setting is an agency's policy (when a listing is labelled stale, chased by a
# campaign, optionally hidden), while this curve is a prior on how fast directory data
# decays (phones and hours go wrong with age whatever an agency's campaign cadence), and
# the "freshness" weight above (or one fitted by `referral train`) and the nDCG of
# `referral eval` are measured against this curve. Tying it to the setting would
# make a lenient policy rank old listings as reliable, and change ranking, evaluation
# and training with a setting that none of them reads.
FRESH_DAYS, STALE_DAYS = 183, 3 * 365
# Capacity: a full service (waitlist) keeps a little credit, because waitlists move.
FULL_CAPACITY, UNKNOWN_CAPACITY = 0.1, 0.5
# Open hours: open now, open some time in the week, or no hours listed.
OPEN_NOW, HOURS_LISTED, NO_HOURS = 1.0, 0.6, 0.4
UNKNOWN_VALUE = 0.5
ELIGIBLE, ELIGIBILITY_UNKNOWN = 1.0, 0.5
# A soft rule the client fails ("ZIP 21205 or a neighboring ZIP", a softened "women"):
# not reason enough to exclude, but a likelier refusal than a rule nobody could check.
ELIGIBILITY_DOUBTFUL = 0.0


@dataclass(frozen=True)
class Contribution:
    factor: str
    value: float
    weight: float

    @property
    def points(self) -> float:
        return self.value * self.weight


def distance_factor(km: float | None) -> float:
    if km is None:
        return UNKNOWN_DISTANCE
    return math.pow(0.5, max(km, 0.0) / DISTANCE_HALF_KM)


def language_factor(client: tuple[str, ...], service: tuple[str, ...]) -> float:
    """1 when the service speaks one of the client's languages (or the client said none)."""
    if not client:
        return 1.0
    if not service:
        return UNKNOWN_VALUE
    return 1.0 if set(client) & set(service) else 0.0


def open_hours_factor(open_now: bool | None) -> float:
    if open_now is None:
        return NO_HOURS
    return OPEN_NOW if open_now else HOURS_LISTED


def accessibility_factor(accessible: bool | None) -> float:
    if accessible is None:
        return UNKNOWN_VALUE
    return 1.0 if accessible else 0.0


def capacity_factor(available: int | None) -> float:
    if available is None:
        return UNKNOWN_CAPACITY
    return 1.0 if available > 0 else FULL_CAPACITY


def freshness_factor(assured: date | None, today: date) -> float:
    if assured is None:
        return 0.0
    age = (today - assured).days
    if age <= FRESH_DAYS:
        return 1.0
    return max(0.0, 1.0 - (age - FRESH_DAYS) / (STALE_DAYS - FRESH_DAYS))


def eligibility_factor(status: str) -> float:
    """``status`` is a verdict status, or "doubtful" for a verdict with a soft rule not met."""
    if status == "doubtful":
        return ELIGIBILITY_DOUBTFUL
    return ELIGIBLE if status == "eligible" else ELIGIBILITY_UNKNOWN


def weights_for(
    urgency: str, disability: bool | None, base: Mapping[str, float] | None = None
) -> dict[str, float]:
    weights = dict(base or WEIGHTS)
    if urgency == "urgent":
        weights["open_hours"] = max(weights["open_hours"], URGENT_OPEN_HOURS_WEIGHT)
    if disability:
        weights["accessibility"] = max(weights["accessibility"], DISABILITY_ACCESSIBILITY_WEIGHT)
    return weights


def contributions(values: Mapping[str, float], weights: Mapping[str, float]) -> list[Contribution]:
    return [Contribution(f, values[f], weights.get(f, 0.0)) for f in FACTORS]


def total(parts: list[Contribution]) -> float:
    return sum(p.points for p in parts)
