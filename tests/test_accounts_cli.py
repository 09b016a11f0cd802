"""``referral user ...`` and ``referral token ...`` against a scratch SQLite file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from referral import db
from referral.accounts.models import ApiToken, SecurityAuditEvent, User
from referral.cli import main
from referral.directory.models import Organization

PASSWORD = "a long enough passphrase\n"


@pytest.fixture
def cli_db(cli_env):
    engine = db.make_engine(cli_env["REFERRAL_DATABASE_URL"])
    db.upgrade(engine)
    with Session(engine) as session, session.begin():
        session.add(Organization(id="org-1", name="Harbor Food Bank", description="Food."))
    yield engine
    engine.dispose()


def run(env, *args, stdin=None):
    return CliRunner().invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)


def create(env, email="jo@example.org", password=PASSWORD):
    return run(env, "user", "create", email, "--name", "Jo", "--password-stdin", stdin=password)


def test_user_create_reads_the_password_from_stdin(cli_env, cli_db):
    result = create(cli_env)
    assert result.exit_code == 0, result.output
    with Session(cli_db) as session:
        user = session.scalars(select(User)).one()
        assert user.email == "jo@example.org"
        assert user.password_hash.startswith("$argon2id$")


def test_user_create_refuses_a_common_password_and_creates_nothing(cli_env, cli_db):
    result = create(cli_env, password="password1234\n")
    assert result.exit_code != 0
    assert "password: This password is too common" in result.output
    with Session(cli_db) as session:
        assert session.scalars(select(User)).all() == []


def test_user_create_needs_one_password_source(cli_env, cli_db):
    result = run(cli_env, "user", "create", "jo@example.org", "--name", "Jo")
    assert result.exit_code == 2
    assert "--password-stdin or --password-prompt" in result.output


def test_duplicate_email_is_a_clear_error(cli_env, cli_db):
    create(cli_env)
    result = create(cli_env, email="JO@example.org")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_user_role_grants_and_removes_an_organization_role(cli_env, cli_db):
    create(cli_env)
    granted = run(
        cli_env, "user", "role", "jo@example.org", "--org", "org-1", "--role", "case_manager"
    )
    assert granted.exit_code == 0, granted.output
    removed = run(
        cli_env,
        "user",
        "role",
        "jo@example.org",
        "--org",
        "org-1",
        "--role",
        "case_manager",
        "--remove",
    )
    assert removed.exit_code == 0, removed.output
    with Session(cli_db) as session:
        kinds = session.scalars(
            select(SecurityAuditEvent.event_type).order_by(SecurityAuditEvent.id)
        ).all()
    assert kinds == ["user_created", "role_granted", "role_revoked"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "case_manager"], "held in an organization"),
        (["--role", "curator", "--org", "org-1"], "directory-wide"),
        (["--role", "case_manager", "--org", "nope"], "no organization with id 'nope'"),
    ],
)
def test_user_role_explains_bad_combinations(cli_env, cli_db, args, message):
    create(cli_env)
    result = run(cli_env, "user", "role", "jo@example.org", *args)
    assert result.exit_code == 1
    assert message in result.output


def test_user_disable_and_unknown_user(cli_env, cli_db):
    create(cli_env)
    assert run(cli_env, "user", "disable", "jo@example.org").exit_code == 0
    with Session(cli_db) as session:
        assert session.scalars(select(User.active)).one() is False
    missing = run(cli_env, "user", "disable", "nobody@example.org")
    assert missing.exit_code == 1
    assert "no user with email" in missing.output


def test_token_create_prints_the_secret_once_and_revoke_stops_it(cli_env, cli_db):
    create(cli_env)
    run(cli_env, "user", "role", "jo@example.org", "--org", "org-1", "--role", "provider_staff")
    made = run(
        cli_env,
        "token",
        "create",
        "jo@example.org",
        "--name",
        "sync",
        "--scope",
        "listings:write",
        "--org",
        "org-1",
    )
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("rfl_")
    with Session(cli_db) as session:
        token = session.scalars(select(ApiToken)).one()
    assert secret not in (token.token_hash, token.prefix)
    assert run(cli_env, "token", "revoke", token.id).exit_code == 0
    with Session(cli_db) as session:
        assert session.get(ApiToken, token.id).revoked_at is not None
    assert run(cli_env, "token", "revoke", "nope").exit_code == 1


def test_token_create_refuses_a_scope_the_user_cannot_have(cli_env, cli_db):
    create(cli_env)
    result = run(
        cli_env, "token", "create", "jo@example.org", "--name", "x", "--scope", "listings:write"
    )
    assert result.exit_code == 1
    assert "may not grant listings:write" in result.output
