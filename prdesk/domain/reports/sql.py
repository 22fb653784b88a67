"""SQL that reports need and that the two databases write differently: elapsed days, percentiles.

Instants are stored as UTC: SQLite keeps them as text ("2026-03-31 22:30:00.000000"),
PostgreSQL as timestamptz. Elapsed time is counted in 24-hour days on both, so a
grievance received the evening before the clocks change is not a day early or late.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement

from prdesk.domain.models import Category
from prdesk.domain.models.base import UtcDateTime
from prdesk.domain.models.cases import case_categories, case_departments
from prdesk.domain.reports.model import Grouping


class days_between(FunctionElement[float]):  # noqa: N801 - used like a SQL function
    """The days, with their fraction, from the first instant to the second (24-hour days)."""

    type = Float()
    name = "days_between"
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(julianday({end}) - julianday({start}))"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION) / 86400.0)"


class plus_days(FunctionElement[Any]):  # noqa: N801 - used like a SQL function
    """The instant a whole number of 24-hour days after another, to the microsecond.

    Comparing a stored instant with this is exact, where comparing a difference of
    floating point days with a whole number is not, at the very edge.
    """

    type = UtcDateTime()
    name = "plus_days"
    inherit_cache = True

    def __init__(self, instant: Any, days: int) -> None:
        super().__init__(instant, literal(int(days), Integer()))


@compiles(plus_days, "sqlite")
def _plus_days_sqlite(element: plus_days, compiler: SQLCompiler, **kw: Any) -> str:
    instant, days = (compiler.process(arg, **kw) for arg in element.clauses)
    # datetime() keeps only whole seconds: the stored fraction is put back as it was.
    return (
        f"(datetime(substr({instant}, 1, 19), '+' || {days} || ' days') || substr({instant}, 20))"
    )


@compiles(plus_days, "postgresql")
def _plus_days_postgresql(element: plus_days, compiler: SQLCompiler, **kw: Any) -> str:
    instant, days = (compiler.process(arg, **kw) for arg in element.clauses)
    # Hours, not days: a timestamptz plus '1 day' follows the session's clock changes.
    return f"({instant} + {days} * INTERVAL '24 hours')"


def percentiles(
    values: Select[Any], fractions: tuple[float, ...], *, keys: int = 1, overall: int | None = None
) -> Select[Any]:
    """Interpolated percentiles per key, as PostgreSQL's percentile_cont gives them.

    `values` selects `keys` key columns and then the measured value (NULLs left out
    beforehand). The result has the key columns and one column per fraction (p0, p1,
    ...). With `overall`, there are also rows over all values of the keys but the last,
    with `overall` in place of the last key (a period's figures, then the whole year's).

    For n values the percentile p lies at position p*(n-1) counted from 0, between the
    values ranked just below and just above it. Ranks and counts come from window
    functions, which SQLite runs as well as PostgreSQL; the overall ranks from a second
    window over the same rows. Only the rows next to a position are then aggregated.
    """
    source = values.subquery("measured")
    columns = list(source.c)
    key_columns, value = columns[:keys], columns[keys]
    levels = {"each": key_columns}
    if overall is not None:
        levels["all"] = key_columns[:-1]
    ranks: list[ColumnElement[Any]] = []
    for level, partition in levels.items():
        # Equal values may come in either order: the value at each rank is the same.
        window: dict[str, Any] = {"partition_by": partition or None, "order_by": value}
        rank = func.row_number().over(**window) - 1
        n = func.count().over(**window, rows=(None, None))
        ranks.append(n.label(f"n_{level}"))
        for index, fraction in enumerate(fractions):
            # How far the row's rank is past the position: 0 just below it, 1 just above.
            ranks.append((rank - _below(n, fraction)).label(f"past{index}_{level}"))
    ranked = select(*key_columns, value.label("value"), *ranks).subquery("ranked")
    r = ranked.c
    offsets = [r[f"past{i}_{level}"] for i in range(len(fractions)) for level in levels]
    gathered: list[ColumnElement[Any]] = []
    for level in levels:
        gathered.append(func.max(r[f"n_{level}"]).label(f"n_{level}"))
        for index in range(len(fractions)):
            past = r[f"past{index}_{level}"]
            gathered.append(func.max(case((past == 0, r.value))).label(f"low{index}_{level}"))
            gathered.append(func.max(case((past == 1, r.value))).label(f"high{index}_{level}"))
    ranked_keys = [r[column.name] for column in key_columns]
    per_key = (
        select(*ranked_keys, *gathered)
        .where(or_(*(offset.in_((0, 1)) for offset in offsets)))
        .group_by(*ranked_keys)
    )
    if overall is None:
        each = per_key.subquery("per_key").c
        return select(*(each[c.name] for c in key_columns), *_interpolated(each, fractions, "each"))
    both = per_key.cte("per_key").c
    outer = [both[c.name] for c in key_columns[:-1]]
    spread = [c for c in gathered if c.name.endswith("_all")]
    whole = select(*outer, *(func.max(both[c.name]).label(c.name) for c in spread))
    overall_rows = whole.group_by(*outer).subquery("overall").c
    return (
        union_all(
            select(*(both[c.name] for c in key_columns), *_interpolated(both, fractions, "each")),
            select(
                *(overall_rows[c.name] for c in key_columns[:-1]),
                literal(overall, Integer()),
                *_interpolated(overall_rows, fractions, "all"),
            ),
        )
        .subquery("percentiles")
        .select()
    )


def _below(n: Any, fraction: float) -> Any:
    """The rank just below the percentile's position, floor(fraction * (n - 1))."""
    numerator, denominator = _as_ratio(fraction)
    # Integer division of non-negative integers floors on both databases.
    return (n * numerator - numerator) // denominator


def _interpolated(columns: Any, fractions: tuple[float, ...], level: str) -> list[Any]:
    found = []
    n = columns[f"n_{level}"]
    for index, fraction in enumerate(fractions):
        numerator, denominator = _as_ratio(fraction)
        weight = cast(n * numerator - numerator - _below(n, fraction) * denominator, Float)
        low, high = columns[f"low{index}_{level}"], columns[f"high{index}_{level}"]
        found.append(
            (low + weight / denominator * (func.coalesce(high, low) - low)).label(f"p{index}")
        )
    return found


def _as_ratio(fraction: float) -> tuple[int, int]:
    """0.9 as 9/10: the position is worked out in whole numbers, exactly."""
    if not 0 <= fraction <= 1:
        raise ValueError("a percentile is a fraction from 0 to 1")
    denominator = 1000
    return round(fraction * denominator), denominator


def in_groups(source: Any, grouping: Grouping) -> Select[Any] | None:
    """`source`'s rows once under each department, or top-level category, of their case.

    `source` (a subquery or CTE) has a case_id column; the rows come out with a
    group_key column first. A subcategory counts under its parent, and a case filed
    under two subcategories of one parent counts there once. None when not grouped.
    The join starts from `source`, so both databases see how few rows it has.
    """
    if grouping is Grouping.DEPARTMENT:
        return select(case_departments.c.department_id.label("group_key"), *source.c).join_from(
            source, case_departments, case_departments.c.case_id == source.c.case_id
        )
    if grouping is Grouping.CATEGORY:
        top = func.coalesce(Category.parent_id, Category.id).label("group_key")
        return (
            select(top, *source.c)
            .join_from(source, case_categories, case_categories.c.case_id == source.c.case_id)
            .join(Category, Category.id == case_categories.c.category_id)
            .distinct()
        )
    return None
