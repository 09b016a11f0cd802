"""A service's eligibility criteria and the verdict for one client.

``criteria_for`` gathers the criteria from every source of a service record (HSDS
fields, service areas, required documents, taxonomy/attribute terms, provider-edited
rows, and the eligibility text); ``evaluate`` judges them against the client's facts.
A service is ineligible only when a HARD criterion is not met by a fact the client
gave; missing facts make it "unknown" with questions to ask. This verdict is the one
the matcher uses to exclude services, so the checklist and the match list agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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
    fields = [c for c in _from_fields(record) if not _overridden(c, stored_kinds)]
    taken = _kinds(fields) | stored_kinds
    # A curated field or a provider's own rule outranks our reading of the text.
    text = [c for c in extract(record.eligibility_description) if not _overridden(c, taken)]
    terms = _from_terms(record, text)
    return stored + fields + text + terms


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
