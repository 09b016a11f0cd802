"""The HSDS 3.0 tables as exported: file names, columns in HSDS order, value encoding.

The column lists are the contract of the tabular package (the same names and order as
the official examples in ``hsds3/examples/csv``) and the key order of JSON records.
Derived columns (``location.geom``, ``service_area.extent_geom``) are not listed, so
they are never exported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from referral.directory import models


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    model: type[models.HsdsRecord]
    fields: tuple[str, ...]
    required: frozenset[str] = frozenset({"id"})
    # HSDS 3.1 objects outside the 3.0 schemas; exported as extra resources.
    hsds_3_1: bool = False

    @property
    def uris(self) -> frozenset[str]:
        return URI_FIELDS.get(self.name, frozenset())


# Fields the HSDS 3.0 schemas give format "uri" (service_area.uri has none).
URI_FIELDS: dict[str, frozenset[str]] = {
    "organization": frozenset({"website", "uri"}),
    "service": frozenset({"url"}),
    "location": frozenset({"url"}),
    "accessibility": frozenset({"url"}),
    "schedule": frozenset({"schedule_link"}),
    "required_document": frozenset({"uri"}),
    "taxonomy": frozenset({"uri"}),
    "taxonomy_term": frozenset({"term_uri"}),
}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Characters RFC 3986 allows in a URI besides letters and digits ("%" keeps escapes).
_URI_CHARACTERS = "-._~:/?#[]@!$&'()*+,;=%"


def _table(
    name: str, path: str, model: type[models.HsdsRecord], fields: str, required: str = "id"
) -> Table:
    return Table(name, path, model, tuple(fields.split()), frozenset(required.split()))


# In the order of the HSDS 3.0 tabular schema (compiled/tabular.json).
TABLES: tuple[Table, ...] = (
    _table(
        "organization",
        "organizations.csv",
        models.Organization,
        "id name alternate_name description email website tax_status tax_id year_incorporated"
        " legal_status logo uri parent_organization_id",
        "id name description",
    ),
    _table(
        "program",
        "programs.csv",
        models.Program,
        "id organization_id name alternate_name description",
        "id name description",
    ),
    _table(
        "service",
        "services.csv",
        models.Service,
        "id organization_id program_id name alternate_name description url email status"
        " interpretation_services application_process fees_description wait_time fees"
        " accreditations eligibility_description minimum_age maximum_age assured_date"
        " assurer_email licenses alert last_modified",
        "id name status",
    ),
    _table(
        "attribute",
        "attributes.csv",
        models.Attribute,
        "id link_id taxonomy_term_id link_type link_entity value",
    ),
    _table(
        "service_at_location",
        "service_at_location.csv",
        models.ServiceAtLocation,
        "id service_id location_id description",
    ),
    _table(
        "location",
        "locations.csv",
        models.Location,
        "id location_type url organization_id name alternate_name description transportation"
        " latitude longitude external_identifier external_identifier_type",
        "id location_type",
    ),
    _table(
        "phone",
        "phones.csv",
        models.Phone,
        "id location_id service_id organization_id contact_id service_at_location_id number"
        " extension type description",
        "id number",
    ),
    _table(
        "contact",
        "contacts.csv",
        models.Contact,
        "id organization_id service_id service_at_location_id location_id name title"
        " department email",
    ),
    _table(
        "address",
        "addresses.csv",
        models.Address,
        "id location_id attention address_1 address_2 city region state_province postal_code"
        " country address_type",
        "id address_1 city state_province postal_code country address_type",
    ),
    _table(
        "schedule",
        "schedules.csv",
        models.Schedule,
        "id service_id location_id service_at_location_id valid_from valid_to dtstart timezone"
        " until count wkst freq interval byday byweekno bymonthday byyearday description"
        " opens_at closes_at schedule_link attending_type notes",
    ),
    _table("funding", "funding.csv", models.Funding, "id organization_id service_id source"),
    _table(
        "service_area",
        "service_areas.csv",
        models.ServiceArea,
        "id service_id name description extent extent_type uri",
    ),
    _table(
        "required_document",
        "required_documents.csv",
        models.RequiredDocument,
        "id service_id document uri",
    ),
    _table(
        "language",
        "languages.csv",
        models.Language,
        "id service_id location_id phone_id name code note",
    ),
    _table(
        "accessibility",
        "accessibility.csv",
        models.Accessibility,
        "id location_id description details url",
    ),
    _table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        models.TaxonomyTerm,
        "id code name description parent_id taxonomy language taxonomy_id term_uri",
        "id name description",
    ),
    _table(
        "metadata",
        "metadata.csv",
        models.Metadata,
        "id resource_id resource_type last_action_date last_action_type field_name"
        " previous_value replacement_value updated_by",
        "id last_action_date last_action_type field_name previous_value replacement_value"
        " updated_by",
    ),
    _table(
        "meta_table_description",
        "meta_table_descriptions.csv",
        models.MetaTableDescription,
        "id name language character_set",
    ),
    _table(
        "cost_option",
        "cost_options.csv",
        models.CostOption,
        "id service_id valid_from valid_to option currency amount amount_description",
    ),
    _table(
        "organization_identifier",
        "organization_identifiers.csv",
        models.OrganizationIdentifier,
        "id organization_id identifier_scheme identifier_type identifier",
        "id identifier_type identifier",
    ),
    _table(
        "taxonomy",
        "taxonomies.csv",
        models.Taxonomy,
        "id name description uri version",
        "id name description",
    ),
    Table(
        "unit",
        "units.csv",
        models.Unit,
        ("id", "name", "scheme", "identifier", "uri"),
        frozenset({"id", "name"}),
        hsds_3_1=True,
    ),
    Table(
        "service_capacity",
        "service_capacity.csv",
        models.ServiceCapacity,
        ("id", "service_id", "unit_id", "available", "maximum", "description", "updated"),
        frozenset({"id", "service_id", "unit_id", "available", "updated"}),
        hsds_3_1=True,
    ),
)

BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


def json_value(value: Any) -> Any:
    """A column value as HSDS JSON: ISO dates, UTC date-times, ints when integral."""
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def utc_iso(value: datetime) -> str:
    """RFC 3339 in UTC; SQLite hands back naive values, which we stored as UTC."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat().replace("+00:00", "Z")


def as_uri(value: str) -> str:
    """A web address as the absolute URI the schemas require.

    Listings often hold bare host names (``www.example.org``, ``example.org/food``);
    they get ``http://``, backslashes become slashes and characters a URI cannot hold
    are percent-encoded. Text with spaces inside is not an address and is kept as it
    is, so that ``--validate`` names it rather than the export inventing a link.
    """
    text = value.strip()
    if not text or any(character.isspace() for character in text):
        return value
    if not _SCHEME.match(text):
        text = "http://" + text.lstrip("/")
    return quote(text.replace("\\", "/"), safe=_URI_CHARACTERS)


def record(table: Table, row: Any) -> dict[str, Any]:
    """The present fields of one row (an ORM object or a Row), in HSDS order.

    Optional fields that are null or empty are left out: the schemas type them as
    strings or numbers and reject null, and a tabular cell cannot tell "" from null,
    so leaving both out keeps JSON and CSV exports in step and round trips stable.
    Web addresses are made absolute URIs (:func:`as_uri`).
    """
    out: dict[str, Any] = {}
    for name in table.fields:
        value = getattr(row, name)
        if value is None or value == "":
            if name in table.required:
                out[name] = "" if value is None else value
            continue
        out[name] = as_uri(value) if name in table.uris else json_value(value)
    return out


def csv_cell(value: Any) -> str:
    value = json_value(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)
