"""A service's eligibility criteria and the verdict for one client.

``criteria_for`` gathers the criteria from every source of a service record (HSDS
fields, service areas, required documents, taxonomy/attribute terms, provider-edited
rows, and the eligibility text); ``evaluate`` judges them against the client's facts.
A service is ineligible only when a HARD criterion is not met by a fact the client
gave; missing facts make it "unknown" with questions to ask. This verdict is the one
the matcher uses to exclude services, so the checklist and the match list agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from referral.matching.assessment import ClientFacts
from referral.matching.criteria import Criterion, Evaluation
from referral.matching.extract import extract
from referral.matching.patterns import DOCUMENT_MATCHERS, POPULATION_MATCHERS
from referral.matching.records import ServiceRecord
from referral.matching.rules import evaluate_criterion

VerdictStatus = Literal["eligible", "unknown", "ineligible"]
# Population terms from a taxonomy describe whom a service targets, not whom it refuses.
TAXONOMY_CONFIDENCE = 0.5
# "65 and older, or 18 and older with a disability" (the Older Americans Act wording):
# the second alternative is the disability, not the bare age.
OR_AGE_WITH_DISABILITY = re.compile(
    r"\b(\d{1,2})\s*(?:years\s*(?:of\s*age\s*)?)?(?:and|or)\s*(?:older|over)\s+"
    r"(?:who\s+(?:have|has)|with)\s+(?:a\s+)?disabilit",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Verdict:
    status: VerdictStatus
    evaluations: tuple[Evaluation, ...]

    @property
    def failed(self) -> tuple[Evaluation, ...]:
        return tuple(e for e in self.evaluations if e.criterion.hard and e.status == "not_met")

    @property
    def asks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.ask for e in self.evaluations if e.ask))

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "criteria": [e.to_dict() for e in self.evaluations]}


def evaluate(criteria: Iterable[Criterion], facts: ClientFacts) -> Verdict:
    evaluations = tuple(evaluate_criterion(c, facts) for c in criteria)
    hard = [e for e in evaluations if e.criterion.hard]
    if any(e.status == "not_met" for e in hard):
        status: VerdictStatus = "ineligible"
    elif any(e.status == "unknown" for e in hard):
        status = "unknown"
    else:
        status = "eligible"
    return Verdict(status, evaluations)


def check(record: ServiceRecord, facts: ClientFacts) -> Verdict:
    return evaluate(criteria_for(record), facts)


def criteria_for(record: ServiceRecord) -> list[Criterion]:
    stored = list(record.stored_criteria)
    stored_kinds = _kinds(stored)
    read = _disability_alternative(
        extract(record.eligibility_description), record.eligibility_description or ""
    )
    fields = [
        c
        for c in _from_fields(record)
        if not _overridden(c, stored_kinds) and not _one_of_the_alternatives(c, read)
    ]
    taken = _kinds(fields) | stored_kinds
    # A curated field or a provider's own rule outranks our reading of the text; a ZIP
    # list in the text narrows a service area rather than contradicting it.
    text = [c for c in read if _narrows_an_area(c, stored_kinds) or not _overridden(c, taken)]
    terms = _from_terms(record, text)
    return stored + fields + text + terms


def _disability_alternative(text: list[Criterion], description: str) -> list[Criterion]:
    """In "65 and older, or 18 and older with a disability" the extracted alternatives
    are two ages (and a loose, softened disability rule); the second alternative is
    really the disability, so it becomes that member and the loose rule goes."""
    found = OR_AGE_WITH_DISABILITY.search(description)
    if not found:
        return text
    low = int(found.group(1))

    def is_that_age(m: Criterion) -> bool:
        return m.kind == "age" and m.params.get("min") == low and m.params.get("max") is None

    groups = [c for c in text if c.kind == "any_of" and any(is_that_age(m) for m in c.members)]
    if not groups:
        return text
    result = []
    for c in text:
        if c in groups:
            members = tuple(
                Criterion("population", {"value": "disability"}, m.hard, "text", found.group(0))
                if is_that_age(m)
                else m
                for m in c.members
            )
            result.append(replace(c, members=members))
        elif not (c.kind == "population" and c.params.get("value") == "disability"):
            result.append(c)
    return result


def _narrows_an_area(c: Criterion, stored_kinds: set[str]) -> bool:
    """ "Must live in ZIP 21205 or a neighboring ZIP" inside a "Baltimore City" service
    area: both hold (a provider's own residency rule still replaces the text)."""
    return c.kind == "residency" and "zip" in c.params and "residency" not in stored_kinds


def _one_of_the_alternatives(field: Criterion, text: list[Criterion]) -> bool:
    """The HSDS age fields hold one range; when the text lists that range as one of
    several alternatives ("65 and older, or ... with a disability"), the text is the
    fuller rule and the field must not exclude the other alternatives."""
    if field.kind != "age":
        return False
    wanted = (field.params.get("min"), field.params.get("max"))
    return any(
        c.kind == "any_of"
        and any(
            m.kind == "age" and (m.params.get("min"), m.params.get("max")) == wanted
            for m in c.members
        )
        for c in text
    )


def _kinds(criteria: Iterable[Criterion]) -> set[str]:
    """Kinds of the criteria, looking inside any-of groups; documents never conflict."""
    kinds = {m.kind for c in criteria for m in (c.members or (c,))}
    return kinds - {"document"}


def _overridden(c: Criterion, taken: set[str]) -> bool:
    kinds = _kinds([c])
    return bool(kinds) and kinds <= taken


def _from_fields(record: ServiceRecord) -> list[Criterion]:
    found = []
    if record.minimum_age is not None or record.maximum_age is not None:
        params = {"min": record.minimum_age, "max": record.maximum_age}
        evidence = _age_evidence(record.minimum_age, record.maximum_age)
        found.append(Criterion("age", params, True, "hsds-field", evidence, 1.0))
    if record.areas:
        areas = [{"id": a.id, "name": a.name, "has_extent": a.has_extent} for a in record.areas]
        evidence = "Service area: " + ", ".join(a.name or "map area" for a in record.areas)
        found.append(Criterion("residency", {"areas": areas}, True, "hsds-field", evidence, 1.0))
    for document in record.required_documents:
        found.extend(_documents(document))
    return found


def _age_evidence(low: int | None, high: int | None) -> str:
    shown = ["-" if v is None else str(v) for v in (low, high)]
    return f"minimum_age: {shown[0]}, maximum_age: {shown[1]}"


def _documents(document: str) -> list[Criterion]:
    hits = [h for matcher in DOCUMENT_MATCHERS for h in matcher(document)]
    value = hits[0].params["value"] if hits else document.strip()
    return [Criterion("document", {"value": value}, False, "hsds-field", document, 1.0)]


def _from_terms(record: ServiceRecord, text: list[Criterion]) -> list[Criterion]:
    """Population criteria from taxonomy/attribute terms (soft: they describe a target)."""
    have = {repr(c.params) for c in text}
    found: list[Criterion] = []
    for term in record.terms:
        for matcher in POPULATION_MATCHERS:
            for hit in matcher(term):
                if repr(hit.params) not in have:
                    have.add(repr(hit.params))
                    found.append(
                        Criterion(
                            "population", hit.params, False, "attribute", term, TAXONOMY_CONFIDENCE
                        )
                    )
    return found
