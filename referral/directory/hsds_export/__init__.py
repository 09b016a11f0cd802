"""HSDS 3.0 export: JSON serializers (reused by the /hsds API) and ``referral export``."""

from typing import Any

from referral.directory.hsds_export.files import ExportResult, datapackage, export_csv, export_json
from referral.directory.hsds_export.serialize import (
    Links,
    serialize_attribute,
    serialize_organization,
    serialize_service,
    serialize_service_at_location,
    serialize_taxonomy,
    serialize_taxonomy_term,
)


def __getattr__(name: str) -> Any:
    """``export_command`` is imported on use: the serializers need neither click nor Flask."""
    if name == "export_command":
        from referral.directory.hsds_export.command import export_command

        return export_command
    raise AttributeError(name)


__all__ = [
    "ExportResult",
    "Links",
    "datapackage",
    "export_command",
    "export_csv",
    "export_json",
    "serialize_attribute",
    "serialize_organization",
    "serialize_service",
    "serialize_service_at_location",
    "serialize_taxonomy",
    "serialize_taxonomy_term",
]
