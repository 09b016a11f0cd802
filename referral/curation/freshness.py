"""How current the directory is: the share of services verified within 6 and 12
months, by organization or by taxonomy term, for the curator's freshness report.

Defunct services are left out: nobody needs to verify a closed program.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from referral.curation.verification import Freshness
from referral.directory import models as dm

GROUPINGS = ("organization", "taxonomy")
SORTS = ("oldest", "name", "share6", "share12", "services")
RECENT, YEAR = timedelta(days=183), timedelta(days=365)
COUNTED = dm.Service.status != "defunct"


@dataclass
class FreshnessRow:
    id: str
    name: str
    services: int = 0
    within_6: int = 0
    within_12: int = 0
    never: int = 0
    oldest: date | None = None

    @property
    def share_6(self) -> float:
        return self.within_6 / self.services if self.services else 0.0

    @property
    def share_12(self) -> float:
        return self.within_12 / self.services if self.services else 0.0

    def add(self, assured: date | None, today: date) -> None:
        self.services += 1
        if assured is None:
            self.never += 1
            return
        self.within_6 += assured >= today - RECENT
        self.within_12 += assured >= today - YEAR
        self.oldest = assured if self.oldest is None else min(self.oldest, assured)


def _rows(session: Session, by: str) -> Iterable[tuple[str, str, date | None]]:
    if by == "organization":
        query = select(dm.Organization.id, dm.Organization.name, dm.Service.assured_date).join(
            dm.Service, dm.Service.organization_id == dm.Organization.id
        )
    else:
        query = (
            select(dm.TaxonomyTerm.id, dm.TaxonomyTerm.name, dm.Service.assured_date)
            .join(dm.Attribute, dm.Attribute.taxonomy_term_id == dm.TaxonomyTerm.id)
            .join(dm.Service, dm.Service.id == dm.Attribute.link_id)
            .where(dm.Attribute.link_entity == "service")
        )
    return session.execute(query.where(COUNTED)).all()  # type: ignore[return-value]


def _sort_key(sort: str):  # type: ignore[no-untyped-def]
    keys = {
        # Never verified first, then the oldest verification, then the least current.
        "oldest": lambda r: (r.never == 0, r.oldest or date.min, r.share_12, r.name.lower()),
        "name": lambda r: (r.name.lower(), r.id),
        "share6": lambda r: (r.share_6, r.name.lower()),
        "share12": lambda r: (r.share_12, r.name.lower()),
        "services": lambda r: (-r.services, r.name.lower()),
    }
    return keys[sort]


def report(session: Session, by: str, today: date, sort: str = "oldest") -> list[FreshnessRow]:
    found: dict[str, FreshnessRow] = {}
    for key, name, assured in _rows(session, by):
        found.setdefault(key, FreshnessRow(key, name)).add(assured, today)
    return sorted(found.values(), key=_sort_key(sort))


def to_csv(rows: list[FreshnessRow], by: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"{by}_id", by, "services", "verified_within_6_months",
                     "verified_within_12_months", "share_6_months", "share_12_months",
                     "never_verified", "oldest_verification"])  # fmt: skip
    for r in rows:
        writer.writerow([r.id, r.name, r.services, r.within_6, r.within_12,
                         f"{r.share_6:.3f}", f"{r.share_12:.3f}", r.never,
                         r.oldest.isoformat() if r.oldest else ""])  # fmt: skip
    return out.getvalue()


def service_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(dm.Service).where(COUNTED)) or 0)


def stale_count(session: Session, policy: Freshness, today: date) -> int:
    before = policy.stale_before(today)
    query = (
        select(func.count())
        .select_from(dm.Service)
        .where(COUNTED)
        .where(or_(dm.Service.assured_date.is_(None), dm.Service.assured_date < before))
    )
    return int(session.scalar(query) or 0)


def pending_claims(session: Session) -> int:
    from referral.provider.models import PENDING, OrganizationClaim

    query = select(func.count()).select_from(OrganizationClaim)
    return int(session.scalar(query.where(OrganizationClaim.status == PENDING)) or 0)
