"""The API's OpenAPI 3.1 description, served: ``GET /api/v1/openapi.json`` and a page
rendered from it by the server (``/api/docs``, no script, no CDN).

Each area keeps its part of the description beside its code as a JSON fragment in
``referral/api/openapi/`` (``referrals.json`` for clients and referrals, ``core.json``
for search, matching, accounts and listings). They are merged into one document here;
two fragments describing the same path or schema is an error, not a silent overwrite.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, render_template

FRAGMENTS = Path(__file__).resolve().parent / "openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
INFO = {
    "title": "referral API",
    "version": "1.0.0",
    "description": (
        "Open resource directory and closed-loop referrals. Public routes (search, match, "
        "eligibility) need no login. The rest take a bearer token (`Authorization: Bearer "
        "...`, scopes per route) or, for reads, a signed-in session. Errors are RFC 9457 "
        "`application/problem+json`; a problem's `field` names the input at fault."
    ),
}

bp = Blueprint("openapi", __name__)


class FragmentClash(Exception):
    """Two fragments describe the same path, operation or schema."""


def _merge_named(into: dict[str, Any], more: dict[str, Any], what: str, source: str) -> None:
    for name, value in more.items():
        if name in into and into[name] != value:
            raise FragmentClash(f"{source} describes {what} {name!r} again, differently")
        into[name] = value


def merge(fragments: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One document from fragments (name -> parsed JSON), in name order."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": dict(INFO),
        "servers": [{"url": "/"}],
        "security": [],
        "tags": [],
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": {}},
    }
    for source, fragment in sorted(fragments.items()):
        for path, item in fragment.get("paths", {}).items():
            target = document["paths"].setdefault(path, {})
            _merge_named(target, item, f"the operations of {path}:", source)
        components = fragment.get("components", {})
        for kind in ("schemas", "securitySchemes"):
            _merge_named(document["components"][kind], components.get(kind, {}), kind, source)
        for requirement in fragment.get("security", []):
            if requirement not in document["security"]:
                document["security"].append(requirement)
        known = {tag["name"] for tag in document["tags"]}
        document["tags"] += [t for t in fragment.get("tags", []) if t["name"] not in known]
    return document


def load_fragments(folder: Path = FRAGMENTS) -> dict[str, dict[str, Any]]:
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.json"))
    }


@cache
def document() -> dict[str, Any]:
    """The merged description, read once per process (the fragments ship with the code)."""
    return merge(load_fragments())


@bp.get("/api/v1/openapi.json")
def spec() -> Response:
    response = jsonify(document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/api/docs")
def docs() -> str:
    doc = document()
    return render_template(
        "api_docs.html",
        doc=doc,
        groups=operations_by_tag(doc),
        schemas=sorted(doc["components"]["schemas"].items()),
        schema_name=schema_name,
    )


def operations_by_tag(doc: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Operations grouped by their first tag (untagged ones by their path), each with
    what the page shows: method, path, summary, parameters, body and responses."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in doc["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or [_area(path)])[0]
            groups.setdefault(tag, []).append(_operation_view(doc, path, method, operation))
    return sorted(groups.items())


def _area(path: str) -> str:
    parts = [p for p in path.split("/") if p and p not in ("api", "v1")]
    return parts[0] if parts else "api"


def _operation_view(doc: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> Any:
    body = op.get("requestBody", {}).get("content", {})
    public = op.get("security", doc["security"]) == []
    return {
        "id": op.get("operationId") or f"{method}-{path}",
        "method": method.upper(),
        "path": path,
        "summary": op.get("summary", ""),
        "description": op.get("description", ""),
        "public": public,
        "parameters": op.get("parameters", []),
        "body": {kind: schema_name(c.get("schema", {})) for kind, c in body.items()},
        "responses": [
            (code, r.get("description", ""), _response_schema(r))
            for code, r in sorted(op.get("responses", {}).items())
        ],
    }


def _response_schema(response: dict[str, Any]) -> str:
    for content in response.get("content", {}).values():
        return schema_name(content.get("schema", {}))
    return ""


def schema_name(schema: dict[str, Any]) -> str:
    """A short human name for a schema: its component name, or its type."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in schema:
            return " | ".join(schema_name(s) for s in schema[combinator])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"array of {schema_name(schema.get('items', {}))}"
    return " or ".join(kind) if isinstance(kind, list) else str(kind)
