"""Reading a tabular data package (a folder or a zip of CSV files) into records.

The CSV files are found by name anywhere in the package (the Miami export keeps them
in ``data/`` while its ``datapackage.json`` names them bare); ``datapackage.json`` is
optional and only consulted to map resource names to files. A package with any of the
1.x/2.x files (``physical_addresses.csv``, ``regular_schedules.csv`` ...) is converted
by :mod:`.legacy`; otherwise each file is an HSDS 3.0 table read as is.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from referral.directory.hsds_import.errors import MalformedInput
from referral.directory.hsds_import.records import MODELS, Package, Record
from referral.directory.hsds_import.summary import ImportSummary

LEGACY_FILES = frozenset(
    {
        "physical_addresses",
        "postal_addresses",
        "regular_schedules",
        "holiday_schedules",
        "eligibility",
        "services_taxonomy",
        "service_taxonomy",
        "accessibility_for_disabilities",
        "payments_accepted",
        "services_at_location",
    }
)
IRREGULAR_PLURALS = {"taxonomies": "taxonomy", "service_capacities": "service_capacity"}


@dataclass
class CsvFile:
    name: str  # file name inside the package, e.g. "data/services.csv"
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (row number, field count)

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem.lower()


def read_package(path: Path) -> dict[str, CsvFile]:
    """Stem -> CSV file, for every CSV of the folder or zip at ``path``."""
    texts = dict(_zip_texts(path) if path.is_file() else _folder_texts(path))
    if not texts:
        raise MalformedInput(f"{path}: no CSV files found (expected an HSDS tabular package)")
    aliases = _resource_aliases(path, texts.pop("datapackage.json", None))
    files: dict[str, CsvFile] = {}
    for name in sorted(texts, key=lambda n: (n.count("/"), n)):
        if not name.lower().endswith(".csv"):
            continue
        parsed = parse_csv(name, texts[name])
        stem = parsed.stem
        if not _known_stem(stem) and _known_stem(aliases.get(stem, "")):
            stem = aliases[stem]
        files.setdefault(stem, parsed)
    if not files:
        raise MalformedInput(f"{path}: no CSV files found (expected an HSDS tabular package)")
    return files


def _known_stem(stem: str) -> bool:
    return stem in LEGACY_FILES or table_for(stem) is not None


def _folder_texts(path: Path) -> Iterator[tuple[str, bytes]]:
    for file in sorted(path.rglob("*")):
        if file.is_file() and file.suffix.lower() in (".csv", ".json"):
            relative = file.relative_to(path).as_posix()
            yield (
                ("datapackage.json" if file.name == "datapackage.json" else relative),
                (file.read_bytes()),
            )


def _zip_texts(path: Path) -> Iterator[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = info.filename
                if info.is_dir() or not name.lower().endswith((".csv", ".json")):
                    continue
                is_package = PurePosixPath(name).name == "datapackage.json"
                yield ("datapackage.json" if is_package else name), archive.read(info)
    except (zipfile.BadZipFile, OSError) as exc:
        raise MalformedInput(f"{path}: not a readable zip archive ({exc})") from exc


def _resource_aliases(path: Path, raw: bytes | None) -> dict[str, str]:
    """File stem -> resource name from datapackage.json, when it is readable JSON."""
    if raw is None:
        return {}
    try:
        package = json.loads(raw.decode("utf-8-sig"))
        resources = package["resources"]
        return {
            PurePosixPath(str(r["path"])).stem.lower(): str(r.get("name") or "").lower()
            for r in resources
            if r.get("path")
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def parse_csv(name: str, raw: bytes) -> CsvFile:
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedInput(f"{name}: not UTF-8 text (byte {exc.start})") from exc
    if "\x00" in content:
        raise MalformedInput(f"{name}: contains NUL bytes; not a CSV text file")
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if not header or not any(header):
            raise MalformedInput(f"{name}: empty file or no header row")
        parsed = CsvFile(name, header)
        for number, row in enumerate(reader, start=1):
            if len(row) > len(header):
                parsed.ragged.append((number, len(row)))
                continue
            if any(cell.strip() for cell in row):
                parsed.rows.append((number, dict(zip(header, row, strict=False))))
    except csv.Error as exc:
        raise MalformedInput(f"{name}: malformed CSV at line {reader.line_num}: {exc}") from exc
    return parsed


def table_for(stem: str) -> str | None:
    """The HSDS 3.0 table a file stem names (``organizations`` -> ``organization``)."""
    if stem in MODELS:
        return stem
    if stem in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[stem]
    for ending in ("s", "es"):
        if stem.endswith(ending) and stem[: -len(ending)] in MODELS:
            return stem[: -len(ending)]
    return None


def is_legacy(files: dict[str, CsvFile]) -> bool:
    if LEGACY_FILES & set(files):
        return True
    taxonomy = files.get("taxonomy")
    return taxonomy is not None and "vocabulary" in taxonomy.header


def to_package(files: dict[str, CsvFile], summary: ImportSummary) -> Package:
    from referral.directory.hsds_import import legacy

    package = Package()
    for csv_file in files.values():
        for number, count in csv_file.ragged:
            package.count_read(csv_file.name)
            reason = f"row has {count} fields but the header has {len(csv_file.header)}"
            table = table_for(csv_file.stem) or csv_file.stem
            summary.reject_row(table, csv_file.name, number, reason)
    if is_legacy(files):
        legacy.convert(files, package, summary)
    else:
        _convert_current(files, package, summary)
    return package


def _convert_current(files: dict[str, CsvFile], package: Package, summary: ImportSummary) -> None:
    for stem, csv_file in files.items():
        table = table_for(stem)
        if table is None:
            summary.notes.append(f"{csv_file.name}: not an HSDS 3.0 table; ignored")
            continue
        if "id" not in csv_file.header:
            raise MalformedInput(f"{csv_file.name}: no 'id' column (every HSDS 3.0 table has one)")
        note_unknown_columns(csv_file, table, summary)
        for number, row in csv_file.rows:
            values = dict(row)
            package.add(Record(table, values, csv_file.name, number, original_id=row.get("id")))


def note_unknown_columns(
    csv_file: CsvFile, table: str, summary: ImportSummary, known: frozenset[str] = frozenset()
) -> None:
    from referral.directory.hsds_import.records import columns

    unknown = [h for h in csv_file.header if h not in columns(table) and h not in known]
    if unknown:
        summary.notes.append(
            f"{csv_file.name}: columns not in HSDS 3.0 {table} ignored: {', '.join(unknown)}"
        )
