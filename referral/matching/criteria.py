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

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

KINDS = (
    "age", "income", "residency", "gender", "population", "insurance", "document", "any_of",
)  # fmt: skip
SOURCES = ("hsds-field", "text", "attribute", "provider")
# Labels in the reader's language (lazy: str() them where they are used).
POPULATIONS = {
    "veteran": _l("Veterans"),
    "senior": _l("Seniors"),
    "youth": _l("Youth"),
    "children": _l("Children (or parents seeking help for their children)"),
    "families_with_children": _l("Families with children"),
    "homeless": _l("People experiencing homelessness"),
    "violence_survivor": _l("Survivors of domestic or sexual violence, or crime victims"),
    "pregnant": _l("Pregnant people"),
    "disability": _l("People with a disability"),
}
DOCUMENTS = {
    "id": _l("photo ID"),
    "proof_of_address": _l("proof of address"),
    "proof_of_income": _l("proof of income"),
    "ss_card": _l("Social Security card"),
    "birth_certificate": _l("birth certificate"),
    "insurance_card": _l("insurance card"),
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
            "evidence": shown_evidence(self),
            "evidence_quoted": quotes_listing(self),
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
        """In the reader's language, except the listing's own words (see ``quoted``)."""
        return shown_evidence(self.criterion)

    @property
    def quoted(self) -> bool:
        return quotes_listing(self.criterion)

    @property
    def listing_words(self) -> tuple[str, ...]:
        return listing_words(self.criterion)

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": describe(self.criterion),
            "status": self.status,
            "evidence": self.evidence,
            "evidence_quoted": self.quoted,
            "ask": self.ask,
            "reason": self.reason,
            "kind": self.criterion.kind,
            "hard": self.criterion.hard,
            "source": self.criterion.source,
            "confidence": self.criterion.confidence,
        }


# What ``provider.editing`` stores as the evidence of a rule the provider stated.
STATED_BY_PROVIDER = "Stated by the provider"


def shown_evidence(c: Criterion) -> str | None:
    """The evidence as the reader sees it. A rule read from the listing's HSDS fields is
    told from its params in the reader's language (the stored string is a summary in
    English, possibly from an older run), as is a provider's rule that came with no
    words of its own; anything else is the listing's or provider's text, as written."""
    if not _told_by_us(c):
        return c.evidence
    if c.source == "provider":
        return _("Stated by the provider")
    if c.kind == "age":
        return _field_ages(c.params.get("min"), c.params.get("max"))
    return _("Service area: %(areas)s", areas=_area_names(c.params["areas"]))


def quotes_listing(c: Criterion) -> bool:
    """Whether the shown evidence is the listing's (or provider's) own words, to be shown
    as a quote in the listing's language rather than as our sentence."""
    return c.evidence is not None and not _told_by_us(c)


def _told_by_us(c: Criterion) -> bool:
    p = c.params
    if c.source == "hsds-field":
        return (c.kind == "age" and _has_age(p)) or (c.kind == "residency" and "areas" in p)
    return c.source == "provider" and c.evidence == STATED_BY_PROVIDER


def listing_words(c: Criterion) -> tuple[str, ...]:
    """The listing's own words that ``describe`` puts in its sentence (a document we
    have no name for, service area names), so a page can mark their language."""
    if c.members:
        return tuple(dict.fromkeys(w for m in c.members for w in listing_words(m)))
    if c.kind == "document" and c.params.get("value") not in DOCUMENTS:
        return (str(c.params["value"]),)
    if c.kind == "residency" and "areas" in c.params:
        return tuple(a["name"] for a in c.params["areas"] if a.get("name"))
    return ()


def _has_age(p: dict[str, Any]) -> bool:
    return p.get("min") is not None or p.get("max") is not None


def _field_ages(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return _("Minimum age: %(low)s; maximum age: %(high)s", low=low, high=high)
    if low is not None:
        return _("Minimum age: %(low)s", low=low)
    return _("Maximum age: %(high)s", high=high)


def _area_names(areas: list[dict[str, Any]]) -> str:
    return ", ".join(a.get("name") or _("map area") for a in areas)


def describe(c: Criterion) -> str:
    """The rule in a sentence, in the reader's language (English outside a request)."""
    p = c.params
    if c.kind == "any_of":
        return _("Any one of: %(options)s", options=_("; or ").join(describe(m) for m in c.members))
    if c.kind == "age":
        return _describe_age(p.get("min"), p.get("max"))
    if c.kind == "income":
        return _describe_income(p)
    if c.kind == "residency":
        return _describe_residency(p)
    if c.kind == "gender":
        if p["value"] == "female":
            return _("Women and girls only")
        if p["value"] == "male":
            return _("Men and boys only")
        return _("Gender: %(value)s", value=p["value"])
    if c.kind == "population":
        return str(POPULATIONS.get(p["value"], p["value"]))
    if c.kind == "insurance":
        if p["value"] == "uninsured":
            return _("No health insurance")
        return _("Has %(insurance)s", insurance=p["value"].title())
    return _("Bring %(document)s", document=DOCUMENTS.get(p["value"], p["value"]))


def _describe_age(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return _("Age %(low)s to %(high)s", low=low, high=high)
    if low is not None:
        return _("Age %(low)s or older", low=low)
    return _("Age %(high)s or younger", high=high)


def _describe_income(p: dict[str, Any]) -> str:
    if "fpl_percent" in p:
        return _(
            "Household income at or below %(percent)s%% of the federal poverty level",
            percent=format(p["fpl_percent"], "g"),
        )
    if "amount" in p:
        amount = format(p["amount"], ",.0f")
        if p.get("period") == "year":
            return _("Household income at or below $%(amount)s a year", amount=amount)
        return _("Household income at or below $%(amount)s a month", amount=amount)
    if "ami_percent" in p:
        return _(
            "Household income at or below %(percent)s%% of area median income",
            percent=format(p["ami_percent"], "g"),
        )
    return _("Low income (limit not stated)")


def place_names(names: list[str]) -> str:
    """ "Baltimore City or Baltimore County" from the stored keys, in the reader's language."""
    return _(" or ").join(n.replace("-", " ").title() for n in names)


def _describe_residency(p: dict[str, Any]) -> str:
    if "areas" in p:
        return _("Lives in the service area: %(areas)s", areas=_area_names(p["areas"]))
    if "county" in p:
        return _("Lives in %(names)s (county)", names=place_names(p["county"]))
    if "city" in p:
        return _("Lives in %(names)s (city)", names=place_names(p["city"]))
    if "state" in p:
        return _("Lives in %(names)s (state)", names=place_names(p["state"]))
    return _("Lives in ZIP code %(zips)s", zips=", ".join(p["zip"]))
