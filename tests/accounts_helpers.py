"""Builders for the accounts tests: organizations, services, users with roles, and
signing a test client in without going through the (rate-limited) login form."""

from __future__ import annotations

from functools import cache

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from referral import db
from referral.accounts import passwords, sessions
from referral.accounts.models import Membership, User
from referral.directory.models import Organization, Service

PASSWORD = "correct horse battery staple"


@cache
def password_hash() -> str:
    return passwords.hash_password(PASSWORD)


def make_org(session: Session, name: str) -> Organization:
    organization = Organization(name=name, description=f"{name} helps people.")
    session.add(organization)
    session.flush()
    return organization


def make_service(
    session: Session, organization: Organization, name: str = "Food pantry"
) -> Service:
    service = Service(name=name, status="active", organization_id=organization.id)
    session.add(service)
    session.flush()
    return service


def make_user(
    session: Session, email: str, role: str | None = None, organization_id: str | None = None
) -> User:
    user = User(email=email, name=email.split("@")[0].title(), password_hash=password_hash())
    if role:
        user.memberships.append(Membership(role=role, organization_id=organization_id))
    session.add(user)
    session.flush()
    return user


def sign_in(app: Flask, client: FlaskClient, user: User) -> str:
    """A live server session for ``user`` and a cookie naming it; returns its id."""
    with app.app_context():
        db_session = db.session()
        login = sessions.open_session(db_session, user.id)
        db_session.commit()
        login_id = login.id
    with client.session_transaction() as cookie:
        cookie["sid"] = login_id
        cookie["_user_id"] = user.id
        cookie["_fresh"] = True
    return login_id
