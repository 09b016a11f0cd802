"""The Whoosh side of the index: schema, building, updating and searching.

A :class:`Reader` wraps one open searcher plus an in-memory side table (each
document's :class:`Facts`, a live-document mask, and latitude/longitude as numpy
arrays) loaded once per segment, so filters, distances and facets never read stored
fields per result. Matching and scoring run over postings arrays (``postings``).
"""

from __future__ import annotations

import gc
import shutil
import warnings
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.analysis import RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.analysis.filters import LowercaseFilter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from referral.search import documents, filters, hours, ranking, textquery
from referral.search.filters import Facts
from referral.search.postings import Postings, PostingsCache, positive_terms
from referral.search.query import SearchParams

EARTH_RADIUS_KM = 6371.0087714  # the sphere of referral.directory.geo
_STEM = StemmingAnalyzer()
_SPELL = RegexTokenizer(r"[A-Za-z][A-Za-z']+") | LowercaseFilter() | StopFilter()
TEXT_FIELDS = tuple(textquery.SEARCH_BOOSTS)
# Surface words offered as typo corrections come from these (short) fields.
SPELL_SOURCES = ("service_name", "organization_name", "alternate_names", "taxonomy", "keywords")
WRITER_MEMORY_MB = 256
STATUS_CODES = {"active": 0, "temporarily closed": 1, "inactive": 2, "defunct": 3}


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
    text = {
        field: " ".join(getattr(doc, name) or "" for name in sources)
        for field, sources in textquery.FIELD_SOURCES.items()
    }
    return dict(
        text,
        sal_id=doc.service_at_location_id,
        service_id=doc.service_id,
        location_id=doc.location_id,
        organization_id=doc.organization_id or "-",
        status=doc.status,
        language=",".join(doc.languages),
        taxonomy_ids=",".join(doc.taxonomy_ids),
        spell=" ".join(getattr(doc, name) or "" for name in SPELL_SOURCES),
        facts=tuple(filters.facts_of(doc)),
        display=documents.display_of(doc),
    )


def build(
    path: Path, docs: Iterable[documents.SearchDocument], progress: Any = None, procs: int = 1
) -> int:
    """Write every document into a fresh index at ``path``; returns the count.

    With ``procs`` > 1, Whoosh indexes in that many child processes while this one
    reads the database, and keeps their segments apart (no final single-threaded merge).
    """
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(path), make_schema())
    if procs > 1:
        writer = ix.writer(procs=procs, limitmb=WRITER_MEMORY_MB // procs, multisegment=True)
    else:
        writer = ix.writer(limitmb=WRITER_MEMORY_MB)
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


class UnreadableIndex(Exception):
    """The index files could not be opened (corrupt, truncated, or from another version)."""


class SegmentSide:
    """One segment's facts, coordinates, status codes and facet tables."""

    def __init__(self, segment_reader: Any) -> None:
        count = segment_reader.doc_count_all()
        shared: dict[Any, Any] = {}
        self.facts = [
            _shared_facts(segment_reader.stored_fields(n)["facts"], shared) for n in range(count)
        ]
        nan = float("nan")
        self.lats = np.array([nan if f.latitude is None else f.latitude for f in self.facts])
        self.lons = np.array([nan if f.longitude is None else f.longitude for f in self.facts])
        self.status_codes = np.array(
            [STATUS_CODES.get(f.status, -1) for f in self.facts], dtype=np.int8
        )
        self.taxonomy = FacetTable([f.taxonomy_ids for f in self.facts])
        self.languages = FacetTable([f.languages for f in self.facts])
        self._words: dict[str, int] | None = None

    def words(self, segment_reader: Any) -> dict[str, int]:
        if self._words is None:
            self._words = {
                text.decode("utf-8"): info.doc_frequency()
                for text, info in segment_reader.iter_field("spell")
            }
        return self._words


# Facts fields whose values repeat across documents (statuses, languages, schedules...).
_REPEATING = tuple(
    Facts._fields.index(name)
    for name in (
        "status",
        "languages",
        "taxonomy_ids",
        "schedule",
        "timezone",
        "organization_id",
        "service_area_ids",
    )
)


def _shared_facts(values: tuple[Any, ...], shared: dict[Any, Any]) -> Facts:
    """Facts whose repeating values are one shared object each, not one per document
    (unpickling makes fresh copies): a third of the side table's memory at 100,000."""
    items = list(values)
    for i in _REPEATING:
        items[i] = shared.setdefault(items[i], items[i])
    return Facts(*items)


def _joined(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


SegmentCache = dict[str, SegmentSide]


class Reader:
    """One open searcher and its side table; replaced (not mutated) on refresh."""

    def __init__(
        self,
        ix: Any,
        searcher: Any,
        cache: SegmentCache | None = None,
        postings_cache: PostingsCache | None = None,
    ) -> None:
        self.ix, self.searcher = ix, searcher
        self.parser = textquery.make_parser(ix.schema)
        self._segments: SegmentCache = {}
        self._vocabulary: textquery.Vocabulary | None = None
        self._load_side_table(cache or {})
        self.postings_cache = postings_cache or PostingsCache()

    @classmethod
    def open(cls, path: Path, postings_cache: PostingsCache | None = None) -> Reader:
        # Whoosh leaves a file open when it fails to read a corrupt index: close it here,
        # quietly, rather than let a ResourceWarning surface at a later collection.
        failure = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            ix = None
            try:
                ix = whoosh_index.open_dir(str(path))
                hours.timezone_for_postcode("10001")  # load the ZIP table now, not at an edit
                return cls(ix, ix.searcher(), postings_cache=postings_cache)
            except Exception as exc:  # noqa: BLE001 - reported as unreadable below
                failure = f"{type(exc).__name__}: {exc}"
                if ix is not None:
                    ix.close()
            gc.collect()
        raise UnreadableIndex(failure)

    def refreshed(self) -> Reader:
        if self.searcher.up_to_date():
            return self
        return Reader(self.ix, self.searcher.refresh(), self._segments, self.postings_cache)

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()

    def _load_side_table(self, cache: SegmentCache) -> None:
        """Per-segment tables, loaded once per segment (its stored fields never change;
        deletions are applied through the ``alive`` mask, rebuilt on every refresh)."""
        self.sides: list[tuple[int, SegmentSide]] = []
        alive: list[np.ndarray] = []
        for segment_reader, offset in self.searcher.reader().leaf_readers():
            segment = segment_reader.segment()
            key = segment.segment_id()
            if key not in cache:
                cache[key] = SegmentSide(segment_reader)
            self._segments[key] = side = cache[key]
            self.sides.append((offset, side))
            mask = np.ones(len(side.facts), dtype=bool)
            mask[list(segment.deleted_docs())] = False
            alive.append(mask)
        self.facts: list[Facts] = [f for _offset, side in self.sides for f in side.facts]
        self.alive = _joined(alive, bool)
        self.lats = _joined([side.lats for _o, side in self.sides], np.float64)
        self.lons = _joined([side.lons for _o, side in self.sides], np.float64)
        self.status_codes = _joined([side.status_codes for _o, side in self.sides], np.int8)
        self._name_rank: np.ndarray | None = None

    @property
    def name_rank(self) -> np.ndarray:
        """Each document's place in name order (only queries with no words or point)."""
        if self._name_rank is None:
            names = np.array([f.sort_name for f in self.facts], dtype=object)
            rank = np.empty(len(names), dtype=np.int64)
            rank[np.argsort(names, kind="stable")] = np.arange(len(names))
            self._name_rank = rank
        return self._name_rank

    def facet_counts(self, docnums: np.ndarray) -> tuple[Counter[str], Counter[str]]:
        taxonomy: Counter[str] = Counter()
        languages: Counter[str] = Counter()
        for offset, side in self.sides:
            local = docnums[(docnums >= offset) & (docnums < offset + len(side.facts))] - offset
            if len(local):
                taxonomy.update(side.taxonomy.counts(local))
                languages.update(side.languages.counts(local))
        return taxonomy, languages

    def vocabulary(self) -> textquery.Vocabulary:
        """Words for typo correction, summed over segments (each segment's words are
        read once, so an edit costs only its new small segment)."""
        if self._vocabulary is None:
            words: Counter[str] = Counter()
            for segment_reader, _offset in self.searcher.reader().leaf_readers():
                side = self._segments[segment_reader.segment().segment_id()]
                words.update(side.words(segment_reader))
            self._vocabulary = textquery.Vocabulary(dict(words))
        return self._vocabulary

    def search(self, params: SearchParams, covered_areas: set[str] | None) -> ranking.Ranked:
        text = (
            textquery.build(params.q, self.parser, self.vocabulary()) if params.q.strip() else None
        )
        postings = Postings(self.searcher, TEXT_FIELDS, self.alive, self.postings_cache)
        docnums = self._restricted(params, text, postings)
        distances = None
        if params.point is not None:
            distances = haversine(*params.point, self.lats[docnums], self.lons[docnums])
            if params.radius_km is not None:
                keep = distances <= params.radius_km
                docnums, distances = docnums[keep], distances[keep]
        checks = filters.fact_checks(params, covered_areas)
        if checks:
            facts = self.facts
            keep_list = [
                i for i, n in enumerate(docnums.tolist()) if filters.passes(facts[n], checks)
            ]  # type: ignore[arg-type]
            docnums = docnums[keep_list]
            distances = distances[keep_list] if distances is not None else None
        ranked = ranking.Ranked(page=[], total=len(docnums))
        ranked.taxonomy_facets, ranked.language_facets = self.facet_counts(docnums)
        ranked.page = self._page(params, text, docnums, distances, postings)
        ranked.did_you_mean = text.did_you_mean if text else None
        return ranked

    def _restricted(
        self, params: SearchParams, text: textquery.TextQuery | None, postings: Postings
    ) -> np.ndarray:
        """Live documents matching the words and the term filters (sorted numbers)."""
        found = postings.matching(text.query) if text else postings.all_docs()
        if len(params.statuses) < len(STATUS_CODES):
            wanted = [STATUS_CODES[s] for s in params.statuses]
            found = found[np.isin(self.status_codes[found], wanted)]
        organization = [params.organization] if params.organization else []
        for field, values in (
            ("taxonomy_ids", params.taxonomy),
            ("language", params.languages),
            ("organization_id", organization),
        ):
            if values and len(found):
                found = found[postings.mask_of(field, values)[found]]
        return found

    def _primary(
        self,
        params: SearchParams,
        scores: np.ndarray | None,
        docnums: np.ndarray,
        distances: np.ndarray | None,
    ) -> np.ndarray:
        """The leading sort key of each candidate (smaller first)."""
        far = None if distances is None else np.where(np.isnan(distances), np.inf, distances)
        if params.sort == "blend" and scores is not None:
            if far is None:
                return -(scores / 2.0)  # as ranking.blended: unknown distance halves
            return -(scores / np.where(np.isinf(far), 2.0, 1.0 + far / ranking.BLEND_DISTANCE_KM))
        if scores is not None and params.sort == "relevance":
            return -scores
        if far is not None:
            return far
        return self.name_rank[docnums].astype(np.float64)

    def _page(
        self,
        params: SearchParams,
        text: textquery.TextQuery | None,
        docnums: np.ndarray,
        distances: np.ndarray | None,
        postings: Postings,
    ) -> list[ranking.Candidate]:
        if not len(docnums):
            return []
        scores = None
        if text is not None:
            every = postings.scores(
                positive_terms(text.query), textquery.SEARCH_BOOSTS, len(self.facts)
            )
            scores = every[docnums]
        primary = self._primary(params, scores, docnums, distances)
        wanted = min(params.page * params.per_page, len(docnums))
        cutoff = np.partition(primary, wanted - 1)[wanted - 1]
        pool = np.flatnonzero(primary <= cutoff)  # the best `wanted`, plus any ties
        candidates = []
        for i in pool.tolist():
            facts = self.facts[int(docnums[i])]
            assert facts is not None
            km = None if distances is None or np.isnan(distances[i]) else float(distances[i])
            score = None if scores is None else float(scores[i])
            candidates.append(ranking.Candidate(int(docnums[i]), facts, score, km))
        candidates.sort(key=ranking.sort_key(params.sort, text is not None))
        page = ranking.page_of(candidates, params.page, params.per_page)
        for c in page:
            c.display = self.searcher.stored_fields(c.key)["display"]
        return page


class FacetTable:
    """Each document's facet values in compressed-row form, for counting in numpy."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        self.values: list[str] = []
        column: dict[str, int] = {}
        indices: list[int] = []
        self.starts = np.zeros(len(rows) + 1, dtype=np.int64)
        for n, row in enumerate(rows):
            for value in row:
                indices.append(column.setdefault(value, len(column)))
            self.starts[n + 1] = len(indices)
        self.values = list(column)
        self.indices = np.array(indices, dtype=np.int64)

    def counts(self, docnums: np.ndarray) -> Counter[str]:
        begin, end = self.starts[docnums], self.starts[docnums + 1]
        lengths = end - begin
        total = int(lengths.sum())
        if not total:
            return Counter()
        offsets = np.repeat(begin - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        tally = np.bincount(self.indices[offsets], minlength=len(self.values))
        return Counter({self.values[i]: int(tally[i]) for i in np.flatnonzero(tally).tolist()})
