"""``/referrals/<id>``: one referral as both sides see it, and the status changes the
current user's side may make from it.

Who sees the page is the policy's and the referrals service's call (``may_view``);
which buttons show is the lifecycle table's (``states.TRANSITIONS``) for the side(s)
the user acts for. Every form carries the version it was read at: a change made
from a stale page is refused with 409 and the page shown again with the current
state and what the user typed, so nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime, format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_login import current_user
from werkzeug.wrappers import Response

from referral import db
from referral.accounts import audit, auth, policy
from referral.accounts.models import User, utcnow
from referral.accounts.security import no_store
from referral.directory.models import Organization, ServiceAtLocation
from referral.i18n import need_label
from referral.referrals import clients, service, states
from referral.referrals.labels import OUTCOME_LABELS
from referral.referrals.models import DO_NOT_CONTACT, Referral

bp = Blueprint("referral_page", __name__)

SIDE_ACTIONS = {states.REFERRER: policy.SEND_REFERRAL, states.PROVIDER: policy.RESPOND_REFERRAL}

# One referral's status: in Spanish an adjective that agrees with "la remisión"
# ("Aceptada"), where the analytics headings of the same English words are plural.
STATUS_LABELS = {
    states.DRAFT: _lp("one referral's status", "Draft"),
    states.REQUESTED: _lp("one referral's status", "Requested"),
    states.ACCEPTED: _lp("one referral's status", "Accepted"),
    states.REJECTED: _lp("one referral's status", "Declined"),
    states.IN_PROGRESS: _lp("one referral's status", "In progress"),
    states.ON_HOLD: _lp("one referral's status", "On hold"),
    states.COMPLETED: _lp("one referral's status", "Completed"),
    states.FAILED: _lp("one referral's status", "Failed"),
    states.CANCELLED: _lp("one referral's status", "Cancelled"),
    states.ENTERED_IN_ERROR: _lp("one referral's status", "Entered in error"),
}
ENROLLMENT_LABELS = {
    "enrolled": _l("Enrolled"),
    "not-enrolled": _l("Not enrolled"),
    "waitlisted": _l("Waitlisted"),
}
# What the button says for a move to each status.
ACTION_LABELS = {
    states.REQUESTED: _l("Send referral"),
    states.ACCEPTED: _l("Accept"),
    states.REJECTED: _l("Decline"),
    states.IN_PROGRESS: _l("Mark in progress"),
    states.ON_HOLD: _l("Put on hold"),
    states.COMPLETED: _l("Complete"),
    states.FAILED: _l("Close as failed"),
    states.CANCELLED: _l("Cancel referral"),
    states.ENTERED_IN_ERROR: _l("Withdraw: entered in error"),
}
# Outcome codes asked for on moves that close the loop: required on completion
# (the point of a closed loop is knowing whether the client got help).
OUTCOME_REQUIRED = frozenset({states.COMPLETED})
OUTCOME_OFFERED = frozenset({states.COMPLETED, states.REJECTED, states.FAILED})


@dataclass(frozen=True)
class Action:
    to: str
    side: str
    label: str
    reason_required: bool
    outcome: str | None  # "required", "optional" or None

    @property
    def quick(self) -> bool:
        """A move that needs nothing but a click (an optional note aside)."""
        return not self.reason_required and self.outcome is None


@dataclass
class Typed:
    """What the user sent with a form, kept to show it again after a refusal."""

    to: str = ""
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    stale: bool = False


def actions_for(referral: Referral, sides: frozenset[str]) -> list[Action]:
    found = []
    for (current, target), side in states.TRANSITIONS.items():
        if current != referral.status or side not in sides:
            continue
        label = ACTION_LABELS[target]
        if current == states.ON_HOLD and target == states.IN_PROGRESS:
            label = _l("Resume")
        outcome = (
            "required"
            if target in OUTCOME_REQUIRED
            else "optional"
            if target in OUTCOME_OFFERED
            else None
        )
        found.append(Action(target, side, str(label), target in states.REASON_REQUIRED, outcome))
    return found


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.app_template_filter("when")
def when(moment: datetime | None) -> str:
    """Absolute time, in UTC and said so: '27 Nov 2026, 15:00 UTC'."""
    moment = aware(moment)
    if moment is None:
        return ""
    return format_datetime(moment, "d MMM yyyy, HH:mm") + " UTC"


@bp.app_template_filter("relative")
def relative(moment: datetime | None, now: datetime | None = None) -> str:
    """'in 2 days', '3 hours ago'."""
    moment = aware(moment)
    if moment is None:
        return ""
    return format_timedelta(moment - (now or utcnow()), add_direction=True)


@bp.app_template_filter("referral_status")
def referral_status(status: str | None) -> str:
    return str(STATUS_LABELS.get(status or "", status or ""))


@bp.app_template_filter("outcome_label")
def outcome_label(code: str | None) -> str:
    labels = {**OUTCOME_LABELS, **ENROLLMENT_LABELS}
    return str(labels.get(code or "", code or ""))


def _visible(referral_id: str) -> Referral:
    """People with no referral role are refused; a referral the user may not see is
    a 404, so its existence is not given away."""
    if not any(policy.can(current_user, a) for a in (policy.VIEW_CLIENT, policy.RESPOND_REFERRAL)):
        policy.require(current_user, policy.VIEW_CLIENT)
    referral = db.session().get(Referral, referral_id)
    if referral is None or not service.may_view(current_user, referral):
        abort(404, description=_("No referral has this address, or it is not yours to see."))
    return referral


@bp.get("/referrals/<referral_id>")
@no_store
def show(referral_id: str) -> str:
    referral = _visible(referral_id)
    return _render(referral, Typed())


@bp.post("/referrals/<referral_id>/transitions")
@no_store
def transition(referral_id: str) -> Response | tuple[str, int]:
    referral = _visible(referral_id)
    typed = _typed_from(request.form)
    session = db.session()
    try:
        move = _move(typed)
        service.transition_referral(session, referral.id, move, current_user, utcnow())
    except states.WrongActor as exc:
        raise policy.Forbidden(SIDE_ACTIONS[exc.required]) from None
    except service.StaleVersion:
        typed.stale = True
        return _render(_reread(referral_id), typed), 409
    except (states.TransitionError, service.ReferralError) as exc:
        typed.errors[exc.field] = _problem_text(exc)
        return _render(_reread(referral_id), typed), 422
    session.commit()
    flash(_("The referral is now %(status)s.", status=referral_status(typed.to).lower()), "info")
    return redirect(url_for("referral_page.show", referral_id=referral_id), 303)


def _reread(referral_id: str) -> Referral:
    """The referral as it is now, after the refused change was rolled back."""
    session = db.session()
    session.rollback()
    referral = session.get(Referral, referral_id)
    if referral is None:
        abort(404)
    return referral


def _problem_text(exc: Exception) -> str:
    """What went wrong, in the reader's language where the words are ours."""
    if isinstance(exc, states.ReasonRequired):
        return _("Give a reason: the other side will read it.")
    if isinstance(exc, states.ReasonTooLong):
        return _("Shorten the reason to %(n)s characters or fewer.", n=states.MAX_REASON)
    if isinstance(exc, states.ForbiddenTransition):
        return _(
            "A %(current)s referral cannot become %(target)s.",
            current=referral_status(exc.current).lower(),
            target=referral_status(exc.target).lower(),
        )
    return str(getattr(exc, "detail", exc))


FORM_FIELDS = ("reason", "note", "outcome", "enrollment")


def _typed_from(form: Any) -> Typed:
    values = {name: (form.get(name) or "").strip() for name in FORM_FIELDS}
    return Typed(to=(form.get("to") or "").strip(), values=values)


class _FormProblem(states.TransitionError):
    def __init__(self, field_name: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field_name
        self.detail = detail


def _move(typed: Typed) -> service.Move:
    version = request.form.get("version", "")
    if not version.isdigit():
        abort(400, description=_("The form did not say which version of the referral it saw."))
    if typed.to in OUTCOME_REQUIRED and not typed.values["outcome"]:
        raise _FormProblem("outcome", _("Choose the outcome: did the client get help?"))
    values = {name: value or None for name, value in typed.values.items()}
    return service.Move(to=typed.to, expected_version=int(version), **values)


def _render(referral: Referral, typed: Typed) -> str:
    session = db.session()
    client = referral.client
    audit.record_client_read(session, auth.context(), client.id, client.organization_id)
    session.commit()
    masked = not policy.can(current_user, policy.VIEW_CLIENT, referral.referrer_organization_id)
    sides = service.actor_sides(current_user, referral)
    return render_template(
        "referrals/detail.html",
        referral=referral,
        client=client,
        contact=clients.contact_details(client, masked),
        contact_hidden=masked and client.contact_preference == DO_NOT_CONTACT,
        do_not_contact=client.contact_preference == DO_NOT_CONTACT,
        is_referrer=states.REFERRER in sides,
        is_provider=states.PROVIDER in sides,
        client_page=_client_page(referral),
        need=need_label(referral.need_code),
        place=session.get(ServiceAtLocation, referral.service_at_location_id),
        referrer=session.get(User, referral.referrer_id) if referral.referrer_id else None,
        organizations=_organization_names(referral),
        events=service.events(session, referral.id),
        overdue=service.is_overdue(referral, utcnow()),
        actions=actions_for(referral, sides),
        typed=typed,
        outcomes=OUTCOME_LABELS,
        enrollments=ENROLLMENT_LABELS,
        now=utcnow(),
    )


def _client_page(referral: Referral) -> str | None:
    """The client's own page, for the people who may open it (the client's agency)."""
    if "clients.detail" not in current_app.view_functions:
        return None
    if not policy.can(current_user, policy.VIEW_CLIENT, referral.referrer_organization_id):
        return None
    return url_for("clients.detail", client_id=referral.client_id)


def _organization_names(referral: Referral) -> dict[str, str]:
    session = db.session()
    names = {}
    for org_id in (referral.referrer_organization_id, referral.recipient_organization_id):
        org = session.get(Organization, org_id)
        names[org_id] = org.name if org is not None else ""
    return names
