"""Authorization in one place: may this user do this action on this object?

Views, API routes and commands ask :func:`can` or call :func:`require`; none of them
decides on roles by itself. Pure: no Flask, no database access (memberships are
already loaded on the user).

Objects are matched to an organization by :func:`organization_of`: an organization
id string, anything with ``policy_organization_id`` (say, a referral naming the side
that is asking) or ``organization_id`` (services, locations, clients, tokens), or an
HSDS organization itself. With no object, an organization-scoped action asks "in
any organization?" (for showing a menu); the object check comes when it is used.
"""

from __future__ import annotations

from typing import Any

from referral.accounts.models import (
    AGENCY_ADMIN,
    CASE_MANAGER,
    CURATOR,
    GLOBAL_ROLES,
    PROVIDER_STAFF,
    SYSTEM_ADMIN,
)

# Actions. Public ones need no login.
VIEW_DIRECTORY = "directory.view"
# Any signed-in user, on their own account.
VIEW_ACCOUNT = "account.view"
# One's own preferences (the interface language): they grant no access to anything.
EDIT_PREFERENCES = "account.preferences"
MANAGE_TOKEN = "token.manage"
# Asking to manage an organization, verifying one's email, the provider home page.
CLAIM_ORGANIZATION = "organization.claim"
# Organization-scoped: allowed for a role held in the object's organization.
EDIT_LISTING = "listing.edit"
VIEW_CLIENT = "client.view"
EDIT_CLIENT = "client.edit"
SEND_REFERRAL = "referral.send"
RESPOND_REFERRAL = "referral.respond"
# A provider reading the client of a referral sent to it (contact details masked when
# the client asked not to be contacted); which referral counts is the referrals
# service's question.
VIEW_REFERRED_CLIENT = "client.view_referred"
VIEW_ANALYTICS = "analytics.view"
# A provider organization's own responsiveness and outcomes (referrals it received).
VIEW_PROVIDER_ANALYTICS = "analytics.provider"
MANAGE_MEMBERS = "members.manage"
# Directory-wide.
IMPORT_DIRECTORY = "directory.import"
MERGE_LISTINGS = "directory.merge"
REVIEW_CHANGES = "directory.review"
REVIEW_CLAIMS = "organization.review_claims"
VIEW_AUDIT_LOG = "audit.view"
GRANT_GLOBAL_ROLE = "role.grant_global"
DISABLE_USER = "user.disable"

PUBLIC_ACTIONS = frozenset({VIEW_DIRECTORY})
SELF_ACTIONS = frozenset({VIEW_ACCOUNT, EDIT_PREFERENCES, MANAGE_TOKEN, CLAIM_ORGANIZATION})

# What each role held in an organization allows on that organization's objects.
ORGANIZATION_ROLE_ACTIONS: dict[str, frozenset[str]] = {
    CASE_MANAGER: frozenset({VIEW_CLIENT, EDIT_CLIENT, SEND_REFERRAL}),
    PROVIDER_STAFF: frozenset(
        {EDIT_LISTING, RESPOND_REFERRAL, VIEW_REFERRED_CLIENT, VIEW_PROVIDER_ANALYTICS}
    ),
    AGENCY_ADMIN: frozenset({VIEW_ANALYTICS, VIEW_PROVIDER_ANALYTICS, MANAGE_MEMBERS}),
}
# What a directory-wide role allows on every object. Neither sees client records:
# those stay with the organization that serves the client.
GLOBAL_ROLE_ACTIONS: dict[str, frozenset[str]] = {
    CURATOR: frozenset(
        {EDIT_LISTING, IMPORT_DIRECTORY, MERGE_LISTINGS, REVIEW_CHANGES, REVIEW_CLAIMS}
    ),
    SYSTEM_ADMIN: frozenset(
        {
            MANAGE_MEMBERS,
            VIEW_ANALYTICS,
            VIEW_PROVIDER_ANALYTICS,
            VIEW_AUDIT_LOG,
            GRANT_GLOBAL_ROLE,
            DISABLE_USER,
        }
    ),
}

# API token scopes and the actions each lets a token do (within its user's rights).
SCOPE_DIRECTORY_READ = "directory:read"
SCOPE_LISTINGS_WRITE = "listings:write"
SCOPE_REFERRALS = "referrals"
SCOPE_ANALYTICS_READ = "analytics:read"
SCOPE_ACTIONS: dict[str, frozenset[str]] = {
    SCOPE_DIRECTORY_READ: frozenset({VIEW_DIRECTORY}),
    SCOPE_LISTINGS_WRITE: frozenset({VIEW_DIRECTORY, EDIT_LISTING}),
    SCOPE_REFERRALS: frozenset(
        {VIEW_CLIENT, EDIT_CLIENT, SEND_REFERRAL, RESPOND_REFERRAL, VIEW_REFERRED_CLIENT}
    ),
    SCOPE_ANALYTICS_READ: frozenset({VIEW_ANALYTICS, VIEW_PROVIDER_ANALYTICS}),
}
SCOPES = tuple(SCOPE_ACTIONS)
# Every token may say who it belongs to, and set its owner's preferences (the API takes
# no session cookie for writes, so without this nobody could set them there).
TOKEN_BASE_ACTIONS = frozenset({VIEW_DIRECTORY, VIEW_ACCOUNT, EDIT_PREFERENCES})


class Forbidden(Exception):
    """Raised by :func:`require`. ``status`` is 401 when signing in could help."""

    def __init__(self, action: str, status: int = 403) -> None:
        super().__init__(f"not allowed: {action}")
        self.action = action
        self.status = status


def organization_of(obj: Any) -> str | None:
    if obj is None or isinstance(obj, str):
        return obj
    for attribute in ("policy_organization_id", "organization_id"):
        if hasattr(obj, attribute):
            return getattr(obj, attribute)  # type: ignore[no-any-return]
    if getattr(obj, "__tablename__", None) == "organization":
        return obj.id  # type: ignore[no-any-return]
    raise TypeError(f"cannot tell which organization owns {obj!r}")


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.active)


def roles(user: Any) -> set[tuple[str | None, str]]:
    if not is_signed_in(user):
        return set()
    return {(m.organization_id, m.role) for m in user.memberships}


def global_roles(user: Any) -> set[str]:
    return {role for org, role in roles(user) if org is None and role in GLOBAL_ROLES}


def can(user: Any, action: str, obj: Any = None) -> bool:
    if action in PUBLIC_ACTIONS:
        return True
    if not is_signed_in(user):
        return False
    token = getattr(user, "api_token", None)
    if token is not None and not _token_allows(token, action, obj):
        return False
    return _user_may(user, action, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise Forbidden(action, 403 if is_signed_in(user) else 401)


def _user_may(user: Any, action: str, obj: Any) -> bool:
    if action in SELF_ACTIONS:
        return obj is None or getattr(obj, "user_id", None) == user.id
    if action == DISABLE_USER:
        return _may_disable(user, obj)
    if any(action in GLOBAL_ROLE_ACTIONS[role] for role in global_roles(user)):
        return True
    wanted = organization_of(obj)
    return any(
        org is not None
        and action in ORGANIZATION_ROLE_ACTIONS.get(role, ())
        and (wanted is None or org == wanted)
        for org, role in roles(user)
    )


def _may_disable(user: Any, target: Any) -> bool:
    """System admins disable anyone else; an agency admin disables only people whose
    every role is in an organization the admin manages."""
    if target is None:
        return SYSTEM_ADMIN in global_roles(user) or _admin_orgs(user) != set()
    if target.id == user.id:
        return False
    if SYSTEM_ADMIN in global_roles(user):
        return True
    target_orgs = {m.organization_id for m in target.memberships}
    return bool(target_orgs) and None not in target_orgs and target_orgs <= _admin_orgs(user)


def _admin_orgs(user: Any) -> set[str | None]:
    return {org for org, role in roles(user) if role == AGENCY_ADMIN and org is not None}


def _token_allows(token: Any, action: str, obj: Any) -> bool:
    allowed = set(TOKEN_BASE_ACTIONS)
    for scope in token.scope_set:
        allowed |= SCOPE_ACTIONS.get(scope, frozenset())
    if action not in allowed:
        return False
    if token.organization_id and action not in TOKEN_BASE_ACTIONS:
        return organization_of(obj) in (None, token.organization_id)
    return True


def insufficient_scope(user: Any, action: str) -> bool:
    """True when the user could act but the token they came with does not allow it."""
    token = getattr(user, "api_token", None)
    return token is not None and not _token_allows(token, action, None)
