"""The grievance committee's quarterly report: the figures, the trends and a line per grievance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from prdesk.domain.enums import CaseStatus, Determination, LetterStatus, Severity
from prdesk.domain.models import Case, Category, Department, Letter
from prdesk.domain.models.cases import case_categories, case_departments
from prdesk.domain.queries import CaseFilter
from prdesk.domain.reports.compliance import compliance_parts
from prdesk.domain.reports.compliance_figures import (
    IN_TIME,
    LATE,
    PENDING,
    Figures,
    acknowledgement_state,
)
from prdesk.domain.reports.model import (
    Cell,
    Dimension,
    Granularity,
    Grouping,
    Report,
    ReportColumn,
    ReportRequest,
    ReportTable,
    Section,
    Unit,
    format_cell,
)
from prdesk.domain.reports.periods import Period, long_date, month_name, periods
from prdesk.domain.reports.sql import days_between
from prdesk.domain.reports.trends import trends_report
from prdesk.domain.workflow import NOT_A_RESPONSE

TITLE = "Grievance committee report"
MINIMUM_NECESSARY = (
    "To keep to the minimum necessary, this report names no patient or complainant and "
    "quotes nothing they wrote: look a grievance up in PR Desk by its case number to "
    "read it."
)


# Between names joined by the database: a character no name holds, so that they can be
# told apart again however they are spelt.
_UNIT_SEPARATOR = "\x1f"


class joined_names(FunctionElement[str]):  # noqa: N801
    """Names from the rows of a subquery as one text, the unit separator between them
    (see `_names`, which puts them in order)."""

    inherit_cache = True


@compiles(joined_names, "sqlite")
def _joined_sqlite(element: joined_names, compiler: SQLCompiler, **kw: Any) -> str:
    (name,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"group_concat({name}, char(31))"


@compiles(joined_names, "postgresql")
def _joined_postgresql(element: joined_names, compiler: SQLCompiler, **kw: Any) -> str:
    (name,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"string_agg({name}, chr(31))"


def _names(joined: str | None) -> str:
    """The names in alphabetical order, ", " between: SQLite before 3.44 cannot order
    within an aggregate, so the order is not left to the database."""
    return ", ".join(sorted(joined.split(_UNIT_SEPARATOR))) if joined else ""


def subtitle(start: date, end: date) -> str:
    """ "Q3 2026 (1 July – 30 September 2026)" for a whole quarter, else the two dates."""
    (quarter,) = periods(start, start, Granularity.QUARTER)
    whole = periods(start, end, Granularity.QUARTER)
    if len(whole) == 1 and not whole[0].partial:
        first = f"{start.day} {month_name(start)}"
        return f"{quarter.label} ({first} – {long_date(end)})"
    return f"{long_date(start)} – {long_date(end)}"


def _received(chosen: Period) -> ColumnElement[bool]:
    return and_(
        Case.is_grievance.is_(True),
        Case.received_at >= chosen.start_utc,
        Case.received_at < chosen.end_utc,
    )


def _acknowledged(today: date) -> ColumnElement[str]:
    """Yes, No or Pending, as the compliance report judges acknowledgements; empty where
    none was owed (no deadline set, or withdrawn before it was acknowledged)."""
    return case(
        {IN_TIME: "Yes", LATE: "No", PENDING: "Pending"},
        value=acknowledgement_state(today),
        else_="",
    )


def _is_response(letter: Any) -> ColumnElement[bool]:
    return and_(
        letter.case_id == Case.id,
        letter.status == LetterStatus.SENT,
        letter.template_key.not_in(sorted(NOT_A_RESPONSE)),
    )


def _departments(chosen: Period) -> Any:
    """Per grievance of the period: its departments' names, in one grouped pass."""
    link = case_departments.c
    names = (
        select(link.case_id, Department.name.label("name"))
        .join(Department, Department.id == link.department_id)
        .join(Case, Case.id == link.case_id)
        .where(_received(chosen))
        .subquery()
    )
    return (
        select(names.c.case_id, joined_names(names.c.name).label("names"))
        .group_by(names.c.case_id)
        .subquery()
    )


def _categories(chosen: Period) -> Any:
    """Per grievance of the period: its categories as "Care > Delay in treatment"."""
    link = case_categories.c
    parent = aliased(Category)
    path = func.coalesce(parent.name + " > ", "") + Category.name
    names = (
        select(link.case_id, path.label("name"))
        .join(Category, Category.id == link.category_id)
        .outerjoin(parent, parent.id == Category.parent_id)
        .join(Case, Case.id == link.case_id)
        .where(_received(chosen))
        .subquery()
    )
    return (
        select(names.c.case_id, joined_names(names.c.name).label("names"))
        .group_by(names.c.case_id)
        .subquery()
    )


def _responses(chosen: Period) -> Any:
    """Per grievance of the period with a written response sent, the day the first went:
    any letter but an acknowledgement or a still-investigating one, as the workflow asks
    before a grievance may close."""
    return (
        select(
            Letter.case_id,
            func.min(Letter.sent_on).label("sent_on"),
        )
        .join(Case, Case.id == Letter.case_id)
        .where(_received(chosen), _is_response(Letter))
        .group_by(Letter.case_id)
        .subquery()
    )


def _grievance_rows(session: Session, chosen: Period, today: date) -> list[Any]:
    days = days_between(Case.received_at, Case.resolved_at)
    departments, categories, responses = (
        _departments(chosen),
        _categories(chosen),
        _responses(chosen),
    )
    query = (
        select(
            Case.number,
            Case.received_at,
            departments.c.names.label("departments"),
            categories.c.names.label("categories"),
            Case.severity,
            Case.status,
            Case.determination,
            days.label("days"),
            _acknowledged(today).label("acknowledged"),
            responses.c.sent_on.label("response_sent"),
        )
        .outerjoin(departments, departments.c.case_id == Case.id)
        .outerjoin(categories, categories.c.case_id == Case.id)
        .outerjoin(responses, responses.c.case_id == Case.id)
        .where(_received(chosen))
        .order_by(Case.received_at, Case.number)
    )
    return list(session.execute(query))


def _share(part: int, whole: int) -> str:
    return format_cell(part / whole if whole else None, Unit.PERCENT)


def _summary(figures: Figures, answered: int, chosen: Period) -> Section:
    """The compliance report's figures over the whole period, in sentences, and how many
    grievances have had their written response (`answered`)."""
    received = figures.received
    decided = figures.acknowledged_in_time + figures.acknowledged_late
    sentences = [
        f"{format_cell(received, Unit.COUNT)} grievance{'' if received == 1 else 's'} received "
        f"between {long_date(chosen.start)} and {long_date(chosen.end)}; "
        f"{figures.withdrawn:,} of them withdrawn.",
        f"Acknowledged in time: {figures.acknowledged_in_time:,} of the {decided:,} whose "
        f"acknowledgement was due ({_share(figures.acknowledged_in_time, decided)}); "
        f"{figures.acknowledgement_pending:,} not yet due.",
    ]
    for days, done, missed in (
        (7, figures.within_7, figures.missed_7),
        (30, figures.within_30, figures.missed_30),
    ):
        sentences.append(
            f"Resolved within {days} days: {done:,} of the {done + missed:,} resolved or open "
            f"longer than that ({_share(done, done + missed)})."
        )
    sentences.append(
        f"Median days to close: {format_cell(figures.median_days, Unit.DAYS)}; 90th "
        f"percentile: {format_cell(figures.p90_days, Unit.DAYS)} (from receipt to resolution)."
    )
    sentences.append(
        f"Grievances with a written response sent: {answered:,} (any letter but an "
        "acknowledgement or a still-investigating letter)."
    )
    sentences.append(
        f"Response letters finalised in the period: {figures.letters:,} (determination letters, "
        "and closure letters of grievances, which must hold every required element); of them, "
        f"finalised without every required element: {figures.letters_overridden:,}."
    )
    return Section("Summary", tuple(sentences))


LINE_COLUMNS = (
    ReportColumn("Case", Unit.TEXT, "The case number; look it up in PR Desk."),
    ReportColumn("Received", Unit.TEXT, "The day it was received, local time."),
    ReportColumn("Service area", Unit.TEXT, "The departments involved."),
    ReportColumn("Category", Unit.TEXT, "Category > subcategory."),
    ReportColumn("Severity", Unit.TEXT),
    ReportColumn("Status", Unit.TEXT),
    ReportColumn("Determination", Unit.TEXT, "Upheld, partly upheld or not upheld."),
    ReportColumn("Days to resolve", Unit.DAYS, "From receipt to resolution."),
    ReportColumn(
        "Ack. in time",
        Unit.TEXT,
        "Acknowledged by the day the policy set: yes, no, or pending while that day has not "
        "passed; empty where the policy set none.",
    ),
    ReportColumn(
        "Response sent",
        Unit.TEXT,
        "The day the first written response was sent: any letter but an acknowledgement or a "
        "still-investigating letter.",
    ),
)


def _label(value: Severity | CaseStatus | Determination | None) -> str:
    return "" if value is None else value.label


def _lines(rows: Sequence[Any], chosen: Period) -> Section:
    cells: list[tuple[Cell, ...]] = []
    drill: dict[tuple[int, int], CaseFilter] = {}
    for index, row in enumerate(rows):
        cells.append(
            (
                row.number,
                row.received_at.astimezone().date().isoformat(),
                _names(row.departments),
                _names(row.categories),
                _label(row.severity),
                _label(row.status),
                _label(row.determination),
                None if row.days is None else round(float(row.days), 1),
                row.acknowledged or "",
                "" if row.response_sent is None else row.response_sent.isoformat(),
            )
        )
        drill[(index, 0)] = CaseFilter(numbers=frozenset({row.number}))
    paragraphs = (
        f"One line for each of the {len(rows):,} grievances received in the period, oldest first.",
        MINIMUM_NECESSARY,
    )
    table = ReportTable(LINE_COLUMNS, tuple(cells), drill)
    return Section("Grievances received", paragraphs, table)


def _borrowed(report: Report, prefix: str) -> tuple[Section, ...]:
    return tuple(
        replace(section, heading=f"{prefix}: {section.heading}") for section in report.sections
    )


def committee_report(
    session: Session, request: ReportRequest, *, today: date | None = None
) -> Report:
    """The committee's report for the request's dates: summary, compliance per month,
    trends by category and one line per grievance received."""
    today = today or datetime.now().astimezone().date()
    chosen = Period(request.start, request.end, subtitle(request.start, request.end))
    rows = _grievance_rows(session, chosen, today)
    monthly = replace(request, granularity=Granularity.MONTH, grouping=Grouping.NONE)
    compliance, overall = compliance_parts(session, monthly, today=today)
    trends = trends_report(session, replace(monthly, dimension=Dimension.CATEGORY), today=today)
    sections = (
        _summary(overall, sum(1 for row in rows if row.response_sent is not None), chosen),
        *(replace(section, heading=f"Compliance: {section.heading}") for section in compliance),
        *_borrowed(trends, "Trends"),
        _lines(rows, chosen),
    )
    return Report(
        "committee",
        TITLE,
        subtitle(request.start, request.end),
        sections,
        datetime.now(UTC),
    )
