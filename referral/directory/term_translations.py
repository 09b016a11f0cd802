"""Taxonomy term names in other languages (``taxonomy_term_translation``).

HSDS 3.0 gives a term one name in one ``language``; pages show the project's own
taxonomy in the reader's language from this table, with the HSDS name as fallback.
The sample's Spanish names come from ``seed_data/taxonomy_term_translations.csv``,
written from ``needs_taxonomy_es`` and loaded with the sample.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.directory.models import TaxonomyTerm, TaxonomyTermTranslation

HEADER = ("taxonomy_term_id", "taxonomy_term_code", "language", "name", "description")


class TranslationFileError(ValueError):
    """The translations file cannot be used as it is; nothing was loaded."""


def write_csv(path: Path, rows: Iterable[tuple[str, str, str, str, str]]) -> int:
    written = list(rows)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(written)
    return len(written)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [
            c
            for c in ("taxonomy_term_id", "language", "name")
            if c not in (reader.fieldnames or [])
        ]
        if missing:
            raise TranslationFileError(f"{path.name} has no column {', '.join(missing)}")
        rows = list(reader)
    for number, row in enumerate(rows, start=2):
        if not all((row.get(c) or "").strip() for c in ("taxonomy_term_id", "language", "name")):
            raise TranslationFileError(
                f"{path.name} line {number}: taxonomy_term_id, language and name are required"
            )
    return rows


def load_csv(session: Session, path: Path) -> int:
    """Add or update the translations in ``path`` whose term exists; the number loaded.
    Loading the same file twice changes nothing. The caller commits."""
    rows = read_csv(path)
    term_ids = {row["taxonomy_term_id"].strip() for row in rows}
    known = set(session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.id.in_(term_ids))))
    wanted = [row for row in rows if row["taxonomy_term_id"].strip() in known]
    keys = [(row["taxonomy_term_id"].strip(), row["language"].strip()) for row in wanted]
    loaded = select(TaxonomyTermTranslation).where(
        TaxonomyTermTranslation.taxonomy_term_id.in_(known)
    )
    present = {(t.taxonomy_term_id, t.language): t for t in session.scalars(loaded)}
    for key, row in zip(keys, wanted, strict=True):
        name, description = row["name"].strip(), (row.get("description") or "").strip() or None
        found = present.get(key)
        if found is None:
            found = TaxonomyTermTranslation(taxonomy_term_id=key[0], language=key[1])
            session.add(found)
            present[key] = found
        if (found.name, found.description) != (name, description):
            found.name, found.description = name, description
    return len(wanted)


def translated_names(session: Session, language: str) -> list[tuple[str, str, str]]:
    """(term id, term name, name in ``language``) of every term translated into it."""
    translation = TaxonomyTermTranslation
    query = (
        select(translation.taxonomy_term_id, TaxonomyTerm.name, translation.name)
        .join(TaxonomyTerm, TaxonomyTerm.id == translation.taxonomy_term_id)
        .where(translation.language == language)
    )
    return [(term_id, name, translated) for term_id, name, translated in session.execute(query)]


def names_in(language: str) -> tuple[dict[str, str], dict[str, str]]:
    """Term names in ``language`` by term id and by the term's own name, read once per
    request: one query for a page however many terms it shows."""
    from referral import db

    cache = g.setdefault("term_translations", {})
    if language not in cache:
        rows = translated_names(db.session(), language)
        cache[language] = ({t: n for t, _, n in rows}, {source: n for _, source, n in rows})
    return cache[language]  # type: ignore[no-any-return]


def in_reader_language(name: str) -> str:
    """A term's name (as the listing has it) in the language of the request, where it is
    translated; as it is outside a request or when the reader reads the listings'
    language. For sentences we write, such as a match explanation."""
    if not has_request_context():
        return name
    from referral.i18n import current_language, listing_language

    language = current_language()
    if language == listing_language():
        return name
    return names_in(language)[1].get(name, name)
