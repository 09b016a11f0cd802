"""Edits by someone whose claim on the organization is still pending: they become a
field-level change request for a curator (``referral.curation.changes``) instead of
applying. Only the fields a change request can carry are sent; hours, capacity and the
structured eligibility wait until the claim is approved."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from referral.accounts.models import User
from referral.curation import changes
from referral.directory import models as dm
from referral.provider.service_form import ServiceInput


def change_fields(edit: ServiceInput) -> dict[str, Any]:
    phones = [f"{p.number} x{p.extension}" if p.extension else p.number for p in edit.phones]
    return {
        "name": edit.name,
        "description": edit.description,
        "phones": phones,
        "eligibility": edit.eligibility_description,
        "fees": edit.fees_description,
        "required_documents": list(edit.required_documents),
        "website": edit.url,
        "email": edit.email,
        "status": edit.status,
    }


def propose_service_edit(
    session: Session, service: dm.Service, edit: ServiceInput, user: User
) -> changes.ChangeRequest:
    """Raises changes.ChangeError (problems by field) when nothing differs or a value
    is not acceptable."""
    return changes.propose(
        session,
        target_type="service",
        target_id=service.id,
        fields=change_fields(edit),
        by_user=user,
        source="user",
        note=f"Suggested while the request to manage {_name(service)} is pending.",
    )


def _name(service: dm.Service) -> str:
    return service.organization.name if service.organization else "the organization"
