"""The policy is pure, so these tests use plain stand-ins for users and objects."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from referral.accounts import policy
from referral.accounts.models import (
    AGENCY_ADMIN,
    CASE_MANAGER,
    CURATOR,
    PROVIDER_STAFF,
    SYSTEM_ADMIN,
)

OWN, OTHER = "org-own", "org-other"


def person(*roles: tuple[str | None, str], user_id: str = "u1", active: bool = True, token=None):
    memberships = [SimpleNamespace(organization_id=org, role=role) for org, role in roles]
    return SimpleNamespace(
        id=user_id, is_authenticated=True, active=active, memberships=memberships, api_token=token
    )


def token(*scopes: str, organization_id: str | None = None):
    return SimpleNamespace(scope_set=frozenset(scopes), organization_id=organization_id)


def owned_by(org: str) -> SimpleNamespace:
    return SimpleNamespace(organization_id=org)


ANONYMOUS = SimpleNamespace(is_authenticated=False)


def test_anyone_including_anonymous_may_view_the_directory():
    assert policy.can(ANONYMOUS, policy.VIEW_DIRECTORY)
    assert policy.can(None, policy.VIEW_DIRECTORY)


def test_anonymous_may_do_nothing_else():
    for action in (policy.VIEW_ACCOUNT, policy.EDIT_LISTING, policy.VIEW_CLIENT):
        assert not policy.can(ANONYMOUS, action, OWN)


def test_require_says_401_to_anonymous_and_403_to_a_signed_in_user():
    with pytest.raises(policy.Forbidden) as anonymous:
        policy.require(ANONYMOUS, policy.EDIT_LISTING, OWN)
    with pytest.raises(policy.Forbidden) as signed_in:
        policy.require(person((OWN, CASE_MANAGER)), policy.EDIT_LISTING, OWN)
    assert (anonymous.value.status, signed_in.value.status) == (401, 403)


def test_provider_edits_only_its_own_organizations_listings():
    provider = person((OWN, PROVIDER_STAFF))
    assert policy.can(provider, policy.EDIT_LISTING, owned_by(OWN))
    assert not policy.can(provider, policy.EDIT_LISTING, owned_by(OTHER))


def test_case_manager_sees_only_clients_of_its_own_organization():
    manager = person((OWN, CASE_MANAGER))
    assert policy.can(manager, policy.VIEW_CLIENT, owned_by(OWN))
    assert not policy.can(manager, policy.VIEW_CLIENT, owned_by(OTHER))
    assert not policy.can(manager, policy.EDIT_LISTING, owned_by(OWN))


def test_role_in_one_organization_gives_nothing_in_another():
    user = person((OWN, CASE_MANAGER), (OTHER, PROVIDER_STAFF))
    assert policy.can(user, policy.VIEW_CLIENT, OWN)
    assert not policy.can(user, policy.VIEW_CLIENT, OTHER)
    assert policy.can(user, policy.EDIT_LISTING, OTHER)
    assert not policy.can(user, policy.EDIT_LISTING, OWN)


def test_curator_edits_every_listing_but_sees_no_clients():
    curator = person((None, CURATOR))
    assert policy.can(curator, policy.EDIT_LISTING, owned_by(OTHER))
    assert policy.can(curator, policy.MERGE_LISTINGS)
    assert not policy.can(curator, policy.VIEW_CLIENT, owned_by(OWN))


def test_agency_admin_manages_members_and_sees_analytics_of_its_agency_only():
    admin = person((OWN, AGENCY_ADMIN))
    assert policy.can(admin, policy.MANAGE_MEMBERS, OWN)
    assert policy.can(admin, policy.VIEW_ANALYTICS, OWN)
    assert not policy.can(admin, policy.MANAGE_MEMBERS, OTHER)
    assert not policy.can(admin, policy.VIEW_CLIENT, OWN)


def test_system_admin_manages_everyone_but_reads_no_client_records():
    admin = person((None, SYSTEM_ADMIN))
    assert policy.can(admin, policy.MANAGE_MEMBERS, OTHER)
    assert policy.can(admin, policy.VIEW_AUDIT_LOG)
    assert not policy.can(admin, policy.VIEW_CLIENT, OWN)


def test_disabled_user_may_do_nothing():
    admin = person((None, SYSTEM_ADMIN), active=False)
    assert not policy.can(admin, policy.VIEW_AUDIT_LOG)
    assert not policy.can(admin, policy.VIEW_ACCOUNT)


def test_agency_admin_disables_only_people_wholly_inside_its_agency():
    admin = person((OWN, AGENCY_ADMIN), user_id="admin")
    inside = person((OWN, CASE_MANAGER), user_id="inside")
    straddling = person((OWN, CASE_MANAGER), (OTHER, CASE_MANAGER), user_id="straddling")
    curator = person((OWN, CASE_MANAGER), (None, CURATOR), user_id="curator")
    assert policy.can(admin, policy.DISABLE_USER, inside)
    assert not policy.can(admin, policy.DISABLE_USER, straddling)
    assert not policy.can(admin, policy.DISABLE_USER, curator)
    assert not policy.can(admin, policy.DISABLE_USER, admin)


def test_own_tokens_only():
    user = person((OWN, CASE_MANAGER))
    assert policy.can(user, policy.MANAGE_TOKEN, SimpleNamespace(user_id="u1"))
    assert not policy.can(user, policy.MANAGE_TOKEN, SimpleNamespace(user_id="u2"))


def test_token_scopes_narrow_what_the_user_may_do():
    reader = person((OWN, PROVIDER_STAFF), token=token(policy.SCOPE_DIRECTORY_READ))
    writer = person((OWN, PROVIDER_STAFF), token=token(policy.SCOPE_LISTINGS_WRITE))
    assert not policy.can(reader, policy.EDIT_LISTING, OWN)
    assert policy.insufficient_scope(reader, policy.EDIT_LISTING)
    assert policy.can(writer, policy.EDIT_LISTING, OWN)
    assert not policy.can(writer, policy.EDIT_LISTING, OTHER)


def test_token_scopes_never_add_to_what_the_user_may_do():
    manager = person((OWN, CASE_MANAGER), token=token(*policy.SCOPES))
    assert not policy.can(manager, policy.EDIT_LISTING, OWN)
    assert policy.can(manager, policy.VIEW_CLIENT, OWN)


def test_token_bound_to_an_organization_acts_only_there():
    curator = person((None, CURATOR), token=token(policy.SCOPE_LISTINGS_WRITE, organization_id=OWN))
    assert policy.can(curator, policy.EDIT_LISTING, OWN)
    assert not policy.can(curator, policy.EDIT_LISTING, OTHER)


def test_tokens_cannot_manage_accounts():
    admin = person((None, SYSTEM_ADMIN), token=token(*policy.SCOPES))
    assert not policy.can(admin, policy.VIEW_AUDIT_LOG)
    assert not policy.can(admin, policy.MANAGE_TOKEN)


def test_object_of_unknown_ownership_is_an_error_not_a_yes():
    with pytest.raises(TypeError):
        policy.can(person((OWN, PROVIDER_STAFF)), policy.EDIT_LISTING, object())


def test_referral_names_the_side_asking_through_policy_organization_id():
    referral = SimpleNamespace(policy_organization_id=OTHER, organization_id=OWN)
    provider = person((OTHER, PROVIDER_STAFF))
    assert policy.can(provider, policy.RESPOND_REFERRAL, referral)
