"""Agency admins manage their organization's members; demo users for each role."""

from __future__ import annotations

import pytest
from accounts_helpers import make_org, make_user, sign_in

from referral.accounts import demo, passwords, users
from referral.accounts.models import AGENCY_ADMIN, CASE_MANAGER, CURATOR, ROLES


@pytest.fixture
def agency(session):
    own, other = make_org(session, "Harbor Food Bank"), make_org(session, "Hilltop Shelter")
    admin = make_user(session, "admin@example.org", AGENCY_ADMIN, own.id)
    return own, other, admin


def test_agency_admin_adds_a_member_with_a_role(app, client, session, agency):
    own, _other, admin = agency
    newcomer = make_user(session, "new@example.org")
    sign_in(app, client, admin)
    response = client.post(
        f"/manage/organizations/{own.id}/members",
        data={"email": "new@example.org", "role": CASE_MANAGER},
    )
    assert response.status_code == 303
    session.refresh(newcomer)
    assert [(m.organization_id, m.role) for m in newcomer.memberships] == [(own.id, CASE_MANAGER)]
    assert b"new@example.org" in client.get(f"/manage/organizations/{own.id}/members").data


def test_agency_admin_cannot_hand_out_directory_wide_roles(app, client, session, agency):
    own, _other, admin = agency
    make_user(session, "new@example.org")
    sign_in(app, client, admin)
    response = client.post(
        f"/manage/organizations/{own.id}/members",
        data={"email": "new@example.org", "role": CURATOR},
    )
    assert response.status_code == 400
    assert b"choose one of" in response.data


def test_adding_an_unknown_email_is_a_form_error(app, client, agency):
    own, _other, admin = agency
    sign_in(app, client, admin)
    response = client.post(
        f"/manage/organizations/{own.id}/members",
        data={"email": "ghost@example.org", "role": CASE_MANAGER},
    )
    assert response.status_code == 400
    assert b"no user with email" in response.data


def test_agency_admin_removes_a_role(app, client, session, agency):
    own, _other, admin = agency
    member = make_user(session, "cm@example.org", CASE_MANAGER, own.id)
    sign_in(app, client, admin)
    response = client.post(
        f"/manage/organizations/{own.id}/members/{member.id}/remove", data={"role": CASE_MANAGER}
    )
    assert response.status_code == 303
    session.refresh(member)
    assert member.memberships == []


def test_agency_admin_cannot_manage_another_organization(app, client, agency):
    _own, other, admin = agency
    sign_in(app, client, admin)
    assert client.get(f"/manage/organizations/{other.id}/members").status_code == 403


def test_demo_users_cover_every_role_with_valid_passwords(session):
    first, second = make_org(session, "Alpha Aid"), make_org(session, "Beta Beds")
    created = demo.create_demo_users(session)
    assert sorted(m.role for u in created for m in u.memberships) == sorted(ROLES)
    by_role = {m.role: m.organization_id for u in created for m in u.memberships}
    assert by_role["case_manager"] == first.id
    assert by_role["provider_staff"] == second.id
    assert by_role["curator"] is None
    for entry in demo.DEMO_USERS:
        assert passwords.problems(entry.password) == []
        assert users.authenticate(session, entry.email, entry.password) is not None
    assert demo.create_demo_users(session) == []  # a second run adds nothing


def test_demo_users_in_an_empty_directory_get_only_directory_wide_roles(session):
    created = demo.create_demo_users(session)
    assert len(created) == len(demo.DEMO_USERS)
    assert sorted(m.role for u in created for m in u.memberships) == ["curator", "system_admin"]
