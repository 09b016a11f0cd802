"""The match page: a case manager enters an assessment (needs, facts, where the client
is) and gets a ranked, explained list per need.

A GET form (it changes nothing, and a result page can be bookmarked or shared with a
colleague). The fact fields use the service page's checklist names (``web.FACT_PARAMS``)
so each result links to the service page with the same facts and its checklist shows.
Bad input re-renders the form with a message beside the field and status 400.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup, escape

from referral import db
from referral.matching import codes
from referral.matching.assessment import URGENCIES, InvalidClient, parse_client
from referral.matching.web import FACT_PARAMS, FIELD_LABELS
from referral.web.listing_language import preload_service_texts

bp = Blueprint("matching", __name__)
TOP_CHOICES = (5, 10, 20)
_POINT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


@bp.app_template_filter("with_listing_words")
def with_listing_words(text: str, words: Iterable[str], attr: str) -> Markup:
    """``text``, one of our sentences, with each of the listing's ``words`` in it wrapped
    in ``<span{attr}>`` (`` lang="en"``), so a screen reader says a service's name in
    its own language. One pass, longest first: a name inside another is wrapped once."""
    found = sorted({w for w in words if w and w in text}, key=len, reverse=True)
    if not attr.strip() or not found:
        return escape(text)
    parts, last = [], 0
    for hit in re.finditer("|".join(re.escape(w) for w in found), text):
        parts += [escape(text[last : hit.start()]), _span(attr, hit.group())]
        last = hit.end()
    return Markup("").join([*parts, escape(text[last:])])


def _span(attr: str, word: str) -> Markup:
    return Markup("<span{}>{}</span>").format(Markup(attr), word)


@dataclass
class MatchForm:
    values: dict[str, str] = field(default_factory=dict)
    needs: list[str] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)
    urgencies: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    error_field: str | None = None

    def detail_params(self) -> dict[str, str]:
        """The facts as the service page's checklist reads them."""
        params = {k: v for k, v in self.values.items() if k in FACT_PARAMS}
        near = self.values.get("near", "")
        if near and not _POINT.match(near):
            params["zip"] = near
        return params


def read_form(args: Mapping[str, Any]) -> MatchForm:
    getlist = getattr(args, "getlist", lambda k: [args[k]] if k in args else [])
    form = MatchForm()
    for name in (*FACT_PARAMS, "near", "languages", "top"):
        value = (args.get(name) or "").strip()
        if value:
            form.values[name] = value
    form.needs = [d for d in dict.fromkeys(getlist("need")) if d]
    for domain in form.needs:
        form.details[domain] = (args.get(f"detail-{domain}") or "").strip()
        form.urgencies[domain] = (args.get(f"urgency-{domain}") or "routine").strip()
    return form


def client_of(form: MatchForm) -> dict[str, Any]:
    facts: dict[str, Any] = {FACT_PARAMS[k]: v for k, v in form.values.items() if k in FACT_PARAMS}
    if "languages" in form.values:
        facts["languages"] = [x.strip() for x in form.values["languages"].split(",") if x.strip()]
    client: dict[str, Any] = {"facts": facts}
    near = form.values.get("near")
    if near:
        point = _POINT.match(near)
        client["location"] = {"lat": point[1], "lon": point[2]} if point else {"postal_code": near}
    client["needs"] = [
        {
            "domain": d,
            "detail": form.details.get(d) or None,
            "urgency": form.urgencies.get(d) or "routine",
        }
        for d in form.needs
    ]
    return client


def field_of(exc: InvalidClient) -> str:
    """The form field an error belongs beside."""
    if exc.field.startswith("location"):
        return "near"
    found = re.match(r"needs\[(\d+)\]\.(\w+)", exc.field)
    if found:
        return "need"
    name = exc.field.rsplit(".", 1)[-1]
    return next((p for p, f in FACT_PARAMS.items() if f == name), name)


@bp.get("/match")
def page() -> tuple[str, int] | str:
    from referral.web import client_actions

    chosen = client_actions.chosen_client(request.args)
    form = chosen.form if chosen is not None and chosen.form else read_form(request.args)
    result = None
    if request.args and (chosen is None or chosen.assessment is not None):
        result = run_match(form)
    return render_match(form, result, chosen)


def hidden_before() -> date | None:
    """Listings verified longer ago than REFERRAL_HIDE_AFTER_DAYS are not offered."""
    from referral.curation.verification import Freshness

    today = datetime.now(UTC).date()
    return Freshness.from_config(current_app.config).hidden_before(today)


def run_match(form: MatchForm) -> Any:
    """The match result for the form, or None with ``form.error`` set."""
    from referral.matching.match import match
    from referral.matching.train import active_weights

    try:
        assessment = parse_client(client_of(form))
        if not assessment.needs:
            raise InvalidClient("needs", _("choose at least one need"))
        top = (
            int(form.values.get("top", "10"))
            if form.values.get("top", "10") in {str(t) for t in TOP_CHOICES}
            else 10
        )
        return match(
            db.session(),
            assessment,
            top=top,
            weights=active_weights(current_app.config["INSTANCE_DIR"]),
            verified_since=hidden_before(),
        )
    except InvalidClient as exc:
        name = exc.field.rsplit(".", 1)[-1]
        label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
        form.error, form.error_field = f"{label}: {exc.detail}", field_of(exc)
        return None


def _service_ids(result: Any) -> list[str]:
    needs = result.needs if result is not None else []
    shown = [r.candidate.service_id for n in needs for r in n.results]
    return shown + [e.service_id for n in needs for e in n.excluded]


def render_match(form: MatchForm, result: Any, chosen: Any = None) -> tuple[str, int] | str:
    """``chosen`` is the client the match is for (``referral.web.client_actions``), if any."""
    preload_service_texts(_service_ids(result))
    html = render_template(
        "matching/match.html",
        form=form,
        result=result,
        chosen=chosen,
        domains=list(codes.sdoh_codes().values()),
        urgencies=URGENCIES,
        top_choices=TOP_CHOICES,
    )
    return (html, 400) if form.error else html
