"""The few places where SQLite and PostgreSQL spell an analytics query differently.

Elapsed hours and calendar months are SQL constructs compiled per dialect; the
percentile is the one query whose shape differs (``percentile_cont`` on PostgreSQL,
a window over ranked rows on SQLite), kept in :func:`percentiles`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer, Select, String, cast, func, select
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


def percentiles(session: Session, values: Select[Any], fraction: float) -> dict[Any, float]:
    """The continuous percentile (as PostgreSQL's ``percentile_cont``: linear
    interpolation between the two nearest ranks) of ``value`` per ``key``.
    ``values`` selects two labelled columns, ``key`` and ``value``, with no NULL value."""
    rows = values.subquery("pct_values")
    if session.get_bind().dialect.name == "postgresql":
        query = select(
            rows.c.key, func.percentile_cont(fraction).within_group(rows.c.value)
        ).group_by(rows.c.key)
        return {key: float(value) for key, value in session.execute(query)}
    ranked = select(
        rows.c.key,
        rows.c.value,
        (func.row_number().over(partition_by=rows.c.key, order_by=rows.c.value) - 1).label("rank"),
        ((func.count().over(partition_by=rows.c.key) - 1) * fraction).label("position"),
    ).subquery("pct_ranked")
    lower = cast(ranked.c.position, Integer)  # a truncation: positions are never negative
    upper = lower + (ranked.c.position > lower)
    query = (
        select(
            ranked.c.key,
            func.min(ranked.c.value),
            func.max(ranked.c.value),
            func.max(ranked.c.position - lower),
        )
        .where((ranked.c.rank == lower) | (ranked.c.rank == upper))
        .group_by(ranked.c.key)
    )
    return {
        key: float(low + (high - low) * share) for key, low, high, share in session.execute(query)
    }
