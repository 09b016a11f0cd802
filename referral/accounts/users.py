"""User accounts and roles: plain functions over a Session that never commit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral.accounts import audit, passwords, sessions
from referral.accounts.models import (
    GLOBAL_ROLES,
    ORGANIZATION_ROLES,
    ROLES,
    Membership,
    User,
    utcnow,
)
from referral.directory.models import Organization
from referral.i18n import LANGUAGES


class AccountError(ValueError):
    """Bad input for an account operation; ``field`` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def set_language(user: User, language: str | None) -> None:
    """The user's interface language; None (or "") forgets the choice, and pages follow
    the browser again."""
    if language and language not in LANGUAGES:
        raise AccountError(
            "language", f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}"
        )
    user.language = language or None


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise AccountError("email", f"{email!r} is not an email address")
    return email


def find_user(session: Session, email: str) -> User | None:
    address = email.strip().lower()
    return session.scalars(select(User).where(func.lower(User.email) == address)).first()


def get_user(session: Session, email: str) -> User:
    user = find_user(session, email)
    if user is None:
        raise AccountError("email", f"no user with email {email.strip()!r}")
    return user


def check_new_password(password: str, email: str | None = None) -> None:
    found = passwords.problems(password, email=email)
    if found:
        raise AccountError("password", " ".join(p.message for p in found))


def create_user(
    session: Session, context: audit.Context, email: str, name: str, password: str
) -> User:
    email = normalize_email(email)
    if not name.strip():
        raise AccountError("name", "a name is required")
    if find_user(session, email) is not None:
        raise AccountError("email", f"a user with email {email!r} already exists")
    check_new_password(password, email)
    user = User(email=email, name=name.strip(), password_hash=passwords.hash_password(password))
    session.add(user)
    session.flush()
    audit.record(session, context, audit.USER_CREATED, target=("user", user.id), email=email)
    return user


def check_role(session: Session, role: str, organization_id: str | None) -> None:
    if role not in ROLES:
        raise AccountError("role", f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if role in GLOBAL_ROLES and organization_id is not None:
        raise AccountError("organization", f"{role} is directory-wide: give no organization")
    if role in ORGANIZATION_ROLES and organization_id is None:
        raise AccountError("organization", f"{role} is held in an organization: name one")
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise AccountError("organization", f"no organization with id {organization_id!r}")


def grant_role(
    session: Session,
    context: audit.Context,
    user: User,
    role: str,
    organization_id: str | None = None,
) -> Membership:
    check_role(session, role, organization_id)
    for membership in user.memberships:
        if (membership.organization_id, membership.role) == (organization_id, role):
            return membership
    membership = Membership(user=user, role=role, organization_id=organization_id)
    session.add(membership)
    session.flush()
    audit.record(
        session,
        context,
        audit.ROLE_GRANTED,
        target=("user", user.id),
        organization_id=organization_id,
        role=role,
    )
    return membership


def revoke_role(
    session: Session,
    context: audit.Context,
    user: User,
    role: str,
    organization_id: str | None = None,
) -> bool:
    for membership in list(user.memberships):
        if (membership.organization_id, membership.role) == (organization_id, role):
            user.memberships.remove(membership)
            session.flush()
            audit.record(
                session,
                context,
                audit.ROLE_REVOKED,
                target=("user", user.id),
                organization_id=organization_id,
                role=role,
            )
            return True
    return False


def members(session: Session, organization_id: str) -> list[Membership]:
    query = (
        select(Membership)
        .join(User)
        .where(Membership.organization_id == organization_id)
        .order_by(User.email, Membership.role)
    )
    return list(session.scalars(query))


def disable_user(session: Session, context: audit.Context, user: User) -> None:
    """Disabling signs the user out everywhere: sessions end, tokens stop working."""
    user.active = False
    ended = sessions.end_all(session, user.id)
    audit.record(
        session, context, audit.USER_DISABLED, target=("user", user.id), sessions_ended=ended
    )


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same work either way)."""
    user = find_user(session, email) if email else None
    if user is None:
        passwords.verify_password(passwords.dummy_hash(), password)
        return None
    if not passwords.verify_password(user.password_hash, password) or not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def change_password(
    session: Session,
    context: audit.Context,
    user: User,
    current: str,
    new: str,
    keep_session: str | None = None,
) -> None:
    """Changing the password ends the user's other sessions."""
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("current_password", "The current password is not right.")
    check_new_password(new, user.email)
    user.password_hash = passwords.hash_password(new)
    user.password_changed_at = utcnow()
    ended = sessions.end_all(session, user.id, keep=keep_session)
    audit.record(
        session, context, audit.PASSWORD_CHANGED, target=("user", user.id), sessions_ended=ended
    )
