"""What every report is made of, whichever screen, file or printer it goes to.

A report is a title and a run of sections; a section holds sentences, a table and a
chart. The screens, the PDF, the CSV and Excel files and the command line all read
this one shape, so a report is written once and reaches every output the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from prdesk.domain.errors import ValidationError
from prdesk.domain.queries import CaseFilter

# Reports read the database, not a warehouse: ten years is as far back as one goes.
LONGEST_SPAN_DAYS = 3653


class Granularity(StrEnum):
    """How a report's figures are split in time."""

    MONTH = "month"
    QUARTER = "quarter"

    @property
    def label(self) -> str:
        return {"month": "Month", "quarter": "Quarter"}[self.value]


class Grouping(StrEnum):
    """What compliance figures are given for besides the whole department."""

    NONE = "none"
    DEPARTMENT = "department"
    CATEGORY = "category"

    @property
    def label(self) -> str:
        return {"none": "Whole department", "department": "Department", "category": "Category"}[
            self.value
        ]


class Dimension(StrEnum):
    """What a trend counts cases by."""

    CATEGORY = "category"
    DEPARTMENT = "department"
    STAFF = "staff"
    CHANNEL = "channel"
    KIND = "kind"

    @property
    def label(self) -> str:
        return {
            "category": "Category",
            "department": "Department",
            "staff": "Staff member named",
            "channel": "How it came in",
            "kind": "Kind of case",
        }[self.value]


@dataclass(frozen=True)
class ReportRequest:
    """What someone asked for: the dates (both included) and how to split the figures."""

    start: date
    end: date
    granularity: Granularity = Granularity.MONTH
    grouping: Grouping = Grouping.NONE
    dimension: Dimension = Dimension.CATEGORY

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                "The report's last day comes before its first day.", {"end": "before_start"}
            )
        if (self.end - self.start).days > LONGEST_SPAN_DAYS:
            raise ValidationError(
                "A report covers at most ten years; choose a shorter period.",
                {"end": "too_long"},
            )


class Unit(StrEnum):
    """What a figure is, and so how it is written and aligned.

    PERCENT and CHANGE hold fractions (0.25 is 25 %); DAYS a number of days, with a
    fraction; None in any of them means there was nothing to measure.
    """

    TEXT = "text"
    COUNT = "count"
    PERCENT = "percent"
    DAYS = "days"
    CHANGE = "change"

    @property
    def numeric(self) -> bool:
        return self is not Unit.TEXT


Cell = str | int | float | None


@dataclass(frozen=True)
class ReportColumn:
    """A column: its heading, its unit, and what it counts in a sentence (shown as help)."""

    title: str
    unit: Unit = Unit.TEXT
    note: str = ""


@dataclass(frozen=True)
class ReportTable:
    """Rows of figures under column headings.

    Attributes:
        drill: for a cell (row, column) that counts cases the case list can show, the
            filter that shows exactly those cases.
        total_row: whether the last row is a total (printed in bold).
    """

    columns: tuple[ReportColumn, ...]
    rows: tuple[tuple[Cell, ...], ...]
    drill: Mapping[tuple[int, int], CaseFilter] = field(default_factory=dict)
    total_row: bool = False


class ChartKind(StrEnum):
    BAR = "bar"  # upright bars, grouped by series, one group per category
    HBAR = "hbar"  # bars across, for long labels (categories, departments, people)
    LINE = "line"  # one line per series, over periods


@dataclass(frozen=True)
class Series:
    """One set of bars or one line.

    Attributes:
        values: one per category; None where there was nothing to measure (no bar, a
            gap in the line), as a table shows "–" rather than 0.
        filters: one per category, where the case list can show the cases a value counts.
    """

    name: str
    values: tuple[float | None, ...]
    filters: tuple[CaseFilter | None, ...] = ()


@dataclass(frozen=True)
class Chart:
    title: str
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: Unit = Unit.COUNT


@dataclass(frozen=True)
class Section:
    """A heading, then sentences (plain text), then a table and a chart, any of which may be absent."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    table: ReportTable | None = None
    chart: Chart | None = None


@dataclass(frozen=True)
class Report:
    """A finished report.

    Attributes:
        name: the catalogue's name for it ("compliance"), as the command line takes it.
        subtitle: the period and how it is split, in words.
        organisation: the hospital's name, for the printed page's heading.
    """

    name: str
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    generated_at: datetime
    organisation: str = ""


def format_cell(value: Cell, unit: Unit) -> str:
    """A figure as screens and printed reports write it ("1,204", "92.5%", "+12%", "4.5")."""
    if value is None:
        return "" if unit is Unit.TEXT else "–"
    if unit is Unit.TEXT or isinstance(value, str):
        return str(value)
    if unit is Unit.COUNT:
        return f"{int(value):,}"
    if unit is Unit.PERCENT:
        return f"{value:.1%}"
    if unit is Unit.CHANGE:
        return f"{value:+.0%}".replace("-", "−")
    return f"{value:,.1f}"
