"""Curation pages: the public "suggest an edit" form, the curator's review of change
requests, "mark verified", the curator home and the freshness report.

The duplicate queue and the verification-link pages are in ``curation.review_views``;
both modules add routes to the one ``curation`` blueprint.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from limits import parse_many
from sqlalchemy import func, select

from referral import db
from referral.accounts import policy
from referral.curation import changes, fields, freshness, verification
from referral.curation.models import DuplicateCandidate
from referral.directory import models as dm

bp = Blueprint("curation", __name__)

# Public suggestions per client address: enough for a volunteer fixing a few
# listings, too few for a script filling the queue.
DEFAULT_SUGGEST_RATE_LIMIT = "5 per minute;30 per hour"
HONEYPOT = "website_confirm"  # hidden from people; bots fill every field


def today() -> date:
    return datetime.now(UTC).date()


def settings() -> verification.Freshness:
    return verification.Freshness.from_config(current_app.config)


CURATION_LINKS = (
    ("curation.home", _l("Overview")),
    ("curation.change_queue", _l("Change requests")),
    ("provider.claims_queue", _l("Claims")),
    ("curation.duplicate_queue", _l("Duplicates")),
    ("curation.freshness_report", _l("Freshness")),
)


def curation_links() -> list[tuple[str, str]]:
    """The curator pages this app has (claims come from the provider feature)."""
    return [(e, str(label)) for e, label in CURATION_LINKS if e in current_app.view_functions]


def listing_is_stale(assured: date | None) -> bool:
    return settings().is_stale(assured, today())


@bp.record_once
def _template_globals(state: Any) -> None:
    """Globals, not a context processor, so that imported macros (the "verified"
    label of ``directory/_macros.html``) see them too."""
    state.app.jinja_env.globals.update(
        listing_is_stale=listing_is_stale,
        curation_links=curation_links,
        can_verify_listing=can_verify_listing,
    )


def can_verify_listing(organization_id: str | None) -> bool:
    """Curators, and provider staff of the listing's organization."""
    return policy.can(current_user, policy.EDIT_LISTING, organization_id or "")


def actor() -> str:
    return str(getattr(current_user, "email", None) or "anonymous")


def back_url(target_type: str, target_id: str, record: Any) -> str:
    """The public page showing the record (a location shows on its organization's)."""
    if target_type == "service":
        return url_for("directory.service_detail", service_id=target_id)
    organization_id = target_id if target_type == "organization" else record.organization_id
    if organization_id is None:
        return url_for("directory.browse")
    return url_for("directory.organization_detail", organization_id=organization_id)


# --- public: suggest an edit --------------------------------------------------------


def _over_limit() -> bool:
    """Counts each suggestion posted from this address (the accounts limiter's store)."""
    limiter = current_app.extensions.get("referral.limiter")
    if limiter is None or not limiter.enabled:
        return False
    rate = str(current_app.config.get("SUGGEST_RATE_LIMIT") or DEFAULT_SUGGEST_RATE_LIMIT)
    key = request.remote_addr or "unknown"
    return not all(limiter.limiter.hit(item, "suggest", key) for item in parse_many(rate))


def _suggest_page(target_type: str, record: Any, values: dict[str, str], **extra: Any) -> str:
    current = fields.current_values(record, target_type)
    offered = [f for f in fields.editable(target_type) if f.name in current]
    return render_template(
        "directory/suggest.html",
        target_type=target_type,
        record=record,
        record_label=fields.record_label(record, target_type),
        offered=offered,
        current=current,
        values=values or current,
        statuses=fields.STATUSES,
        honeypot=HONEYPOT,
        back=back_url(target_type, record.id, record),
        problems=extra.pop("problems", {}),
        **extra,
    )


def _suggest_target(target_type: str, target_id: str) -> Any:
    record = fields.load(db.session(), target_type, target_id)
    if record is None:
        abort(404, description=_("No listing has this address. It may have been removed."))
    return record


@bp.get("/services/<target_id>/suggest", defaults={"target_type": "service"})
@bp.get("/organizations/<target_id>/suggest", defaults={"target_type": "organization"})
@bp.get("/locations/<target_id>/suggest", defaults={"target_type": "location"})
def suggest(target_type: str, target_id: str) -> str:
    policy.require(current_user, policy.VIEW_DIRECTORY)
    record = _suggest_target(target_type, target_id)
    return _suggest_page(target_type, record, {})


@bp.post("/services/<target_id>/suggest", defaults={"target_type": "service"})
@bp.post("/organizations/<target_id>/suggest", defaults={"target_type": "organization"})
@bp.post("/locations/<target_id>/suggest", defaults={"target_type": "location"})
def suggest_submit(target_type: str, target_id: str) -> Any:
    policy.require(current_user, policy.VIEW_DIRECTORY)
    record = _suggest_target(target_type, target_id)
    form = request.form
    if form.get(HONEYPOT):
        # Answer as if accepted: telling a bot it was caught only teaches it.
        return redirect(
            url_for("curation.suggest_sent", back=back_url(target_type, target_id, record)), 303
        )
    if _over_limit():
        problems = {"": _("Too many suggestions from your network. Please try again later.")}
        return _suggest_page(target_type, record, dict(form), problems=problems), 429
    values = {f.name: form.get(f.name, "") for f in fields.editable(target_type) if f.name in form}
    signed_in = policy.is_signed_in(current_user)
    try:
        changes.propose(
            db.session(),
            target_type=target_type,
            target_id=target_id,
            fields=values,
            by_user=current_user if signed_in else None,
            submitter={
                "name": form.get("submitter_name", ""),
                "email": form.get("submitter_email", ""),
            },
            note=form.get("note"),
        )
    except changes.ChangeError as exc:
        db.session().rollback()
        return _suggest_page(target_type, record, dict(form), problems=exc.problems), 422
    db.session().commit()
    return redirect(
        url_for("curation.suggest_sent", back=back_url(target_type, target_id, record)), 303
    )


@bp.get("/suggestions/sent")
def suggest_sent() -> str:
    back = request.args.get("back", "")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = url_for("directory.browse")
    return render_template("curation/suggest_sent.html", back=back)


# --- curator: change requests -------------------------------------------------------


@bp.get("/curation/changes")
def change_queue() -> str:
    policy.require(current_user, policy.REVIEW_CHANGES)
    status = request.args.get("status", changes.OPEN)
    if status not in (changes.OPEN, changes.CLOSED, "all"):
        status = changes.OPEN
    session = db.session()
    requests = changes.queue(session, None if status == "all" else status)
    return render_template(
        "curation/changes.html",
        requests=requests,
        status=status,
        counts=changes.count_by_status(session),
    )


def _change_request(request_id: str) -> changes.ChangeRequest:
    found = db.session().get(changes.ChangeRequest, request_id)
    if found is None:
        abort(404, description=_("No change request has this address."))
    return found


def _review_page(change: changes.ChangeRequest, problems: dict[str, str] | None = None) -> str:
    session = db.session()
    record = fields.load(session, change.target_type, change.target_id)
    return render_template(
        "curation/change.html",
        change=change,
        record=record,
        back=back_url(change.target_type, change.target_id, record) if record else None,
        moved=changes.conflicts(session, change),
        diffs={f.id: changes.word_diff(f.old_value, f.new_value) for f in change.fields},
        problems=problems or {},
        form=request.form,
    )


@bp.get("/curation/changes/<request_id>")
def change_detail(request_id: str) -> str:
    policy.require(current_user, policy.REVIEW_CHANGES)
    return _review_page(_change_request(request_id))


def _decisions(form: Any, change: changes.ChangeRequest) -> dict[int, changes.Decision]:
    chosen = {}
    for row in change.fields:
        verdict = form.get(f"decision-{row.id}", "")
        if verdict in ("approve", "reject"):
            chosen[row.id] = changes.Decision(
                approve=verdict == "approve",
                reason=form.get(f"reason-{row.id}"),
                override_conflict=form.get(f"override-{row.id}") == "yes",
            )
    return chosen


@bp.post("/curation/changes/<request_id>")
def change_decide(request_id: str) -> Any:
    policy.require(current_user, policy.REVIEW_CHANGES)
    change = _change_request(request_id)
    decisions = _decisions(request.form, change)
    if not decisions:
        problems = {"": _("Choose approve or reject for at least one field.")}
        return _review_page(change, problems), 422
    session = db.session()
    try:
        changes.decide(session, change, decisions, actor())
    except changes.ConflictError as exc:
        session.rollback()
        return _review_page(_change_request(request_id), exc.problems), 409
    if change.status == changes.CLOSED:
        changes.notify_submitter(session, change, current_app.config)
    session.commit()
    flash(_("Your decisions were saved."), "success")
    return redirect(url_for("curation.change_detail", request_id=request_id), 303)


# --- verification -------------------------------------------------------------------


@bp.post("/services/<service_id>/verify")
def mark_verified(service_id: str) -> Any:
    policy.require(current_user, policy.EDIT_LISTING)
    session = db.session()
    service = session.get(dm.Service, service_id)
    if service is None:
        abort(404)
    policy.require(current_user, policy.EDIT_LISTING, service)
    verification.mark_verified(session, [service], actor(), today())
    session.commit()
    flash(_("Marked as verified today."), "success")
    return redirect(url_for("directory.service_detail", service_id=service_id), 303)


# --- curator home and freshness -----------------------------------------------------


@bp.get("/curation")
def home() -> str:
    policy.require(current_user, policy.REVIEW_CHANGES)
    session = db.session()
    open_pairs = session.scalar(
        select(func.count())
        .select_from(DuplicateCandidate)
        .where(DuplicateCandidate.status == "open")
    )
    return render_template(
        "curation/home.html",
        open_changes=changes.count_by_status(session)[changes.OPEN],
        open_claims=freshness.pending_claims(session),
        open_pairs=open_pairs or 0,
        stale=freshness.stale_count(session, settings(), today()),
        total=freshness.service_count(session),
        claims_page="provider.claims_queue" in current_app.view_functions,
        stale_after=settings().stale_after_days,
    )


@bp.get("/curation/freshness")
def freshness_report() -> Any:
    policy.require(current_user, policy.REVIEW_CHANGES)
    by = request.args.get("by", "organization")
    by = by if by in freshness.GROUPINGS else "organization"
    sort = request.args.get("sort", "oldest")
    sort = sort if sort in freshness.SORTS else "oldest"
    rows = freshness.report(db.session(), by, today(), sort)
    if request.args.get("format") == "csv":
        return Response(
            freshness.to_csv(rows, by),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename=freshness-by-{by}.csv"},
        )
    return render_template(
        "curation/freshness.html", rows=rows, by=by, sort=sort, sorts=freshness.SORTS
    )
