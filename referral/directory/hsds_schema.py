"""Validation of HSDS 3.0 records against the official compiled JSON Schemas.

The schemas are not shipped with the project (they are CC BY-SA and large); they are
read from ``REFERRAL_HSDS_SCHEMA_DIR`` or from ``../shared/datasets/hsds3/schema/compiled``
beside the project root. Without them, export still works but cannot validate.

Format checking is on for the formats the schemas use: ``uuid``, ``email``, ``uri``,
``date-time``. jsonschema's own ``uri`` and ``date-time`` checks need optional
packages and are silently skipped without them, so the checks here are our own and
always run: a ``uri`` must be an RFC 3986 absolute URI (a scheme, then only the
characters a URI may hold), a ``date-time`` must be RFC 3339 (date, ``T``, time, and
an offset or ``Z``), an ``email`` one ``@`` between non-blank parts, a ``uuid`` the
canonical 8-4-4-4-12 form.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCHEMA_DIR = PROJECT_ROOT.parent / "shared" / "datasets" / "hsds3" / "schema" / "compiled"
SCHEMA_DIR_VARIABLE = "REFERRAL_HSDS_SCHEMA_DIR"

# Compiled schema file of each nested JSON object we export.
OBJECT_SCHEMAS = ("service", "organization", "service_at_location")
# Objects without a compiled file of their own: their nested form inside compiled
# service.json (a service attribute's taxonomy_term, and that term's taxonomy_detail).
_TERM_PATH = ("properties", "attributes", "items", "properties", "taxonomy_term")
EMBEDDED_SCHEMAS = {
    "taxonomy_term": ("service", _TERM_PATH),
    "taxonomy": ("service", (*_TERM_PATH, "properties", "taxonomy_detail")),
}

FORMAT_CHECKER = FormatChecker(formats=())
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@FORMAT_CHECKER.checks("uuid")
def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


@FORMAT_CHECKER.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


@FORMAT_CHECKER.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


@FORMAT_CHECKER.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_DATE_TIME.match(value))


class SchemasUnavailable(Exception):
    """The compiled HSDS schemas are not where we look for them."""


@dataclass(frozen=True)
class SchemaProblem:
    """One validation failure, located in the record and in the schema."""

    schema: str
    record_id: str
    record_path: str
    schema_path: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.schema} record {self.record_id}: at {self.record_path or '/'}: "
            f"{self.message} (schema path {self.schema_path})"
        )


def schema_dir() -> Path:
    configured = os.environ.get(SCHEMA_DIR_VARIABLE)
    return Path(configured) if configured else DEFAULT_SCHEMA_DIR


def require_schemas(directory: Path | None = None) -> Path:
    directory = directory or schema_dir()
    missing = [
        name for name in (*OBJECT_SCHEMAS, "tabular") if not _file(directory, name).is_file()
    ]
    if missing:
        raise SchemasUnavailable(
            f"the compiled HSDS 3.0 schemas are not in {directory} (missing "
            f"{', '.join(name + '.json' for name in missing)}); set {SCHEMA_DIR_VARIABLE} "
            "to the folder holding them"
        )
    return directory


def _file(directory: Path, name: str) -> Path:
    return directory / f"{name}.json"


@cache
def _schema(directory: Path, name: str) -> Any:
    if name in EMBEDDED_SCHEMAS:
        schema = _schema(directory, EMBEDDED_SCHEMAS[name][0])
        for key in EMBEDDED_SCHEMAS[name][1]:
            schema = schema[key]
        return schema
    return json.loads(_file(directory, name).read_text(encoding="utf-8"))


@cache
def _validator(directory: Path, name: str) -> Validator:
    schema = _schema(directory, name)
    cls = validator_for(schema, default=Draft202012Validator)
    return cls(schema, format_checker=FORMAT_CHECKER)  # type: ignore[no-any-return]


@cache
def _tabular_validators(directory: Path) -> Mapping[str, Validator]:
    """One validator per table, from the item schema of each array in tabular.json."""
    tabular = json.loads(_file(directory, "tabular").read_text(encoding="utf-8"))
    cls = validator_for(tabular, default=Draft202012Validator)
    return {
        table: cls(spec["items"], format_checker=FORMAT_CHECKER)
        for table, spec in tabular["properties"].items()
    }


def tabular_tables(directory: Path | None = None) -> frozenset[str]:
    return frozenset(_tabular_validators(require_schemas(directory)))


class RecordValidator:
    """Validates exported records; the schemas are loaded once per folder."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = require_schemas(directory)

    def object_problems(self, schema: str, record: Mapping[str, Any]) -> list[SchemaProblem]:
        """Problems of a nested JSON record against compiled/<schema>.json (or the
        nested form of taxonomy_term and taxonomy inside compiled/service.json)."""
        return list(_problems(_validator(self.directory, schema), schema, record))

    def row_problems(self, table: str, row: Mapping[str, Any]) -> list[SchemaProblem]:
        """Problems of one tabular row (typed values) against its table in tabular.json."""
        validators = _tabular_validators(self.directory)
        if table not in validators:
            return []
        return list(_problems(validators[table], f"tabular {table}", row))


def _problems(
    validator: Validator, schema: str, record: Mapping[str, Any]
) -> Iterator[SchemaProblem]:
    record_id = str(record.get("id", "(no id)"))
    for error in validator.iter_errors(record):
        yield SchemaProblem(
            schema=schema,
            record_id=record_id,
            record_path="/" + "/".join(str(part) for part in error.absolute_path),
            schema_path="/".join(str(part) for part in error.absolute_schema_path),
            message=error.message,
        )
