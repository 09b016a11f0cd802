"""The search page: a query box, filters, and result cards, for case managers and
the public alike (no login, no personal data asked).

The form's names are the search API's names, so a page URL and an API URL say the
same thing. One form field, "Near", takes a ZIP code or "lat,lon" (a browser cannot
share its location without JavaScript). Bad input re-renders the form with a message
beside the field and status 400; it never becomes an error page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from referral import db
from referral.api.problems import InvalidParameter
from referral.curation.verification import Freshness
from referral.search import service as engine
from referral.search.api import get_index
from referral.search.query import parse_params
from referral.web import search_cards
from referral.web.listing_language import preload_service_texts
from referral.web.search_cards import Facet, ResultCard

bp = Blueprint("search", __name__)

RADIUS_CHOICES_KM = (2, 5, 10, 25, 50, 100)
PER_PAGE_CHOICES = (10, 20, 50)
SORTS = (
    ("relevance", _l("Best match")),
    ("distance", _l("Nearest")),
    ("blend", _l("Best match nearby")),
)
_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
# Form fields whose values survive into result, facet and page links.
FORM_FIELDS = (
    "q", "near", "radius_km", "taxonomy", "language", "open_now", "open_at",
    "free", "age", "sort", "per_page",
)  # fmt: skip
# Fields behind "more filters" (the query box and Near are always shown), with the
# value each has when nobody touched it.
FILTER_DEFAULTS = {name: "" for name in FORM_FIELDS if name not in ("q", "near")}
FILTER_DEFAULTS.update(sort="relevance", per_page="20")
# Engine field -> the form field a message belongs beside.
FIELD_OF = {"postcode": "near", "lat": "near", "lon": "near"}
NEEDS_PLACE = _l("Enter a ZIP code or latitude,longitude in Near to use this.")
NEAR_FORMAT = _l("Enter a 5-digit ZIP code (33130) or latitude,longitude (25.77,-80.19).")


def form_problem(exc: InvalidParameter) -> dict[str, str]:
    """The engine's message, reworded where it speaks of parameters a form does not show."""
    engine_field = str(exc.extensions["field"])
    detail = exc.detail or str(_l("This value cannot be used."))
    if "needs a point" in detail:
        detail = str(NEEDS_PLACE)
    elif engine_field in ("near", "lat", "lon"):
        detail = str(NEAR_FORMAT)
    return {"field": FIELD_OF.get(engine_field, engine_field), "message": detail}


@dataclass
class SearchPage:
    cards: list[ResultCard]
    total: int
    page: int
    per_page: int
    taxonomy_facets: list[Facet] = field(default_factory=list)
    language_facets: list[Facet] = field(default_factory=list)
    did_you_mean: str | None = None
    degraded: bool = False
    has_point: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.cards) - 1

    @property
    def page_links(self) -> list[int | None]:
        """First, last, and two either side of this page; None marks a gap."""
        wanted = sorted(
            {1, self.pages, *range(max(1, self.page - 2), min(self.pages, self.page + 2) + 1)}
        )
        links: list[int | None] = []
        for previous, number in zip([0, *wanted], wanted, strict=False):
            if number - previous > 1:
                links.append(None)
            links.append(number)
        return links


# The fixed choices of the form (the languages are sorted per request, by their name
# in the reader's language).
CHOICES = {
    "radius_choices": RADIUS_CHOICES_KM,
    "per_page_choices": PER_PAGE_CHOICES,
    "sorts": SORTS,
    "filter_fields": tuple(FILTER_DEFAULTS),
}


def form_values(args: Mapping[str, str]) -> dict[str, str]:
    return {name: (args.get(name) or "").strip() for name in FORM_FIELDS}


def refined(form: Mapping[str, str]) -> int:
    """How many filters differ from their defaults (the folded section says so)."""
    return sum(
        1 for name, default in FILTER_DEFAULTS.items() if form.get(name, "") not in ("", default)
    )


def engine_args(args: Mapping[str, str]) -> dict[str, str]:
    """The form as the search parser reads it: a ZIP in "near" becomes ``postcode``."""
    values = {k: v for k, v in form_values(args).items() if v}
    values["page"] = (args.get("page") or "1").strip()
    near = values.get("near", "")
    if _ZIP.match(near):
        values.pop("near")
        values["postcode"] = near[:5]
    return values


@bp.get("/search")
def page() -> tuple[str, int]:
    session, form = db.session(), form_values(request.args)
    problem, results = None, None
    try:
        if any(form.values()):
            results = run_search(session, request.args, datetime.now(UTC))
    except InvalidParameter as exc:
        problem = form_problem(exc)
    facet_terms = [facet.value for facet in results.taxonomy_facets] if results else []
    preload_service_texts(card.service_id for card in (results.cards if results else ()))
    html = render_template(
        "search/page.html",
        form=form,
        results=results,
        problem=problem,
        page_url=_page_url(form),
        terms=search_cards.term_choices(session, [form["taxonomy"], *facet_terms]),
        **CHOICES,
        languages=search_cards.language_choices(),
        refined=refined(form),
    )
    return html, 400 if problem else 200


def _page_url(form: Mapping[str, str]) -> Callable[..., str]:
    """A url_for for this search that keeps its fields, with ``changes`` applied."""

    def page_url(page: int = 1, **changes: Any) -> str:
        values: dict[str, Any] = {**form, **changes, "page": page if page > 1 else None}
        return url_for("search.page", **{k: v for k, v in values.items() if v})

    return page_url


def run_search(session: Session, args: Mapping[str, str], now: datetime) -> SearchPage:
    params = parse_params(engine_args(args))
    params.verified_since = Freshness.from_config(current_app.config).hidden_before(now.date())
    found = engine.search(session, params, get_index(current_app))
    hits = found.results
    distances = {hit.service_at_location_id: hit.distance_km for hit in hits}
    cards = search_cards.cards(session, list(distances), distances, now)
    opening = {hit.service_at_location_id: hit.open_now for hit in hits}
    return SearchPage(
        cards=[replace(card, open_now=opening.get(card.sal_id, card.open_now)) for card in cards],
        total=found.total,
        page=found.page,
        per_page=found.per_page,
        taxonomy_facets=[
            Facet(f.value, f.label, f.count) for f in found.facets.get("taxonomy", [])
        ],
        language_facets=search_cards.language_facets(
            {f.value: f.count for f in found.facets.get("language", [])}
        ),
        did_you_mean=found.did_you_mean,
        degraded=found.degraded,
        has_point=params.point is not None,
    )
