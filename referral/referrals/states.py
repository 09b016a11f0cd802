"""The referral lifecycle as data: which status may follow which, and who may move it.

Statuses follow the HL7 SDOH Clinical Care referral task (FHIR Task.status). The
referrer requests, cancels and withdraws a referral sent in error; the receiving
provider answers it. Pure: no database, no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT = "draft"
REQUESTED = "requested"
ACCEPTED = "accepted"
REJECTED = "rejected"
IN_PROGRESS = "in-progress"
ON_HOLD = "on-hold"
COMPLETED = "completed"
FAILED = "failed"
CANCELLED = "cancelled"
ENTERED_IN_ERROR = "entered-in-error"

STATUSES = (
    DRAFT,
    REQUESTED,
    ACCEPTED,
    REJECTED,
    IN_PROGRESS,
    ON_HOLD,
    COMPLETED,
    FAILED,
    CANCELLED,
    ENTERED_IN_ERROR,
)
FINAL = frozenset({REJECTED, COMPLETED, FAILED, CANCELLED, ENTERED_IN_ERROR})
# Endings the provider chose; cancelled and entered-in-error were the referrer's call
# and say nothing about the provider's follow-through.
PROVIDER_CLOSED = frozenset({REJECTED, COMPLETED, FAILED})

REFERRER = "referrer"
PROVIDER = "provider"
ACTOR_ROLES = (REFERRER, PROVIDER)

# (from, to) -> the side that may make the move. Anything not listed is forbidden.
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, REQUESTED): REFERRER,
    (DRAFT, CANCELLED): REFERRER,
    (DRAFT, ENTERED_IN_ERROR): REFERRER,
    (REQUESTED, CANCELLED): REFERRER,
    (REQUESTED, ENTERED_IN_ERROR): REFERRER,
    (ACCEPTED, CANCELLED): REFERRER,
    (IN_PROGRESS, CANCELLED): REFERRER,
    (ON_HOLD, CANCELLED): REFERRER,
    (REQUESTED, ACCEPTED): PROVIDER,
    (REQUESTED, REJECTED): PROVIDER,
    (ACCEPTED, IN_PROGRESS): PROVIDER,
    (ACCEPTED, ON_HOLD): PROVIDER,
    (ACCEPTED, COMPLETED): PROVIDER,
    (ACCEPTED, FAILED): PROVIDER,
    (IN_PROGRESS, ON_HOLD): PROVIDER,
    (IN_PROGRESS, COMPLETED): PROVIDER,
    (IN_PROGRESS, FAILED): PROVIDER,
    (ON_HOLD, IN_PROGRESS): PROVIDER,
    (ON_HOLD, FAILED): PROVIDER,
}
REASON_REQUIRED = frozenset({REJECTED, CANCELLED, ON_HOLD, FAILED})

OUTCOMES = (
    "got-help",
    "not-eligible",
    "no-capacity",
    "could-not-contact",
    "could-not-get-help",
    "no-longer-interested",
    "referred-elsewhere",
)
GOT_HELP = "got-help"
ENROLLMENTS = ("enrolled", "not-enrolled", "waitlisted")
MAX_REASON = 2000


class TransitionError(Exception):
    """A requested status change the lifecycle does not allow; ``field`` names the
    part of the request at fault."""

    field = "to"


class UnknownStatus(TransitionError):
    def __init__(self, status: str) -> None:
        super().__init__(f"{status!r} is not a referral status (one of {', '.join(STATUSES)})")


class ForbiddenTransition(TransitionError):
    def __init__(self, current: str, target: str) -> None:
        allowed = sorted(to for (frm, to) in TRANSITIONS if frm == current)
        after = ", ".join(allowed) if allowed else "nothing: it is final"
        super().__init__(f"a {current} referral cannot become {target} (allowed: {after})")
        self.current, self.target = current, target


class WrongActor(TransitionError):
    def __init__(self, target: str, required: str) -> None:
        super().__init__(f"only the {required} may set a referral to {target}")
        self.required = required


class ReasonRequired(TransitionError):
    field = "reason"

    def __init__(self, target: str) -> None:
        super().__init__(f"a reason is required to set a referral to {target}")


class ReasonTooLong(TransitionError):
    field = "reason"

    def __init__(self) -> None:
        super().__init__(f"a reason can be at most {MAX_REASON} characters")


class InvalidCode(TransitionError):
    def __init__(self, field: str, value: object, allowed: tuple[str, ...]) -> None:
        super().__init__(f"{field} {value!r} is not one of {', '.join(allowed)}")
        self.field = field


@dataclass(frozen=True)
class Change:
    from_status: str
    to_status: str
    actor_role: str
    reason: str | None


def required_role(current: str, target: str) -> str:
    """The side allowed to move ``current`` to ``target``; raises when nobody is."""
    for status in (current, target):
        if status not in STATUSES:
            raise UnknownStatus(status)
    role = TRANSITIONS.get((current, target))
    if role is None:
        raise ForbiddenTransition(current, target)
    return role


def transition(current: str, target: str, actor_role: str, reason: str | None = None) -> Change:
    role = required_role(current, target)
    if actor_role != role:
        raise WrongActor(target, role)
    reason = (reason or "").strip() or None
    if target in REASON_REQUIRED and reason is None:
        raise ReasonRequired(target)
    if reason is not None and len(reason) > MAX_REASON:
        raise ReasonTooLong()
    return Change(current, target, actor_role, reason)


def check_outcome(outcome: str | None, enrollment: str | None) -> None:
    if outcome is not None and outcome not in OUTCOMES:
        raise InvalidCode("outcome", outcome, OUTCOMES)
    if enrollment is not None and enrollment not in ENROLLMENTS:
        raise InvalidCode("enrollment", enrollment, ENROLLMENTS)
