"""What every generated directory shares: stable ids, full-width rows, and the
reference rows (taxonomy and capacity units) the services point at."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from referral.directory import needs_taxonomy as taxonomy
from referral.directory.models import Base

Rows = dict[str, list[dict[str, Any]]]

NAMESPACE = uuid.UUID("606b5b33-a0f1-441b-8a8e-04477bd3204f")
_NAMESPACE_BYTES = NAMESPACE.bytes
UNITS = {
    "beds": "Beds",
    "rooms": "Family rooms",
    "units": "Housing units",
    "appointments": "Appointments",
}
DERIVED = {"geom", "extent_geom"}
COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(c.name for c in table.columns if c.name not in DERIVED)
    for name, table in Base.metadata.tables.items()
}


def stable_id(key: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, key))``, computed directly: it is most of the
    generation time of a large directory otherwise."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + key.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def term_id(code: str) -> str:
    return stable_id(f"taxonomy_term/{code}")


def unit_id(key: str) -> str:
    return stable_id(f"unit/{key}")


def reference_rows() -> Rows:
    """The taxonomy and capacity units: shared by the sample and every synthetic directory."""
    taxonomy_id = stable_id(f"taxonomy/{taxonomy.TAXONOMY_KEY}")
    rows: Rows = {
        "taxonomy": [
            full_row(
                "taxonomy",
                id=taxonomy_id,
                name=taxonomy.TAXONOMY_NAME,
                description=taxonomy.TAXONOMY_DESCRIPTION,
                version=taxonomy.TAXONOMY_VERSION,
            )
        ]
    }
    rows["taxonomy_term"] = [
        full_row(
            "taxonomy_term",
            id=term_id(term.code),
            code=term.code,
            name=term.name,
            description=term.description,
            taxonomy=taxonomy.TAXONOMY_KEY,
            language="en",
            taxonomy_id=taxonomy_id,
            parent_id=term_id(term.parent_code) if term.parent_code else None,
        )
        for term in taxonomy.TERMS
    ]
    rows["unit"] = [
        full_row("unit", id=unit_id(key), name=name, scheme="referral", identifier=key)
        for key, name in UNITS.items()
    ]
    return rows


def full_row(table: str, **values: Any) -> dict[str, Any]:
    row = dict.fromkeys(COLUMNS[table])
    row.update(values)
    return row
