"""Synonym groups common in social and health care (``synonyms.txt``).

A client says "food stamps", a listing says "SNAP". Groups are read once; a query's
words and adjacent word pairs/triples found in a group expand to the other members.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")
MAX_PHRASE_WORDS = 4


def parse_groups(text: str) -> list[tuple[str, ...]]:
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().lower()
        terms = tuple(t.strip() for t in line.split(",") if t.strip())
        if len(terms) > 1:
            groups.append(terms)
    return groups


@lru_cache(maxsize=1)
def synonym_map() -> dict[str, tuple[str, ...]]:
    """term -> the other terms of its group(s)."""
    found: dict[str, list[str]] = {}
    for group in parse_groups(SYNONYMS_FILE.read_text(encoding="utf-8")):
        for term in group:
            found.setdefault(term, []).extend(t for t in group if t != term)
    return {term: tuple(dict.fromkeys(others)) for term, others in found.items()}


def expansions(words: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, alternatives) for each run of ``words`` that is a synonym term,
    longest runs first, never overlapping."""
    table = synonym_map()
    lowered = [w.lower() for w in words]
    taken: set[int] = set()
    found = []
    for size in range(min(MAX_PHRASE_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            span = range(start, start + size)
            term = " ".join(lowered[start : start + size])
            if term in table and not taken.intersection(span):
                found.append((start, start + size, table[term]))
                taken.update(span)
    return sorted(found)
