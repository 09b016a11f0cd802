"""Editing pages for the staff of an organization (and curators): organization
details, a service (one form with its eligibility, capacity and hours), hours at one
place, copying a service to more locations, a new service, locations.

Saves set the session actor, so the directory audit hook writes the metadata rows, and
the search change log picks the records up on flush.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from referral import db
from referral.accounts import policy
from referral.accounts.security import no_store
from referral.curation import changes
from referral.directory import models as dm
from referral.directory.listing import STATUSES
from referral.matching.criteria import POPULATIONS
from referral.provider import claims, editing, hours_form, org_form, places, prefill, proposals
from referral.provider.service_form import FormErrors, parse_service
from referral.web.directory import status_label

bp = Blueprint("provider_edit", __name__, url_prefix="/provider")


def today() -> date:
    return datetime.now(UTC).date()


def _load(model: type, record_id: str) -> Any:
    # "May edit any listing?" first, so people who never could learn nothing of ids.
    policy.require(current_user, policy.EDIT_LISTING)
    record = db.session().get(model, record_id)
    if record is None:
        abort(404, description=_("Nothing has this address. It may have been removed."))
    return record


def _editable(model: type, record_id: str) -> Any:
    record = _load(model, record_id)
    owner = record.service if isinstance(record, dm.ServiceAtLocation) else record
    policy.require(current_user, policy.EDIT_LISTING, owner)
    return record


def _saving() -> Any:
    session = db.session()
    session.info["actor"] = current_user.email
    return session


def _choices() -> dict[str, Any]:
    return {
        "status_options": [(s, _(status_label(s))) for s in STATUSES],
        "populations": POPULATIONS,
        "days": hours_form.DAYS,
        "exception_rows": hours_form.exception_rows,
    }


def _form_dict(form: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k: form.get(k) for k in form}
    values["population"] = form.getlist("population") if hasattr(form, "getlist") else []
    return values


# Organization ----------------------------------------------------------------------


@bp.route("/organizations/<org_id>/edit", methods=["GET", "POST"])
@no_store
def organization_edit(org_id: str) -> Any:
    organization = _editable(dm.Organization, org_id)
    values: Mapping[str, Any] = org_form.organization_values(organization)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            edit = org_form.parse_organization(request.form)
        except FormErrors as exc:
            values, errors = request.form, exc.errors
        else:
            session = _saving()
            org_form.apply_organization(organization, edit)
            session.commit()
            flash(_("Saved %(name)s.", name=organization.name), "info")
            return redirect(url_for("provider.home_page"), 303)
    html = render_template(
        "provider/organization_edit.html", organization=organization, values=values, errors=errors
    )
    return html, 422 if errors else 200


# Service ---------------------------------------------------------------------------


def _propose(service: dm.Service) -> Any:
    session = db.session()
    try:
        edit = parse_service(request.form)
        proposals.propose_service_edit(session, service, edit, current_user)
    except FormErrors as exc:
        return _service_page(service, _form_dict(request.form), exc.errors, 422, False)
    except changes.ChangeError as exc:
        session.rollback()
        problems = {k or "name": v for k, v in exc.problems.items()}
        return _service_page(service, _form_dict(request.form), problems, 422, False)
    session.commit()
    flash(
        _("Thank you. A curator will review your changes to %(name)s.", name=service.name), "info"
    )
    return redirect(url_for("provider.home_page"), 303)


def _service_page(
    service: dm.Service,
    values: Mapping[str, Any],
    errors: dict[str, str],
    status: int,
    live: bool = True,
) -> tuple[str, int]:
    same = editing.same_hours_everywhere(service, today())
    rows = editing.hours_rows(service, None)
    html = render_template(
        "provider/service_edit.html",
        service=service,
        values=values,
        errors=errors,
        same_hours=same,
        unmanaged=prefill.unmanaged_hours(rows),
        place_label=_place_label,
        live=live,
        **_choices(),
    )
    return html, status


def _place_label(sal: dm.ServiceAtLocation) -> str:
    from referral.provider.home import place_label

    return place_label(sal)


def _service_access(service_id: str) -> tuple[dm.Service, bool]:
    """The service and whether edits apply (True) or become a change request (False:
    the user's claim on its organization is pending). Everyone else gets 403."""
    if policy.can(current_user, policy.EDIT_LISTING):
        service = _load(dm.Service, service_id)
        if policy.can(current_user, policy.EDIT_LISTING, service):
            return service, True
    policy.require(current_user, policy.CLAIM_ORGANIZATION)  # signed in, at least
    session = db.session()
    service = session.get(dm.Service, service_id)
    if service is None or service.organization_id is None:
        raise policy.Forbidden(policy.EDIT_LISTING)
    if claims.open_claim(session, current_user, service.organization_id) is None:
        raise policy.Forbidden(policy.EDIT_LISTING)
    return service, False


@bp.route("/services/<service_id>/edit", methods=["GET", "POST"])
@no_store
def service_edit(service_id: str) -> Any:
    service, live = _service_access(service_id)
    session = db.session()
    if request.method == "GET":
        values: dict[str, Any] = prefill.service_values(session, service)
        values.update(prefill.hours_values(editing.hours_rows(service, None), today()))
        return _service_page(service, values, {}, 200, live)
    if not live:
        return _propose(service)
    same = editing.same_hours_everywhere(service, today())
    errors: dict[str, str] = {}
    edit = None
    try:
        edit = parse_service(request.form)
    except FormErrors as exc:
        errors.update(exc.errors)
    hours = None
    if same:
        try:
            hours = hours_form.parse(request.form)
        except hours_form.HoursErrors as exc:
            errors.update(exc.errors)
    if errors or edit is None:
        return _service_page(service, _form_dict(request.form), errors, 422)
    session = _saving()
    editing.apply_service(session, service, edit, today())
    if hours is not None:
        editing.replace_hours(session, service, hours)
    session.commit()
    flash(_("Saved %(name)s. Search shows the change now.", name=service.name), "info")
    return redirect(url_for("provider_edit.service_edit", service_id=service.id), 303)


@bp.route("/places/<sal_id>/hours", methods=["GET", "POST"])
@no_store
def place_hours(sal_id: str) -> Any:
    sal = _editable(dm.ServiceAtLocation, sal_id)
    rows = editing.hours_rows(sal.service, sal)
    values: Mapping[str, Any] = prefill.hours_values(rows, today())
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            hours = hours_form.parse(request.form)
        except hours_form.HoursErrors as exc:
            values, errors = request.form, exc.errors
        else:
            session = _saving()
            editing.replace_hours(session, sal.service, hours, sal)
            editing.mark_verified(sal.service, today(), session)
            session.commit()
            flash(_("Saved the hours at %(place)s.", place=_place_label(sal)), "info")
            return redirect(url_for("provider_edit.service_edit", service_id=sal.service_id), 303)
    html = render_template(
        "provider/place_hours.html",
        sal=sal,
        place=_place_label(sal),
        values=values,
        errors=errors,
        unmanaged=prefill.unmanaged_hours(rows),
        **_choices(),
    )
    return html, 422 if errors else 200


@bp.route("/services/<service_id>/copy", methods=["GET", "POST"])
@no_store
def service_copy(service_id: str) -> Any:
    service = _editable(dm.Service, service_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        chosen = request.form.getlist("location")
        if not chosen:
            flash(_("Nothing was copied: no location was checked."), "info")
            return redirect(url_for("provider_edit.service_copy", service_id=service.id), 303)
        if chosen:
            session = _saving()
            try:
                added = places.copy_to_locations(session, service, chosen)
            except FormErrors as exc:
                session.rollback()
                errors = exc.errors
            else:
                editing.mark_verified(service, today(), session)
                session.commit()
                flash(
                    _(
                        "%(name)s is now offered at %(count)d more locations.",
                        name=service.name,
                        count=len(added),
                    ),
                    "info",
                )
                return redirect(url_for("provider_edit.service_edit", service_id=service.id), 303)
    offered = places.offered_at(service)
    candidates = [
        loc
        for loc in (service.organization.locations if service.organization else [])
        if loc.id not in offered
    ]
    html = render_template(
        "provider/service_copy.html", service=service, candidates=candidates, errors=errors
    )
    return html, 422 if errors else 200


@bp.route("/organizations/<org_id>/services/new", methods=["GET", "POST"])
@no_store
def service_new(org_id: str) -> Any:
    organization = _editable(dm.Organization, org_id)
    values: Mapping[str, Any] = {"status": "active", "capacity-mode": "none"}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _form_dict(request.form)
        try:
            edit = parse_service(request.form)
        except FormErrors as exc:
            errors.update(exc.errors)
        try:
            hours = hours_form.parse(request.form)
        except hours_form.HoursErrors as exc:
            errors.update(exc.errors)
        if not errors:
            session = _saving()
            try:
                created = places.create_service(
                    session, organization, edit, hours, request.form.getlist("location"), today()
                )
            except FormErrors as exc:
                session.rollback()
                errors = exc.errors
            else:
                session.commit()
                return _created_page(created)
    html = render_template(
        "provider/service_new.html",
        organization=organization,
        values=values,
        errors=errors,
        **_choices(),
    )
    return html, 422 if errors else 200


def _created_page(created: places.NewService) -> tuple[str, int]:
    names = {}
    session = db.session()
    for candidate in created.duplicates:
        other = candidate.b_id if candidate.a_id == created.service.id else candidate.a_id
        record = session.get(dm.Service, other)
        names[other] = record
    html = render_template(
        "provider/service_created.html",
        service=created.service,
        duplicates=created.duplicates,
        others=names,
    )
    return html, 201


# Locations -------------------------------------------------------------------------


@bp.route("/locations/<location_id>/edit", methods=["GET", "POST"])
@no_store
def location_edit(location_id: str) -> Any:
    location = _editable(dm.Location, location_id)
    values: Mapping[str, Any] = prefill.location_values(location)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            edit = places.parse_location(request.form)
        except FormErrors as exc:
            values, errors = request.form, exc.errors
        else:
            session = _saving()
            places.apply_location(session, location, edit)
            session.commit()
            flash(_("Saved %(name)s.", name=location.name), "info")
            return redirect(url_for("provider.home_page"), 303)
    html = render_template(
        "provider/location_edit.html",
        location=location,
        organization=location.organization,
        values=values,
        errors=errors,
    )
    return html, 422 if errors else 200


@bp.route("/organizations/<org_id>/locations/new", methods=["GET", "POST"])
@no_store
def location_new(org_id: str) -> Any:
    organization = _editable(dm.Organization, org_id)
    values: Mapping[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            edit = places.parse_location(request.form)
        except FormErrors as exc:
            values, errors = request.form, exc.errors
        else:
            session = _saving()
            location = places.new_location(session, organization, edit)
            duplicates = places.location_duplicates(session, location)
            session.commit()
            flash(_("Added %(name)s.", name=location.name), "info")
            for found in duplicates:
                other = found.b_name if found.a_id == location.id else found.a_name
                flash(_("It looks like %(other)s; a curator will check.", other=other), "info")
            return redirect(url_for("provider.home_page"), 303)
    html = render_template(
        "provider/location_edit.html",
        location=None,
        organization=organization,
        values=values,
        errors=errors,
    )
    return html, 422 if errors else 200
