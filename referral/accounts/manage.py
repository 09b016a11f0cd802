"""Managing people: an organization's members and their roles (agency admins and
system admins), disabling accounts, and reading the security audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from referral import db
from referral.accounts import audit, auth, policy, users
from referral.accounts.models import ORGANIZATION_ROLES, SecurityAuditEvent, User
from referral.accounts.security import no_store
from referral.accounts.views import role_label
from referral.directory.models import Organization

bp = Blueprint("manage", __name__, url_prefix="/manage")

AUDIT_PAGE_SIZE = 100


def _organization(org_id: str) -> Organization:
    organization = db.session().get(Organization, org_id)
    if organization is None:
        abort(404)
    return organization


@bp.get("/organizations/<org_id>/members")
@no_store
def members(org_id: str) -> str:
    policy.require(current_user, policy.MANAGE_MEMBERS, org_id)
    return _members_page(_organization(org_id))


def _members_page(organization: Organization, error: str | None = None) -> str:
    return render_template(
        "accounts/members.html",
        organization=organization,
        members=users.members(db.session(), organization.id),
        roles=ORGANIZATION_ROLES,
        error=error,
    )


@bp.post("/organizations/<org_id>/members")
def member_add(org_id: str) -> Response | tuple[str, int]:
    policy.require(current_user, policy.MANAGE_MEMBERS, org_id)
    organization = _organization(org_id)
    db_session = db.session()
    role = request.form.get("role", "")
    try:
        if role not in ORGANIZATION_ROLES:
            raise users.AccountError("role", f"choose one of {', '.join(ORGANIZATION_ROLES)}")
        user = users.get_user(db_session, request.form.get("email", ""))
        users.grant_role(db_session, auth.context(), user, role, org_id)
    except users.AccountError as exc:
        db_session.rollback()
        return _members_page(organization, error=exc.message), 400
    db_session.commit()
    flash(_("%(email)s is now %(role)s.", email=user.email, role=role_label(role)), "info")
    return redirect(url_for("manage.members", org_id=org_id), 303)


@bp.post("/organizations/<org_id>/members/<user_id>/remove")
def member_remove(org_id: str, user_id: str) -> Response:
    policy.require(current_user, policy.MANAGE_MEMBERS, org_id)
    db_session = db.session()
    user = db_session.get(User, user_id)
    if user is None:
        abort(404)
    role = request.form.get("role", "")
    if not users.revoke_role(db_session, auth.context(), user, role, org_id):
        abort(404)
    db_session.commit()
    flash(_("%(email)s no longer has that role.", email=user.email), "info")
    return redirect(url_for("manage.members", org_id=org_id), 303)


@bp.post("/users/<user_id>/disable")
def user_disable(user_id: str) -> Response:
    db_session = db.session()
    user = db_session.get(User, user_id)
    if user is None:
        policy.require(current_user, policy.DISABLE_USER)
        abort(404)
    policy.require(current_user, policy.DISABLE_USER, user)
    users.disable_user(db_session, auth.context(), user)
    db_session.commit()
    flash(_("%(email)s is disabled and signed out everywhere.", email=user.email), "info")
    return redirect(url_for("accounts.account"), 303)


@bp.get("/audit")
@no_store
def audit_log() -> str:
    policy.require(current_user, policy.VIEW_AUDIT_LOG)
    before = request.args.get("before", type=int)
    event_type = request.args.get("type") or None
    events: list[SecurityAuditEvent] = list(
        audit.recent(db.session(), limit=AUDIT_PAGE_SIZE, before_id=before, event_type=event_type)
    )
    return render_template("accounts/audit.html", events=events, event_type=event_type)
