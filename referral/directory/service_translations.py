"""A service's client-facing text in other languages (``service_translation``).

HSDS 3.0 has one language per listing (``REFERRAL_LISTING_LANGUAGE``). Providers may
also write the fields a client reads in each other language the site offers; readers
of that language see them, else the listing's own text. Each translation keeps the
hash of the listing-language text it was written from, so the editor can say which
translations are older than the text they translate. Never exported: HSDS has no place
for them. Functions take a Session and do not commit.
"""

from __future__ import annotations

import csv
import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.directory import audit
from referral.directory.models import Metadata, Service, ServiceTranslation

# The fields a client reads, and the longest text each takes (as the service form).
LIMITS = {
    "name": 250,
    "description": 10_000,
    "eligibility_description": 10_000,
    "fees_description": 10_000,
    "application_process": 10_000,
}
FIELDS = tuple(LIMITS)
_IN_CHUNK = 500


class LanguageText(str):
    """Listing text as shown, with the language it is in (``lang_attr`` reads it)."""

    language: str

    def __new__(cls, text: str, language: str) -> LanguageText:
        made = super().__new__(cls, text)
        made.language = language
        return made


def clean(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def source_hash(text: str | None) -> str:
    """What a translation remembers of the text it translates."""
    return hashlib.sha256(clean(text).encode("utf-8")).hexdigest()


def texts_for(
    session: Session, service_ids: Iterable[str], language: str
) -> dict[str, dict[str, str]]:
    """Service id -> {field: text in ``language``} for the services that have any: one
    query per 500 services, however many fields."""
    wanted = sorted(set(service_ids))
    found: dict[str, dict[str, str]] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        query = select(
            ServiceTranslation.service_id, ServiceTranslation.field, ServiceTranslation.text
        ).where(
            ServiceTranslation.service_id.in_(wanted[start : start + _IN_CHUNK]),
            ServiceTranslation.language == language,
        )
        for service_id, field, text in session.execute(query):
            found.setdefault(service_id, {})[field] = text
    return found


def rows_for(session: Session, service_id: str, language: str) -> dict[str, ServiceTranslation]:
    query = select(ServiceTranslation).where(
        ServiceTranslation.service_id == service_id, ServiceTranslation.language == language
    )
    return {row.field: row for row in session.scalars(query)}


def stale_fields(service: Service, rows: Mapping[str, ServiceTranslation]) -> list[str]:
    """Fields whose listing-language text changed after their translation was saved."""
    return [
        field
        for field in FIELDS
        if field in rows and rows[field].source_hash != source_hash(getattr(service, field))
    ]


@dataclass(frozen=True)
class Saved:
    changed: tuple[str, ...]
    confirmed: tuple[str, ...]


def save(
    session: Session,
    service: Service,
    language: str,
    texts: Mapping[str, str | None],
    confirm: Iterable[str] = (),
) -> Saved:
    """Set the service's text in ``language``: empty removes a field's translation.
    A changed text, or an unchanged one in ``confirm``, is marked as written from the
    current listing text. Each change gets a metadata row (see ``audit_id``)."""
    rows = rows_for(session, service.id, language)
    now, by = datetime.now(UTC), audit.actor(session)
    changed, confirmed = [], []
    for field in FIELDS:
        text, row = clean(texts.get(field)), rows.get(field)
        before = row.text if row is not None else ""
        if text == before:
            if row is not None and field in confirm:
                row.source_hash, row.updated_at, row.updated_by = _stamp(service, field, now, by)
                confirmed.append(field)
            continue
        if not text:
            session.delete(row)
        else:
            if row is None:
                row = ServiceTranslation(service_id=service.id, language=language, field=field)
                session.add(row)
            row.text = text
            row.source_hash, row.updated_at, row.updated_by = _stamp(service, field, now, by)
        session.add(_audit_row(service.id, language, field, (before, text), now, by))
        changed.append(field)
    return Saved(tuple(changed), tuple(confirmed))


def _stamp(service: Service, field: str, now: datetime, by: str) -> tuple[str, datetime, str]:
    return source_hash(getattr(service, field)), now, by


def audit_id(service_id: str, language: str) -> str:
    """The id the audit trail files a service's translations under. Not the service's
    own id: the HSDS export carries a record's metadata rows, and translations stay out."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"service_translation/{service_id}/{language}"))


def _audit_row(
    service_id: str, language: str, field: str, change: tuple[str, str], now: datetime, by: str
) -> Metadata:
    before, after = change
    action = "create" if not before else "delete" if not after else "update"
    return Metadata(
        resource_id=audit_id(service_id, language),
        resource_type="service_translation",
        last_action_date=now,
        last_action_type=action,
        field_name=field,
        previous_value=before,
        replacement_value=after,
        updated_by=by,
    )


# Sample data -------------------------------------------------------------------------

HEADER = ("service_id", "language", "field", "text")


def load_csv(session: Session, path: Path) -> int:
    """Add the translations in ``path`` whose service exists and whose field has no
    translation yet (a provider's own edits win); the number added. Loading the same
    file twice changes nothing. Written from the service's current text."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("field") in LIMITS and r.get("text")]
    ids = {r["service_id"] for r in rows}
    services = {s.id: s for s in session.scalars(select(Service).where(Service.id.in_(ids)))}
    known = select(
        ServiceTranslation.service_id, ServiceTranslation.language, ServiceTranslation.field
    ).where(ServiceTranslation.service_id.in_(ids))
    have = {tuple(row) for row in session.execute(known)}
    now, added = datetime.now(UTC), 0
    for row in rows:
        service, key = services.get(row["service_id"]), tuple(row[c] for c in HEADER[:3])
        if service is None or key in have:
            continue
        service_id, language, field = key
        stamp = _stamp(service, field, now, "seed")
        record = ServiceTranslation(service_id=service_id, language=language, field=field)
        record.text = clean(row["text"])
        record.source_hash, record.updated_at, record.updated_by = stamp
        session.add(record)
        have.add(key)
        added += 1
    return added
