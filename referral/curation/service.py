"""Duplicate detection and the review queue, over a Session (never committed here).

``detect`` compares the blocked pairs of one entity type and returns scored
candidates; ``record_candidates`` keeps them in the queue (refreshing scores of open
ones, never reopening what a curator decided); ``detect_for`` is the cheap path for
records just imported or created. Merging lives in ``curation.merge``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.curation import scoring
from referral.curation.features import Corpus, Profile, candidate_pairs, pair_features
from referral.curation.models import (
    ENTITIES,
    DuplicateCandidate,
    DuplicateDecision,
    ordered,
)
from referral.curation.profiles import load_profiles
from referral.curation.reason_codes import Reason
from referral.curation.reasons import reason_texts


class CurationError(ValueError):
    """A request the queue cannot honour (unknown entity, record or pair)."""


@dataclass(frozen=True)
class Candidate:
    entity: str
    a_id: str
    b_id: str
    a_name: str
    b_name: str
    score: float
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        """For ``--json``: the reasons in English, and as codes beside them."""
        return {
            **asdict(self),
            "reasons": reason_texts(self.reasons),
            "reason_codes": [r.to_json() for r in self.reasons],
        }


def check_entity(entity: str) -> str:
    if entity not in ENTITIES:
        raise CurationError(f"entity must be one of {', '.join(ENTITIES)}, not {entity!r}")
    return entity


def detect(
    session: Session,
    entity: str = "organization",
    ids: set[str] | None = None,
    min_score: float = scoring.REVIEW_THRESHOLD,
) -> list[Candidate]:
    """Scored pairs at or above ``min_score`` (involving ``ids`` when given), best
    first, leaving out pairs a curator already decided."""
    profiles = load_profiles(session, check_entity(entity))
    return score_profiles(profiles, ids, min_score, decided(session, entity))


def score_profiles(
    profiles: list[Profile],
    ids: set[str] | None = None,
    min_score: float = scoring.REVIEW_THRESHOLD,
    skip: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
) -> list[Candidate]:
    corpus = Corpus.of(profiles)
    by_id = {p.id: p for p in profiles}
    found = []
    for a_id, b_id in candidate_pairs(profiles, corpus, ids):
        if (a_id, b_id) in skip:
            continue
        a, b = by_id[a_id], by_id[b_id]
        scored = scoring.score_pair(pair_features(a, b, corpus))
        if scored.score >= min_score:
            found.append(
                Candidate(a.entity, a_id, b_id, a.label, b.label, scored.score, scored.reasons)
            )
    return sorted(found, key=lambda c: (-c.score, c.a_id, c.b_id))


def decided(session: Session, entity: str) -> set[tuple[str, str]]:
    query = select(DuplicateDecision.a_id, DuplicateDecision.b_id).where(
        DuplicateDecision.entity == entity
    )
    return {(a, b) for a, b in session.execute(query)}


def record_candidates(session: Session, candidates: list[Candidate]) -> int:
    """Add new pairs to the queue and refresh open ones; returns how many are new."""
    now, added = datetime.now(UTC), 0
    for c in candidates:
        row = session.scalar(
            select(DuplicateCandidate).filter_by(entity=c.entity, a_id=c.a_id, b_id=c.b_id)
        )
        if row is None:
            row = DuplicateCandidate(entity=c.entity, a_id=c.a_id, b_id=c.b_id, status="open")
            session.add(row)
            added += 1
        if row.status == "open":
            row.score, row.detected_at = c.score, now
            row.reasons = [r.to_json() for r in c.reasons]
    session.flush()
    return added


def detect_for(session: Session, entity: str, new_ids: set[str]) -> list[Candidate]:
    """Detect and queue the pairs involving records just imported or created."""
    if not new_ids:
        return []
    candidates = detect(session, entity, ids=set(new_ids))
    record_candidates(session, candidates)
    return candidates


def open_candidates(session: Session, entity: str | None = None) -> list[DuplicateCandidate]:
    query = select(DuplicateCandidate).where(DuplicateCandidate.status == "open")
    if entity is not None:
        query = query.where(DuplicateCandidate.entity == check_entity(entity))
    return list(session.scalars(query.order_by(DuplicateCandidate.score.desc())))


def remember(
    session: Session, entity: str, a_id: str, b_id: str, decision: str, actor: str
) -> DuplicateDecision:
    """Store a curator's decision on a pair and close its queue entry."""
    a_id, b_id = ordered(a_id, b_id)
    if a_id == b_id:
        raise CurationError("a record cannot be a duplicate of itself")
    now = datetime.now(UTC)
    row = session.scalar(select(DuplicateDecision).filter_by(entity=entity, a_id=a_id, b_id=b_id))
    if row is None:
        row = DuplicateDecision(entity=entity, a_id=a_id, b_id=b_id)
        session.add(row)
    row.decision, row.decided_by, row.decided_at = decision, actor, now
    candidate = session.scalar(
        select(DuplicateCandidate).filter_by(entity=entity, a_id=a_id, b_id=b_id)
    )
    if candidate is not None:
        candidate.status, candidate.decided_by, candidate.decided_at = decision, actor, now
    session.flush()
    return row


def mark_not_duplicate(
    session: Session, entity: str, a_id: str, b_id: str, actor: str
) -> DuplicateDecision:
    return remember(session, check_entity(entity), a_id, b_id, "not-duplicate", actor)


# Checked at the end of every import: organizations are few and cheap to compare.
# Locations and services (thousands in a 211 export, many per building) wait for
# `referral dedupe --entity location --record`, run when a curator has time for them.
IMPORT_ENTITIES = ("organization",)


def queue_imported(session: Session, ids: dict[str, set[str]]) -> int:
    """Queue the pairs involving imported records; returns how many pairs were found."""
    return sum(len(detect_for(session, e, ids.get(e, set()))) for e in IMPORT_ENTITIES)
