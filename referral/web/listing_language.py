"""Listing data in the reader's language, and listing text marked with its own.

Providers write listings in one language (``REFERRAL_LISTING_LANGUAGE``, default
English); HSDS has no translations of listing fields. So a Spanish page shows a
listing's name and description as written, marked ``lang="en"`` (WCAG 2.1 SC 3.1.2,
Language of Parts), and shows taxonomy terms by their Spanish name where
``taxonomy_term_translation`` has one, else by the English name, marked likewise.

In templates::

    <p{{ lang_attr() }}>{{ service.description }}</p>       listing text
    {% set name = term | term_name %}                      a TaxonomyTerm or TermView
    {% set name = facet.label | term_name(facet.value) %}  a name and its term id
    <a ...{{ lang_attr(name) }}>{{ name }}</a>             marked only when English

A service's client-facing fields come in the reader's language where its provider
wrote them (``service_translation``), else as listed, marked likewise::

    {% set about = service.description | service_text(service.id, "description") %}
    <p{{ lang_attr(about) }}>{{ about }}</p>

Pages listing many services call ``preload_service_texts(ids)`` first: one query.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from flask import Flask, g
from markupsafe import Markup, escape

from referral.directory import service_translations
from referral.directory.service_translations import LanguageText
from referral.directory.term_translations import names_in
from referral.i18n import current_language, listing_language


class TermName(LanguageText):
    """A taxonomy term's name as shown, with the language it is in."""


def term_name(value: Any, term_id: str | None = None) -> TermName | str:
    """The term's name in the reader's language, else its own name (English). Give the
    term (anything with ``id`` and ``name``), or its name and id; a name alone is looked
    up by name (tables that carry no ids)."""
    if value is None or isinstance(value, TermName):
        return value or ""
    if term_id is None and hasattr(value, "id") and hasattr(value, "name"):
        term_id, value = value.id, value.name
    source, language = listing_language(), current_language()
    if language == source:
        return TermName(str(value), source)
    by_id, by_name = names_in(language)
    translated = by_id.get(term_id) if term_id else by_name.get(str(value))
    return TermName(translated, language) if translated else TermName(str(value), source)


def service_text(value: Any, service_id: str | None, field: str) -> Any:
    """The service's ``field`` in the reader's language where its provider wrote it,
    else ``value`` (the listing's text) in the listing language. The one place that
    decides which text a reader of a service sees."""
    if not value:
        return value
    source, language = listing_language(), current_language()
    if language != source and service_id:
        translated = _service_texts(language, [service_id]).get(service_id, {}).get(field)
        if translated:
            return LanguageText(translated, language)
    return LanguageText(str(value), source)


def preload_service_texts(service_ids: Iterable[str]) -> None:
    """Read the translations of all these services in one query, for a page of them."""
    language = current_language()
    if language != listing_language():
        _service_texts(language, service_ids)


def _service_texts(language: str, service_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """Per request: service id -> field -> text in ``language``; ids asked for that
    are not there yet are read in one query."""
    from referral import db

    cache: dict[str, dict[str, str]] = g.setdefault("service_texts", {}).setdefault(language, {})
    missing = {i for i in service_ids if i and i not in cache}
    if missing:
        found = service_translations.texts_for(db.session(), missing, language)
        cache.update({i: found.get(i, {}) for i in missing})
    return cache


def term_choices(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, TermName | str]]:
    """(id, name) pairs named in the reader's language and sorted again by that name."""
    named = [(term_id, term_name(name, term_id)) for term_id, name in pairs]
    return sorted(named, key=lambda item: (_folded(item[1]), item[0]))


def _folded(text: str) -> str:
    """'Árbol' sorts with the A's."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def lang_attr(value: object = None, within: str | None = None) -> Markup:
    """`` lang="en"`` when the text is not in the page's language (or the language of
    the part it sits in, ``within``), else nothing. Plain values are listing text (the
    listing language); a ``TermName`` knows its own."""
    language = getattr(value, "language", None) or listing_language()
    if language == (within or current_language()):
        return Markup("")
    return Markup(' lang="{}"').format(language)


def listing_text(value: object) -> Markup:
    """Listing text inside a sentence: ``_("Edit %(name)s", name=listing_text(s.name))``
    gives ``<span lang="en">`` around the name on a Spanish page. Not for <title>."""
    text = escape("" if value is None else value)
    attr = lang_attr(value)
    return Markup("<span{}>{}</span>").format(attr, text) if attr else text


def _template_globals() -> dict[str, object]:
    return {"lang_attr": lang_attr, "listing_language": listing_language()}


def init_app(app: Flask) -> None:
    app.add_template_filter(term_name)
    app.add_template_filter(term_choices)
    app.add_template_filter(service_text)
    app.add_template_global(lang_attr)
    app.add_template_global(listing_text)
    app.context_processor(_template_globals)
