"""The analytics part of the OpenAPI description, generated from :data:`DEFINITIONS`
so the API docs say exactly what the page says. ``python -m referral.analytics.openapi``
rewrites ``referral/api/openapi/analytics.json``; a test checks that it is current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from referral.analytics.filters import FILTER_FIELDS
from referral.analytics.metrics import DEFINITIONS
from referral.analytics.tables import PROVIDER_TABLES
from referral.analytics.web import DASHBOARD_TABLES

FRAGMENT = Path(__file__).resolve().parents[1] / "api" / "openapi" / "analytics.json"
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def fragment() -> dict[str, Any]:
    definitions = "\n".join(f"- `{key}`: {text}" for key, text in DEFINITIONS.items())
    parameters = [
        {"name": "group", "in": "path", "required": True,
         "schema": {"type": "string", "enum": list(DASHBOARD_TABLES)}},
        {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"},
         "description": "First day of the period (default: a year before `to`)."},
        {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"},
         "description": "Last day of the period (default: today)."},
        *[
            {"name": name, "in": "query", "schema": {"type": "string"}, "description": what}
            for name, what in FILTER_FIELDS.items()
        ],
        {"name": "provider_view", "in": "query", "schema": {"type": "boolean"},
         "description": "The provider's own view (`organization` names the provider); "
         f"groups: {', '.join(PROVIDER_TABLES)}."},
        {"name": "shareable", "in": "query", "schema": {"type": "boolean"},
         "description": "Suppress small counts even for the owning organization."},
    ]  # fmt: skip
    return {
        "tags": [{"name": "analytics", "description": "Referral follow-through metrics."}],
        "paths": {
            "/api/v1/analytics/{group}": {
                "get": {
                    "operationId": "analyticsGroup",
                    "tags": ["analytics"],
                    "summary": "One analytics table (columns, rows, total) with its definitions",
                    "description": f"Aggregates only.\n\nDefinitions:\n{definitions}",
                    "parameters": parameters,
                    "security": [{"bearer": []}],
                    "responses": {
                        "200": {"description": "The table",
                                "content": {"application/json": {"schema": {"type": "object"}}}},
                        "400": {"description": "Bad date or filter (named)", "content": PROBLEM},
                        "401": {"description": "Not signed in", "content": PROBLEM},
                        "403": {"description": "Not an analyst of that organization",
                                "content": PROBLEM},
                        "404": {"description": "No such group", "content": PROBLEM},
                    },
                }
            }
        },
    }  # fmt: skip


def rendered() -> str:
    return json.dumps(fragment(), indent=2, ensure_ascii=False, default=str) + "\n"


if __name__ == "__main__":  # pragma: no cover
    FRAGMENT.write_text(rendered(), encoding="utf-8")
