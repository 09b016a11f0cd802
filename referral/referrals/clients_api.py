"""``/api/v1/clients``: client records and their consents.

A client is read in full by case managers of the owning organization and, with
contact details hidden when the client asked not to be contacted, by provider staff
of an organization the client was referred to. Every read writes a security audit row.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask_login import current_user

from referral import db
from referral.accounts import audit, auth, policy
from referral.accounts.models import utcnow
from referral.api.problems import InvalidParameter, Problem
from referral.referrals import clients, service
from referral.referrals.api_input import day, domain_problem, json_body, strings, text
from referral.referrals.clients import ClientError
from referral.referrals.models import Client, Consent

bp = Blueprint("clients_api", __name__, url_prefix="/api/v1/clients")
bp.register_error_handler(ClientError, domain_problem)
bp.register_error_handler(service.ReferralError, domain_problem)

CLIENT_TEXT = ("email", "phone", "address", "preferred_language")


@bp.post("")
def create_client() -> tuple[dict[str, Any], int]:
    policy.require(current_user, policy.EDIT_CLIENT)
    body = json_body()
    organization_id = text(body, "organization_id", required=True, limit=36)
    policy.require(current_user, policy.EDIT_CLIENT, organization_id)
    new = clients.NewClient(
        organization_id=organization_id,
        given_name=text(body, "given_name", required=True),
        family_name=text(body, "family_name", required=True),
        birth_date=day(body, "birth_date"),
        contact_preference=text(body, "contact_preference") or "phone",
        **{name: text(body, name, limit=500) for name in CLIENT_TEXT},
    )
    db_session = db.session()
    client = clients.create_client(db_session, new, current_user)
    _record_facts(db_session, client, body)
    db_session.commit()
    return _client_json(db_session, client, masked=False), 201


def _record_facts(
    db_session: Any, client: Client, body: dict[str, Any], date_field: str = "facts_observed_on"
) -> None:
    facts = body.get("facts")
    if facts is None:
        return
    if not isinstance(facts, dict):
        raise InvalidParameter("facts", "facts must be an object of matching facts")
    observed_on = day(body, date_field) or utcnow().date()
    clients.record_facts(db_session, client, facts, observed_on, current_user)
    db_session.flush()


@bp.post("/<client_id>/facts")
def add_facts(client_id: str) -> tuple[dict[str, Any], int]:
    """Facts from a later assessment are added with their day; earlier ones stay."""
    db_session = db.session()
    client = _editable(db_session, client_id)
    body = json_body()
    if not isinstance(body.get("facts"), dict) or not body["facts"]:
        raise InvalidParameter("facts", "facts must be a non-empty object of matching facts")
    _record_facts(db_session, client, body, "observed_on")
    db_session.commit()
    return {"facts": _facts_json(client)}, 201


@bp.get("/<client_id>")
def get_client(client_id: str) -> dict[str, Any]:
    db_session = db.session()
    client, masked = _readable(db_session, client_id)
    audit.record_client_read(db_session, auth.context(), client.id, client.organization_id)
    db_session.commit()
    return _client_json(db_session, client, masked=masked)


def _readable(db_session: Any, client_id: str) -> tuple[Client, bool]:
    """The client and whether contact details are masked for this reader; refuses
    people with no right to any client before saying whether the id exists."""
    if not (
        policy.can(current_user, policy.VIEW_CLIENT)
        or policy.can(current_user, policy.VIEW_REFERRED_CLIENT)
    ):
        policy.require(current_user, policy.VIEW_CLIENT)
    client = db_session.get(Client, client_id)
    if client is None:
        raise Problem(404, "Not Found", f"no client with id {client_id!r}")
    if policy.can(current_user, policy.VIEW_CLIENT, client):
        return client, False
    if service.referred_to_user(db_session, current_user, client.id):
        return client, True
    raise policy.Forbidden(policy.VIEW_CLIENT)


@bp.post("/<client_id>/consents")
def create_consent(client_id: str) -> tuple[dict[str, Any], int]:
    db_session = db.session()
    client = _editable(db_session, client_id)
    body = json_body()
    new = clients.NewConsent(
        purpose=text(body, "purpose", required=True, limit=40),
        starts_on=day(body, "starts_on") or utcnow().date(),
        ends_on=day(body, "ends_on"),
        method=text(body, "method", required=True, limit=20),
        recipient_organization_ids=strings(body, "recipient_organization_ids"),
        categories=strings(body, "categories"),
    )
    consent = clients.record_consent(db_session, client, new, current_user)
    db_session.commit()
    return consent_json(consent), 201


@bp.post("/<client_id>/consents/<consent_id>/revoke")
def revoke_consent(client_id: str, consent_id: str) -> dict[str, Any]:
    db_session = db.session()
    client = _editable(db_session, client_id)
    consent = db_session.get(Consent, consent_id)
    if consent is None or consent.client_id != client.id:
        raise Problem(404, "Not Found", f"this client has no consent {consent_id!r}")
    body = json_body() if _has_body() else {}
    reason = text(body, "reason", limit=2000)
    clients.revoke_consent(db_session, consent, reason, current_user, utcnow())
    db_session.commit()
    return consent_json(consent)


def _has_body() -> bool:
    return bool(request.get_data())


def _editable(db_session: Any, client_id: str) -> Client:
    policy.require(current_user, policy.EDIT_CLIENT)
    client = db_session.get(Client, client_id)
    if client is None:
        raise Problem(404, "Not Found", f"no client with id {client_id!r}")
    policy.require(current_user, policy.EDIT_CLIENT, client)
    return client


def client_summary(client: Client, *, masked: bool) -> dict[str, Any]:
    return {
        "id": client.id,
        "organization_id": client.organization_id,
        "given_name": client.given_name,
        "family_name": client.family_name,
        "birth_date": client.birth_date.isoformat() if client.birth_date else None,
        "preferred_language": client.preferred_language,
        "contact_preference": client.contact_preference,
        "contact_details_hidden": masked and client.contact_preference == "do-not-contact",
        **clients.contact_details(client, masked),
    }


def _client_json(db_session: Any, client: Client, *, masked: bool) -> dict[str, Any]:
    body = client_summary(client, masked=masked)
    if masked:
        return body
    body["facts"] = _facts_json(client)
    body["consents"] = [consent_json(c) for c in client.consents]
    body["possible_duplicates"] = clients.possible_duplicate_ids(db_session, client.id)
    return body


def _facts_json(client: Client) -> list[dict[str, Any]]:
    return [
        {"name": f.name, "value": f.value, "observed_on": f.observed_on.isoformat()}
        for f in client.facts
    ]


def consent_json(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.id,
        "client_id": consent.client_id,
        "purpose": consent.purpose,
        "recipient_organization_ids": consent.recipient_organization_ids,
        "categories": consent.categories,
        "starts_on": consent.starts_on.isoformat(),
        "ends_on": consent.ends_on.isoformat() if consent.ends_on else None,
        "method": consent.method,
        "obtained_by_id": consent.obtained_by_id,
        "revoked_at": consent.revoked_at.isoformat() if consent.revoked_at else None,
        "revocation_reason": consent.revocation_reason,
    }
