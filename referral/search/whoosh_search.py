"""The Whoosh side of the index: schema, building, updating and searching.

A :class:`Reader` wraps one open searcher plus an in-memory side table (each
document's :class:`Facts`, and latitude/longitude as numpy arrays) loaded once per
segment, so filters, distances and facets never read stored fields per result.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh import query
from whoosh.analysis import RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.analysis.filters import LowercaseFilter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from referral.search import documents, filters, ranking, textquery
from referral.search.filters import Facts
from referral.search.query import SearchParams

EARTH_RADIUS_KM = 6371.0087714  # the sphere of referral.directory.geo
_STEM = StemmingAnalyzer()
_SPELL = RegexTokenizer(r"[A-Za-z][A-Za-z']+") | LowercaseFilter() | StopFilter()
TEXT_FIELDS = tuple(textquery.SEARCH_BOOSTS)


def make_schema() -> Schema:
    fields: dict[str, Any] = {name: TEXT(analyzer=_STEM) for name in TEXT_FIELDS}
    return Schema(
        sal_id=ID(stored=True, unique=True),
        service_id=ID,
        location_id=ID,
        organization_id=ID,
        status=ID,
        language=KEYWORD(commas=True),
        taxonomy_ids=KEYWORD(commas=True),
        spell=TEXT(analyzer=_SPELL, phrase=False),
        facts=STORED,
        display=STORED,
        **fields,
    )


def _fields(doc: documents.SearchDocument) -> dict[str, Any]:
    text = {name: getattr(doc, name) or "" for name in TEXT_FIELDS}
    spell = " ".join(text[n] for n in ("service_name", "organization_name", "taxonomy",
                                       "alternate_names", "keywords", "description"))
    return dict(
        text,
        sal_id=doc.service_at_location_id,
        service_id=doc.service_id,
        location_id=doc.location_id,
        organization_id=doc.organization_id or "-",
        status=doc.status,
        language=",".join(doc.languages),
        taxonomy_ids=",".join(doc.taxonomy_ids),
        spell=spell,
        facts=tuple(filters.facts_of(doc)),
        display=documents.display_of(doc),
    )


def build(path: Path, docs: Iterable[documents.SearchDocument], progress: Any = None) -> int:
    """Write every document into a fresh index at ``path``; returns the count."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(path), make_schema())
    writer = ix.writer(limitmb=256)
    count = 0
    try:
        for doc in docs:
            writer.add_document(**_fields(doc))
            count += 1
            if progress is not None:
                progress(1)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    return count


def update(path: Path, session: Session, affected: Any) -> None:
    """Rebuild the affected documents in place (one commit)."""
    ix = whoosh_index.open_dir(str(path))
    try:
        with ix.searcher() as searcher:
            sal_ids = set(affected.sal_ids)
            for field, value in affected.index_terms:
                for docnum in searcher.document_numbers(**{field: value}):
                    sal_ids.add(searcher.stored_fields(docnum)["sal_id"])
        writer = ix.writer()
        try:
            for sal_id in sal_ids:
                writer.delete_by_term("sal_id", sal_id)
            for doc in documents.documents_for(session, sorted(sal_ids)):
                writer.add_document(**_fields(doc))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    finally:
        ix.close()


def haversine(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lons - lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


class Reader:
    """One open searcher and its side table; replaced (not mutated) on refresh."""

    def __init__(self, ix: Any, searcher: Any, cache: dict[Any, list[Facts | None]] | None = None):
        self.ix, self.searcher = ix, searcher
        self.parser = textquery.make_parser(ix.schema)
        self._segment_facts: dict[Any, list[Facts | None]] = {}
        self._vocabulary: textquery.Vocabulary | None = None
        self._load_side_table(cache or {})

    @classmethod
    def open(cls, path: Path) -> Reader:
        ix = whoosh_index.open_dir(str(path))
        try:
            return cls(ix, ix.searcher())
        except BaseException:
            ix.close()
            raise

    def refreshed(self) -> Reader:
        if self.searcher.up_to_date():
            return self
        return Reader(self.ix, self.searcher.refresh(), self._segment_facts)

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()

    def _load_side_table(self, cache: dict[Any, list[Facts | None]]) -> None:
        self.facts: list[Facts | None] = []
        for segment_reader, _offset in self.searcher.reader().leaf_readers():
            key = segment_reader.segment().segment_id()
            if key not in cache:
                cache[key] = [_facts(segment_reader, n) for n in range(segment_reader.doc_count_all())]
            self._segment_facts[key] = cache[key]
            self.facts.extend(cache[key])
        nan = float("nan")
        self.lats = np.array([f.latitude if f and f.latitude is not None else nan for f in self.facts])
        self.lons = np.array([f.longitude if f and f.longitude is not None else nan for f in self.facts])

    def vocabulary(self) -> textquery.Vocabulary:
        if self._vocabulary is None:
            reader = self.searcher.reader()
            words = {
                text.decode("utf-8"): info.doc_frequency()
                for text, info in reader.iter_field("spell")
            }
            self._vocabulary = textquery.Vocabulary(words)
        return self._vocabulary

    def search(self, params: SearchParams, covered_areas: set[str] | None) -> ranking.Ranked:
        text = textquery.build(params.q, self.parser, self.vocabulary()) if params.q.strip() else None
        restrict = _restrict(params)
        matched = query.And([text.query, restrict]) if text else restrict
        docnums = np.fromiter(self.searcher.docs_for_query(matched), dtype=np.int64)
        distances = None
        if params.point is not None:
            distances = haversine(*params.point, self.lats[docnums], self.lons[docnums])
            if params.radius_km is not None:
                keep = distances <= params.radius_km
                docnums, distances = docnums[keep], distances[keep]
        checks = filters.fact_checks(params, covered_areas)
        if checks:
            keep_list = [i for i, n in enumerate(docnums.tolist()) if filters.passes(self.facts[n], checks)]  # type: ignore[arg-type]
            docnums = docnums[keep_list]
            distances = distances[keep_list] if distances is not None else None
        ranked = ranking.Ranked(page=[], total=len(docnums))
        all_facts = [self.facts[n] for n in docnums.tolist()]
        ranked.taxonomy_facets, ranked.language_facets = filters.facet_counts(all_facts)  # type: ignore[arg-type]
        ranked.page = self._page(params, text, docnums, distances)
        ranked.did_you_mean = text.did_you_mean if text else None
        return ranked

    def _candidate(self, docnum: int, distances: dict[int, float], score: float | None) -> ranking.Candidate:
        facts = self.facts[docnum]
        assert facts is not None
        return ranking.Candidate(docnum, facts, score, distances.get(docnum))

    def _scores(self, text: textquery.TextQuery, docnums: list[int], limit: int | None) -> dict[int, float]:
        if not docnums:
            return {}
        results = self.searcher.search(text.query, filter=set(docnums), limit=limit)
        return {docnum: score for score, docnum in results.top_n}

    def _page(
        self,
        params: SearchParams,
        text: textquery.TextQuery | None,
        docnums: np.ndarray,
        distances: np.ndarray | None,
    ) -> list[ranking.Candidate]:
        numbers = docnums.tolist()
        far = {} if distances is None else {n: float(d) for n, d in zip(numbers, distances.tolist(), strict=True) if d == d}
        wanted = params.page * params.per_page
        key = ranking.sort_key(params.sort, text is not None)
        if text is None or params.sort == "distance":
            order = sorted((self._candidate(n, far, None) for n in numbers), key=key)
            page = ranking.page_of(order, params.page, params.per_page)
            scores = self._scores(text, [c.key for c in page], None) if text else {}  # type: ignore[misc]
            for c in page:
                c.score = scores.get(c.key)  # type: ignore[call-overload]
        else:
            limit = wanted if params.sort == "relevance" else max(wanted, ranking.MAX_SCORED)
            scores = self._scores(text, numbers, min(limit, len(numbers)) or None)
            order = sorted((self._candidate(n, far, s) for n, s in scores.items()), key=key)
            rest = sorted((self._candidate(n, far, None) for n in numbers if n not in scores), key=ranking.sort_key("distance", False)) if len(order) < wanted else []
            page = ranking.page_of(order + rest, params.page, params.per_page)
        for c in page:
            c.display = self.searcher.stored_fields(c.key)["display"]
        return page


def _facts(segment_reader: Any, docnum: int) -> Facts | None:
    if segment_reader.is_deleted(docnum):
        return None
    return Facts(*segment_reader.stored_fields(docnum)["facts"])


def _any_of(field: str, values: Iterable[str]) -> query.Query:
    return query.Or([query.Term(field, v) for v in values])


def _restrict(params: SearchParams) -> query.Query:
    parts = [_any_of("status", params.statuses)]
    if params.taxonomy:
        parts.append(_any_of("taxonomy_ids", params.taxonomy))
    if params.languages:
        parts.append(_any_of("language", params.languages))
    if params.organization:
        parts.append(query.Term("organization_id", params.organization))
    return query.And(parts) if len(parts) > 1 else parts[0]
