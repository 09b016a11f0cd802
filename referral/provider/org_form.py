"""The organization details form: name, description, contact. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import format_number
from flask_babel import gettext as _

from referral.directory import models as dm
from referral.provider.service_form import FormErrors


@dataclass(frozen=True)
class OrganizationInput:
    name: str
    alternate_name: str | None
    description: str
    email: str | None
    website: str | None


def parse_organization(form: Mapping[str, str]) -> OrganizationInput:
    errors: dict[str, str] = {}

    def text(name: str, limit: int) -> str:
        value = (form.get(name) or "").replace("\r\n", "\n").strip()
        if len(value) > limit:
            errors[name] = _("Keep this under %(limit)s characters.", limit=format_number(limit))
        return value

    name, description = text("name", 250), text("description", 10_000)
    if not name:
        errors["name"] = _("An organization needs a name.")
    if not description:
        errors["description"] = _("Say in a sentence or two what the organization does.")
    email, website = text("email", 254), text("website", 2000)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors["email"] = _("This is not an email address.")
    if website and not re.match(r"https?://", website):
        website = "https://" + website
    if errors:
        raise FormErrors(errors)
    return OrganizationInput(
        name, text("alternate_name", 250) or None, description, email or None, website or None
    )


def apply_organization(organization: dm.Organization, edit: OrganizationInput) -> None:
    organization.name = edit.name
    organization.alternate_name = edit.alternate_name
    organization.description = edit.description
    organization.email = edit.email
    organization.website = edit.website


def organization_values(organization: dm.Organization) -> dict[str, str]:
    return {
        "name": organization.name,
        "alternate_name": organization.alternate_name or "",
        "description": organization.description or "",
        "email": organization.email or "",
        "website": organization.website or "",
    }
