"""The few places where SQLite and PostgreSQL spell an analytics query differently.

Elapsed hours and calendar months are SQL constructs compiled per dialect; the
percentile is the one query whose shape differs (``percentile_cont`` on PostgreSQL,
a window over ranked rows on SQLite), kept in :func:`percentiles`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer, Select, String, case, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class hours_between(FunctionElement[float]):  # noqa: N801  (reads as the SQL function it is)
    """Hours from the first timestamp to the second."""

    type = Float()
    inherit_cache = True


@compiles(hours_between, "sqlite")
def _hours_sqlite(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_postgresql(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"


class month_of(FunctionElement[str]):  # noqa: N801
    """The calendar month (UTC) of a timestamp as 'YYYY-MM'."""

    type = String()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_sqlite(element: month_of, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_of, "postgresql")
def _month_postgresql(element: month_of, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC', 'YYYY-MM')"


def percentiles(
    session: Session, values: Select[Any], fractions: tuple[float, ...]
) -> dict[Any, tuple[float, ...]]:
    """Continuous percentiles (as PostgreSQL's ``percentile_cont``: linear interpolation
    between the two nearest ranks) of ``value`` per ``key``, one per fraction, in one
    pass. ``values`` selects two labelled columns, ``key`` and ``value``, no NULL value."""
    rows = values.subquery("pct_values")
    if session.get_bind().dialect.name == "postgresql":
        wanted = [func.percentile_cont(p).within_group(rows.c.value) for p in fractions]
        query = select(rows.c.key, *wanted).group_by(rows.c.key)
    else:
        ranked = select(
            rows.c.key,
            rows.c.value,
            (func.row_number().over(partition_by=rows.c.key, order_by=rows.c.value) - 1).label(
                "rank"
            ),
            (func.count().over(partition_by=rows.c.key) - 1).label("last"),
        ).subquery("pct_ranked")
        query = select(ranked.c.key, *(_interpolated(ranked, p) for p in fractions)).group_by(
            ranked.c.key
        )
    return {key: tuple(float(v) for v in found) for key, *found in session.execute(query)}


def _interpolated(ranked: Any, fraction: float) -> Any:
    position = ranked.c.last * fraction
    lower = cast(position, Integer)  # a truncation: positions are never negative
    upper = lower + case((position > lower, 1), else_=0)
    low = func.max(case((ranked.c.rank == lower, ranked.c.value)))
    high = func.max(case((ranked.c.rank == upper, ranked.c.value)))
    return low + (high - low) * func.max(position - lower)
