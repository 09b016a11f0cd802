"""Words for a match result: a sentence a case manager can read to the client, and the
"ask the client about ..." prompts for every eligibility rule we could not decide.

Written in the reader's language (Flask-Babel); outside a request, in English. Each
sentence is one translatable frame with named parts, so word order can follow Spanish.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from referral.directory.term_translations import in_reader_language
from referral.i18n import need_label
from referral.matching.assessment import ClientFacts, Need
from referral.matching.criteria import DOCUMENTS, Evaluation, describe
from referral.matching.eligibility import Verdict

if TYPE_CHECKING:
    from referral.matching.ranking import Candidate

# What to ask about, by criterion kind, when a rule could not be judged.
TOPICS = {
    "age": _l("their age"),
    "income": _l("their household income and size"),
    "residency": _l("where they live"),
    "gender": _l("their gender"),
    "population": _l("whether they belong to the group served"),
    "insurance": _l("their health insurance"),
    "document": _l("the documents they can bring"),
    "any_of": _l("which of the listed conditions apply"),
}
LANGUAGE_NAMES = {
    "en": _l("English"), "es": _l("Spanish"), "fr": _l("French"), "ht": _l("Haitian Creole"),
    "pt": _l("Portuguese"), "zh": _l("Chinese"), "vi": _l("Vietnamese"), "ko": _l("Korean"),
    "ru": _l("Russian"), "ar": _l("Arabic"), "tl": _l("Tagalog"), "sgn": _l("sign language"),
    "am": _l("Amharic"), "fa": _l("Persian"), "so": _l("Somali"), "sw": _l("Swahili"),
    "ne": _l("Nepali"),
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
            documents.append(str(DOCUMENTS.get(value, value)))
            continue
        topic = str(TOPICS.get(e.criterion.kind, e.criterion.kind))
        rule = criterion_text(e)
        if e.ask:
            prompts.append(
                _(
                    "Ask the client about %(topic)s: %(rule)s (%(question)s)",
                    topic=topic,
                    rule=rule,
                    question=e.ask,
                )
            )
        else:
            prompts.append(_("Ask the client about %(topic)s: %(rule)s", topic=topic, rule=rule))
    if documents:
        prompts.append(
            _(
                "Ask the client whether they can bring %(documents)s.",
                documents=_join(list(dict.fromkeys(documents))),
            )
        )
    return tuple(dict.fromkeys(prompts))


def sentence(
    need: Need, c: Candidate, verdict: Verdict, facts: ClientFacts, prompts: tuple[str, ...]
) -> str:
    parts = [
        _(
            "%(service)s (%(organization)s) %(offer)s%(where)s.",
            service=c.service_name,
            organization=c.organization_name,
            offer=_offer(need, c),
            where=_where(c),
        )
    ]
    extras = _extras(c, facts)
    if extras:
        parts.append(_("It %(features)s.", features=_join(extras)))
    parts.append(_qualify(verdict, prompts))
    return " ".join(parts)


def _offer(need: Need, c: Candidate) -> str:
    if c.matched_terms:
        terms = [in_reader_language(t).lower() for t in c.matched_terms[:3]]
        return _("offers %(terms)s", terms=_join(terms))
    return _(
        "may help with %(need)s (matched on its description)",
        need=need_label(need.domain, need.display).lower(),
    )


def _where(c: Candidate) -> str:
    if c.distance_km is None:
        return ""
    return _(", %(km)s km away", km=format(c.distance_km, ".1f"))


def _extras(c: Candidate, facts: ClientFacts) -> list[str]:
    found = []
    spoken = [
        str(LANGUAGE_NAMES.get(code, code)) for code in facts.languages if code in c.languages
    ]
    if spoken:
        found.append(_("serves people in %(languages)s", languages=_join(spoken)))
    if c.open_now:
        found.append(_("is open now"))
    if facts.disability and c.accessible:
        found.append(_("is wheelchair accessible"))
    if c.capacity_available is not None:
        found.append(_("has openings") if c.capacity_available > 0 else _("has a waiting list"))
    return found


def _qualify(verdict: Verdict, prompts: tuple[str, ...]) -> str:
    hard = [e for e in verdict.evaluations if e.criterion.hard]
    doubts = [e for e in verdict.evaluations if not e.criterion.hard and e.status == "not_met"]
    if doubts:
        first = doubts[0]
        rule = criterion_text(first)
        rule = rule[:1].lower() + rule[1:]
        return _(
            "It may not serve the client: the listing says %(rule)s (%(reason)s); "
            "call to check before referring.",
            rule=rule,
            reason=first.reason,
        )
    if verdict.status == "eligible" and hard:
        met = _join([criterion_text(e).lower() for e in hard[:2]])
        return _("From what we know, the client meets its requirements (%(met)s).", met=met)
    if verdict.status == "eligible":
        return _("It lists no eligibility requirements the client fails.")
    unknown = [criterion_text(e).lower() for e in hard if e.status == "unknown"]
    return _("The client may qualify; first check: %(rules)s.", rules=_join(unknown[:3]))


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])
