"""Import of HSDS data: HSDS 3.0 JSON, HSDS 3.0 tabular packages, and the older
1.x/2.x tabular layout, repaired and upserted by id.

Every input converts to one canonical form, HSDS 3.0 tabular rows (``records``), read
by ``json_input``, ``tabular`` and ``legacy``; ``clean`` repairs fields, ``links``
settles ids and foreign keys, ``load`` upserts, ``summary`` accounts for every row.
The whole input is read and checked before anything is written, so a malformed file
raises :class:`MalformedInput` and leaves the database as it was.

Ids: UUID ids are kept. Other source ids (Miami's ``"136"``) become
``uuid5(ID_NAMESPACE, "<table>:<source id>")``, so importing the same data again updates
the same rows and never duplicates them. The source id stays visible as an
``organization_identifier`` (type "source id") for organizations and as
``external_identifier`` for locations; for other tables it is recoverable only by
computing the uuid5 again. Rows without any id get one from their links and position
(legacy schedules) or from their file and row.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from referral.directory.hsds_import import clean, geocheck, links, tabular
from referral.directory.hsds_import.errors import MalformedInput
from referral.directory.hsds_import.json_input import read_json
from referral.directory.hsds_import.load import AfterBatch, known_in, load_package
from referral.directory.hsds_import.records import Package
from referral.directory.hsds_import.summary import ImportSummary

__all__ = ["ImportSummary", "MalformedInput", "load_path", "prepare_path"]


def read_path(path: Path | str, summary: ImportSummary) -> Package:
    """The canonical rows of the file, folder or zip at ``path`` (nothing written)."""
    path = Path(path)
    if not path.exists():
        raise MalformedInput(f"{path}: no such file or folder")
    if path.is_dir() and _is_json_folder(path):
        return read_json_folder(path)
    if path.is_dir() or path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        return tabular.to_package(tabular.read_package(path), summary)
    if path.suffix.lower() == ".json":
        return read_json(path)
    raise MalformedInput(
        f"{path}: not an HSDS input (give a .json file, a folder of HSDS JSON files, "
        "or a folder or .zip of CSV files)"
    )


# A JSON export folder is read as one package, referenced objects before referrers.
JSON_FOLDER_ORDER = ("taxonomies", "taxonomy_terms", "organizations", "services")


def _is_json_folder(folder: Path) -> bool:
    """HSDS JSON files and no tabular package (no datapackage.json, no CSV)."""
    if (folder / "datapackage.json").exists() or any(folder.rglob("*.csv")):
        return False
    return any(folder.glob("*.json"))


def read_json_folder(folder: Path) -> Package:
    """Every ``*.json`` file of a folder (such as ``referral export --format json``) as one
    package, so links between files resolve whatever order they were written in."""
    files = sorted(folder.glob("*.json"))
    rank = {name: i for i, name in enumerate(JSON_FOLDER_ORDER)}
    files.sort(key=lambda f: (rank.get(f.stem.lower(), len(rank)), f.name))
    package = Package()
    for file in files:
        read_json(file, package)
    return package


def prepare_path(
    path: Path | str, summary: ImportSummary, known: links.Known = lambda _t, _ids: set()
) -> Package:
    """Read, repair and link the input; ``known`` says which ids the database has."""
    package = read_path(path, summary)
    clean.clean_package(package, summary)
    links.assign_ids(package, summary)
    links.merge_duplicates(package, summary)
    links.recover_location_organizations(package, known, summary)
    links.check_links(package, known, summary)
    links.insert_order(package, summary)
    geocheck.warn_far_from_zip(package, summary)
    return package


def load_path(
    session: Session,
    path: Path | str,
    *,
    actor: str = "import",
    batch_size: int = 500,
    after_batch: AfterBatch | None = None,
    before_load: Callable[[Package], None] | None = None,
) -> ImportSummary:
    """Import ``path`` into ``session`` without committing (the caller decides).

    ``after_batch`` runs after each flushed batch with the number of rows in it (the
    CLI commits there); ``before_load`` sees the prepared package (for a progress bar).
    """
    started = time.perf_counter()
    summary = ImportSummary()
    package = prepare_path(path, summary, known_in(session))
    if before_load is not None:
        before_load(package)
    previous = dict(session.info)
    session.info.update({"audit_creates": False, "actor": actor})
    try:
        load_package(session, package, summary, batch_size=batch_size, after_batch=after_batch)
    finally:
        session.info.clear()
        session.info.update(previous)
    summary.finish(package.read)
    summary.seconds = time.perf_counter() - started
    return summary
