"""The duplicate review queue (curators) and the verification-link pages (an
organization answering its "are your listings still correct?" email, no login).

Routes join the ``curation`` blueprint of ``curation.views``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral import db
from referral.accounts import policy
from referral.curation import changes, fields, merge, reasons, verification
from referral.curation.models import ENTITIES, DuplicateCandidate
from referral.curation.service import CurationError, mark_not_duplicate, open_candidates
from referral.curation.views import actor, bp, today
from referral.db import Base
from referral.directory import models as dm

# The kinds of record (``models.ENTITIES``) as the pages name them: the templates say
# ``_(entity)``, and these marks put the words in the catalog.
ENTITY_WORDS = (_l("organization"), _l("service"), _l("location"))
bp.add_app_template_filter(reasons.shown_reasons, "duplicate_reasons")
# Columns shown side by side for a pair; the rest are in the records' own pages.
SHOWN_COLUMNS = {
    "organization": ("name", "alternate_name", "description", "email", "website", "tax_id"),
    "service": ("name", "alternate_name", "description", "url", "email", "status",
                "organization_id", "eligibility_description", "assured_date"),
    "location": ("name", "location_type", "description", "latitude", "longitude",
                 "organization_id"),
}  # fmt: skip


def now() -> datetime:
    return datetime.now(UTC)


# --- duplicates ---------------------------------------------------------------------


def _label(record: Any, entity: str) -> str:
    if record is None:
        return _("(record no longer exists)")
    return fields.record_label(record, entity)


@bp.get("/curation/duplicates")
def duplicate_queue() -> str:
    policy.require(current_user, policy.MERGE_LISTINGS)
    entity = request.args.get("entity") or None
    entity = entity if entity in ENTITIES else None
    session = db.session()
    pairs = open_candidates(session, entity)
    model = merge.MERGEABLE
    labels = {
        p.id: (_label(session.get(model[p.entity], p.a_id), p.entity),
               _label(session.get(model[p.entity], p.b_id), p.entity))
        for p in pairs
    }  # fmt: skip
    return render_template(
        "curation/duplicates.html", pairs=pairs, labels=labels, entity=entity, entities=ENTITIES
    )


def _candidate(candidate_id: int) -> DuplicateCandidate:
    found = db.session().get(DuplicateCandidate, candidate_id)
    if found is None:
        abort(404, description=_("No duplicate candidate has this address."))
    return found


def moves(session: Session, entity: str, record_id: str) -> dict[str, int]:
    """ "table.column" -> rows that point at ``record_id`` (what a merge re-points)."""
    target = merge.MERGEABLE[entity].__tablename__
    found: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in merge.UNTOUCHED_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == target and fk.column.name == "id":
                column = table.c[fk.parent.name]
                count = session.scalar(
                    select(func.count()).select_from(table).where(column == record_id)
                )
                if count:
                    found[f"{table.name}.{fk.parent.name}"] = int(count)
    return found


@bp.get("/curation/duplicates/<int:candidate_id>")
def duplicate_detail(candidate_id: int) -> str:
    policy.require(current_user, policy.MERGE_LISTINGS)
    return _duplicate_page(_candidate(candidate_id))


def _duplicate_page(pair: DuplicateCandidate, problem: str | None = None) -> str:
    session = db.session()
    model = merge.MERGEABLE[pair.entity]
    a, b = session.get(model, pair.a_id), session.get(model, pair.b_id)
    columns = SHOWN_COLUMNS[pair.entity]
    rows = [
        (name, fields.normalized(getattr(a, name, None)), fields.normalized(getattr(b, name, None)))
        for name in columns
    ]
    return render_template(
        "curation/duplicate.html",
        pair=pair,
        a=a,
        b=b,
        rows=rows,
        moves_a=moves(session, pair.entity, pair.a_id) if a else {},
        moves_b=moves(session, pair.entity, pair.b_id) if b else {},
        problem=problem,
    )


def _next_pair(after: DuplicateCandidate) -> str:
    pairs = [p for p in open_candidates(db.session(), after.entity) if p.id != after.id]
    later = [p for p in pairs if (p.score, -p.id) < (after.score, -after.id)]
    chosen = later or pairs
    if not chosen:
        return url_for("curation.duplicate_queue")
    return url_for("curation.duplicate_detail", candidate_id=chosen[0].id)


@bp.post("/curation/duplicates/<int:candidate_id>")
def duplicate_decide(candidate_id: int) -> Any:
    policy.require(current_user, policy.MERGE_LISTINGS)
    pair = _candidate(candidate_id)
    action = request.form.get("action")
    session = db.session()
    if action == "skip":
        return redirect(_next_pair(pair), 303)
    try:
        if action == "not-duplicate":
            mark_not_duplicate(session, pair.entity, pair.a_id, pair.b_id, actor())
            message = _("Remembered: these are not duplicates.")
        elif action == "merge" and request.form.get("keep") in ("a", "b"):
            keep, gone = (pair.a_id, pair.b_id)
            if request.form["keep"] == "b":
                keep, gone = gone, keep
            next_url = _next_pair(pair)
            result = merge.merge(session, keep, gone, actor(), pair.entity)
            moved = sum(result.repointed.values())
            message = _("Merged. %(n)s linked records moved to the kept record.", n=moved)
        else:
            problem = _("Choose which record to keep, then Merge.")
            return _duplicate_page(pair, problem), 422
    except CurationError as exc:
        session.rollback()
        return _duplicate_page(_candidate(candidate_id), str(exc)), 409
    if action == "not-duplicate":
        next_url = _next_pair(pair)
    session.commit()
    flash(message, "success")
    return redirect(next_url, 303)


# --- verification links -------------------------------------------------------------


def _verification(token: str) -> Any:
    from referral import links

    try:
        return verification.read_link(db.session(), token, now())
    except links.LinkError as exc:
        html = render_template("verify/invalid.html", message=_(exc.message))
        abort(make_response(html, exc.status))


def _services(ask: verification.VerificationRequest) -> list[dm.Service]:
    return verification.services_of(db.session(), ask.organization_id)


@bp.get("/verify/<token>")
def verify_page(token: str) -> str:
    ask = _verification(token)
    return render_template(
        "verify/listings.html", ask=ask, token=token, services=_services(ask), done=False
    )


def link_actor(ask: verification.VerificationRequest) -> str:
    return f"{ask.email} (verification link)"


@bp.post("/verify/<token>")
def verify_confirm(token: str) -> str:
    ask = _verification(token)
    session = db.session()
    services = _services(ask)
    verification.mark_verified(session, services, link_actor(ask), today())
    verification.answer(session, ask, verification.CONFIRMED, now())
    session.commit()
    return render_template(
        "verify/listings.html", ask=ask, token=token, services=services, done=True
    )


def _owned_service(ask: verification.VerificationRequest, service_id: str) -> dm.Service:
    service = db.session().get(dm.Service, service_id)
    if service is None or service.organization_id != ask.organization_id:
        abort(404)
    return service


def _service_form(token: str, ask: Any, service: dm.Service, values: dict[str, str],
                  problems: dict[str, str]) -> str:  # fmt: skip
    current = fields.current_values(service, "service")
    return render_template(
        "verify/service.html",
        ask=ask,
        token=token,
        service=service,
        action=url_for("curation.verify_service_submit", token=token, service_id=service.id),
        offered=[f for f in fields.editable("service") if f.name in current],
        current=current,
        values=values or current,
        statuses=fields.STATUSES,
        problems=problems,
    )


@bp.get("/verify/<token>/services/<service_id>")
def verify_service(token: str, service_id: str) -> str:
    ask = _verification(token)
    return _service_form(token, ask, _owned_service(ask, service_id), {}, {})


@bp.post("/verify/<token>/services/<service_id>")
def verify_service_submit(token: str, service_id: str) -> Any:
    ask = _verification(token)
    service = _owned_service(ask, service_id)
    form = request.form
    values = {f.name: form.get(f.name, "") for f in fields.editable("service") if f.name in form}
    session = db.session()
    try:
        change = changes.propose(
            session, target_type="service", target_id=service.id, fields=values,
            note=form.get("note"), source="verification",
        )  # fmt: skip
        changes.approve_all(session, change, link_actor(ask))
    except changes.ChangeError as exc:
        session.rollback()
        return _service_form(token, ask, service, dict(form), exc.problems), 422
    verification.mark_verified(session, [service], link_actor(ask), today())
    verification.answer(session, ask, verification.CHANGES, now())
    session.commit()
    flash(_("Thank you: %(name)s is updated and marked verified.", name=service.name), "success")
    return redirect(url_for("curation.verify_page", token=token), 303)
