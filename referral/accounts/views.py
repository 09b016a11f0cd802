"""Sign in, sign out, the account page, password change and API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, refresh
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from referral import db
from referral.accounts import audit, auth, models, policy, sessions, tokens, users
from referral.accounts.models import ApiToken
from referral.accounts.security import no_store
from referral.directory.models import Organization
from referral.i18n import COOKIE, COOKIE_MAX_AGE

bp = Blueprint("accounts", __name__)

LOGIN_FAILED = _l("That email and password do not match an active account.")
UNKNOWN_LANGUAGE = _l("Choose one of the languages in the list.")
ROLE_LABELS = {
    models.CASE_MANAGER: _l("case manager"),
    models.PROVIDER_STAFF: _l("provider staff"),
    models.AGENCY_ADMIN: _l("agency admin"),
    models.CURATOR: _l("curator"),
    models.SYSTEM_ADMIN: _l("system admin"),
}


@bp.app_template_global()
def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role.replace("_", " ")))


@bp.get("/login")
def login() -> str:
    return render_template("accounts/login.html", next=auth.safe_next(request.args.get("next")))


@bp.post("/login")
def login_submit() -> Response | tuple[str, int]:
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    target = auth.safe_next(request.form.get("next"))
    db_session = db.session()
    user = users.authenticate(db_session, email, password)
    if user is None:
        audit.record(db_session, auth.context(), audit.LOGIN_FAILED, email=email[:254])
        db_session.commit()
        page = render_template(
            "accounts/login.html", next=target, email=email, error=str(LOGIN_FAILED)
        )
        return page, 401
    auth.start_session(user)
    db_session.commit()
    return redirect(target or url_for("accounts.account"), 303)


@bp.post("/logout")
def logout() -> Response:
    auth.end_session()
    db.session().commit()
    flash(_("You are signed out."), "info")
    return redirect(url_for("directory.browse"), 303)


@bp.get("/account")
@no_store
def account() -> str:
    policy.require(current_user, policy.VIEW_ACCOUNT)
    return _account_page()


def _account_page(error: str | None = None, language_error: str | None = None) -> str:
    org_ids = {m.organization_id for m in current_user.memberships if m.organization_id}
    names = {o.id: o.name for o in _organizations(org_ids)}
    live = sessions.active_sessions(db.session(), current_user.id)
    return render_template(
        "accounts/account.html",
        org_names=names,
        error=error,
        language_error=language_error,
        session_count=len(live),
    )


def _organizations(ids: set[str]) -> list[Organization]:
    if not ids:
        return []
    return list(db.session().scalars(select(Organization).where(Organization.id.in_(ids))))


@bp.post("/account/password")
@no_store
def change_password() -> Response | tuple[str, int]:
    policy.require(current_user, policy.VIEW_ACCOUNT)
    db_session = db.session()
    try:
        users.change_password(
            db_session,
            auth.context(),
            current_user,
            request.form.get("current_password", ""),
            request.form.get("new_password", ""),
            keep_session=auth.current_session_id(),
        )
    except users.AccountError as exc:
        db_session.rollback()
        return _account_page(error=exc.message), 400
    db_session.commit()
    flash(_("Your password is changed; your other sessions are signed out."), "info")
    return redirect(url_for("accounts.account"), 303)


@bp.post("/account/language")
@no_store
def change_language() -> Response | tuple[str, int]:
    policy.require(current_user, policy.EDIT_PREFERENCES)
    language = request.form.get("language", "")
    try:
        users.set_language(current_user, language)
    except users.AccountError:
        return _account_page(language_error=str(UNKNOWN_LANGUAGE)), 400
    db.session().commit()
    refresh()  # the confirmation in the language just chosen
    flash(_("Your language is saved."), "info")
    response = redirect(url_for("accounts.account"), 303)
    if language:  # signed out on this browser, the pages stay in it too
        response.set_cookie(COOKIE, language, max_age=COOKIE_MAX_AGE, samesite="Lax")
    return response


@bp.post("/account/sessions/end-others")
def end_other_sessions() -> Response:
    policy.require(current_user, policy.VIEW_ACCOUNT)
    db_session = db.session()
    ended = sessions.end_all(db_session, current_user.id, keep=auth.current_session_id())
    audit.record(db_session, auth.context(), audit.SESSIONS_ENDED, sessions_ended=ended)
    db_session.commit()
    message = ngettext(
        "Signed out of %(num)s other session.", "Signed out of %(num)s other sessions.", ended
    )
    flash(message, "info")
    return redirect(url_for("accounts.account"), 303)


@bp.get("/account/tokens")
@no_store
def token_list() -> str:
    policy.require(current_user, policy.MANAGE_TOKEN)
    return _tokens_page()


def _tokens_page(error: str | None = None, secret: str | None = None) -> str:
    return render_template(
        "accounts/tokens.html",
        tokens=tokens.tokens_of(db.session(), current_user.id),
        scopes=policy.SCOPES,
        error=error,
        secret=secret,
    )


@bp.post("/account/tokens")
@no_store
def token_create() -> tuple[str, int]:
    policy.require(current_user, policy.MANAGE_TOKEN)
    db_session = db.session()
    try:
        _token, secret = tokens.create_token(
            db_session,
            auth.context(),
            current_user,
            request.form.get("name", ""),
            request.form.getlist("scopes"),
            request.form.get("organization_id") or None,
        )
    except users.AccountError as exc:
        db_session.rollback()
        return _tokens_page(error=exc.message), 400
    db_session.commit()
    return _tokens_page(secret=secret), 201


@bp.post("/account/tokens/<token_id>/revoke")
def token_revoke(token_id: str) -> Response:
    db_session = db.session()
    token = db_session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    policy.require(current_user, policy.MANAGE_TOKEN, token)
    tokens.revoke_token(db_session, auth.context(), token)
    db_session.commit()
    flash(_("Token “%(name)s” is revoked.", name=token.name), "info")
    return redirect(url_for("accounts.token_list"), 303)
