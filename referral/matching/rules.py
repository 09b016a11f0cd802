"""How each kind of criterion is judged against a client's facts.

Every rule answers "not_met" only from a fact the client actually gave; a missing
fact is "unknown" with the question a case manager should ask.
"""

from __future__ import annotations

from collections.abc import Callable

from referral.matching import fpl, places
from referral.matching.assessment import ClientFacts
from referral.matching.criteria import DOCUMENTS, Criterion, Evaluation, Status, describe

ASK_AGE = "How old is the client?"
ASK_INCOME = "What is the household's total monthly income, and how many people live in it?"
# A vague "low income" rule is taken as met up to this % FPL (common program limit), and
# as not met above the second figure (no low-income program reaches it).
LOW_INCOME_MET_FPL = 200.0
LOW_INCOME_NOT_MET_FPL = 400.0
# "Seniors" without a number: most programs start at 60, none we know below 55.
SENIOR_AGE, SENIOR_FLOOR = 60, 55
YOUTH_MAX_AGE = 24
ADULT_AGE = 18
# A range ending at or below this is a children's program ("ages 3-4", "5-13", "under
# 6"): asked about by a parent, the age it limits is the child's, which we do not know.
CHILD_PROGRAM_MAX_AGE = 18
ASK_CHILD_AGES = "How old are the client's children?"


def evaluate_criterion(c: Criterion, facts: ClientFacts) -> Evaluation:
    return RULES[c.kind](c, facts)


def _result(c: Criterion, status: Status, reason: str, ask: str | None = None) -> Evaluation:
    return Evaluation(c, status, reason, ask if status == "unknown" else None)


def _age(c: Criterion, facts: ClientFacts) -> Evaluation:
    low, high = c.params.get("min"), c.params.get("max")
    if facts.age is None:
        return _result(c, "unknown", "age not known", ASK_AGE)
    ok = (low is None or facts.age >= low) and (high is None or facts.age <= high)
    if not ok and _asks_for_a_child(high, facts):
        reason = f"client is {facts.age} and has children; the limit is likely the child's age"
        return _result(c, "unknown", reason, ASK_CHILD_AGES)
    return _result(c, "met" if ok else "not_met", f"client is {facts.age}")


def _asks_for_a_child(high: int | None, facts: ClientFacts) -> bool:
    adult = facts.age is not None and facts.age >= ADULT_AGE
    children_program = high is not None and high <= CHILD_PROGRAM_MAX_AGE
    return adult and children_program and (facts.children or 0) > 0


def _income(c: Criterion, facts: ClientFacts) -> Evaluation:
    p = c.params
    if facts.monthly_income is None:
        return _result(c, "unknown", "income not known", ASK_INCOME)
    if "amount" in p:
        limit = p["amount"] / 12 if p.get("period") == "year" else p["amount"]
        ok = facts.monthly_income <= limit
        return _result(c, "met" if ok else "not_met", f"income ${facts.monthly_income:,.0f}/month")
    if facts.household_size is None:
        return _result(
            c, "unknown", "household size not known", "How many people live in the household?"
        )
    pct = fpl.percent_of_poverty(
        facts.monthly_income, facts.household_size, fpl.region_for_state(facts.state)
    )
    reason = f"income is {pct:g}% of the poverty level"
    if "fpl_percent" in p:
        return _result(c, "met" if pct <= p["fpl_percent"] else "not_met", reason)
    if pct <= LOW_INCOME_MET_FPL:
        return _result(c, "met", reason)
    if "level" in p and pct > LOW_INCOME_NOT_MET_FPL:
        return _result(c, "not_met", reason)
    return _result(c, "unknown", reason, "Ask the provider what income limit applies.")


def _residency(c: Criterion, facts: ClientFacts) -> Evaluation:
    if "areas" in c.params:
        return _service_areas(c, facts)
    scope, wanted = next((k, v) for k, v in c.params.items() if k in places.SCOPES)
    have = places.client_key(scope, facts)
    if have is None:
        where = " or ".join(w.replace("-", " ").title() for w in wanted)
        ask = (
            "What is the client's ZIP code?"
            if scope == "zip"
            else f"Does the client live in {where}?"
        )
        return _result(c, "unknown", f"client's {scope} not known", ask)
    ok = have in {places.scope_key(scope, w) for w in wanted}
    shown = have.replace("-", " ").title()
    return _result(c, "met" if ok else "not_met", f"client's {scope}: {shown}")


def _service_areas(c: Criterion, facts: ClientFacts) -> Evaluation:
    statuses = [places.area_status(area, facts) for area in c.params["areas"]]
    names = ", ".join(a["name"] or "the mapped area" for a in c.params["areas"])
    if "met" in statuses:
        return _result(c, "met", "client is inside the service area")
    if all(s == "not_met" for s in statuses):
        return _result(c, "not_met", "client is outside the service area")
    return _result(c, "unknown", "client's place not known", f"Does the client live in {names}?")


def _gender(c: Criterion, facts: ClientFacts) -> Evaluation:
    if facts.gender is None:
        return _result(c, "unknown", "gender not known", "What is the client's gender?")
    ok = facts.gender == c.params["value"]
    return _result(c, "met" if ok else "not_met", f"client's gender: {facts.gender}")


def _insurance(c: Criterion, facts: ClientFacts) -> Evaluation:
    if facts.insurance is None:
        return _result(
            c, "unknown", "insurance not known", "What health insurance does the client have?"
        )
    ok = facts.insurance == c.params["value"]
    return _result(c, "met" if ok else "not_met", f"client's insurance: {facts.insurance}")


def _document(c: Criterion, facts: ClientFacts) -> Evaluation:
    doc = DOCUMENTS.get(c.params["value"], c.params["value"])
    return _result(
        c, "unknown", "documents are checked by the provider", f"Can the client bring {doc}?"
    )


def _any_of(c: Criterion, facts: ClientFacts) -> Evaluation:
    results = [evaluate_criterion(m, facts) for m in c.members]
    met = [r for r in results if r.status == "met"]
    if met:
        return _result(c, "met", f"meets: {describe(met[0].criterion)}")
    if all(r.status == "not_met" for r in results):
        return _result(c, "not_met", "; ".join(r.reason for r in results))
    asks = " ".join(dict.fromkeys(r.ask for r in results if r.ask))
    return _result(c, "unknown", "not enough facts to tell", asks or None)


def _population(c: Criterion, facts: ClientFacts) -> Evaluation:
    status, reason, ask = POPULATION_RULES[c.params["value"]](facts)
    return _result(c, status, reason, ask)


PopulationRule = Callable[[ClientFacts], tuple[Status, str, str]]


def _flag_rule(name: str, ask: str) -> PopulationRule:
    def rule(facts: ClientFacts) -> tuple[Status, str, str]:
        value = getattr(facts, name)
        if value is None:
            return "unknown", f"{name.replace('_', ' ')} not known", ask
        return (
            ("met" if value else "not_met"),
            f"{name.replace('_', ' ')}: {'yes' if value else 'no'}",
            ask,
        )

    return rule


def _age_rule(low: int | None, high: int | None, floor: int | None = None) -> PopulationRule:
    def rule(facts: ClientFacts) -> tuple[Status, str, str]:
        if facts.age is None:
            return "unknown", "age not known", ASK_AGE
        if (low is None or facts.age >= low) and (high is None or facts.age <= high):
            return "met", f"client is {facts.age}", ASK_AGE
        if floor is not None and floor <= facts.age:
            return (
                "unknown",
                f"client is {facts.age}",
                "Ask the provider what age counts as senior.",
            )
        return "not_met", f"client is {facts.age}", ASK_AGE

    return rule


def _pregnant(facts: ClientFacts) -> tuple[Status, str, str]:
    if facts.pregnant is None and facts.gender == "male":
        return "not_met", "client is male", ""
    return _flag_rule("pregnant", "Is the client pregnant?")(facts)


def _homeless(facts: ClientFacts) -> tuple[Status, str, str]:
    ask = "Where is the client staying now (own home, with others, shelter, street)?"
    status = {"homeless": "met", "housed": "not_met"}.get(facts.housing_status or "", "unknown")
    return status, f"housing: {facts.housing_status or 'not known'}", ask  # type: ignore[return-value]


def _family(facts: ClientFacts) -> tuple[Status, str, str]:
    """Met by a child, or by a parent (or pregnant person) seeking help for the family."""
    ask = "Does the client have children under 18 at home?"
    if facts.children or facts.pregnant or (facts.age is not None and facts.age < ADULT_AGE):
        return "met", "client has children or is a child", ask
    if facts.children == 0 and facts.age is not None:
        return "not_met", "client has no children and is not a child", ask
    return "unknown", "children in the household not known", ask


POPULATION_RULES: dict[str, PopulationRule] = {
    "veteran": _flag_rule("veteran", "Has the client served in the US military (a veteran)?"),
    "disability": _flag_rule("disability", "Does the client have a disability?"),
    "violence_survivor": _flag_rule(
        "violence_survivor", "Has the client experienced violence or a crime? (ask privately)"
    ),
    "pregnant": _pregnant,
    "homeless": _homeless,
    "senior": _age_rule(SENIOR_AGE, None, floor=SENIOR_FLOOR),
    "youth": _age_rule(None, YOUTH_MAX_AGE),
    "children": _family,
    "families_with_children": _family,
}

RULES: dict[str, Callable[[Criterion, ClientFacts], Evaluation]] = {
    "age": _age,
    "income": _income,
    "residency": _residency,
    "gender": _gender,
    "population": _population,
    "insurance": _insurance,
    "document": _document,
    "any_of": _any_of,
}
