"""Structured criteria from a listing's free-text eligibility ("Adults 18 and older",
"60+", "at or below 200% of poverty", "residents of Miami-Dade County", "women only").

Rules are regular expressions over one sentence at a time. Each hit keeps the words it
matched (the evidence) and a confidence; only confident hits become hard criteria, so a
misread listing lowers a score instead of hiding a service. Hits joined by "or" in one
sentence become an any-of group ("pregnant women or children under 3"), and several age
ranges in one listing (one per program) become an any-of too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from referral.matching.criteria import Criterion
from referral.matching.patterns import (
    AGE_WORDS,
    DISABILITY_OPTIONAL,
    MATCHERS,
    OPEN_TO_ALL,
    OR_WORD,
    Hit,
)

# A text hit becomes a hard criterion (can exclude a service) only at this confidence.
HARD_CONFIDENCE = 0.7
# Confidence multiplier for population words in a listing that says it is open to all.
OPEN_TO_ALL_FACTOR = 0.7
# A rule that may be one side of an unreadable "or" ("disabled or disadvantaged").
OR_SIDE_CONFIDENCE = 0.6
# Rules followed by "and their families/children/caregivers" also admit those people.
AND_THEIR = re.compile(
    r"\band\s+their\s+(?:famil\w+|children|kids|caregivers|partners|loved\s+ones|dependents)", re.I
)
GROUPABLE = {"age", "gender", "population", "insurance", "income"}


NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
AGE_IN_WORDS = re.compile(
    rf"\b(?:(ages?|aged)\s+)?({'|'.join(NUMBER_WORDS)})\b(?(1)|(?=\s+(?:years?|yrs)\b))", re.I
)


def clean(text: str) -> str:
    """Repair mojibake and literal "\\n", and write ages given in words as numbers
    ("age three", "eighteen years") so the age rules read them."""
    import ftfy

    text = ftfy.fix_text(text).replace("\\n", "\n")
    text = AGE_IN_WORDS.sub(_age_number, text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _age_number(m: re.Match[str]) -> str:
    number = str(NUMBER_WORDS.index(m.group(2).lower()))
    return f"{m.group(1)} {number}" if m.group(1) else number


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?;])\s+(?=[A-Z*\d])|\n+|\s\*\s|^\*\s", text)
    return [p.strip(" *") for p in parts if p and p.strip(" *")]


def extract(text: str | None) -> list[Criterion]:
    if not text or not text.strip():
        return []
    return list(_extract(text))


@lru_cache(maxsize=8192)  # listings share texts, and matching re-reads them per client
def _extract(text: str) -> tuple[Criterion, ...]:
    cleaned = clean(text)
    open_to_all = bool(OPEN_TO_ALL.search(cleaned))
    per_sentence = [(s, _resolve(s, list(_hits(s)))) for s in sentences(cleaned)]
    numeric_age = any(h.kind == "age" and h.tag != "word" for _, hits in per_sentence for h in hits)
    if DISABILITY_OPTIONAL.search(cleaned):  # "with or without disabilities" anywhere
        per_sentence = [
            (s, [h for h in hits if h.params.get("value") != "disability"])
            for s, hits in per_sentence
        ]
    criteria: list[Criterion] = []
    for sentence, hits in per_sentence:
        criteria.extend(_group(sentence, _drop_age_words(hits, numeric_age), open_to_all))
    return tuple(_merge_text_level(criteria))


def _hits(sentence: str) -> Iterator[Hit]:
    for matcher in MATCHERS:
        yield from matcher(sentence)


DEPENDENT = re.compile(
    r"\b(?:have|has|with|their|of)\s+(?:a\s+|an\s+)?(?:child|children|kids|sons?|daughters?)"
    r"\s*(?:ages?|aged|under|younger\s+than|up\s+to|between|from)?\s*(?:the\s+age\s+of\s+)?"
    r"(?:\d{1,2}\s*(?:-|to)\s*\d{1,2}\s*(?:years?\s+old\s*)?(?:or|and|,)\s*)*\W*$",
    re.I,
)
# School programs say "children" for their students; grade rules are not eligibility we model.
ALL_AGES = re.compile(
    r"\b(?:child|children|kids|youth|adolescents?|teens?)\b.*\badults?\b"
    r"|\badults?\b.*\b(?:child|children|kids|youth|adolescents?|teens?)\b",
    re.I,
)
NO_BEFORE = re.compile(
    r"\b(?:no|not|without)\s+(?:\w+\s+)?$", re.I
)  # "No ID or paperwork required"
SCHOOL = re.compile(r"\bgrades?\b|\bK-\d|\bkindergarten\b|\belementary\b|\bschools?\b", re.I)


def _resolve(sentence: str, hits: list[Hit]) -> list[Hit]:
    """Drop hits overlapping an earlier, longer hit of the same kind, and ages that
    describe a dependent ("parents who have a child 0-4")."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    for hit in hits:
        if any(k.kind == hit.kind and k.start < hit.end and hit.start < k.end for k in kept):
            continue
        kept.append(hit)
    kept = [h for h in kept if not (h.kind == "age" and _describes_dependent(sentence, h))]
    kept = [h for h in kept if not (h.kind == "document" and NO_BEFORE.search(sentence[: h.start]))]
    if SCHOOL.search(sentence):
        kept = [h for h in kept if h.params.get("value") not in {"children", "youth"}]
    if ALL_AGES.search(sentence):  # "children, youth and adults": every age
        kept = [h for h in kept if h.tag != "word" and h.params.get("value") not in AGE_WORDS]
    if any(h.params.get("value") == "pregnant" for h in kept):  # "pregnant women"
        kept = [h for h in kept if h.params != {"value": "female"}]
    if any(h.params.get("value") == "families_with_children" for h in kept):
        kept = [h for h in kept if h.params.get("value") not in {"children", "youth"}]
    return kept


def _describes_dependent(sentence: str, hit: Hit) -> bool:
    digit = re.search(r"\d", hit.text)
    end = hit.start + (digit.start() if digit else 0)
    return bool(DEPENDENT.search(sentence[:end]))


def _drop_age_words(hits: list[Hit], numeric_age: bool) -> list[Hit]:
    """Seniors, youth, children and "adults" are age hints a stated number overrides."""
    if not numeric_age:
        return hits
    return [h for h in hits if h.tag != "word" and h.params.get("value") not in AGE_WORDS]


def _criterion(hit: Hit, open_to_all: bool) -> Criterion:
    confidence = hit.confidence
    if open_to_all and hit.kind in {"population", "gender"}:
        confidence = round(confidence * OPEN_TO_ALL_FACTOR, 2)
    hard = confidence >= HARD_CONFIDENCE and hit.kind != "document" and hit.tag != "soft"
    return Criterion(hit.kind, hit.params, hard, "text", hit.text, confidence)


def _group(sentence: str, hits: list[Hit], open_to_all: bool) -> list[Criterion]:
    """Hits chained by "or" ("A or B", "A, B, or C") become one any-of criterion; a hit
    left outside a chain in a sentence that has an "or" may be one side of an
    alternative we cannot read, so it is softened rather than trusted to exclude."""
    ordered = sorted(hits, key=lambda h: h.start)
    groupable = [h for h in ordered if h.kind in GROUPABLE]
    chains = _or_chains(sentence, groupable)
    has_or = bool(OR_WORD.search(sentence))
    result = [_criterion(h, open_to_all) for h in ordered if h.kind not in GROUPABLE]
    for chain in chains:
        members = _dedupe([_criterion(h, open_to_all) for h in chain])
        if len(members) > 1:
            text = sentence[chain[0].start : chain[-1].end]
            result.insert(0, any_of(tuple(members), text))
        elif has_or and members[0].kind != "income":
            result.insert(0, _soften(members[0]))
        else:
            result.insert(0, members[0])
    if AND_THEIR.search(sentence):
        result = [
            _soften(c) if c.kind in {"age", "gender", "population", "any_of"} else c for c in result
        ]
    return result


def _or_chains(sentence: str, hits: list[Hit]) -> list[list[Hit]]:
    joins = [_join(sentence[a.end : b.start]) for a, b in zip(hits, hits[1:], strict=False)]
    for i in range(len(joins) - 2, -1, -1):  # "A, B, or C": a comma before an or joins
        if joins[i] == "comma" and joins[i + 1] == "or":
            joins[i] = "or"
    chains: list[list[Hit]] = [[h] for h in hits[:1]]
    for hit, join in zip(hits[1:], joins, strict=True):
        if join == "or":
            chains[-1].append(hit)
        else:
            chains.append([hit])
    return list(reversed(chains))


def _join(between: str) -> str:
    if OR_WORD.search(f" {between} ") and len(between) < 40:
        return "or"
    return "comma" if re.fullmatch(r"[\s,;/]*", between) else "break"


def _soften(c: Criterion) -> Criterion:
    confidence = min(c.confidence, OR_SIDE_CONFIDENCE)
    return replace(c, hard=False, confidence=confidence)


def any_of(members: tuple[Criterion, ...], evidence: str | None) -> Criterion:
    return Criterion(
        "any_of",
        {},
        all(m.hard for m in members),
        members[0].source,
        evidence,
        min(m.confidence for m in members),
        members,
    )


def _merge_text_level(criteria: list[Criterion]) -> list[Criterion]:
    """One residency rule per listing (its places are alternatives), one any-of for
    several age ranges, no female rule beside a pregnancy rule, no duplicates."""
    residency = [c for c in criteria if c.kind == "residency"]
    ages = _dedupe([c for c in criteria if c.kind == "age"])
    rest = [c for c in criteria if c.kind not in {"residency", "age"}]
    if _has_population(criteria, "pregnant"):
        rest = [c for c in rest if not (c.kind == "gender" and c.params["value"] == "female")]
    merged = _dedupe(rest)
    if len(ages) > 1:
        merged.insert(0, any_of(tuple(ages), "; ".join(c.evidence or "" for c in ages)))
    else:
        merged[:0] = ages
    if residency:
        merged.append(merge_residency(residency))
    return merged


def _has_population(criteria: list[Criterion], value: str) -> bool:
    flat = [m for c in criteria for m in (c.members or (c,))]
    return any(c.kind == "population" and c.params.get("value") == value for c in flat)


def _dedupe(criteria: list[Criterion]) -> list[Criterion]:
    seen: set[str] = set()
    kept = []
    for c in criteria:
        key = repr((c.kind, sorted(c.params.items()), [m.params for m in c.members]))
        if key not in seen:
            seen.add(key)
            kept.append(c)
    return kept


def merge_residency(criteria: list[Criterion]) -> Criterion:
    by_scope: dict[str, list[str]] = {}
    for c in criteria:
        for scope, names in c.params.items():
            by_scope.setdefault(scope, [])
            by_scope[scope] += [n for n in names if n not in by_scope[scope]]
    evidence = "; ".join(dict.fromkeys(c.evidence or "" for c in criteria))
    confidence = min(c.confidence for c in criteria)
    parts = [
        Criterion("residency", {s: v}, confidence >= HARD_CONFIDENCE, "text", evidence, confidence)
        for s, v in by_scope.items()
    ]
    return parts[0] if len(parts) == 1 else any_of(tuple(parts), evidence)
