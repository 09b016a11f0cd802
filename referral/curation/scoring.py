"""From pair features to a duplicate score in [0, 1] with its reasons (``Reason`` codes).

score = name part x (base + contact part), then conflicts multiply it down:
similar names are necessary (two records of one body are named alike), shared contact
details (phone, address, website, a point on the map) make the case, each discounted
by how many organizations share that detail. Words that tell bodies apart ("City" vs
"County", "North" vs "South", "III") and, for services and locations, different owning
organizations are strong evidence against.
"""

from __future__ import annotations

from dataclasses import dataclass

from referral.curation.features import PairFeatures
from referral.curation.reason_codes import Reason

# At or above: a likely duplicate (the precision/recall target is measured here).
DUPLICATE_THRESHOLD = 0.75
# At or above: worth a curator's look; `referral dedupe` lists from here by default.
REVIEW_THRESHOLD = 0.55
# Names less alike than this are not the same body whatever else they share
# (two agencies in one building share address and switchboard).
NAME_FLOOR = 0.6
# For locations: one organization, one street address counts as this much name.
SAME_PLACE = 1.0
# A location with no known organization is one place with another when they share
# street address and phone and their names are at least this alike.
UNOWNED_PLACE_NAME = 0.75
# A perfect name alone, nothing else in common, stays under the duplicate threshold.
NAME_ALONE = 0.6
# Weight of one exclusively shared detail; divided by (owners sharing it - 1).
PHONE_WEIGHT = 0.9
ADDRESS_WEIGHT = 0.8
WEBSITE_WEIGHT = 0.8
# Same domain but different pages: the parts of one umbrella site, weaker.
DOMAIN_WEIGHT = 0.35
# Government and school domains (.gov, .edu, ...) are shared by design.
SHARED_DOMAIN_FACTOR = 0.3
# Points this close (km) are one building; weak on its own (neighbours are close too).
NEAR_KM = 0.05
NEAR_WEIGHT = 0.4
# Multipliers for evidence against.
JURISDICTION_CONFLICT = 0.45
DIFFERENT_OWNER = 0.7


@dataclass(frozen=True)
class Scored:
    score: float
    reasons: tuple[Reason, ...]


def score_pair(f: PairFeatures) -> Scored:
    reasons = [Reason("names-alike", percent=round(f.name_similarity * 100))]
    name_part = max(f.name_similarity - NAME_FLOOR, 0.0) / (1 - NAME_FLOOR)
    same_place = (
        f.entity == "location"
        and bool(f.shared_addresses)
        and (
            f.same_owner
            or (
                f.owner_unknown
                and bool(f.shared_phones)
                and f.name_similarity >= UNOWNED_PLACE_NAME
            )
        )
    )
    if same_place:
        # One organization's two records of one street address are one place,
        # whatever programme (or numbered room) each was named after.
        name_part = max(name_part, SAME_PLACE)
        reasons.append(Reason("one-place"))
    if name_part <= 0:
        return Scored(0.0, (*reasons, Reason("names-too-different")))
    evidence = _evidence(f, reasons)
    score = name_part * (NAME_ALONE + (1 - NAME_ALONE) * evidence)
    if f.name_conflict and not same_place:
        score *= JURISDICTION_CONFLICT
        reasons.append(Reason("names-differ", words=tuple(sorted(f.name_conflict))))
    if f.different_owner:
        score *= DIFFERENT_OWNER
        reasons.append(Reason("different-organizations"))
    return Scored(round(min(max(score, 0.0), 1.0), 4), tuple(reasons))


def _evidence(f: PairFeatures, reasons: list[Reason]) -> float:
    """1 - the product of (1 - weight) over the shared details: independent clues."""
    weights: list[float] = []
    # Within one organization, other tenants of a building or users of a line say
    # nothing about whether these two records are one.
    discount = 1 if f.same_owner else None
    for owners in f.shared_phones:
        weights.append(PHONE_WEIGHT / max((discount or owners - 1), 1))
        reasons.append(_shared("same-phone", owners))
    for owners in f.shared_addresses:
        weights.append(ADDRESS_WEIGHT / max((discount or owners - 1), 1))
        reasons.append(_shared("same-address", owners))
    for (owners, public), weight, what in [
        *((w, WEBSITE_WEIGHT, "same-website") for w in f.shared_websites),
        *((d, DOMAIN_WEIGHT, "same-domain") for d in f.shared_domains),
    ]:
        factor = SHARED_DOMAIN_FACTOR if public else 1.0
        weights.append(weight * factor / max((discount or owners - 1), 1))
        reasons.append(_shared(what, owners, public))
    if f.distance_km is not None and f.distance_km <= NEAR_KM and not f.shared_addresses:
        weights.append(NEAR_WEIGHT)
        reasons.append(Reason("near", metres=round(f.distance_km * 1000)))
    remaining = 1.0
    for weight in weights:
        remaining *= 1 - min(weight, 1.0)
    return 1 - remaining


def _shared(code: str, owners: int, public_body: bool = False) -> Reason:
    """A shared detail; the count is kept only when others than the pair use it."""
    return Reason(code, organizations=owners if owners > 2 else None, public_body=public_body)
