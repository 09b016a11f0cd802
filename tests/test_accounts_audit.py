"""The security audit log is written, and nothing can change or remove its rows."""

from __future__ import annotations

import pytest
from accounts_helpers import make_org, make_user, sign_in
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from referral.accounts import audit, users
from referral.accounts.models import (
    AGENCY_ADMIN,
    CASE_MANAGER,
    SYSTEM_ADMIN,
    AppendOnlyViolation,
    SecurityAuditEvent,
)

CTX = audit.Context(actor="test")


@pytest.fixture
def row(session):
    row = audit.record(session, CTX, audit.LOGIN, target=("user", "u1"), note="original")
    session.flush()
    return row


def test_role_changes_are_audited_with_who_and_where(session):
    organization = make_org(session, "Harbor Food Bank")
    user = make_user(session, "cm@example.org")
    users.grant_role(session, CTX, user, CASE_MANAGER, organization.id)
    users.revoke_role(session, CTX, user, CASE_MANAGER, organization.id)
    rows = session.scalars(select(SecurityAuditEvent).order_by(SecurityAuditEvent.id)).all()
    assert [(r.event_type, r.organization_id, r.detail["role"]) for r in rows] == [
        (audit.ROLE_GRANTED, organization.id, CASE_MANAGER),
        (audit.ROLE_REVOKED, organization.id, CASE_MANAGER),
    ]
    assert all(r.actor == "test" and r.target_id == user.id for r in rows)


def test_client_record_reads_are_audited(session):
    context = audit.Context(actor="cm@example.org", user_id="u1", ip_address="192.0.2.1")
    audit.record_client_read(session, context, "client-42", "org-1")
    session.flush()
    read = session.scalars(select(SecurityAuditEvent)).one()
    assert (read.event_type, read.target_type, read.target_id) == (
        audit.CLIENT_RECORD_READ,
        "client",
        "client-42",
    )
    assert (read.user_id, read.ip_address, read.organization_id) == ("u1", "192.0.2.1", "org-1")


def test_changing_an_audit_row_through_the_orm_is_refused(session, row):
    row.detail = {"note": "rewritten"}
    with pytest.raises(AppendOnlyViolation):
        session.flush()


def test_deleting_an_audit_row_through_the_orm_is_refused(session, row):
    session.delete(row)
    with pytest.raises(AppendOnlyViolation):
        session.flush()


def test_bulk_update_and_delete_of_audit_rows_are_refused(session, row):
    with pytest.raises(AppendOnlyViolation):
        session.execute(update(SecurityAuditEvent).values(actor="someone else"))
    with pytest.raises(AppendOnlyViolation):
        session.execute(delete(SecurityAuditEvent))


@pytest.mark.parametrize(
    "statement",
    ["UPDATE security_audit_event SET actor = 'x'", "DELETE FROM security_audit_event"],
)
def test_database_trigger_refuses_raw_sql_changes(connection, session, row, statement):
    savepoint = connection.begin_nested()
    with pytest.raises(DBAPIError, match="append-only"):
        connection.execute(text(statement))
    savepoint.rollback()
    assert session.scalars(select(SecurityAuditEvent.actor)).all() == ["test"]


def test_the_app_has_no_route_that_writes_to_the_audit_log(app):
    audit_routes = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    assert [(r.rule, sorted(r.methods - {"HEAD", "OPTIONS"})) for r in audit_routes] == [
        ("/manage/audit", ["GET"])
    ]


def test_system_admin_reads_the_audit_log_and_others_may_not(app, client, session, row):
    organization = make_org(session, "Harbor Food Bank")
    agency_admin = make_user(session, "aa@example.org", AGENCY_ADMIN, organization.id)
    sign_in(app, client, agency_admin)
    assert client.get("/manage/audit").status_code == 403
    admin_client = app.test_client()
    sign_in(app, admin_client, make_user(session, "root@example.org", SYSTEM_ADMIN))
    page = admin_client.get("/manage/audit")
    assert page.status_code == 200
    assert b"original" in page.data
    assert page.headers["Cache-Control"] == "no-store"
