"""Where every service-at-location is and which needs-map terms its service carries,
held in memory (numpy arrays) so that finding a need's nearest candidates costs a
few milliseconds at 100,000 services instead of a spatial join per need.

The table is derived data, like the search index: it is rebuilt whenever the
database's mark changes (the last search change-log id, which every directory edit
writes, plus the id ranges of service-at-locations and attributes, which bulk loads
move), and at least every MAX_AGE_S. Reading the mark is one small query per match.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral.directory import geo
from referral.directory import models as dm
from referral.search.models import SearchChange

OPEN_STATUSES = ("active", "temporarily closed")


@dataclass
class SiteTable:
    sal_ids: list[str]
    service_ids: list[str]
    location_ids: list[str]
    lat: np.ndarray
    lon: np.ndarray
    open: np.ndarray
    # taxonomy term id -> sorted row numbers of the places whose service carries it
    by_term: dict[str, np.ndarray]
    # row number -> the taxonomy term ids its service carries
    terms_of: list[tuple[str, ...]]
    tagged_rows: dict[frozenset[str], np.ndarray] = field(default_factory=dict)

    def rows_with(self, term_ids: Iterable[str]) -> np.ndarray:
        key = frozenset(term_ids)
        if key not in self.tagged_rows:
            parts = [self.by_term[t] for t in key if t in self.by_term]
            rows = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
            self.tagged_rows[key] = rows[self.open[rows]]
        return self.tagged_rows[key]

    def rows_without(self, term_ids: Iterable[str]) -> np.ndarray:
        tagged = np.zeros(len(self.sal_ids), dtype=bool)
        tagged[self.rows_with(term_ids)] = True
        for t in term_ids:  # closed places are dropped by rows_with; mark them too
            if t in self.by_term:
                tagged[self.by_term[t]] = True
        return np.flatnonzero(~tagged & self.open)

    def distances(self, rows: np.ndarray, lat: float, lon: float) -> np.ndarray:
        """Great-circle km on the same sphere as ``geo.haversine_km`` (NaN: no point)."""
        p1, p2 = np.radians(lat), np.radians(self.lat[rows])
        dp, dl = p2 - p1, np.radians(self.lon[rows] - lon)
        a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        return 2 * geo.EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


# Rebuilt at least this often, in case a bulk load slipped past the mark.
MAX_AGE_S = 600.0
_CACHE: dict[object, SiteTable] = {}
_BUILT: dict[object, float] = {}
_LOCK = threading.Lock()


def mark(session: Session) -> tuple[object, ...]:
    """Cheap (index-only) fingerprint of the directory's places and tags. A count would
    scan 100,000 rows on SQLite; id ranges and the change-log id cost a lookup each."""
    sal, attr = dm.ServiceAtLocation, dm.Attribute
    row = session.execute(
        select(
            select(func.min(sal.id)).scalar_subquery(),
            select(func.max(sal.id)).scalar_subquery(),
            select(func.max(attr.id)).scalar_subquery(),
            select(func.max(SearchChange.id)).scalar_subquery(),
        )
    ).one()
    return (id(session.get_bind()), *row)


def site_table(session: Session) -> SiteTable:
    key = mark(session)
    now = time.monotonic()
    with _LOCK:
        if key not in _CACHE or now - _BUILT.get(key, now) > MAX_AGE_S:
            _CACHE.clear()
            _CACHE[key] = build(session)
            _BUILT[key] = now
            # Hundreds of thousands of long-lived objects would otherwise be walked by
            # every full garbage collection (tens of ms, landing inside requests).
            # Freezing only exempts them from cycle detection; refcounting still frees
            # an old table once the cache lets go of it.
            gc.freeze()
        return _CACHE[key]


def clear() -> None:
    with _LOCK:
        _CACHE.clear()


def build(session: Session) -> SiteTable:
    sal = dm.ServiceAtLocation
    rows = session.execute(
        select(
            sal.id, sal.service_id, sal.location_id,
            dm.Location.latitude, dm.Location.longitude, dm.Service.status,
        )
        .join(dm.Location, dm.Location.id == sal.location_id)
        .join(dm.Service, dm.Service.id == sal.service_id)
        .order_by(sal.id)
    ).all()  # fmt: skip
    lat = np.array(
        [r[3] if geo.valid_coordinates(r[3], r[4]) else np.nan for r in rows], dtype=float
    )
    lon = np.array(
        [r[4] if geo.valid_coordinates(r[3], r[4]) else np.nan for r in rows], dtype=float
    )
    is_open = np.array([r[5] in OPEN_STATUSES for r in rows], dtype=bool)
    rows_of_service: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        rows_of_service.setdefault(r[1] or "", []).append(i)
    by_term: dict[str, list[int]] = {}
    attributes = session.execute(
        select(dm.Attribute.link_id, dm.Attribute.taxonomy_term_id).where(
            dm.Attribute.taxonomy_term_id.is_not(None)
        )
    )
    for link_id, term_id in attributes:
        if term_id and link_id in rows_of_service:
            by_term.setdefault(term_id, []).extend(rows_of_service[link_id])
    terms_of: list[set[str]] = [set() for _ in rows]
    for term_id, positions in by_term.items():
        for i in positions:
            terms_of[i].add(term_id)
    return SiteTable(
        [r[0] for r in rows], [r[1] or "" for r in rows], [r[2] or "" for r in rows],
        lat, lon, is_open,
        {t: np.array(sorted(set(v)), dtype=np.int64) for t, v in by_term.items()},
        [tuple(sorted(t)) for t in terms_of],
    )  # fmt: skip
