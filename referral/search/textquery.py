"""From what a person typed to a Whoosh query: typo correction, synonyms, syntax.

Words the index has never seen are corrected with rapidfuzz against the index
vocabulary (surface words, not stems), preferring common words among close ones, and
reported as "did you mean". Runs of words found in a synonym group become an OR of the
group. Whoosh query syntax (quotes for phrases, AND/OR/NOT) works; anything the parser
cannot read is searched as plain words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from whoosh import qparser, query
from whoosh.fields import Schema

from referral.search import synonyms

# Field boosts: what a word matching each indexed field is worth relative to the
# description. Few fields keep indexing and query-time postings reads cheap.
SEARCH_BOOSTS: dict[str, float] = {
    "service_name": 5.0,  # the name is the strongest statement of what a service does
    "taxonomy": 4.0,  # curated categories (with ancestors): precise, but shared widely
    "names": 3.0,  # organization and alternate names: "Salvation Army" finds its services
    "description": 1.0,  # long free text (with eligibility and keywords): the baseline
    "extra": 0.5,  # languages and city/ZIP: mostly expressed by filters instead
}
# Which document attributes feed each indexed field.
FIELD_SOURCES: dict[str, tuple[str, ...]] = {
    "service_name": ("service_name",),
    "taxonomy": ("taxonomy",),
    "names": ("organization_name", "alternate_names"),
    "description": ("description", "eligibility", "keywords"),
    "extra": ("language_text", "place"),
}
# A correction must be at least this similar (rapidfuzz ratio, 0-100) to be used.
TYPO_MIN_SIMILARITY = 75.0
# Words shorter than this are never corrected: too many near neighbours.
TYPO_MIN_LENGTH = 3
_TOKEN = re.compile(r'"[^"]*"?|\S+')
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z'\-]*$")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass
class Vocabulary:
    """Surface words of the index with their document frequencies, bucketed by length."""

    frequency: dict[str, int]

    def __post_init__(self) -> None:
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for word in self.frequency:
            self.by_length[len(word)].append(word)

    def correct(self, word: str) -> str | None:
        """The likeliest intended word for an unknown ``word``, or None."""
        lowered = word.lower()
        if lowered in self.frequency or len(lowered) < TYPO_MIN_LENGTH:
            return None
        choices = [w for n in range(len(lowered) - 2, len(lowered) + 3) for w in self.by_length[n]]
        found = process.extract(
            lowered, choices, scorer=fuzz.ratio, score_cutoff=TYPO_MIN_SIMILARITY, limit=5
        )
        if not found:
            return None
        best = max(found, key=lambda m: (round(m[1] / 5), self.frequency[m[0]]))
        return str(best[0])


@dataclass
class TextQuery:
    query: query.Query
    did_you_mean: str | None


def _is_plain(token: str) -> bool:
    return bool(_PLAIN.match(token)) and token not in _OPERATORS


def correct_tokens(tokens: list[str], vocabulary: Vocabulary) -> tuple[list[str], bool]:
    corrected, changed = [], False
    for token in tokens:
        fix = vocabulary.correct(token) if _is_plain(token) else None
        corrected.append(fix or token)
        changed = changed or fix is not None
    return corrected, changed


def expand_synonyms(tokens: list[str]) -> list[str]:
    """Replace runs of plain words that are synonym terms by an OR group."""
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if token and _is_plain(token):
            run.append(token)
            continue
        out.extend(_expand_run(run))
        run = []
        if token:
            out.append(token)
    return out


def _expand_run(words: list[str]) -> list[str]:
    out: list[str] = []
    position = 0
    for start, end, others in synonyms.expansions(words):
        out.extend(words[position:start])
        original = " ".join(words[start:end])
        # Every term of the group matches as its words anywhere in a document (a phrase
        # check would cost more than the precision it buys).
        alternatives = [f"({term})" for term in (original, *others)]
        out.append("(" + " OR ".join(alternatives) + ")")
        position = end
    out.extend(words[position:])
    return out


def make_parser(schema: Schema) -> qparser.QueryParser:
    """A parser whose terms stand for "in any text field" (all share one analyzer)."""
    parser = qparser.QueryParser("service_name", schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.WildcardPlugin)  # "*" scans the whole lexicon
    parser.remove_plugin_class(qparser.FieldsPlugin)  # "name:x" is just two words here
    return parser


def _parse(parser: qparser.QueryParser, text: str) -> query.Query | None:
    try:
        parsed = parser.parse(text)
    except Exception:  # noqa: BLE001 - any parser failure means "search the words"
        return None
    null = type(query.NullQuery)
    if isinstance(parsed, null) or any(isinstance(q, null) for q in parsed.leaves()):
        return None
    return parsed


def build(text: str, parser: qparser.QueryParser, vocabulary: Vocabulary) -> TextQuery:
    """The Whoosh query for ``text``; ``did_you_mean`` names corrections it made."""
    tokens = _TOKEN.findall(text)
    corrected, changed = correct_tokens(tokens, vocabulary)
    expanded = " ".join(expand_synonyms(corrected))
    parsed = _parse(parser, expanded)
    if parsed is None:
        words = _WORDS.findall(" ".join(corrected))
        parsed = _parse(parser, " ".join(expand_synonyms(words))) or query.NullQuery
    return TextQuery(parsed, " ".join(corrected) if changed else None)
