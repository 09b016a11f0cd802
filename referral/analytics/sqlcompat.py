"""The few places where SQLite and PostgreSQL spell an analytics query differently.

Elapsed hours, calendar months and the continuous percentile are SQL constructs
compiled per dialect. PostgreSQL has ``percentile_cont``; on SQLite the same
aggregate is registered on the connection (:func:`prepare`) before a query uses it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, String
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


class table_scan(FunctionElement[Any]):  # noqa: N801
    """A column compared without its index on SQLite (``+column``), unchanged on
    PostgreSQL. SQLite keeps no statistics of value ranges: for a period it walks the
    ``sent_at`` index with one random row read per referral, several times slower than
    reading the table once when the period holds most referrals (the usual report).
    PostgreSQL's planner knows the distribution and chooses for itself."""

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(table_scan, "sqlite")
def _table_scan_sqlite(element: table_scan, compiler: SQLCompiler, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"


@compiles(table_scan, "postgresql")
def _table_scan_postgresql(element: table_scan, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


class percentile_cont(FunctionElement[float]):  # noqa: N801
    """The continuous percentile ``fraction`` of ``value`` over a group, as PostgreSQL's
    ``percentile_cont(fraction) WITHIN GROUP (ORDER BY value)``: linear interpolation
    between the two nearest ranks; NULL values are left out, NULL for no values. An
    aggregate, so every percentile of a breakdown comes from the one GROUP BY query
    that counts it."""

    type = Float()
    inherit_cache = True


@compiles(percentile_cont, "postgresql")
def _percentile_postgresql(element: percentile_cont, compiler: SQLCompiler, **kw: Any) -> str:
    value, fraction = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"percentile_cont({fraction}) WITHIN GROUP (ORDER BY {value})"


@compiles(percentile_cont, "sqlite")
def _percentile_sqlite(element: percentile_cont, compiler: SQLCompiler, **kw: Any) -> str:
    value, fraction = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"{SQLITE_PERCENTILE}({value}, {fraction})"


SQLITE_PERCENTILE = "analytics_percentile_cont"


class _ContinuousPercentile:
    """SQLite's ``analytics_percentile_cont(value, fraction)`` aggregate (SQLite has no
    percentile function of its own): the rule of PostgreSQL's ``percentile_cont``."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value: float | None, fraction: float) -> None:
        if value is not None:
            self.values.append(value)
            self.fraction = fraction

    def finalize(self) -> float | None:
        return continuous_percentile(self.values, self.fraction)


def continuous_percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower = int(position)  # a truncation: positions are never negative
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def prepare(session: Session) -> None:
    """Make :class:`percentile_cont` available on the session's connection (SQLite
    needs the aggregate registered on each connection; PostgreSQL has it)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        raw.create_aggregate(SQLITE_PERCENTILE, 2, _ContinuousPercentile)  # type: ignore[union-attr]
