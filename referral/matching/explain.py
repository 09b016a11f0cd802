"""Words for a match result: a sentence a case manager can read to the client, and the
"ask the client about ..." prompts for every eligibility rule we could not decide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from referral.matching.assessment import ClientFacts, Need
from referral.matching.criteria import DOCUMENTS, Evaluation, describe
from referral.matching.eligibility import Verdict

if TYPE_CHECKING:
    from referral.matching.ranking import Candidate

# What to ask about, by criterion kind, when a rule could not be judged.
TOPICS = {
    "age": "their age",
    "income": "their household income and size",
    "residency": "where they live",
    "gender": "their gender",
    "population": "whether they belong to the group served",
    "insurance": "their health insurance",
    "document": "the documents they can bring",
    "any_of": "which of the listed conditions apply",
}
LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "ht": "Haitian Creole",
    "pt": "Portuguese", "zh": "Chinese", "vi": "Vietnamese", "ko": "Korean",
    "ru": "Russian", "ar": "Arabic", "tl": "Tagalog", "sgn": "sign language",
    "am": "Amharic", "fa": "Persian", "so": "Somali", "sw": "Swahili", "ne": "Nepali",
}  # fmt: skip


def criterion_text(e: Evaluation) -> str:
    return describe(e.criterion)


def asks(verdict: Verdict) -> tuple[str, ...]:
    """One prompt per undecided rule, hard ones first (they decide eligibility); the
    documents to bring are gathered into one prompt."""
    undecided = [e for e in verdict.evaluations if e.status == "unknown"]
    undecided.sort(key=lambda e: not e.criterion.hard)
    prompts = []
    documents = []
    for e in undecided:
        if e.criterion.kind == "document":
            value = str(e.criterion.params.get("value"))
            documents.append(DOCUMENTS.get(value, value))
            continue
        topic = TOPICS.get(e.criterion.kind, e.criterion.kind)
        question = f" ({e.ask})" if e.ask else ""
        prompts.append(f"Ask the client about {topic}: {criterion_text(e)}{question}")
    if documents:
        prompts.append(
            "Ask the client whether they can bring " + _join(list(dict.fromkeys(documents))) + "."
        )
    return tuple(dict.fromkeys(prompts))


def sentence(
    need: Need, c: Candidate, verdict: Verdict, facts: ClientFacts, prompts: tuple[str, ...]
) -> str:
    parts = [f"{c.service_name} ({c.organization_name}) {_offer(need, c)}{_where(c)}."]
    extras = _extras(c, facts)
    if extras:
        parts.append("It " + _join(extras) + ".")
    parts.append(_qualify(verdict, prompts))
    return " ".join(parts)


def _offer(need: Need, c: Candidate) -> str:
    if c.matched_terms:
        return "offers " + _join([t.lower() for t in c.matched_terms[:3]])
    return f"may help with {need.display.lower()} (matched on its description)"


def _where(c: Candidate) -> str:
    if c.distance_km is None:
        return ""
    return f", {c.distance_km:.1f} km away"


def _extras(c: Candidate, facts: ClientFacts) -> list[str]:
    found = []
    spoken = [LANGUAGE_NAMES.get(code, code) for code in facts.languages if code in c.languages]
    if spoken:
        found.append("serves people in " + _join(spoken))
    if c.open_now:
        found.append("is open now")
    if facts.disability and c.accessible:
        found.append("is wheelchair accessible")
    if c.capacity_available is not None:
        found.append("has openings" if c.capacity_available > 0 else "has a waiting list")
    return found


def _qualify(verdict: Verdict, prompts: tuple[str, ...]) -> str:
    hard = [e for e in verdict.evaluations if e.criterion.hard]
    doubts = [e for e in verdict.evaluations if not e.criterion.hard and e.status == "not_met"]
    if doubts:
        first = doubts[0]
        rule = criterion_text(first)
        return (
            f"It may not serve the client: the listing says {rule[:1].lower()}{rule[1:]} "
            f"({first.reason}); call to check before referring."
        )
    if verdict.status == "eligible" and hard:
        met = _join([criterion_text(e).lower() for e in hard[:2]])
        return f"From what we know, the client meets its requirements ({met})."
    if verdict.status == "eligible":
        return "It lists no eligibility requirements the client fails."
    unknown = [criterion_text(e).lower() for e in hard if e.status == "unknown"]
    return f"The client may qualify; first check: {_join(unknown[:3])}."


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
