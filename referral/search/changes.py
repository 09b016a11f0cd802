"""From change-log rows to the service-at-locations whose documents must be rebuilt."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from referral.directory import models as dm
from referral.search.documents import taxonomy_tree
from referral.search.models import SearchChange

# Pending rows are applied in chunks of this many, so a burst of edits is one commit.
MAX_ROWS = 5000
# Change ids are taken when a transaction inserts, not when it commits: a slow
# transaction can commit id 41 after 42 has been applied. Ids this close below the
# latest applied one are tracked one by one, so a late commit is still applied.
LATE_COMMIT_WINDOW = 200
_IN_CHUNK = 500


@dataclass
class Affected:
    # Service-at-locations to rebuild from the database (or drop if gone).
    sal_ids: set[str] = field(default_factory=set)
    # (index field, value): documents in the index carrying these are rebuilt too, which
    # catches documents whose records have been deleted from the database.
    index_terms: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class Applied:
    """Which change-log rows an index holds: all ids up to ``last``, except that ids in
    the LATE_COMMIT_WINDOW below it count only if listed in ``recent``."""

    last: int = 0
    recent: frozenset[int] = frozenset()

    def to_text(self) -> str:
        return json.dumps({"last": self.last, "recent": sorted(self.recent)})

    @classmethod
    def from_text(cls, text: str) -> Applied:
        data = json.loads(text)
        if isinstance(data, int):  # a bare mark (earlier format): all ids up to it
            return cls(data, frozenset(range(data - LATE_COMMIT_WINDOW + 1, data + 1)))
        return cls(int(data["last"]), frozenset(int(i) for i in data["recent"]))

    def with_ids(self, ids: Iterable[int]) -> Applied:
        ids = list(ids)
        last = max([self.last, *ids])
        recent = frozenset(i for i in (*self.recent, *ids) if i > last - LATE_COMMIT_WINDOW)
        return Applied(last, recent)


def unseen_ids(session: Session, applied: Applied) -> list[int]:
    query = select(SearchChange.id).where(SearchChange.id > applied.last - LATE_COMMIT_WINDOW)
    return [i for i in session.scalars(query) if i not in applied.recent]


def pending_rows(session: Session, applied: Applied) -> list[SearchChange]:
    window = SearchChange.id > applied.last - LATE_COMMIT_WINDOW
    rows = session.scalars(select(SearchChange).where(window).order_by(SearchChange.id))
    return [r for r in rows if r.id not in applied.recent][:MAX_ROWS]


def applied_at_start(session: Session) -> Applied:
    """What a rebuild starting now holds: every row committed so far."""
    ids = list(
        session.scalars(
            select(SearchChange.id).order_by(SearchChange.id.desc()).limit(LATE_COMMIT_WINDOW)
        )
    )
    return Applied().with_ids(ids) if ids else Applied()


def _ids(rows: Iterable[SearchChange], key: str) -> list[str]:
    return sorted({getattr(r, key) for r in rows if getattr(r, key)})


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def _sal_ids_where(session: Session, *conditions: object) -> set[str]:
    sal, svc = dm.ServiceAtLocation, dm.Service
    query = select(sal.id).join(svc, svc.id == sal.service_id).where(or_(*conditions))  # type: ignore[arg-type]
    return set(session.scalars(query))


def _links_of_terms(session: Session, term_ids: list[str]) -> list[str]:
    tree = taxonomy_tree(session)
    wanted = sorted({d for t in term_ids for d in tree.descendants(t)} | set(term_ids))
    links: set[str] = set()
    for chunk in _chunks(wanted):
        query = select(dm.Attribute.link_id).where(dm.Attribute.taxonomy_term_id.in_(chunk))
        links.update(link for link in session.scalars(query) if link)
    return sorted(links)


def affected(session: Session, rows: Sequence[SearchChange]) -> Affected:
    sal, svc = dm.ServiceAtLocation, dm.Service
    found = Affected()
    columns = {
        "service_at_location_id": (sal.id, "sal_id"),
        "service_id": (sal.service_id, "service_id"),
        "location_id": (sal.location_id, "location_id"),
        "organization_id": (svc.organization_id, "organization_id"),
    }
    for key, (column, index_field) in columns.items():
        for chunk in _chunks(_ids(rows, key)):
            found.sal_ids |= _sal_ids_where(session, column.in_(chunk))
            found.index_terms.update((index_field, value) for value in chunk)
    terms = _ids(rows, "taxonomy_term_id")
    found.index_terms.update(("taxonomy_ids", t) for t in terms)
    for chunk in _chunks(_links_of_terms(session, terms) if terms else []):
        found.sal_ids |= _sal_ids_where(
            session,
            sal.id.in_(chunk),
            sal.service_id.in_(chunk),
            sal.location_id.in_(chunk),
            svc.organization_id.in_(chunk),
        )
    return found
