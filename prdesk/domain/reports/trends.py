"""Cases received per month or quarter by category, department, staff, channel or kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    distinct,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from prdesk.domain.enums import CaseKind, Channel
from prdesk.domain.models import (
    Case,
    CaseStaff,
    Category,
    Department,
    case_categories,
    case_departments,
)
from prdesk.domain.queries import CaseFilter
from prdesk.domain.reports.model import (
    Cell,
    Chart,
    ChartKind,
    Dimension,
    Report,
    ReportColumn,
    ReportRequest,
    ReportTable,
    Section,
    Series,
    Unit,
)
from prdesk.domain.reports.periods import (
    Period,
    long_date,
    period_before,
    period_index,
    periods,
    within,
)

# Rows beyond these are added together: a table of 200 people reads as nothing at all.
TOP_VALUES = 15
# Lines on the chart; more than this is a tangle nobody can follow on paper.
CHART_LINES = 5

Key = int | str
# The case list's filter for one row's cases in one period, where the list can show them.
Drill = Callable[["_Row", Period], CaseFilter | None]


@dataclass(frozen=True)
class _Axis:
    """How one dimension is counted and worded.

    Attributes:
        plural: what the rows are, in a sentence ("categories").
        missing: the row for cases with no value; empty where every case has one.
    """

    plural: str
    missing: str
    note: str


_AXES = {
    Dimension.CATEGORY: _Axis(
        "categories",
        "No category recorded",
        "Subcategories count under their top-level category. A case filed under two "
        "categories counts under each, so the rows can add up to more than all cases received.",
    ),
    Dimension.DEPARTMENT: _Axis(
        "departments",
        "No department recorded",
        "A case involving two departments counts under each, so the rows can add up to "
        "more than all cases received.",
    ),
    Dimension.STAFF: _Axis(
        "staff members",
        "No staff member named",
        "Each person named under \u201cStaff involved\u201d counts once per case however "
        "the name was spelled (\u201cDr. O'Brien\u201d and \u201cdr obrien\u201d are one "
        "person); the row shows one of the spellings. An entry too long to be a name (a "
        "sentence about what happened) is not counted. A case naming two people counts "
        "under each, so the rows can add up to more than all cases received.",
    ),
    Dimension.CHANNEL: _Axis("channels", "", "Each case counts once."),
    Dimension.KIND: _Axis("kinds of case", "", "Each case counts once."),
}


@dataclass
class _Row:
    """One value's counts; position 0 is the period before the report."""

    label: str
    keys: frozenset[Key]
    counts: list[int]
    drill: bool = True

    @property
    def total(self) -> int:
        return sum(self.counts[1:])


def trends_report(session: Session, request: ReportRequest, *, today: date | None = None) -> Report:
    """Cases received per period by `request.dimension`, with the change on the period before."""
    today = today or date.today()
    chosen = periods(request.start, request.end, request.granularity)
    before = period_before(chosen[0], request.granularity)
    spans = (before, *chosen)
    axis = _AXES[request.dimension]
    values = _value_rows(session, request.dimension, spans)
    values.sort(key=lambda row: (-row.total, -row.counts[0], row.label.casefold()))
    shown, folded = values[:TOP_VALUES], values[TOP_VALUES:]
    if folded:
        others = _Row(
            "All others",
            frozenset(key for row in folded for key in row.keys),
            [sum(column) for column in zip(*(row.counts for row in folded), strict=True)],
            # Only where a case has one value do the folded values' cases add up to the cell.
            drill=request.dimension in (Dimension.CHANNEL, Dimension.KIND),
        )
        shown = [*shown, others]
    if request.dimension in (Dimension.CHANNEL, Dimension.KIND):
        # Each case has exactly one: the rows add up to all cases, with none missing.
        all_cases = [sum(row.counts[i] for row in values) for i in range(len(spans))]
        missing = [0] * len(spans)
    else:
        all_cases, missing = _totals(session, request.dimension, spans)
    rows = list(shown)
    if axis.missing and any(missing):
        rows.append(_Row(axis.missing, frozenset(), missing, drill=False))
    total = _Row("All cases received", frozenset(), all_cases)

    def drill(row: _Row, period: Period) -> CaseFilter | None:
        if row is total:
            return CaseFilter(received_from=period.start, received_to=period.end)
        if not row.drill or not row.keys:
            return None
        return _filter(request.dimension, row.keys, period)

    whole = Period(chosen[0].start, chosen[-1].end, "")
    counts = _counts_table(request, chosen, [*rows, total], drill, whole)
    changes = _changes_table(request, before, chosen, [*rows, total], drill)
    chart = Chart(
        f"Cases received by {request.dimension.label.lower()}",
        ChartKind.LINE,
        tuple(period.label for period in chosen),
        tuple(
            Series(
                row.label,
                tuple(float(n) for n in row.counts[1:]),
                tuple(drill(row, period) for period in chosen),
            )
            for row in values[:CHART_LINES]
            if row.total
        ),
    )
    per = request.granularity.label.lower()
    paragraphs = [
        f"Cases received each {per} by {request.dimension.label.lower()}, by the day they "
        f"came in where the department works. {axis.note}",
    ]
    if folded:
        paragraphs.append(
            f"The {TOP_VALUES} {axis.plural} with the most cases are shown one by one; the "
            f"other {len(folded)} are added together under \u201cAll others\u201d."
        )
    paragraphs += _partial_notes(chosen, today, per)
    paragraphs.append(
        f"The last column is the change in {chosen[-1].label} on the {per} before it."
    )
    change_notes = (
        f"Each {per} against the {per} before it: +25% is a quarter more cases than the "
        f"{per} before, \u221250% half as many. The first is against {before.label}, before "
        "the report starts, whose cases are shown for reference. A dash means there were "
        "no cases to compare with.",
    )
    return Report(
        name="trends",
        title=f"Trends by {request.dimension.label.lower()}",
        subtitle=f"{long_date(request.start)} to {long_date(request.end)}, by {per}",
        sections=(
            Section(
                f"Cases received by {request.dimension.label.lower()}",
                tuple(paragraphs),
                counts,
                chart if chart.series else None,
            ),
            Section("Change on the period before", change_notes, changes),
        ),
        generated_at=datetime.now(UTC),
    )


def _filter(dimension: Dimension, keys: frozenset[Key], period: Period) -> CaseFilter | None:
    """The case list's filter for cases with one of `keys` received in `period`."""
    within_period = CaseFilter(received_from=period.start, received_to=period.end)
    if dimension is Dimension.CATEGORY:
        # The list's category criterion also finds the subcategories, as the report counts.
        return replace(within_period, category_ids=frozenset(int(key) for key in keys))
    if dimension is Dimension.DEPARTMENT:
        return replace(within_period, department_ids=frozenset(int(key) for key in keys))
    if dimension is Dimension.CHANNEL:
        return replace(within_period, channels=frozenset(Channel(str(key)) for key in keys))
    if dimension is Dimension.KIND:
        return replace(within_period, kinds=frozenset(CaseKind(str(key)) for key in keys))
    return None  # the case list has no criterion for a named staff member


def _partial_notes(chosen: Sequence[Period], today: date, per: str) -> list[str]:
    """Says which periods the report's dates cut short, in the order they come."""
    last = chosen[-1]
    running = last.start <= today <= last.end
    notes = []
    for period in dict.fromkeys((chosen[0], last)):
        if period is last and running:
            notes.append(f"{last.label} is not over yet: its figures run to {long_date(today)}.")
        elif period.partial:
            notes.append(
                f"{period.label} counts only {long_date(period.start)} to {long_date(period.end)}, "
                f"not the whole {per}."
            )
    return notes


def change(current: int, previous: int) -> float | None:
    """The change on the period before as a fraction; None when there was nothing before."""
    return None if previous == 0 else (current - previous) / previous


def _counts_table(
    request: ReportRequest,
    chosen: Sequence[Period],
    rows: Sequence[_Row],
    drill: Drill,
    whole: Period,
) -> ReportTable:
    last = chosen[-1]
    previous = chosen[-2].label if len(chosen) > 1 else "the period before"
    columns = (
        ReportColumn(request.dimension.label),
        *(ReportColumn(period.label, Unit.COUNT) for period in chosen),
        ReportColumn("Total", Unit.COUNT, "Cases received over the whole report"),
        ReportColumn(f"Change in {last.label}", Unit.CHANGE, f"Against {previous}"),
    )
    cells: list[tuple[Cell, ...]] = []
    drills: dict[tuple[int, int], CaseFilter] = {}
    for r, row in enumerate(rows):
        cells.append(
            (row.label, *row.counts[1:], row.total, change(row.counts[-1], row.counts[-2]))
        )
        for c, period in enumerate((*chosen, whole), start=1):
            found = drill(row, period)
            if found is not None:
                drills[(r, c)] = found
    return ReportTable(columns, tuple(cells), drills, total_row=True)


def _changes_table(
    request: ReportRequest,
    before: Period,
    chosen: Sequence[Period],
    rows: Sequence[_Row],
    drill: Drill,
) -> ReportTable:
    columns = (
        ReportColumn(request.dimension.label),
        ReportColumn(
            f"{before.label} (before)", Unit.COUNT, "Cases received in the period before the report"
        ),
        *(ReportColumn(period.label, Unit.CHANGE) for period in chosen),
    )
    cells: list[tuple[Cell, ...]] = []
    drills: dict[tuple[int, int], CaseFilter] = {}
    for r, row in enumerate(rows):
        steps = [change(row.counts[i], row.counts[i - 1]) for i in range(1, len(row.counts))]
        cells.append((row.label, row.counts[0], *steps))
        found = drill(row, before)
        if found is not None:
            drills[(r, 1)] = found
    return ReportTable(columns, tuple(cells), drills, total_row=True)


def _slots(spans: Sequence[Period]) -> tuple[list[Period], list[int | None]]:
    """The spans with, when the report starts mid-month, the days between the period
    before and the report's first day: one unbroken range the index on received_at
    serves, whose gap is counted apart and then left out (None)."""
    before, first = spans[0], spans[1]
    slots: list[Period] = [before]
    positions: list[int | None] = [0]
    if before.end + timedelta(days=1) < first.start:
        slots.append(Period(before.end + timedelta(days=1), first.start - timedelta(days=1), ""))
        positions.append(None)
    slots += spans[1:]
    positions += range(1, len(spans))
    return slots, positions


def _value_rows(session: Session, dimension: Dimension, spans: Sequence[Period]) -> list[_Row]:
    """Cases per value and period, counted in one grouped statement."""
    slots, positions = _slots(spans)
    index = period_index(Case.received_at, slots).label("period")
    inner: Select[*tuple[Any, ...]]
    if dimension is Dimension.CATEGORY:
        key: ColumnElement[Any] = func.coalesce(Category.parent_id, Category.id)
        inner = (
            select(key.label("key"), index, Case.id.label("case_id"), literal("").label("name"))
            .join(case_categories, case_categories.c.case_id == Case.id)
            .join(Category, Category.id == case_categories.c.category_id)
        )
    elif dimension is Dimension.DEPARTMENT:
        inner = select(
            case_departments.c.department_id.label("key"),
            index,
            Case.id.label("case_id"),
            literal("").label("name"),
        ).join(case_departments, case_departments.c.case_id == Case.id)
    elif dimension is Dimension.STAFF:
        inner = select(
            CaseStaff.name_key.label("key"),
            index,
            Case.id.label("case_id"),
            CaseStaff.name.label("name"),
        ).join(CaseStaff, CaseStaff.case_id == Case.id)
    else:
        column = Case.channel if dimension is Dimension.CHANNEL else Case.kind
        inner = select(
            column.label("key"), index, Case.id.label("case_id"), literal("").label("name")
        )
    sub = inner.where(within(Case.received_at, slots)).subquery()
    # A case under two subcategories of one category is one case there; every other
    # dimension has one row per case and value already, and a plain count is cheaper.
    counted = (
        func.count(distinct(sub.c.case_id)) if dimension is Dimension.CATEGORY else func.count()
    )
    grouped = select(sub.c.key, sub.c.period, counted, func.min(sub.c.name)).group_by(
        sub.c.key, sub.c.period
    )
    found: dict[Key, _Row] = {}
    spellings: dict[Key, str] = {}
    for value, slot, count, spelling in session.execute(grouped):
        position = positions[int(slot)]
        if position is None:
            continue
        row = found.setdefault(value, _Row("", frozenset({value}), [0] * len(spans)))
        row.counts[position] = int(count)
        if dimension is Dimension.STAFF:
            spellings[value] = min(spellings.get(value, spelling), spelling)
    labels = _labels(session, dimension, found, spellings)
    return [replace(row, label=labels[key]) for key, row in found.items()]


def _labels(
    session: Session, dimension: Dimension, found: dict[Key, _Row], spellings: dict[Key, str]
) -> dict[Key, str]:
    if dimension is Dimension.CATEGORY:
        rows = session.execute(
            select(Category.id, Category.name).where(Category.parent_id.is_(None))
        )
        return {key: name for key, name in rows if key in found}
    if dimension is Dimension.DEPARTMENT:
        rows = session.execute(select(Department.id, Department.name))
        return {key: name for key, name in rows if key in found}
    if dimension is Dimension.STAFF:
        return spellings
    enum = Channel if dimension is Dimension.CHANNEL else CaseKind
    return {key: enum(str(key)).label for key in found}


def _totals(
    session: Session, dimension: Dimension, spans: Sequence[Period]
) -> tuple[list[int], list[int]]:
    """All cases received per period, and those with no value of the dimension."""
    linked = {
        Dimension.CATEGORY: case_categories.c.case_id,
        Dimension.DEPARTMENT: case_departments.c.case_id,
        Dimension.STAFF: CaseStaff.case_id,
    }[dimension]
    # Two counts, not a CASE around EXISTS in one: in the WHERE clause PostgreSQL turns
    # NOT EXISTS into one anti-join; in the select list it runs it once per case.
    everything = _per_period(session, spans)
    missing = _per_period(session, spans, ~exists().where(linked == Case.id))
    return everything, missing


def _per_period(
    session: Session, spans: Sequence[Period], *where: ColumnElement[bool]
) -> list[int]:
    slots, positions = _slots(spans)
    sub = (
        select(period_index(Case.received_at, slots).label("period"))
        .where(within(Case.received_at, slots), *where)
        .subquery()
    )
    found = [0] * len(spans)
    for slot, count in session.execute(select(sub.c.period, func.count()).group_by(sub.c.period)):
        position = positions[int(slot)]
        if position is not None:
            found[position] = int(count)
    return found
