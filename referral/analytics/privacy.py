"""Small-cell suppression for figures shown outside the organization that owns them.

A count below :data:`SMALL` (0 to 10) is never shown exactly: it becomes ``"<11"``.
Then complementary suppression hides a second cell wherever the small one could be
worked out by subtraction: a part whose complement within its whole is small, and the
next-smallest row of a column whose total is shown. Rates and times resting on a
hidden count are hidden too. Runs until nothing changes (a few passes at most).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from referral.analytics.tables import Table

SMALL = 11
LESS_THAN = "<11"
SUPPRESSED = "suppressed"
HIDDEN = (LESS_THAN, SUPPRESSED)


def shown(value: Any) -> bool:
    return value not in HIDDEN


def suppress(table: Table) -> Table:
    rows = [dict(row) for row in table.rows]
    total = dict(table.total) if table.total is not None else None
    every = rows + ([total] if total is not None else [])
    counts = [c.key for c in table.columns if c.kind == "count"]
    for row in every:
        for key in counts:
            if isinstance(row.get(key), int) and row[key] < SMALL:
                row[key] = LESS_THAN
    raw = [dict(r) for r in table.rows] + ([dict(table.total)] if table.total else [])
    while _complement_pairs(table, every, raw) | _complement_totals(counts, rows, total):
        pass
    _hide_derived(table, every, raw)
    return table.replaced(rows=rows, total=total, suppressed=True)


def _complement_pairs(table: Table, every: list[dict[str, Any]], raw: list[dict]) -> bool:
    """part / whole: a shown part whose whole is shown reveals whole - part."""
    changed = False
    for column in table.columns:
        if column.kind != "rate" or column.basis is None:
            continue
        part, whole = column.basis
        for row, original in zip(every, raw, strict=True):
            if shown(row[part]) and shown(row[whole]) and original[whole] - original[part] < SMALL:
                row[part] = SUPPRESSED
                changed = True
    return changed


def _complement_totals(
    counts: list[str], rows: list[dict[str, Any]], total: dict[str, Any] | None
) -> bool:
    """A column whose total is shown must not have exactly one hidden row."""
    if total is None:
        return False
    changed = False
    for key in counts:
        if not shown(total[key]):
            continue
        hidden = [r for r in rows if not shown(r[key])]
        visible = [r for r in rows if shown(r[key])]
        if len(hidden) == 1 and visible:
            min(visible, key=lambda r: r[key])[key] = SUPPRESSED
            changed = True
    return changed


def _hide_derived(table: Table, every: list[dict[str, Any]], raw: list[dict]) -> None:
    for column in table.columns:
        if column.basis is None or column.kind == "count":
            continue
        for row, original in zip(every, raw, strict=True):
            if row.get(column.key) is None:
                continue
            too_few = column.kind == "hours" and original[column.basis[0]] < SMALL
            if too_few or not all(shown(row[b]) for b in column.basis):
                row[column.key] = SUPPRESSED
