"""The NHS-style complaints return: subject, service area and outcome."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from prdesk.domain.deadline_policy import Preset
from prdesk.domain.enums import CaseKind, Determination
from prdesk.domain.models import Case, Category, Department, case_categories, case_departments
from prdesk.domain.queries import CaseFilter, local_midnight_utc
from prdesk.domain.reports.model import (
    Cell,
    Chart,
    ChartKind,
    Report,
    ReportColumn,
    ReportRequest,
    ReportTable,
    Section,
    Series,
    Unit,
)
from prdesk.domain.reports.periods import long_date
from prdesk.domain.services.policy import deadline_policy

# The NHS return's outcome columns, in its order; None is a complaint resolved with none recorded.
OUTCOMES: tuple[Determination | None, ...] = (
    Determination.UPHELD,
    Determination.PARTLY_UPHELD,
    Determination.NOT_UPHELD,
    None,
)
_OUTCOME_TITLES = {
    Determination.UPHELD: "Upheld",
    Determination.PARTLY_UPHELD: "Partly upheld",
    Determination.NOT_UPHELD: "Not upheld",
    None: "Not recorded",
}


@dataclass
class _Line:
    """Complaints received, and resolved by outcome, for one subject or service area."""

    key: int | None
    label: str = ""
    received: int = 0
    resolved: dict[Determination | None, int] = field(default_factory=dict)

    @property
    def resolved_total(self) -> int:
        return sum(self.resolved.values())


def nhs_return_report(
    session: Session, request: ReportRequest, *, today: date | None = None
) -> Report:
    """Complaints received by subject and service area, and resolved by outcome."""
    span = (local_midnight_utc(request.start), local_midnight_utc(request.end + timedelta(days=1)))
    received = and_(Case.received_at >= span[0], Case.received_at < span[1])
    resolved = and_(Case.resolved_at >= span[0], Case.resolved_at < span[1])
    whole = CaseFilter(
        kinds=frozenset({CaseKind.COMPLAINT}),
        received_from=request.start,
        received_to=request.end,
    )
    found = _lines(session, received, resolved)
    totals = list(found["grievance"].values())
    overall = {line.key: line for line in totals}
    everything = _Line(None, "All complaints")
    for line in totals:
        everything.received += line.received
        for outcome, count in line.resolved.items():
            everything.resolved[outcome] = everything.resolved.get(outcome, 0) + count
    subject_names = select(Category.id, Category.name).where(Category.parent_id.is_(None))
    subjects = _named(
        list(found["subject"].values()),
        {key: name for key, name in session.execute(subject_names)},
        "No subject recorded",
    )
    areas = _named(
        list(found["area"].values()),
        {key: name for key, name in session.execute(select(Department.id, Department.name))},
        "No service area recorded",
    )
    paragraphs = []
    preset = deadline_policy(session).preset
    if preset is not Preset.NHS:
        paragraphs.append(
            f"The department works under the {preset.label} deadline policy, not the NHS "
            "one: this return is laid out as the NHS asks, but the department's own "
            "deadlines and rules apply to its complaints."
        )
    paragraphs += [
        "Complaints received in the period, and complaints resolved in it whenever they "
        "were received, laid out as the NHS KO41a return counts them. Grievances are "
        "complaints that must be handled formally, and are counted with them.",
        "The outcome is what the review concluded, as recorded with the case's findings; "
        "\u201cNot recorded\u201d are complaints resolved with no conclusion recorded.",
    ]
    grievances = overall.get(1, _Line(1))
    summary = ReportTable(
        (
            ReportColumn("Complaints"),
            ReportColumn("All complaints", Unit.COUNT),
            ReportColumn("Of which grievances", Unit.COUNT),
        ),
        (
            ("Received", everything.received, grievances.received),
            ("Resolved", everything.resolved_total, grievances.resolved_total),
        ),
        {(0, 1): whole, (0, 2): replace(whole, grievance=True)},
    )
    return Report(
        name="nhs-return",
        title="NHS complaints return",
        subtitle=f"{long_date(request.start)} to {long_date(request.end)}",
        sections=(
            Section("Complaints in the period", tuple(paragraphs), summary),
            Section(
                "By subject",
                (
                    "The subject is the complaint's top-level category; subcategories count "
                    "under it, and a complaint with two subjects counts under each.",
                ),
                _table("Subject", subjects, everything, whole, _by_subject),
                _chart("Complaints received by subject", subjects, whole, _by_subject),
            ),
            Section(
                "By service area",
                ("A complaint about two service areas counts under each.",),
                _table("Service area", areas, everything, whole, _by_area),
                _chart("Complaints received by service area", areas, whole, _by_area),
            ),
            _outcomes(everything),
        ),
        generated_at=datetime.now(UTC),
    )


def _by_subject(whole: CaseFilter, key: int) -> CaseFilter:
    # The list's category criterion finds the subcategories too, as the return counts them.
    return replace(whole, category_ids=frozenset({key}))


def _by_area(whole: CaseFilter, key: int) -> CaseFilter:
    return replace(whole, department_ids=frozenset({key}))


def _lines(
    session: Session, received: ColumnElement[bool], resolved: ColumnElement[bool]
) -> dict[str, dict[int | None, _Line]]:
    """Complaints received and resolved by grievance flag, subject and service area.

    One statement: the complaints are read from the cases table once (a CTE, which both
    databases keep once it is used three times), the two periods are CASE tests, so a
    complaint received before the period and resolved in it is read once too. A
    complaint has one row per service area, and one per subject once subcategories are
    folded (DISTINCT), so sums count complaints.
    """
    complaints = (
        select(
            Case.id.label("case_id"),
            cast(Case.is_grievance, Integer).label("grievance"),
            Case.determination.label("outcome"),
            case((received, 1), else_=0).label("received"),
            case((resolved, 1), else_=0).label("resolved"),
        )
        .where(Case.kind == CaseKind.COMPLAINT, or_(received, resolved))
        .cte("complaints")
    )
    subjects = (
        select(
            func.coalesce(Category.parent_id, Category.id).label("key"),
            complaints.c.case_id,
            complaints.c.outcome,
            complaints.c.received,
            complaints.c.resolved,
        )
        .select_from(complaints)
        .outerjoin(case_categories, case_categories.c.case_id == complaints.c.case_id)
        .outerjoin(Category, Category.id == case_categories.c.category_id)
        .distinct()
        .subquery()
    )
    areas = (
        select(
            case_departments.c.department_id.label("key"),
            complaints.c.outcome,
            complaints.c.received,
            complaints.c.resolved,
        )
        .select_from(complaints)
        .outerjoin(case_departments, case_departments.c.case_id == complaints.c.case_id)
        .subquery()
    )
    parts = [
        select(
            literal_column("'grievance'").label("by"),
            complaints.c.grievance.label("key"),
            complaints.c.outcome,
            func.sum(complaints.c.received),
            func.sum(complaints.c.resolved),
        ).group_by(complaints.c.grievance, complaints.c.outcome)
    ]
    for name, rows in (("subject", subjects), ("area", areas)):
        parts.append(
            select(
                literal_column(f"'{name}'").label("by"),
                rows.c.key,
                rows.c.outcome,
                func.sum(rows.c.received),
                func.sum(rows.c.resolved),
            ).group_by(rows.c.key, rows.c.outcome)
        )
    found: dict[str, dict[int | None, _Line]] = {"grievance": {}, "subject": {}, "area": {}}
    for by, value, outcome, got, done in session.execute(union_all(*parts)):
        key = None if value is None else int(value)
        line = found[by].setdefault(key, _Line(key))
        line.received += int(got or 0)
        if done:
            line.resolved[outcome] = line.resolved.get(outcome, 0) + int(done)
    return found


def _named(lines: list[_Line], names: dict[int, str], missing: str) -> list[_Line]:
    """Lines with their names, most complaints first, the unrecorded ones last."""
    for line in lines:
        line.label = names.get(line.key, "") if line.key is not None else missing
    return sorted(
        lines,
        key=lambda line: (
            line.key is None,
            -line.received,
            -line.resolved_total,
            line.label.casefold(),
        ),
    )


def _row(line: _Line) -> tuple[Cell, ...]:
    return (
        line.label,
        line.received,
        line.resolved_total,
        *(line.resolved.get(outcome, 0) for outcome in OUTCOMES),
    )


def _table(
    title: str,
    lines: Sequence[_Line],
    everything: _Line,
    whole: CaseFilter,
    show: Callable[[CaseFilter, int], CaseFilter],
) -> ReportTable:
    columns = (
        ReportColumn(title),
        ReportColumn("Received", Unit.COUNT, "Complaints received in the period"),
        ReportColumn("Resolved", Unit.COUNT, "Complaints resolved in the period"),
        *(
            ReportColumn(_OUTCOME_TITLES[outcome], Unit.COUNT, "Of the complaints resolved")
            for outcome in OUTCOMES
        ),
    )
    drills = {(r, 1): show(whole, line.key) for r, line in enumerate(lines) if line.key is not None}
    drills[(len(lines), 1)] = whole
    return ReportTable(
        columns, (*(_row(line) for line in lines), _row(everything)), drills, total_row=True
    )


def _chart(
    title: str,
    lines: Sequence[_Line],
    whole: CaseFilter,
    show: Callable[[CaseFilter, int], CaseFilter],
) -> Chart | None:
    named = [(line, line.key) for line in lines if line.key is not None and line.received]
    if not named:
        return None
    return Chart(
        title,
        ChartKind.HBAR,
        tuple(line.label for line, _ in named),
        (
            Series(
                "Received",
                tuple(float(line.received) for line, _ in named),
                tuple(show(whole, key) for _, key in named),
            ),
        ),
    )


def _outcomes(everything: _Line) -> Section:
    resolved = everything.resolved_total
    rows = tuple(
        (
            _OUTCOME_TITLES[outcome],
            everything.resolved.get(outcome, 0),
            everything.resolved.get(outcome, 0) / resolved if resolved else None,
        )
        for outcome in OUTCOMES
    )
    table = ReportTable(
        (
            ReportColumn("Outcome"),
            ReportColumn("Complaints resolved", Unit.COUNT),
            ReportColumn("Share", Unit.PERCENT, "Of all complaints resolved in the period"),
        ),
        (*rows, ("All complaints resolved", resolved, 1.0 if resolved else None)),
        total_row=True,
    )
    chart = Chart(
        "Outcome of complaints resolved",
        ChartKind.BAR,
        tuple(_OUTCOME_TITLES[outcome] for outcome in OUTCOMES),
        (Series("Complaints resolved", tuple(float(row[1]) for row in rows)),),
    )
    return Section(
        "Outcome of complaints resolved",
        ("Each complaint resolved in the period, by what its review concluded.",),
        table,
        chart if resolved else None,
    )
