"""What an import did: counts per table and per input file, and every repair,
rejection and merge with its reason, so no input row goes unaccounted for.

Per input file, ``read == created + updated + unchanged + rejected + merged``:
*merged* rows are input rows folded into another row (a duplicate id, a legacy
``eligibility`` text that becomes a service field); *repaired* counts rows changed on
the way in and overlaps the others.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from referral.directory.hsds_import.records import Record

OUTCOMES = ("created", "updated", "unchanged", "rejected", "merged")


@dataclass
class Issue:
    kind: str  # "repaired", "rejected", "merged" or "warning"
    table: str
    source: str
    line: int
    id: str | None
    field: str
    reason: str
    original: str = ""
    repaired: str = ""


@dataclass
class Counts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    merged: int = 0
    repaired: int = 0

    def accounted(self) -> int:
        return sum(getattr(self, outcome) for outcome in OUTCOMES)


@dataclass
class ImportSummary:
    tables: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    files: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def outcome(self, record: Record, outcome: str) -> None:
        setattr(self.tables[record.table], outcome, getattr(self.tables[record.table], outcome) + 1)
        if record.counted:
            counts = self.files[record.source]
            setattr(counts, outcome, getattr(counts, outcome) + 1)

    def repair(self, record: Record, field_name: str, reason: str, before: Any, after: Any) -> None:
        self.issues.append(_issue("repaired", record, field_name, reason, before, after))

    def reject(self, record: Record, reason: str, field_name: str = "", before: Any = "") -> None:
        self.issues.append(_issue("rejected", record, field_name, reason, before, ""))
        self.outcome(record, "rejected")

    def warn(self, record: Record, field_name: str, reason: str, value: Any) -> None:
        """Kept as it is, but worth a curator's look."""
        self.issues.append(_issue("warning", record, field_name, reason, value, value))

    def merge(self, record: Record, reason: str, *, listed: bool = True) -> None:
        """Count ``record`` as merged; ``listed`` also puts it in the report."""
        if listed:
            self.issues.append(_issue("merged", record, "", reason, "", ""))
        self.outcome(record, "merged")

    def reject_row(self, table: str, source: str, line: int, reason: str, row_id: str = "") -> None:
        """A row rejected before it became a record (no usable table row at all)."""
        self.reject(Record(table, {"id": row_id or None}, source, line), reason)

    def finish(self, read: dict[str, int]) -> None:
        """Fill read counts and the per-table repaired counts."""
        for source, rows in read.items():
            self.files[source].read = rows
        repaired_rows = {
            (issue.table, issue.source, issue.line, issue.id)
            for issue in self.issues
            if issue.kind == "repaired"
        }
        for table, source, _line, _id in repaired_rows:
            self.tables[table].repaired += 1
            self.files[source].repaired += 1
        for counts in self.tables.values():
            counts.read = counts.accounted()

    def unaccounted(self) -> dict[str, int]:
        """Input files whose rows do not add up (empty when all is well)."""
        return {
            name: c.read - c.accounted()
            for name, c in self.files.items()
            if c.read != c.accounted()
        }

    def to_dict(self) -> dict[str, Any]:
        kinds = Counter(issue.kind for issue in self.issues)
        return {
            "tables": {name: asdict(c) for name, c in sorted(self.tables.items())},
            "files": {name: asdict(c) for name, c in sorted(self.files.items())},
            "issues": dict(kinds),
            "notes": list(self.notes),
            "seconds": round(self.seconds, 2),
        }

    def text(self) -> str:
        lines = [f"{'table':<24}" + "".join(f"{h:>10}" for h in HEADINGS)]
        for name, c in sorted(self.tables.items()):
            lines.append(f"{name:<24}" + "".join(f"{getattr(c, h):>10}" for h in HEADINGS))
        lines.append("")
        lines.append(f"{'input file':<40}" + "".join(f"{h:>10}" for h in HEADINGS))
        for name, c in sorted(self.files.items()):
            lines.append(f"{name[-40:]:<40}" + "".join(f"{getattr(c, h):>10}" for h in HEADINGS))
        lines.extend(f"note: {note}" for note in self.notes)
        kinds = Counter(issue.kind for issue in self.issues)
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "no issues"
        lines.append(f"rows with issues: {listed}; took {self.seconds:.1f} s")
        return "\n".join(lines)

    def write_report(self, path: Path) -> None:
        """Every repaired, rejected, merged and doubtful row: JSON for ``.json``, else CSV."""
        rows = [asdict(issue) for issue in self.issues]
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
            return
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(Issue.__dataclass_fields__))
            writer.writeheader()
            writer.writerows(rows)


HEADINGS = ("read", "created", "updated", "unchanged", "rejected", "merged", "repaired")


def _issue(
    kind: str, record: Record, field_name: str, reason: str, before: Any, after: Any
) -> Issue:
    return Issue(
        kind=kind,
        table=record.table,
        source=record.source,
        line=record.line,
        id=record.original_id or record.id,
        field=field_name,
        reason=reason,
        original="" if before is None else str(before),
        repaired="" if after is None else str(after),
    )
