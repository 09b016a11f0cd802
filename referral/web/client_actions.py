"""What a case manager does for a client from the client page and the match page:
record and revoke consent, save an assessment, refer from a match result.

Every action is a POST with the CSRF token; each ends in a redirect (303) to a page
that shows the outcome, so reloading never repeats it. A refer form carries an
idempotency key made when the page was drawn: a double click sends one referral.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from referral import db
from referral.accounts import auth, policy
from referral.directory.models import Organization, ServiceAtLocation
from referral.i18n import need_label
from referral.matching import codes
from referral.matching.assessment import parse_client
from referral.matching.web import FACT_PARAMS
from referral.referrals import assessments, clients, service
from referral.referrals import consent as consent_rules
from referral.referrals.models import Assessment, Client, Consent
from referral.web import client_forms as forms
from referral.web.clients import client_or_404, now, render_client_page

bp = Blueprint("client_actions", __name__)
KEY_LIMIT = 255


@dataclass
class ClientChoice:
    """The client a match page is for, the assessment shown (None before one is
    run), and the match form filled from it or from the client's latest facts."""

    client: Client
    assessment: Assessment | None
    form: Any
    may_refer: bool

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex

    def consent_covers(self, place_id: str, need: str) -> bool:
        """Would the client's consent today let a referral to this place go out?"""
        place = db.session().get(ServiceAtLocation, place_id)
        if place is None or place.service is None or place.service.organization_id is None:
            return False
        wanted = consent_rules.Request(place.service.organization_id, need, now().date())
        return consent_rules.covering(clients.terms_of(self.client.consents), wanted) is not None


def chosen_client(args: Mapping[str, str]) -> ClientChoice | None:
    """From ``?client=<id>[&assessment=<id>]``; 403/404 as the client page answers."""
    client_id = args.get("client")
    if not client_id:
        return None
    client = client_or_404(client_id, policy.VIEW_CLIENT)
    session = db.session()
    assessment = None
    if args.get("assessment"):
        assessment = assessments.get_for_client(session, client, args["assessment"])
        if assessment is None:
            abort(404)
    may_refer = policy.can(current_user, policy.SEND_REFERRAL, client)
    return ClientChoice(client, assessment, _form_for(client, assessment), may_refer)


def _form_for(client: Client, assessment: Assessment | None) -> Any:
    from referral.matching.match_web import MatchForm

    form = MatchForm()
    if assessment is None:
        facts = clients.latest_facts(client)
        latest = assessments.latest(db.session(), client.id)
        location = latest.location if latest else None
    else:
        facts, location = assessment.facts, assessment.location
        form.needs = [n["domain"] for n in assessment.needs]
        form.details = {n["domain"]: n.get("detail") or "" for n in assessment.needs}
        form.urgencies = {n["domain"]: n.get("urgency") or "routine" for n in assessment.needs}
    params = {fact: param for param, fact in FACT_PARAMS.items()}
    for name, value in facts.items():
        param = params.get(name, name if name == "languages" else None)
        if param is not None and value is not None:
            form.values[param] = _form_text(value)
    if location:
        form.values["near"] = location
    return form


def _form_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


@bp.post("/match")
def assess() -> Response | tuple[str, int] | str:
    """The match page's form for a chosen client: saved as an assessment, then shown."""
    from referral.matching import match_web

    client = client_or_404(request.form.get("client", ""), policy.EDIT_CLIENT)
    form = match_web.read_form(request.form)
    result = match_web.run_match(form)
    choice = ClientChoice(
        client, None, form, policy.can(current_user, policy.SEND_REFERRAL, client)
    )
    if result is None:
        return match_web.render_match(form, None, choice)
    request_json = match_web.client_of(form)
    request_json["facts"] = _typed_facts(request_json)
    session = db.session()
    row = assessments.record_assessment(session, client, request_json, result, current_user, now())
    session.commit()
    # To the results, past the long form: the next Tab reaches the first result.
    target = url_for("matching.page", client=client.id, assessment=row.id, _anchor="results")
    return redirect(target, 303)


def _typed_facts(request_json: dict[str, Any]) -> dict[str, Any]:
    """The entered facts as matching parsed them (67, not "67"); derived ones left out."""
    parsed = parse_client({"facts": request_json.get("facts") or {}}).facts
    typed = {}
    for name in request_json.get("facts") or {}:
        value = getattr(parsed, name)
        typed[name] = list(value) if isinstance(value, tuple) else value
    return typed


@bp.post("/clients/<client_id>/referrals")
def refer(client_id: str) -> Response | tuple[str, int]:
    client = client_or_404(client_id, policy.SEND_REFERRAL)
    form = request.form
    key = (form.get("idempotency_key") or "").strip()
    place_id = (form.get("service_at_location_id") or "").strip()
    need = (form.get("need") or "").strip()
    note = (form.get("note") or "").strip() or None
    if not key or len(key) > KEY_LIMIT or not place_id or not codes.is_need_code(need):
        abort(400, description=_("This refer button is out of date. Run the match again."))
    new = service.NewReferral(client.id, need, place_id, key, note=note, send=True)
    session = db.session()
    try:
        referral, created = service.create_referral(session, new, current_user, now())
    except service.ConsentMissing:
        session.rollback()
        return _consent_needed(client, need, place_id), 422
    except service.ReferralError as exc:
        session.rollback()
        abort(400, description=exc.detail)
    session.commit()
    name = _place_name(place_id)
    if created:
        flash(_("Referral to %(service)s sent.", service=name), "info")
    else:
        flash(_("This referral to %(service)s was already sent.", service=name), "info")
    return redirect(url_for("clients.detail", client_id=client.id, _anchor="referrals"), 303)


def _place_name(place_id: str) -> str:
    place = db.session().get(ServiceAtLocation, place_id)
    return place.service.name if place is not None and place.service is not None else ""


def _consent_needed(client: Client, need: str, place_id: str) -> str:
    place = db.session().get(ServiceAtLocation, place_id)
    organization = place.service.organization if place and place.service else None
    back = auth.safe_next(request.form.get("back"))
    return render_template(
        "clients/consent_needed.html",
        client=client,
        organization=organization,
        service_name=place.service.name if place and place.service else "",
        need_name=need_label(need),
        has_consents=bool(client.consents),
        back=back,
    )


@bp.post("/clients/<client_id>/consents")
def consent_create(client_id: str) -> Response | tuple[str, int]:
    client = client_or_404(client_id, policy.EDIT_CLIENT)
    parsed = forms.read_consent(request.form, now().date())
    session = db.session()
    for org_id in parsed.values["recipient_organization_ids"]:
        if session.get(Organization, org_id) is None:
            parsed.errors["recipient"] = _("One of the organizations no longer exists.")
    if parsed.errors:
        return render_client_page(client, parsed.errors, parsed.values), 400
    clients.record_consent(session, client, clients.NewConsent(**parsed.values), current_user)
    session.commit()
    flash(_("Consent recorded."), "info")
    target = auth.safe_next(request.form.get("next"))
    return redirect(
        target or url_for("clients.detail", client_id=client.id, _anchor="consent"), 303
    )


@bp.post("/clients/<client_id>/consents/<consent_id>/revoke")
def consent_revoke(client_id: str, consent_id: str) -> Response:
    client = client_or_404(client_id, policy.EDIT_CLIENT)
    session = db.session()
    consent = session.get(Consent, consent_id)
    if consent is None or consent.client_id != client.id:
        abort(404)
    reason = (request.form.get("reason") or "").strip()[: forms.NOTE_LIMIT] or None
    try:
        clients.revoke_consent(session, consent, reason, current_user, now())
    except clients.ClientError:
        flash(_("This consent was already revoked."), "error")
        return redirect(url_for("clients.detail", client_id=client.id, _anchor="consent"), 303)
    session.commit()
    flash(_("Consent revoked. New referrals it covered can no longer be sent."), "info")
    return redirect(url_for("clients.detail", client_id=client.id, _anchor="consent"), 303)
