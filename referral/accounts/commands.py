"""``referral user ...`` and ``referral token ...``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from referral import db
from referral.accounts import audit, tokens, users
from referral.accounts.models import ROLES, ApiToken
from referral.accounts.policy import SCOPES
from referral.cli import app_context

CLI = audit.Context(actor="cli")


@contextmanager
def _transaction() -> Iterator[Session]:
    """One committed transaction; bad input becomes a clear error and changes nothing."""
    with app_context(), db.session() as session:
        try:
            with session.begin():
                yield session
        except users.AccountError as exc:
            raise click.ClickException(f"{exc.field}: {exc.message}") from exc


@click.group("user")
def user_group() -> None:
    """Manage user accounts and roles."""


@user_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--password-prompt", is_flag=True, help="Ask for the password (not echoed).")
def create_user(email: str, name: str, password_stdin: bool, password_prompt: bool) -> None:
    """Create an account for EMAIL."""
    if password_stdin == password_prompt:
        raise click.UsageError("give exactly one of --password-stdin or --password-prompt")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _transaction() as session:
        user = users.create_user(session, CLI, email, name, password)
        click.echo(f"Created user {user.email} ({user.id}).")


@user_group.command("role")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES), help="The role.")
@click.option("--org", "org_id", help="Organization id (not for curator or system_admin).")
@click.option("--remove", is_flag=True, help="Take the role away instead.")
def role(email: str, role: str, org_id: str | None, remove: bool) -> None:
    """Give EMAIL a role in an organization, or directory-wide."""
    where = f" in {org_id}" if org_id else " (directory-wide)"
    with _transaction() as session:
        user = users.get_user(session, email)
        if remove:
            if not users.revoke_role(session, CLI, user, role, org_id):
                raise users.AccountError("role", f"{user.email} does not have {role}{where}")
            click.echo(f"{user.email} is no longer {role}{where}.")
            return
        users.grant_role(session, CLI, user, role, org_id)
        click.echo(f"{user.email} is {role}{where}.")


@user_group.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Disable EMAIL: signs them out everywhere and stops their API tokens."""
    with _transaction() as session:
        user = users.get_user(session, email)
        users.disable_user(session, CLI, user)
        click.echo(f"{user.email} is disabled.")


@click.group("token")
def token_group() -> None:
    """Manage API tokens for machine clients."""


@token_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What will use the token.")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(SCOPES))
@click.option("--org", "org_id", help="Limit the token to one organization.")
def create_token(email: str, name: str, scopes: tuple[str, ...], org_id: str | None) -> None:
    """Create a token for EMAIL and print it once: it is not stored."""
    with _transaction() as session:
        user = users.get_user(session, email)
        token, secret = tokens.create_token(session, CLI, user, name, scopes, org_id)
        click.echo(f"Token {token.id} ({' '.join(sorted(token.scope_set))}):", err=True)
        click.echo(secret)


@token_group.command("revoke")
@click.argument("token_id")
def revoke_token(token_id: str) -> None:
    """Revoke the token with TOKEN_ID (shown by `token create` and on the tokens page)."""
    with _transaction() as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise users.AccountError("token", f"no token with id {token_id!r}")
        tokens.revoke_token(session, CLI, token)
        click.echo(f"Token {token_id} is revoked.")
