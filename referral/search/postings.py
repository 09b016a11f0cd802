"""Matching and scoring with numpy over Whoosh postings.

Whoosh's own matchers walk compound queries one document at a time in Python, which
costs hundreds of milliseconds per query at 100,000 documents. Here each query term's
postings are read a block at a time into arrays (one read per text field), documents
matching the query tree come from sorted-array set algebra, and scores are summed per
field as boost x idf x saturated term frequency. Phrases (rare: typed in quotes) are
checked with Whoosh's positional matcher.

The block reading uses internals of Whoosh's W3 codec (``_read_ids``, ``_ids``...);
the project pins whoosh==2.7.4, its last release, so they cannot move.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from whoosh import query

# Term-frequency saturation (as in BM25's k1): a word said three times in a description
# is stronger evidence than once, but not three times as strong.
TF_SATURATION = 1.2
_EMPTY_IDS = np.zeros(0, dtype=np.int64)


class PostingsCache:
    """Recently read postings arrays, per segment (segments never change once written, so
    an edit, which adds a small segment, leaves the big segment's entries valid).

    Bounded by the number of postings held: MAX_POSTINGS of them take about 12 bytes
    each. Common words ("food", "housing") stay resident; rare words are cheap to read.
    """

    MAX_POSTINGS = 6_000_000

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, str, str], tuple[np.ndarray, np.ndarray]] = (
            OrderedDict()
        )
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, str]) -> tuple[np.ndarray, np.ndarray] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, str], value: tuple[np.ndarray, np.ndarray]) -> None:
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = value
            self._size += len(value[0])
            while self._size > self.MAX_POSTINGS and len(self._entries) > 1:
                _key, (ids, _tf) = self._entries.popitem(last=False)
                self._size -= len(ids)


def _read_blocks(reader: Any, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    matcher = reader.postings(field, text)
    while hasattr(matcher, "child"):  # deletions wrap the leaf; `alive` covers them
        matcher = matcher.child
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.append(np.asarray(matcher._ids, dtype=np.int32))
        weights.append(np.asarray(matcher._weights, dtype=np.float32))
        matcher._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(weights)


class Postings:
    """Per-(field, term) postings of one open searcher, as (doc ids, term frequencies)."""

    def __init__(
        self, searcher: Any, fields: Sequence[str], alive: np.ndarray, cache: PostingsCache
    ) -> None:
        self.searcher = searcher
        self.fields = tuple(fields)
        self.alive = alive
        self.cache = cache
        self.leaves = [
            (r, offset, r.segment().segment_id()) for r, offset in searcher.reader().leaf_readers()
        ]
        self.doc_count = max(1, int(alive.sum()))

    def read(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term frequencies); deleted documents included (see alive)."""
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for reader, offset, segment in self.leaves:
            key = (segment, field, text)
            found = self.cache.get(key)
            if found is None:
                if (field, text) not in reader:
                    continue
                found = _read_blocks(reader, field, text)
                self.cache.put(key, found)
            ids.append(found[0].astype(np.int64) + offset if offset else found[0])
            weights.append(found[1])
        if not ids:
            return _EMPTY_IDS, np.zeros(0)
        if len(ids) == 1:
            return ids[0], weights[0]
        return np.concatenate(ids), np.concatenate(weights)

    def mask_of(self, field: str, values: Iterable[str]) -> np.ndarray:
        """Documents having any of ``values`` in ``field``, as a boolean mask."""
        mask = np.zeros(len(self.alive), dtype=bool)
        for value in values:
            mask[self.read(field, value)[0]] = True
        return mask

    def term_mask(self, text: str) -> np.ndarray:
        """Documents with ``text`` in any text field."""
        mask = np.zeros(len(self.alive), dtype=bool)
        for field in self.fields:
            mask[self.read(field, text)[0]] = True
        return mask

    def phrase_mask(self, words: Sequence[str]) -> np.ndarray:
        phrases = query.Or([query.Phrase(field, list(words)) for field in self.fields])
        mask = np.zeros(len(self.alive), dtype=bool)
        mask[np.fromiter(self.searcher.docs_for_query(phrases), dtype=np.int64)] = True
        return mask

    def all_docs(self) -> np.ndarray:
        return np.flatnonzero(self.alive)

    def matching(self, q: query.Query) -> np.ndarray:
        """Sorted numbers of live documents matching the parsed query tree."""
        return np.flatnonzero(self._mask(q) & self.alive)

    def _mask(self, q: query.Query) -> np.ndarray:
        """The query tree evaluated as boolean masks over all document numbers: each
        AND/OR/NOT is one vectorised pass, whatever the size of the postings."""
        if isinstance(q, query.Term):
            return self.term_mask(q.text)
        if isinstance(q, query.Phrase):
            return self.phrase_mask(q.words)
        if isinstance(q, query.AndNot):
            return self._mask(q.a) & ~self._mask(q.b)
        if isinstance(q, query.AndMaybe):
            return self._mask(q.a)
        if isinstance(q, query.Not):
            return ~self._mask(q.query)
        if isinstance(q, query.And):
            found = np.ones(len(self.alive), dtype=bool)
            for part in q.subqueries:
                found &= self._mask(part)
            return found
        if isinstance(q, query.Or):
            found = np.zeros(len(self.alive), dtype=bool)
            for part in q.subqueries:
                found |= self._mask(part)
            return found
        if isinstance(q, query.Every):
            return np.ones(len(self.alive), dtype=bool)
        terms = [text for _field, text in q.iter_all_terms()]
        return self._mask(query.Or([query.Term(self.fields[0], t) for t in terms]))

    def scores(self, terms: Iterable[str], boosts: dict[str, float], size: int) -> np.ndarray:
        """A score for every document number: sum over terms and fields of
        boost x idf x saturated term frequency."""
        total = np.zeros(size)
        for text in set(terms):
            df = int((self.term_mask(text) & self.alive).sum())
            if not df:
                continue
            idf = math.log(1.0 + self.doc_count / df)
            for field in self.fields:
                ids, tf = self.read(field, text)
                if len(ids):
                    total[ids] += boosts[field] * idf * tf / (tf + TF_SATURATION)
        return total


def positive_terms(q: query.Query) -> list[str]:
    """The words of a query that count towards a score (not those under NOT)."""
    if isinstance(q, query.Not):
        return []
    if isinstance(q, query.AndNot):
        return positive_terms(q.a)
    if isinstance(q, query.Term):
        return [q.text]
    if isinstance(q, query.Phrase):
        return list(q.words)
    if q.is_leaf():
        return [text for _field, text in q.iter_all_terms()]
    return [t for child in q.children() for t in positive_terms(child)]
