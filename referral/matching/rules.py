"""How each kind of criterion is judged against a client's facts.

Every rule answers "not_met" only from a fact the client actually gave; a missing
fact is "unknown" with the question a case manager should ask. Reasons and questions
are in the reader's language (Flask-Babel); outside a request, in English.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from referral.matching import fpl, places
from referral.matching.assessment import ClientFacts
from referral.matching.criteria import (
    DOCUMENTS,
    Criterion,
    Evaluation,
    Status,
    describe,
    place_names,
)

ASK_AGE = _l("How old is the client?")
ASK_INCOME = _l("What is the household's total monthly income, and how many people live in it?")
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
ASK_CHILD_AGES = _l("How old are the client's children?")
# The client facts named in reasons ("veteran: yes"), and the place scopes.
FLAG_NAMES = {
    "veteran": _l("veteran"),
    "disability": _l("disability"),
    "violence_survivor": _l("violence survivor"),
    "pregnant": _l("pregnant"),
}
HOUSING_NAMES = {
    "housed": _l("housed"),
    "unstably-housed": _l("unstably-housed"),
    "homeless": _l("homeless"),
}
# Fact values shown in reasons; the others (Medicaid, Medicare, VA) read the same.
GENDER_NAMES = {
    "female": _l("female"),
    "male": _l("male"),
    "nonbinary": _l("nonbinary"),
    "other": _l("other"),
}
INSURANCE_NAMES = {"private": _l("private"), "uninsured": _l("uninsured"), "other": _l("other")}
PLACE_NOT_KNOWN = {
    "county": _l("client's county not known"),
    "city": _l("client's city not known"),
    "zip": _l("client's zip not known"),
    "state": _l("client's state not known"),
}
PLACE_KNOWN = {
    "county": _l("client's county: %(place)s"),
    "city": _l("client's city: %(place)s"),
    "zip": _l("client's zip: %(place)s"),
    "state": _l("client's state: %(place)s"),
}


def evaluate_criterion(c: Criterion, facts: ClientFacts) -> Evaluation:
    return RULES[c.kind](c, facts)


def _result(c: Criterion, status: Status, reason: str, ask: str | None = None) -> Evaluation:
    # str(): the lazy questions above become text in the reader's language now.
    return Evaluation(
        c, status, str(reason), str(ask) if status == "unknown" and ask is not None else None
    )


def _age(c: Criterion, facts: ClientFacts) -> Evaluation:
    low, high = c.params.get("min"), c.params.get("max")
    if facts.age is None:
        return _result(c, "unknown", _("age not known"), ASK_AGE)
    ok = (low is None or facts.age >= low) and (high is None or facts.age <= high)
    if not ok and _asks_for_a_child(high, facts):
        reason = _(
            "client is %(age)s and has children; the limit is likely the child's age",
            age=facts.age,
        )
        return _result(c, "unknown", reason, ASK_CHILD_AGES)
    return _result(c, "met" if ok else "not_met", _("client is %(age)s", age=facts.age))


def _asks_for_a_child(high: int | None, facts: ClientFacts) -> bool:
    adult = facts.age is not None and facts.age >= ADULT_AGE
    children_program = high is not None and high <= CHILD_PROGRAM_MAX_AGE
    return adult and children_program and (facts.children or 0) > 0


def _income(c: Criterion, facts: ClientFacts) -> Evaluation:
    p = c.params
    if facts.monthly_income is None:
        return _result(c, "unknown", _("income not known"), ASK_INCOME)
    if "amount" in p:
        limit = p["amount"] / 12 if p.get("period") == "year" else p["amount"]
        ok = facts.monthly_income <= limit
        reason = _("income $%(amount)s/month", amount=format(facts.monthly_income, ",.0f"))
        return _result(c, "met" if ok else "not_met", reason)
    if facts.household_size is None:
        return _result(
            c,
            "unknown",
            _("household size not known"),
            _("How many people live in the household?"),
        )
    pct = fpl.percent_of_poverty(
        facts.monthly_income, facts.household_size, fpl.region_for_state(facts.state)
    )
    reason = _("income is %(percent)s%% of the poverty level", percent=format(pct, "g"))
    if "fpl_percent" in p:
        return _result(c, "met" if pct <= p["fpl_percent"] else "not_met", reason)
    if pct <= LOW_INCOME_MET_FPL:
        return _result(c, "met", reason)
    if "level" in p and pct > LOW_INCOME_NOT_MET_FPL:
        return _result(c, "not_met", reason)
    return _result(c, "unknown", reason, _("Ask the provider what income limit applies."))


def _residency(c: Criterion, facts: ClientFacts) -> Evaluation:
    if "areas" in c.params:
        return _service_areas(c, facts)
    scope, wanted = next((k, v) for k, v in c.params.items() if k in places.SCOPES)
    have = places.client_key(scope, facts)
    if have is None:
        ask = (
            _("What is the client's ZIP code?")
            if scope == "zip"
            else _("Does the client live in %(places)s?", places=place_names(wanted))
        )
        return _result(c, "unknown", str(PLACE_NOT_KNOWN[scope]), ask)
    ok = have in {places.scope_key(scope, w) for w in wanted}
    shown = have.replace("-", " ").title()
    return _result(c, "met" if ok else "not_met", str(PLACE_KNOWN[scope]) % {"place": shown})


def _service_areas(c: Criterion, facts: ClientFacts) -> Evaluation:
    statuses = [places.area_status(area, facts) for area in c.params["areas"]]
    names = ", ".join(a["name"] or _("the mapped area") for a in c.params["areas"])
    if "met" in statuses:
        return _result(c, "met", _("client is inside the service area"))
    if all(s == "not_met" for s in statuses):
        return _result(c, "not_met", _("client is outside the service area"))
    return _result(
        c,
        "unknown",
        _("client's place not known"),
        _("Does the client live in %(places)s?", places=names),
    )


def _gender(c: Criterion, facts: ClientFacts) -> Evaluation:
    if facts.gender is None:
        return _result(c, "unknown", _("gender not known"), _("What is the client's gender?"))
    ok = facts.gender == c.params["value"]
    reason = _("client's gender: %(gender)s", gender=GENDER_NAMES.get(facts.gender, facts.gender))
    return _result(c, "met" if ok else "not_met", reason)


def _insurance(c: Criterion, facts: ClientFacts) -> Evaluation:
    if facts.insurance is None:
        return _result(
            c,
            "unknown",
            _("insurance not known"),
            _("What health insurance does the client have?"),
        )
    ok = facts.insurance == c.params["value"]
    reason = _(
        "client's insurance: %(insurance)s",
        insurance=INSURANCE_NAMES.get(facts.insurance, facts.insurance),
    )
    return _result(c, "met" if ok else "not_met", reason)


def _document(c: Criterion, facts: ClientFacts) -> Evaluation:
    doc = DOCUMENTS.get(c.params["value"], c.params["value"])
    return _result(
        c,
        "unknown",
        _("documents are checked by the provider"),
        _("Can the client bring %(document)s?", document=doc),
    )


def _any_of(c: Criterion, facts: ClientFacts) -> Evaluation:
    results = [evaluate_criterion(m, facts) for m in c.members]
    met = [r for r in results if r.status == "met"]
    if met:
        return _result(c, "met", _("meets: %(rule)s", rule=describe(met[0].criterion)))
    if all(r.status == "not_met" for r in results):
        return _result(c, "not_met", "; ".join(r.reason for r in results))
    asks = " ".join(dict.fromkeys(r.ask for r in results if r.ask))
    return _result(c, "unknown", _("not enough facts to tell"), asks or None)


def _population(c: Criterion, facts: ClientFacts) -> Evaluation:
    status, reason, ask = POPULATION_RULES[c.params["value"]](facts)
    return _result(c, status, reason, ask)


PopulationRule = Callable[[ClientFacts], tuple[Status, str, str]]


def _flag_rule(name: str, ask: str) -> PopulationRule:
    def rule(facts: ClientFacts) -> tuple[Status, str, str]:
        value = getattr(facts, name)
        fact = str(FLAG_NAMES[name])
        if value is None:
            return "unknown", _("%(fact)s not known", fact=fact), ask
        if value:
            return "met", _("%(fact)s: yes", fact=fact), ask
        return "not_met", _("%(fact)s: no", fact=fact), ask

    return rule


def _age_rule(low: int | None, high: int | None, floor: int | None = None) -> PopulationRule:
    def rule(facts: ClientFacts) -> tuple[Status, str, str]:
        if facts.age is None:
            return "unknown", _("age not known"), ASK_AGE
        reason = _("client is %(age)s", age=facts.age)
        if (low is None or facts.age >= low) and (high is None or facts.age <= high):
            return "met", reason, ASK_AGE
        if floor is not None and floor <= facts.age:
            return "unknown", reason, _("Ask the provider what age counts as senior.")
        return "not_met", reason, ASK_AGE

    return rule


def _pregnant(facts: ClientFacts) -> tuple[Status, str, str]:
    if facts.pregnant is None and facts.gender == "male":
        return "not_met", _("client is male"), ""
    return _flag_rule("pregnant", _l("Is the client pregnant?"))(facts)


def _homeless(facts: ClientFacts) -> tuple[Status, str, str]:
    ask = _("Where is the client staying now (own home, with others, shelter, street)?")
    status = {"homeless": "met", "housed": "not_met"}.get(facts.housing_status or "", "unknown")
    if facts.housing_status is None:
        return status, _("housing: not known"), ask  # type: ignore[return-value]
    shown = str(HOUSING_NAMES.get(facts.housing_status, facts.housing_status))
    return status, _("housing: %(status)s", status=shown), ask  # type: ignore[return-value]


def _family(facts: ClientFacts) -> tuple[Status, str, str]:
    """Met by a child, or by a parent (or pregnant person) seeking help for the family."""
    ask = _("Does the client have children under 18 at home?")
    if facts.children or facts.pregnant or (facts.age is not None and facts.age < ADULT_AGE):
        return "met", _("client has children or is a child"), ask
    if facts.children == 0 and facts.age is not None:
        return "not_met", _("client has no children and is not a child"), ask
    return "unknown", _("children in the household not known"), ask


POPULATION_RULES: dict[str, PopulationRule] = {
    "veteran": _flag_rule("veteran", _l("Has the client served in the US military (a veteran)?")),
    "disability": _flag_rule("disability", _l("Does the client have a disability?")),
    "violence_survivor": _flag_rule(
        "violence_survivor", _l("Has the client experienced violence or a crime? (ask privately)")
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
