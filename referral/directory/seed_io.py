"""Generated directories out of memory: an HSDS 3.0 tabular package on disk, or rows
in the database through SQLAlchemy Core bulk inserts.

Bulk loading skips the ORM on purpose: a 100,000-service directory is over a million
rows, which the unit of work would take minutes to flush. The derived geometry
columns that ORM events fill in (``location.geom``, ``service_area.extent_geom``) are
computed here with the same ``geo`` functions, so loaded rows behave identically.

``python -m referral.directory.seed_io seed_data`` rewrites the committed seed data.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from referral.directory import geo, needs_taxonomy, needs_taxonomy_es, term_translations
from referral.directory.hsds_export import datapackage
from referral.directory.hsds_export.tables import TABLES, csv_cell
from referral.directory.models import Base
from referral.directory.synthetic import Rows, generate_sample
from referral.directory.synthetic_reference import term_id

# Parents before children, so foreign keys hold at every statement.
INSERT_ORDER = (
    "taxonomy", "taxonomy_term", "unit", "organization", "program", "location", "address",
    "accessibility", "service", "service_at_location", "contact", "phone", "schedule",
    "language", "service_area", "cost_option", "required_document", "funding", "attribute",
    "service_capacity", "metadata",
)  # fmt: skip
# Shared by every generated directory: inserted only when not already there.
REFERENCE_TABLES = frozenset({"taxonomy", "taxonomy_term", "unit"})
CHUNK_ROWS = 1000
SDOH_MAP_HEADER = ("taxonomy_term_code", "taxonomy_term_name", "sdoh_category_code")
# Beside the package, not in it: HSDS has no table for term names in other languages.
TRANSLATIONS_FILE = "taxonomy_term_translations.csv"


def write_package(batches: Iterable[Rows], folder: Path, title: str) -> Counter[str]:
    """One CSV per HSDS table (header only when empty) and ``datapackage.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    with ExitStack() as stack:
        writers = {}
        for table in TABLES:
            out = stack.enter_context((folder / table.path).open("w", encoding="utf-8", newline=""))
            writers[table.name] = (csv.writer(out), table.fields)
            writers[table.name][0].writerow(table.fields)
        for batch in batches:
            for name, rows in batch.items():
                writer, fields = writers[name]
                writer.writerows([csv_cell(row[field]) for field in fields] for row in rows)
                counts[name] += len(rows)
    descriptor = {**datapackage(), "name": "referral-seed", "title": title}
    text = json.dumps(descriptor, ensure_ascii=False, indent=2)
    (folder / "datapackage.json").write_text(text + "\n", encoding="utf-8", newline="\n")
    return counts


def write_sdoh_map(path: Path) -> int:
    rows = needs_taxonomy.sdoh_pairs()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(SDOH_MAP_HEADER)
        writer.writerows(rows)
    return len(rows)


def write_term_translations(path: Path) -> int:
    rows = needs_taxonomy_es.translation_rows()
    return term_translations.write_csv(path, ((term_id(row[0]), *row) for row in rows))


def bulk_load(session: Session, batches: Iterable[Rows]) -> Counter[str]:
    """Insert generated rows (executemany in chunks); the caller commits."""
    counts: Counter[str] = Counter()
    for batch in batches:
        for name in INSERT_ORDER:
            rows = batch.get(name)
            if name in REFERENCE_TABLES and rows:
                rows = _not_loaded(session, name, rows)
            if not rows:
                continue
            table = Base.metadata.tables[name]
            for chunk in _chunks(_with_derived(name, rows)):
                session.execute(insert(table), chunk)
            counts[name] += len(rows)
    return counts


def _not_loaded(session: Session, name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    table = Base.metadata.tables[name]
    present = set(
        session.scalars(select(table.c.id).where(table.c.id.in_([r["id"] for r in rows])))
    )
    return [row for row in rows if row["id"] not in present]


def _with_derived(name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if name == "location":
        return [{**row, "geom": _point(row["latitude"], row["longitude"])} for row in rows]
    if name == "service_area":
        return [{**row, "extent_geom": _extent(row["extent"], row["extent_type"])} for row in rows]
    return rows


def _point(lat: float | None, lon: float | None) -> str | None:
    return geo.point_ewkt(lat, lon) if geo.valid_coordinates(lat, lon) else None  # type: ignore[arg-type]


@lru_cache(maxsize=256)
def _extent(extent: str | None, extent_type: str | None) -> str | None:
    """Generated extents repeat (one outline per county), so each is parsed once."""
    return geo.extent_ewkt(extent, extent_type)


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK_ROWS):
        yield rows[start : start + CHUNK_ROWS]


SAMPLE_TITLE = "referral sample directory: fictional services in Greater Baltimore"


def write_seed_data(seed_data: Path) -> Counter[str]:
    """Replace ``seed_data/sample``, ``seed_data/sdoh_map.csv`` and the term
    translations with fresh output."""
    seed_data.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=seed_data) as staging:
        counts = write_package([generate_sample()], Path(staging) / "sample", SAMPLE_TITLE)
        target = seed_data / "sample"
        if target.exists():
            shutil.rmtree(target)
        (Path(staging) / "sample").rename(target)
    write_sdoh_map(seed_data / "sdoh_map.csv")
    write_term_translations(seed_data / TRANSLATIONS_FILE)
    return counts


if __name__ == "__main__":  # pragma: no cover - the maintainer's regeneration script
    written = write_seed_data(Path(sys.argv[1] if len(sys.argv) > 1 else "seed_data"))
    print(", ".join(f"{count} {name}" for name, count in sorted(written.items())))
