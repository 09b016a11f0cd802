"""Pages: claiming an organization, verifying one's email, the curators' claim queue
and the provider home page. Views parse, call one function, render."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from referral import db, links
from referral.accounts import auth, policy
from referral.accounts.security import no_store
from referral.directory.models import Organization
from referral.i18n import current_language
from referral.provider import claims, email_check, home
from referral.provider.models import OrganizationClaim

bp = Blueprint("provider", __name__)


def now() -> datetime:
    return datetime.now(UTC)


def _organization(org_id: str) -> Organization:
    organization = db.session().get(Organization, org_id)
    if organization is None:
        abort(404, description=_("No organization has this address."))
    return organization


# Claiming --------------------------------------------------------------------------


@bp.get("/organizations/<org_id>/claim")
@no_store
def claim_form(org_id: str) -> str:
    policy.require(current_user, policy.CLAIM_ORGANIZATION)
    return _claim_page(_organization(org_id))


def _claim_page(organization: Organization, errors: dict[str, str] | None = None) -> str:
    session = db.session()
    return render_template(
        "provider/claim.html",
        organization=organization,
        pending=claims.open_claim(session, current_user, organization.id),
        already=claims.is_staff(current_user, organization.id),
        auto_possible=claims.domain_matches(current_user.email, organization.website),
        verified=current_user.email_verified_at is not None,
        errors=errors or {},
        message=request.form.get("message", ""),
    )


@bp.post("/organizations/<org_id>/claim")
def claim_submit(org_id: str) -> Response | tuple[str, int]:
    policy.require(current_user, policy.CLAIM_ORGANIZATION)
    organization = _organization(org_id)
    if claims.is_staff(current_user, organization.id):
        flash(_("You already manage %(name)s.", name=organization.name), "info")
        return redirect(url_for("provider.home_page"), 303)
    session = db.session()
    try:
        outcome = claims.request_claim(
            session,
            auth.context(),
            current_user,
            organization,
            request.form.get("message", ""),
            now(),
        )
    except claims.ClaimError as exc:
        session.rollback()
        return _claim_page(organization, {exc.field: exc.message}), 422
    session.commit()
    if outcome.automatic:
        flash(
            _(
                "You now manage %(name)s: your verified email is at its web domain.",
                name=organization.name,
            ),
            "info",
        )
    else:
        flash(
            _(
                "Thank you. A curator will review your request to manage %(name)s.",
                name=organization.name,
            ),
            "info",
        )
    return redirect(url_for("provider.home_page"), 303)


# Email verification ----------------------------------------------------------------


@bp.post("/account/email/verify")
def verify_email_send() -> Response:
    policy.require(current_user, policy.CLAIM_ORGANIZATION)
    session = db.session()

    def link_for(token: str) -> str:
        return url_for("provider.verify_email_page", token=token, _external=True)

    email_check.send_link(session, current_user, link_for, now(), current_language())
    session.commit()
    flash(
        _(
            "We sent a link to %(email)s. Open it to confirm your address.",
            email=current_user.email,
        ),
        "info",
    )
    back = auth.safe_next(request.form.get("next"))
    return redirect(back or url_for("provider.home_page"), 303)


@bp.get("/account/email/verify/<token>")
@no_store
def verify_email_page(token: str) -> tuple[str, int]:
    # Reading only: mail scanners open links, so confirming needs the button (POST).
    try:
        _claim, user = email_check.check(db.session(), token, now())
    except links.LinkError as exc:
        return render_template(
            "provider/verify_email.html", error=exc.message, user=None
        ), exc.status
    return render_template("provider/verify_email.html", error=None, user=user, token=token), 200


@bp.post("/account/email/verify/<token>")
def verify_email_confirm(token: str) -> Response | tuple[str, int]:
    session = db.session()
    try:
        user, approved = email_check.confirm(session, auth.context(), token, now())
    except links.LinkError as exc:
        session.rollback()
        return render_template(
            "provider/verify_email.html", error=exc.message, user=None
        ), exc.status
    session.commit()
    flash(_("Your email address %(email)s is confirmed.", email=user.email), "info")
    for claim in approved:
        flash(_("You now manage %(name)s.", name=claim.organization.name), "info")
    target = "provider.home_page" if current_user.is_authenticated else "accounts.login"
    return redirect(url_for(target), 303)


# The curators' queue -----------------------------------------------------------------


@bp.get("/curation/claims")
@no_store
def claims_queue() -> str:
    policy.require(current_user, policy.REVIEW_CLAIMS)
    return _queue_page()


def _queue_page(errors: dict[str, dict[str, str]] | None = None) -> str:
    session = db.session()
    return render_template(
        "curation/claims.html",
        pending=claims.pending_claims(session),
        decided=claims.recent_decisions(session),
        domain_matches=claims.domain_matches,
        errors=errors or {},
    )


@bp.post("/curation/claims/<claim_id>")
def claim_decide(claim_id: str) -> Response | tuple[str, int]:
    policy.require(current_user, policy.REVIEW_CLAIMS)
    session = db.session()
    claim = session.get(OrganizationClaim, claim_id)
    if claim is None:
        abort(404, description=_("No request has this address."))
    decision, note = request.form.get("decision", ""), request.form.get("note", "")
    try:
        if decision == "approve":
            claims.approve(session, auth.context(), claim, current_user.email, now(), note)
        elif decision == "reject":
            claims.reject(session, auth.context(), claim, current_user.email, now(), note)
        else:
            raise claims.ClaimError("decision", _("Choose approve or reject."))
    except claims.ClaimError as exc:
        session.rollback()
        return _queue_page({claim_id: {exc.field: exc.message}}), 422
    session.commit()
    done = _("approved") if decision == "approve" else _("rejected")
    flash(_("Request from %(email)s %(done)s.", email=claim.user.email, done=done), "info")
    return redirect(url_for("provider.claims_queue"), 303)


# Provider home ---------------------------------------------------------------------


@bp.get("/provider")
@no_store
def home_page() -> str:
    policy.require(current_user, policy.CLAIM_ORGANIZATION)
    data = home.provider_home(db.session(), current_user, now().date())
    return render_template(
        "provider/home.html",
        home=data,
        verified=current_user.email_verified_at is not None,
        may_review=policy.can(current_user, policy.REVIEW_CLAIMS),
    )


@bp.app_context_processor
def listing_editing() -> dict[str, object]:
    """``can_edit_listing(org_id)`` for the directory pages' Edit links."""

    def can_edit_listing(organization_id: str | None) -> bool:
        return organization_id is not None and policy.can(
            current_user, policy.EDIT_LISTING, organization_id
        )

    return {"can_edit_listing": can_edit_listing}
