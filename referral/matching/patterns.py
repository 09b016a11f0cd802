# ruff: noqa: E501 -- regex tables read better one pattern per line than split mid-pattern.
"""The regular expressions behind ``extract``: one matcher per way a listing states a
criterion, each with the confidence we place in it (see tests/data/eligibility_labels.jsonl
and ``referral eval-extraction`` for how well they do on real listings)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from referral.matching import places


@dataclass(frozen=True)
class Hit:
    kind: str
    params: dict[str, Any] = field(hash=False)
    start: int
    end: int
    confidence: float
    text: str
    tag: str = ""  # finer origin, e.g. "word" for an age read from "adults"


Matcher = Callable[[str], Iterator[Hit]]
AGE_WORDS = {"senior", "youth", "children"}
YEARS = r"(?:years?|yrs?\.?|y/?o\b)(?:\s*(?:old|of\s+age))?"
NUM = r"(?<![$\d,.])(\d{1,3})(?!\d|,\d)"
DASH = r"\s*(?:-|–|—|to|through|thru)\s*"
OR_WORD = re.compile(
    r"\s(?:or|and/or)\s(?!older|over|younger|under|more|less|above|below|up\b|equal)", re.I
)
OPEN_TO_ALL = re.compile(
    r"open to (?:the )?(?:general )?(?:public|all|everyone|anyone)|\banyone\b|\ball ages\b", re.I
)


def _finder(
    kind: str, pattern: str, make: Callable[[re.Match[str]], dict[str, Any] | None],
    confidence: float, flags: int = re.I, tag: str = "",
) -> Matcher:  # fmt: skip
    regex = re.compile(pattern, flags)

    def find(sentence: str) -> Iterator[Hit]:
        for m in regex.finditer(sentence):
            params = make(m)
            if params is not None:
                yield Hit(kind, params, m.start(), m.end(), confidence, m.group(0).strip(), tag)

    return find


def _age_range(m: re.Match[str]) -> dict[str, Any] | None:
    low, high = int(m.group(1)), int(m.group(2))
    if not low < high <= 120:
        return None
    return {"min": low or None, "max": high}


def _age_min(m: re.Match[str]) -> dict[str, Any] | None:
    value = int(m.group(1))
    return {"min": value, "max": None} if 0 < value <= 110 else None


def _age_max(offset: int) -> Callable[[re.Match[str]], dict[str, Any] | None]:
    def make(m: re.Match[str]) -> dict[str, Any] | None:
        value = int(m.group(1)) - offset
        return {"min": None, "max": value} if 0 <= value <= 110 else None

    return make


AGE_SUBJECT = r"(?:ages?|aged|children|child|kids|youths?|minors|teens|adults|individuals|persons|people|anyone|those|students|clients|boys|girls|men|women)"
NOT_UNIT = r"(?!\s*(?:%|percent|months?|weeks?|days?|hours?|th\b|st\b|nd\b|rd\b|grade|\d))"
AGE_MATCHERS: list[Matcher] = [
    _finder("age", rf"\b{NUM}{DASH}{NUM}\s*{YEARS}", _age_range, 0.9),
    _finder("age", rf"\b{AGE_SUBJECT}\s+(?:from\s+)?{NUM}{DASH}{NUM}\b{NOT_UNIT}", _age_range, 0.85),
    _finder("age", rf"between\s+(?:the\s+)?ages?\s+(?:of\s+)?{NUM}\s+and\s+{NUM}", _age_range, 0.9),
    _finder(
        "age",
        rf"\b(?:from\s+)?(?:birth|newborns?|infants?|infancy){DASH}(?:(?:the\s+)?age\s+(?:of\s+)?)?{NUM}\s*(?:{YEARS})?{NOT_UNIT}",
        _age_max(0),
        0.85,
    ),
    _finder(
        "age",
        rf"\b{NUM}\s*(?:{YEARS})?\s*(?:(?:and|or|&)\s*(?:older|over|above|up)|into\s+adulthood)\b",
        _age_min,
        0.9,
    ),
    _finder("age", rf"(?<![$\d.])\b{NUM}\s*\+{NOT_UNIT}", _age_min, 0.85),
    _finder(
        "age",
        rf"\b(?:over|older\s+than|above|at\s+least)\s+(?:the\s+age\s+of\s+)?{NUM}\s*{YEARS}",
        _age_min,
        0.85,
    ),
    _finder("age", rf"\b(?:over|at\s+least)\s+the\s+age\s+of\s+{NUM}\b", _age_min, 0.85),
    _finder("age", rf"\b(?:beginning|starting)\s+at\s+(?:age\s+)?{NUM}\b{NOT_UNIT}", _age_min, 0.8),
    _finder(
        "age",
        rf"\b{AGE_SUBJECT}\s+(?:under|younger\s+than|below)\s+(?:the\s+age\s+of\s+)?{NUM}\b{NOT_UNIT}",
        _age_max(1),
        0.85,
    ),
    _finder(
        "age",
        rf"\b(?:under|younger\s+than|below)\s+(?:the\s+age\s+of\s+)?{NUM}\s*{YEARS}",
        _age_max(1),
        0.85,
    ),
    _finder(
        "age",
        rf"\b{NUM}\s*(?:{YEARS})?\s*(?:and|or|&)\s*(?:under|younger|below|less)\b",
        _age_max(0),
        0.85,
    ),
    _finder("age", rf"\bup\s+(?:to|until)\s+(?:the\s+age\s+of\s+|age\s+)?{NUM}\s*{YEARS}", _age_max(0), 0.8),
]  # fmt: skip

CHILD_WORDS = re.compile(
    r"\b(child|children|kids|youths?|teens?|minors|adolescents?|students|infants|all ages)\b", re.I
)
ADULT_WORD = re.compile(
    r"(?<!young )(?<!older )\badults?\b(?!\s+(?:with\s+(?:children|kids)|who\s+have\s+children|children|day|education|literacy|protective|members|of\s+any\s+age))",
    re.I,
)


def _adults(sentence: str) -> Iterator[Hit]:
    """'Adults' alone means 18 and older, unless the sentence also names children."""
    if CHILD_WORDS.search(sentence):
        return
    for m in ADULT_WORD.finditer(sentence):
        yield Hit("age", {"min": 18, "max": None}, m.start(), m.end(), 0.6, m.group(0), "word")


AGE_MATCHERS.append(_adults)


def _fpl(m: re.Match[str]) -> dict[str, Any] | None:
    value = int(m.group(1))
    return {"fpl_percent": value} if 50 <= value <= 600 else None


def _amount(m: re.Match[str]) -> dict[str, Any] | None:
    amount = float(m.group(1).replace(",", ""))
    period = "year" if re.match(r"y|an", m.group(2), re.I) else "month"
    return {"amount": amount, "period": period} if amount > 0 else None


POVERTY = r"(?:federal\s+|u\.?s\.?\s+)?(?:poverty|fpl\b|fpg\b|fpig\b)"
INCOME_MATCHERS: list[Matcher] = [
    _finder("income", rf"\b(\d{{2,3}})\s*%\s*(?:or\s+(?:less|below)\s+)?(?:of\s+)?(?:the\s+)?(?:current\s+)?{POVERTY}", _fpl, 0.9),
    _finder("income", rf"\b(?:at\s+or\s+)?(?:below|under|less\s+than)\s+(?:the\s+)?{POVERTY}\s*(?:level|line|guidelines?)?s?", lambda m: {"fpl_percent": 100}, 0.8),
    _finder("income", r"\b(\d{2,3})\s*%\s*(?:of\s+)?(?:the\s+)?(?:area|county)\s+median\s+income|\b(\d{2,3})\s*%\s*AMI\b", lambda m: {"ami_percent": int(m.group(1) or m.group(2))}, 0.8, tag="soft"),
    _finder("income", r"\$\s*([\d,]+(?:\.\d{2})?)\s*(?:or\s+(?:less|below)\s+)?(?:/|per|a|each)\s*(month|mo\b|year|yr\b|annum)", _amount, 0.8),
    _finder("income", r"\$\s*([\d,]+(?:\.\d{2})?)\s+(month|annual|year)\w*", _amount, 0.75),
    _finder(
        "income",
        r"\blow[\s-]+(?:to[\s-]+moderate[\s-]+)?income\b|\bindigent\b|\bthe\s+poor\b|\b(?:very|severely)\s+poor\b|\bpoor\s+(?:families|individuals|people|persons|households)\b|\blow[\s-]+wage\b|\bfree\s+or\s+reduced\s+(?:price\s+)?(?:school\s+)?lunch|\bfederal\s+poverty\s+(?:guidelines?|level|line)|\bincome[\s-]+(?:eligible|eligibility|guidelines|requirements?|limits?|qualified)\b|\bfinancial\s+and\s+\w+\s+screening|\bfinancial(?:ly)?\s+(?:need\w*|eligib\w*|hardships?|screening|difficult\w*|struggl\w*)|\blimited\s+income|\bmoderate\s+income|\beconomically\s+disadvantaged|\bmeans[\s-]+tested",
        lambda m: {"level": "low"},
        0.5,
        tag="soft",
    ),
]  # fmt: skip


INCOME_TABLE = re.compile(
    r"\b(annual|yearly|monthly)\b[^.$]*\bincome|\bincome\b[^.$]*\b(annual|yearly|monthly)\b", re.I
)
BARE_AMOUNT = re.compile(
    r"\$\s*([\d,]{3,}(?:\.\d{2})?)(?!\s*(?:/|per|a\b|each|month|mo\b|year|yr\b|annum|annual))"
)


def _income_table(sentence: str) -> Iterator[Hit]:
    """Limits listed by household size ("1 person - $39,800 2 person - $45,450"):
    kept soft, as which line applies depends on the household."""
    context = INCOME_TABLE.search(sentence)
    if not context:
        return
    period = "month" if (context.group(1) or context.group(2)).lower() == "monthly" else "year"
    for m in BARE_AMOUNT.finditer(sentence):
        amount = float(m.group(1).replace(",", ""))
        yield Hit(
            "income",
            {"amount": amount, "period": period},
            m.start(),
            m.end(),
            0.6,
            m.group(0),
            "soft",
        )


FAMILY_SIZE_LIMIT = re.compile(
    r"\$\s*([\d,]{4,}(?:\.\d{2})?)\s*(?:or\s+(?:less|below)\s+)?(?:for|per)\s+(?:a\s+)?(?:family|household)\s+of\s+\d",
    re.I,
)
# Limits by family size with no period: yearly above this amount, monthly below.
YEARLY_FROM = 10_000


def _family_size_limits(sentence: str) -> Iterator[Hit]:
    for m in FAMILY_SIZE_LIMIT.finditer(sentence):
        amount = float(m.group(1).replace(",", ""))
        period = "year" if amount >= YEARLY_FROM else "month"
        params = {"amount": amount, "period": period}
        yield Hit("income", params, m.start(), m.end(), 0.6, m.group(0), "soft")


def _income_specific_first(sentence: str) -> Iterator[Hit]:
    """A vague income phrase adds nothing beside a stated limit in the same sentence."""
    matchers = [*INCOME_MATCHERS, _income_table, _family_size_limits]
    hits = [h for matcher in matchers for h in matcher(sentence)]
    if any("level" not in h.params for h in hits):
        hits = [h for h in hits if "level" not in h.params]
    yield from hits


PLACE = r"[A-Z][A-Za-z.'’]*(?:-[A-Z][A-Za-z.'’]*)?(?:\s+[A-Z][A-Za-z.'’]*(?:-[A-Z][A-Za-z.'’]*)?)?"
NOT_RESIDENCY = re.compile(
    r"^\s*(?:Detention|Jail|Correction|Court|Sheriff|Police|Fire|Clerk|Hospital|Commission|Library|Health\s+Department|Transit|Government|Property\s+Appraiser|Commissioner|Mayor)",
)
LEADING_WORDS = {"in", "of", "the", "all", "for", "open", "residents", "resident", "serves", "serving", "within", "and", "reside", "live", "must", "to", "from", "attend", "any", "north", "south"}  # fmt: skip


def _place_name(raw: str) -> str:
    words = raw.split()
    while words and words[0].lower() in LEADING_WORDS - {"north", "south"}:
        words = words[1:]
    return " ".join(words).rstrip(".")


COUNTY_LIST = re.compile(
    rf"({PLACE})(?:\s*,\s*({PLACE}))?(?:\s*,?\s*(?:and|or|&)\s+({PLACE}))?\s+Counties\b"
)
COUNTY_ONE = re.compile(rf"({PLACE})\s+County\b")
CITY_COUNTY = re.compile(rf"({PLACE})\s+City\b")


def _counties(sentence: str) -> Iterator[Hit]:
    for regex in (COUNTY_LIST, COUNTY_ONE):
        for m in regex.finditer(sentence):
            if NOT_RESIDENCY.match(sentence[m.end() :]):
                continue
            names = [places.county_key(_place_name(g)) for g in m.groups() if g]
            names = [n for n in names if n]
            if names:
                yield Hit("residency", {"county": names}, m.start(), m.end(), 0.8, m.group(0))
    for m in CITY_COUNTY.finditer(sentence):
        key = places.county_key(_place_name(m.group(1)) + " city")
        if key in places.independent_cities() and not NOT_RESIDENCY.match(sentence[m.end() :]):
            yield Hit("residency", {"county": [key]}, m.start(), m.end(), 0.8, m.group(0))


LIVES_IN = rf"\b(?i:residents?\s+of|resident\s+in|live\s+in|living\s+in|lives\s+in|reside\s+in|residing\s+in|reside\s+within|live\s+within)\s+(?i:the\s+)?(?:(?:City|Town|Village)\s+of\s+)?({PLACE})"
CITY_RESIDENTS = re.compile(
    rf"(?:{LIVES_IN}|\b(?:City|Town|Village)\s+of\s+({PLACE})\s+residents)(?!\s+(?:County|Counties|City|Parish)\b)"
)
STATE_RESIDENTS = re.compile(rf"\b({PLACE})\s+residents?\b")
NOT_A_CITY = re.compile(
    r"^(?:the\s+)?(?:United\s+States|U\.?S\.?A?|America|Local|Area|Community|Neighborhood|ZIP|Zip(?:\s+Codes?)?)$",
    re.I,
)
EVERYONE_TOO = re.compile(r"\b(?:public|visitors|anyone|everyone|non-?residents)\b", re.I)


def _cities_and_states(sentence: str) -> Iterator[Hit]:
    if EVERYONE_TOO.search(sentence):
        return
    for m in CITY_RESIDENTS.finditer(sentence):
        name = _place_name(next(g for g in m.groups() if g))
        if re.search(r"\bCount(?:y|ies)\b", sentence[m.start() : m.end() + 25]):
            continue  # a county, read by _counties
        if places.county_key(name) in places.independent_cities():
            continue  # "Baltimore City": a county-level area, read by _counties
        if not name or NOT_A_CITY.match(name) or name.lower() in LEADING_WORDS:
            continue
        if REGION_AFTER.match(sentence[m.end() :]):
            continue  # "the South Miami-Dade Community": a neighborhood, not a city
        yield _place_hit(name, m)
    for m in STATE_RESIDENTS.finditer(sentence):
        name = _place_name(m.group(1))
        state, county = places.state_code(name), places.county_key(name)
        if state:
            yield Hit("residency", {"state": [state]}, m.start(), m.end(), 0.8, m.group(0))
        elif county in places.county_names() and county not in places.independent_cities():
            yield Hit("residency", {"county": [county]}, m.start(), m.end(), 0.75, m.group(0))


REGION_AFTER = re.compile(r"\s+(?:community|area|neighborhoods?|region|corridor)\b", re.I)


def _place_hit(name: str, m: re.Match[str]) -> Hit:
    """A state, a county named without the word County ("residents of Miami-Dade"), or
    a city; only a city is uncertain enough to stay soft."""
    state = places.state_code(name)
    county = places.county_key(name)
    if state:
        return Hit("residency", {"state": [state]}, m.start(), m.end(), 0.8, m.group(0))
    if county in places.county_names() and county not in places.city_names():
        return Hit("residency", {"county": [county]}, m.start(), m.end(), 0.75, m.group(0))
    return Hit("residency", {"city": [places.city_key(name)]}, m.start(), m.end(), 0.6, m.group(0))


ZIP_CONTEXT = re.compile(
    r"\b(zip|postal|reside|residing|resident|residents|live|living|areas?)\b", re.I
)
ZIP = re.compile(r"(?<![$\d,.])\b(\d{5})\b(?![\d%,]\d|\s*(?:-|–)\s*\d{2,})")


def _zips(sentence: str) -> Iterator[Hit]:
    if not ZIP_CONTEXT.search(sentence):
        return
    found = [m for m in ZIP.finditer(sentence) if places.place_for_zip(m.group(1))]
    if found:
        codes = list(dict.fromkeys(m.group(1) for m in found))
        text = sentence[found[0].start() : found[-1].end()]
        near = re.search(r"neighbo|nearby|surrounding|adjacent|nearest", sentence, re.I)
        confidence = 0.6 if near else 0.8  # "or a neighboring ZIP": the list is not closed
        yield Hit("residency", {"zip": codes}, found[0].start(), found[-1].end(), confidence, text)


def _word_finder(
    kind: str, value: str, pattern: str, confidence: float, skip_before: str = ""
) -> Matcher:
    regex = re.compile(pattern, re.I)
    before = re.compile(skip_before, re.I) if skip_before else None

    def find(sentence: str) -> Iterator[Hit]:
        for m in regex.finditer(sentence):
            if before and before.search(sentence[max(0, m.start() - 90) : m.start()]):
                continue
            yield Hit(kind, {"value": value}, m.start(), m.end(), confidence, m.group(0))

    return find


FEMALE = r"\b(?:women|woman|females?|girls?|mothers?|moms|ladies|widows)\b(?:\s+only)?"
MALE = r"\b(?:men|males?|boys?|fathers?|dads|gentlemen)\b(?:\s+only)?"


def _gender(sentence: str) -> Iterator[Hit]:
    """Women-only or men-only; a sentence naming both sexes sets no gender rule."""
    female = list(_word_finder("gender", "female", FEMALE, 0.8)(sentence))
    male = list(_word_finder("gender", "male", MALE, 0.8)(sentence))
    if female and male:
        return
    yield from female[:1] + male[:1]


DISABILITY_OPTIONAL = re.compile(
    r"with\s+or\s+without\s+(?:an?\s+|any\s+)?(?:\w+\s+)?disabilit", re.I
)


def _disability(sentence: str) -> Iterator[Hit]:
    if DISABILITY_OPTIONAL.search(sentence):
        return
    yield from _word_finder(
        "population",
        "disability",
        r"\b(?:disabilit(?:y|ies)|disabled|brain\s+injur\w*|visual\s+impairments?|special\s+needs|blind|visually\s+impaired|deaf|hard\s+of\s+hearing|handicap\w*|wheelchair\s+users?|autism|autistic|developmental(?:ly)?\s+delay\w*)\b",
        0.7,
        r"regardless\s+of|not\s+required|no\s+$",
    )(sentence)


POPULATION_MATCHERS: list[Matcher] = [
    _word_finder("population", "veteran", r"\b(?:veterans?|vets|former\s+military|ex-military)\b(?!\s+(?:benefits?|affairs|administration|pension|services|hospital|day))", 0.85),
    _word_finder("population", "senior", r"\b(?:seniors?(?!\s+high)|senior\s+citizens?|elderly|elders|older\s+(?:adults?|persons|people|individuals))\b", 0.75),
    _word_finder("population", "youth", r"\b(?:youths?|teens?|teenagers?|adolescents?|young\s+(?:adults?|people))\b", 0.6),
    _word_finder(
        "population", "children", r"\b(?:children|child|kids|minors|infants|toddlers)\b(?!\s+(?:custody|support|care\b|abuse|welfare|protective))", 0.6,
        r"(?:their|of|with|have\s+a|has\s+a|parents?|custody\s+of|for|missing|a|school)\s+$",
    ),
    _word_finder(
        "population",
        "families_with_children",
        r"\bfamil(?:y|ies)\s+with\s+(?:young\s+|minor\s+|dependent\s+)?(?:children|kids|newborns|infants|a\s+child|minors)|\bchildren\s+and\s+(?:their\s+)?famil\w*|\bparents?(?:\s+or\s+(?:legal\s+)?guardians?)?\s+(?:who\s+(?:have|has)|with)\s+(?:a\s+)?(?:child|children|minor)|\bcustody\s+of\s+(?:a\s+|their\s+)?(?:child|minor)|\bparents?\s+of\s+(?:newborns?|infants?|babies|young\s+children|a\s+newborn|minor\s+children)|^\W*(?:have|has)\s+a\s+child\b|\bparents?/caregivers?\s+who\s+(?:have|has)\s+a\s+child",
        0.6,
    ),
    _word_finder(
        "population", "homeless",
        r"\b(?:homeless(?:ness)?|unhoused|unsheltered|living\s+on\s+the\s+streets?)\b", 0.75,
        r"prevent\w*|related\s+to|topics|information|cannot|not\s+eligible|excludes?|avoid\w*",
    ),
    _word_finder(
        "population", "violence_survivor",
        r"\b(?:(?:crime|abuse|violence|assault|trafficking|murder\w*)\s+victims|victims?\s+of\s+(?:a\s+)?(?:[\w/-]+\s+){0,4}?(?:crimes?|violence|abuse|domestic|sexual|trafficking|rape|human|torture)|survivors?\s+of\s+(?:(?:domestic|sexual|dating)\s+(?:violence|abuse|assault)|violence|abuse|rape|trafficking|crimes?|domestic|sexual)|(?:domestic|intimate\s+partner|dating|family)\s+violence|sexual\s+(?:assault|abuse|violence)|human\s+trafficking|battered|rape)\b",
        0.7,
    ),
    _word_finder("population", "pregnant", r"\b(?:pregnan(?:t|cy|cies)|expectant\s+(?:mothers?|women|parents?|moms?)|expecting\s+mothers?)\b", 0.85),
    _disability,
]  # fmt: skip

INSURANCE_MATCHERS: list[Matcher] = [
    _word_finder(
        "insurance", "uninsured",
        r"\b(?:uninsured|no\s+(?:public\s+or\s+private\s+)?(?:health\s+|medical\s+)?insurance|without\s+(?:health\s+|medical\s+)?insurance|(?:do|does)\s+not\s+have\s+(?:any\s+)?(?:health\s+|medical\s+)?insurance|lack(?:ing)?\s+(?:health\s+)?insurance)\b",
        0.8,
    ),
    _word_finder("insurance", "medicaid", r"\b(?:(?:must\s+(?:have|be\s+on|be\s+enrolled\s+in)|enrolled\s+in)\s+medicaid\b(?!\s+cards?)|medicaid(?=(?:\s*(?:/|or|and)\s*medicare)?\s+(?:recipients|beneficiaries|eligible|members|enrollees))|(?:qualified|eligible)\s+for\s+medicaid)", 0.75),
    _word_finder("insurance", "medicare", r"\b(?:(?:must\s+(?:have|be\s+on|be\s+enrolled\s+in)|enrolled\s+in)\s+medicare\b(?!\s+cards?)|medicare(?=(?:\s*(?:/|or|and)\s*medicaid)?\s+(?:recipients|beneficiaries|eligible|members|enrollees))|(?:qualified|eligible)\s+for\s+medicare)", 0.75),
]  # fmt: skip

DOCUMENT_MATCHERS: list[Matcher] = [
    _word_finder("document", "id", r"\b(?:photo\s+id(?:entification)?|picture\s+id|(?:valid\s+|proper\s+|government[\s-]issued\s+|state\s+)?identification|driver'?s\s+licen[sc]e)\b", 0.8),
    _finder("document", r"\bIDs?\b", lambda m: {"value": "id"}, 0.8, flags=0),
    _word_finder("document", "proof_of_address", r"\b(?:proof\s+of\s+(?:address|residen\w*|living\s+in)|utility\s+bills?|lease\s+agreement|current\s+lease)\b", 0.8),
    _word_finder("document", "proof_of_income", r"\b(?:proof\s+of\s+(?:income|earnings)|pay\s?stubs?|W-?2s?|tax\s+returns?|income\s+verification|award\s+letters?|bank\s+statements?)\b", 0.8),
    _word_finder("document", "ss_card", r"\b(?:social\s+security\s+cards?|ss\s+cards?)\b", 0.8),
    _word_finder("document", "birth_certificate", r"\bbirth\s+certificates?\b", 0.8),
    _word_finder("document", "insurance_card", r"\b(?:medicaid|medicare|insurance)\s+cards?\b", 0.8),
]  # fmt: skip

MATCHERS: list[Matcher] = [
    *AGE_MATCHERS,
    _income_specific_first,
    _counties,
    _cities_and_states,
    _zips,
    _gender,
    *POPULATION_MATCHERS,
    *INSURANCE_MATCHERS,
    *DOCUMENT_MATCHERS,
]
