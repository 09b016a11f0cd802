"""``/r/<token>``: the one-click Accept and Decline links of a referral email.

GET only shows what will happen (mail scanners open links; they must change nothing);
the one button on that page POSTs, and the change is made as the provider user the
link was written for, without a login, after checking that the user still answers
referrals for that organization and that the referral has not moved since the email.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from referral import db
from referral.accounts import audit, policy
from referral.accounts.models import User, utcnow
from referral.accounts.security import no_store
from referral.links import (
    LinkClaim,
    LinkError,
    LinkExpired,
    LinkInvalid,
    LinkUsed,
    read_token,
    use_token,
)
from referral.notify.referral_events import ACCEPT, DECLINE, RESPOND_PURPOSE, summary
from referral.referrals import service, states
from referral.referrals.models import Referral

bp = Blueprint("links", __name__)

# Why a provider declines: the first two are also outcome codes the follow-through
# numbers count; "other" needs a note.
DECLINE_REASONS = {
    "no-capacity": _l("We have no capacity right now"),
    "not-eligible": _l("The client is not eligible for this service"),
    "not-offered": _l("We do not offer what the client needs"),
    "other": _l("Another reason (explain in the note)"),
}
MAX_NOTE = 2000
LINK_ANSWER = "referral_answered_by_link"
LINK_PROBLEMS = {
    LinkInvalid: (
        _l("This link is not valid"),
        _l("It may have been copied incompletely or changed. Sign in to open the referral."),
    ),
    LinkExpired: (
        _l("This link has expired"),
        _l("One-click links work for a limited time. Sign in to answer the referral."),
    ),
    LinkUsed: (
        _l("This link has already been used"),
        _l("Each link works once. Sign in to see the referral and what was done."),
    ),
}


NO_LONGER_STAFF = _l(
    "The account this link was sent to no longer answers referrals for this organization. "
    "Ask your organization's administrator."
)


class Refusal(Exception):
    """A valid link that cannot be acted on now; shown as a page with ``status``."""

    def __init__(self, status: int, title: object, message: object) -> None:
        super().__init__(str(message))
        self.status, self.title, self.message = status, str(title), str(message)


@dataclass(frozen=True)
class Answer:
    claim: LinkClaim
    referral: Referral
    user: User
    action: str
    version: int


@bp.after_request
def _keep_token_out_of_referers(response: Response) -> Response:
    """The token is in the URL: links followed from these pages must not carry it."""
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/r/<token>")
@no_store
def respond(token: str) -> tuple[str, int]:
    try:
        answer = _answer(db.session(), token)
    except (LinkError, Refusal) as problem:
        return _problem(problem)
    return _form(answer, token), 200


@bp.post("/r/<token>")
@no_store
def respond_submit(token: str) -> tuple[str, int]:
    session = db.session()
    try:
        answer = _answer(session, token)
    except (LinkError, Refusal) as problem:
        return _problem(problem)
    reason_code = request.form.get("reason", "")
    note = (request.form.get("note") or "").strip()[:MAX_NOTE] or None
    errors = _check(answer.action, reason_code, note)
    if errors:
        return _form(answer, token, errors, reason_code, note), 422
    try:
        _apply(session, answer, reason_code, note)
        session.commit()
    except (LinkError, Refusal) as problem:
        session.rollback()
        return _problem(problem)
    return render_template("links/done.html", **_page(answer)), 200


def _answer(session: Session, token: str) -> Answer:
    claim = read_token(session, token, RESPOND_PURPOSE)
    referral = session.get(Referral, claim.subject_id)
    user_id, action, version = (claim.extra.get(k) for k in ("u", "a", "v"))
    user = session.get(User, user_id) if isinstance(user_id, str) else None
    if referral is None or user is None or action not in (ACCEPT, DECLINE):
        raise LinkInvalid()
    if not policy.can(user, policy.RESPOND_REFERRAL, referral.recipient_organization_id):
        raise Refusal(403, _l("You can no longer answer this referral"), NO_LONGER_STAFF)
    if referral.status != states.REQUESTED or referral.version != version:
        raise _changed(referral.status)
    return Answer(claim, referral, user, action, int(version))


def _check(action: str, reason_code: str, note: str | None) -> dict[str, str]:
    if action != DECLINE:
        return {}
    if reason_code not in DECLINE_REASONS:
        return {"reason": str(_l("Choose why you are declining."))}
    if reason_code == "other" and not note:
        return {"note": str(_l("Say why in the note."))}
    return {}


def _apply(session: Session, answer: Answer, reason_code: str, note: str | None) -> None:
    accepting = answer.action == ACCEPT
    move = service.Move(
        to=states.ACCEPTED if accepting else states.REJECTED,
        expected_version=answer.version,
        reason=None if accepting else str(DECLINE_REASONS[reason_code]),
        note=note,
        outcome=reason_code if reason_code in states.OUTCOMES and not accepting else None,
    )
    use_token(session, answer.claim)
    try:
        service.transition_referral(session, answer.referral.id, move, answer.user, utcnow())
    except (service.StaleVersion, states.TransitionError):
        raise _changed(None) from None
    # No login vouched for this change: the audit log says it came from an emailed link.
    audit.record(
        session,
        audit.Context.of(answer.user, request.remote_addr),
        LINK_ANSWER,
        target=("referral", answer.referral.id),
        organization_id=answer.referral.recipient_organization_id,
        action=answer.action,
    )


def _changed(status: str | None) -> Refusal:
    if status is None:
        message = _l("Someone answered it a moment ago. Sign in to see what happened.")
    else:
        message = _l(
            "It changed after this email was sent and is now %(status)s. "
            "Sign in to see what happened.",
            status=status,
        )
    return Refusal(409, _l("This referral has changed"), message)


def _form(
    answer: Answer,
    token: str,
    errors: dict[str, str] | None = None,
    reason: str = "",
    note: str | None = None,
) -> str:
    return render_template(
        "links/respond.html",
        token=token,
        errors=errors or {},
        reasons=DECLINE_REASONS,
        chosen_reason=reason,
        note=note or "",
        **_page(answer),
    )


def _page(answer: Answer) -> dict[str, object]:
    return {
        "action": answer.action,
        "about": summary(db.session(), answer.referral),
        "user": answer.user,
        "referral_url": f"/referrals/{answer.referral.id}",
        "sign_in_url": _sign_in_url(answer.referral.id),
    }


def _problem(problem: LinkError | Refusal) -> tuple[str, int]:
    if isinstance(problem, Refusal):
        title, message, status = problem.title, problem.message, problem.status
    else:
        texts = LINK_PROBLEMS.get(type(problem), LINK_PROBLEMS[LinkInvalid])
        title, message = str(texts[0]), str(texts[1])
        status = problem.status
    page = render_template(
        "links/problem.html", title=title, message=message, sign_in_url=_sign_in_url(None)
    )
    return page, status


def _sign_in_url(referral_id: str | None) -> str:
    from flask import current_app

    if "accounts.login" not in current_app.view_functions:
        return "/"
    target = f"/referrals/{referral_id}" if referral_id else "/inbox"
    return url_for("accounts.login", next=target)
