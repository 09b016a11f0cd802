"""Structured eligibility: one criterion of a service, and how it fared for a client.

Kinds and their params:
  age         {"min": int | None, "max": int | None}            (inclusive years)
  income      {"fpl_percent": n} | {"amount": n, "period": "month"|"year"}
              | {"level": "low"} | {"ami_percent": n}              (household income limit)
  residency   {"county": [...]} | {"city": [...]} | {"zip": [...]} | {"state": [...]}
              | {"areas": [{"id", "name", "has_extent"}]}        (keys as in ``places``)
  gender      {"value": "female"|"male"}
  population  {"value": one of POPULATIONS}
  insurance   {"value": "medicaid"|"medicare"|"uninsured"}
  document    {"value": one of DOCUMENTS}                        (never excludes)
  any_of      members: criteria of which one must hold
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

KINDS = (
    "age", "income", "residency", "gender", "population", "insurance", "document", "any_of",
)  # fmt: skip
SOURCES = ("hsds-field", "text", "attribute", "provider")
POPULATIONS = {
    "veteran": "Veterans",
    "senior": "Seniors",
    "youth": "Youth",
    "children": "Children (or parents seeking help for their children)",
    "families_with_children": "Families with children",
    "homeless": "People experiencing homelessness",
    "violence_survivor": "Survivors of domestic or sexual violence, or crime victims",
    "pregnant": "Pregnant people",
    "disability": "People with a disability",
}
DOCUMENTS = {
    "id": "photo ID",
    "proof_of_address": "proof of address",
    "proof_of_income": "proof of income",
    "ss_card": "Social Security card",
    "birth_certificate": "birth certificate",
    "insurance_card": "insurance card",
}
Status = Literal["met", "not_met", "unknown"]


@dataclass(frozen=True)
class Criterion:
    kind: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    hard: bool = True
    source: str = "text"
    evidence: str | None = None
    confidence: float = 1.0
    members: tuple[Criterion, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown criterion kind {self.kind!r}")
        if self.source not in SOURCES:
            raise ValueError(f"unknown criterion source {self.source!r}")

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "params": self.params,
            "hard": self.hard,
            "source": self.source,
            "evidence": self.evidence,
            "confidence": self.confidence,
            "description": describe(self),
        }
        if self.members:
            data["members"] = [m.to_dict() for m in self.members]
        return data


@dataclass(frozen=True)
class Evaluation:
    criterion: Criterion
    status: Status
    reason: str
    ask: str | None = None

    @property
    def evidence(self) -> str | None:
        return self.criterion.evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": describe(self.criterion),
            "status": self.status,
            "evidence": self.evidence,
            "ask": self.ask,
            "reason": self.reason,
            "kind": self.criterion.kind,
            "hard": self.criterion.hard,
            "source": self.criterion.source,
            "confidence": self.criterion.confidence,
        }


def describe(c: Criterion) -> str:
    p = c.params
    if c.kind == "any_of":
        return "Any one of: " + "; or ".join(describe(m) for m in c.members)
    if c.kind == "age":
        return _describe_age(p.get("min"), p.get("max"))
    if c.kind == "income":
        return _describe_income(p)
    if c.kind == "residency":
        return _describe_residency(p)
    if c.kind == "gender":
        return {"female": "Women and girls only", "male": "Men and boys only"}.get(
            p["value"], f"Gender: {p['value']}"
        )
    if c.kind == "population":
        return POPULATIONS.get(p["value"], p["value"])
    if c.kind == "insurance":
        return {"uninsured": "No health insurance"}.get(p["value"], f"Has {p['value'].title()}")
    return f"Bring {DOCUMENTS.get(p['value'], p['value'])}"


def _describe_age(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"Age {low} to {high}"
    if low is not None:
        return f"Age {low} or older"
    return f"Age {high} or younger"


def _describe_income(p: dict[str, Any]) -> str:
    if "fpl_percent" in p:
        return f"Household income at or below {p['fpl_percent']:g}% of the federal poverty level"
    if "amount" in p:
        return f"Household income at or below ${p['amount']:,.0f} a {p.get('period', 'month')}"
    if "ami_percent" in p:
        return f"Household income at or below {p['ami_percent']:g}% of area median income"
    return "Low income (limit not stated)"


def _describe_residency(p: dict[str, Any]) -> str:
    if "areas" in p:
        return "Lives in the service area: " + ", ".join(
            a["name"] or "map area" for a in p["areas"]
        )
    for scope, label in (("county", "county"), ("city", "city"), ("state", "state")):
        if scope in p:
            names = " or ".join(n.replace("-", " ").title() for n in p[scope])
            return f"Lives in {names} ({label})"
    return "Lives in ZIP code " + ", ".join(p["zip"])
