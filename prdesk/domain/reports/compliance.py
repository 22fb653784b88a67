"""Grievance compliance: acknowledged in time, resolved within 7 and 30 days, days to close.

Every figure is counted in the database in two statements: one reads the grievances
received (their counts, then the days they took to close), one the response letters
finalised. Each gives the rows for all grievances and, when the report is split, each
department's or category's, so Python only lays out a few hundred rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from prdesk.domain.enums import CaseStatus, LetterStatus
from prdesk.domain.models import Case, Category, Department, Letter
from prdesk.domain.queries import CaseFilter
from prdesk.domain.reports.model import (
    Cell,
    Chart,
    ChartKind,
    Granularity,
    Grouping,
    Report,
    ReportColumn,
    ReportRequest,
    ReportTable,
    Section,
    Series,
    Unit,
)
from prdesk.domain.reports.periods import Period, local_midnight_utc, period_index, periods, within
from prdesk.domain.reports.sql import days_between, in_groups, percentiles, plus_days

# The CMS guideline: a grievance not resolved within 7 days gets a letter saying when.
GUIDELINE_DAYS = 7
LONGER_DAYS = 30
TOTAL = -1  # the period position of a figure over the whole report
_WHOLE = 0  # the group key of all grievances together

_RESPONSE_STATUSES = (LetterStatus.FINALISED, LetterStatus.SENT, LetterStatus.WITHDRAWN)

# Per grievance: 0 not measured, 1 in time, 2 late or missed, 3 still in time.
_IN_TIME, _LATE, _PENDING = 1, 2, 3

COLUMNS = (
    ReportColumn("Period"),
    ReportColumn("Grievances received", Unit.COUNT, "Grievances received in the period, "
                 "withdrawn ones included."),
    ReportColumn("Withdrawn", Unit.COUNT, "Of those, withdrawn: left out of the resolution "
                 "figures."),
    ReportColumn("Acknowledged in time", Unit.PERCENT, "Share acknowledged by the day the "
                 "policy sets, of those acknowledged or past that day. Grievances with no "
                 "acknowledgement deadline are left out."),
    ReportColumn("Acknowledged late", Unit.COUNT, "Acknowledged after the day the policy "
                 "sets, or not acknowledged and that day has passed."),
    ReportColumn("Acknowledgement not yet due", Unit.COUNT, "Not acknowledged yet, and the "
                 "day the policy sets has not passed: not in the share."),
    ReportColumn("Resolved within 7 days", Unit.PERCENT, "Share resolved within 7 days "
                 "(168 hours) of receipt, of those resolved or older than 7 days; withdrawn "
                 "grievances left out."),
    ReportColumn("Still within 7 days", Unit.COUNT, "Not resolved and received less than 7 "
                 "days ago: not in the share."),
    ReportColumn("Resolved within 30 days", Unit.PERCENT, "Share resolved within 30 days of "
                 "receipt, of those resolved or older than 30 days; withdrawn grievances "
                 "left out."),
    ReportColumn("Still within 30 days", Unit.COUNT, "Not resolved and received less than "
                 "30 days ago: not in the share."),
    ReportColumn("Median days to close", Unit.DAYS, "Half of the resolved grievances took "
                 "this many days or fewer, from receipt to resolution."),
    ReportColumn("90th percentile days to close", Unit.DAYS, "Nine in ten resolved "
                 "grievances took this many days or fewer."),
    ReportColumn("Response letters finalised", Unit.COUNT, "Written responses (determination "
                 "letters, and closure letters of grievances) finalised in the period."),
    ReportColumn("Finalised without every required element", Unit.COUNT, "Of those, letters "
                 "a coordinator approved with a reason although an element the policy "
                 "requires was missing. Should be none."),
)  # fmt: skip


@dataclass
class Figures:
    """What one row of the report says, before it is written out."""

    received: int = 0
    withdrawn: int = 0
    acknowledged_in_time: int = 0
    acknowledged_late: int = 0
    acknowledgement_pending: int = 0
    within_7: int = 0
    missed_7: int = 0
    pending_7: int = 0
    within_30: int = 0
    missed_30: int = 0
    pending_30: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    letters: int = 0
    letters_overridden: int = 0

    def add(self, other: Figures) -> None:
        """Adds the counts of `other` (days to close are not additive; left alone)."""
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def acknowledged_share(self) -> float | None:
        return _share(self.acknowledged_in_time, self.acknowledged_late)

    @property
    def share_7(self) -> float | None:
        return _share(self.within_7, self.missed_7)

    @property
    def share_30(self) -> float | None:
        return _share(self.within_30, self.missed_30)

    def cells(self, label: str) -> tuple[Cell, ...]:
        return (
            label, self.received, self.withdrawn, self.acknowledged_share,
            self.acknowledged_late, self.acknowledgement_pending, self.share_7, self.pending_7,
            self.share_30, self.pending_30, self.median_days, self.p90_days, self.letters,
            self.letters_overridden,
        )  # fmt: skip


_COUNTS = tuple(spec.name for spec in fields(Figures) if spec.type == "int")
# The counts _grievances selects, in this order (the letters are counted apart).
_GRIEVANCE_COUNTS = _COUNTS[: _COUNTS.index("letters")]


def _share(good: int, bad: int) -> float | None:
    return good / (good + bad) if good + bad else None


Key = tuple[int, int]  # (group, period position or TOTAL)


def compliance_report(
    session: Session, request: ReportRequest, *, today: date | None = None
) -> Report:
    """The grievance compliance report for `request`.

    Deadlines are judged as of `today` (by default the current day): an acknowledgement
    is late once its day has passed, a resolution once 7 or 30 days have gone by at the
    end of `today`, or now if that is sooner.
    """
    day = today or date.today()
    as_of = min(datetime.now(UTC), local_midnight_utc(day + timedelta(days=1)))
    chosen = periods(request.start, request.end, request.granularity)
    found = _figures(session, chosen, request.grouping, day, as_of)
    sections = [_explanation(request), _whole_section(request, chosen, found)]
    if request.grouping is not Grouping.NONE:
        keys = {group for group, _ in found} - {_WHOLE}
        names = _group_names(session, request.grouping, keys)
        sections.extend(_group_sections(request, chosen, found, names))
    return Report(
        name="compliance",
        title="Grievance compliance",
        subtitle=_subtitle(request),
        sections=tuple(sections),
        generated_at=datetime.now(UTC),
    )


def _subtitle(request: ReportRequest) -> str:
    split = "by month" if request.granularity is Granularity.MONTH else "by quarter"
    per = {
        Grouping.NONE: "",
        Grouping.DEPARTMENT: ", per department",
        Grouping.CATEGORY: ", per category",
    }[request.grouping]
    return f"Grievances received {_day(request.start)} to {_day(request.end)}, {split}{per}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- the figures, from the database ---------------------------------------------------


def _figures(
    session: Session,
    chosen: Sequence[Period],
    grouping: Grouping,
    today: date,
    as_of: datetime,
) -> dict[Key, Figures]:
    """Figures per (group, period) and per group over the whole report (period TOTAL);
    all grievances together are group 0, and the departments or categories follow."""
    found: dict[Key, Figures] = {}
    for group, position, *numbers in session.execute(_grievances(chosen, grouping, today, as_of)):
        figures = found.setdefault((group, position), Figures())
        if numbers[0] is None:  # a row of days to close
            figures.median_days, figures.p90_days = float(numbers[-2]), float(numbers[-1])
            continue
        for name, number in zip(_GRIEVANCE_COUNTS, numbers, strict=False):
            setattr(figures, name, int(number))
    for group, position, letters, overridden in session.execute(_letters(chosen, grouping)):
        figures = found.setdefault((group, position), Figures())
        figures.letters, figures.letters_overridden = int(letters), int(overridden or 0)
    for group in {group for group, _ in found}:
        total = found.setdefault((group, TOTAL), Figures())
        for position in range(len(chosen)):
            total.add(found.get((group, position), Figures()))
    return found


def _keyed(source: Any, grouping: Grouping) -> Any:
    """`source`'s rows for all grievances (group 0), then again under each group."""
    whole = select(literal_column(str(_WHOLE)).label("group_key"), *source.c)
    split = in_groups(source, grouping)
    return whole if split is None else union_all(whole, split)


def _grievances(chosen: Sequence[Period], grouping: Grouping, today: date, as_of: datetime) -> Any:
    """Counts per (group, period), then the days to close per (group, period or TOTAL).

    One statement reads the cases once: both databases work out a table named in WITH
    and read twice (the counts, the days) only once.
    """
    withdrawn = Case.status == CaseStatus.WITHDRAWN
    due, acknowledged = Case.acknowledge_due_on, Case.acknowledged_on
    acknowledgement = case(
        (due.is_(None), 0),
        (acknowledged <= due, _IN_TIME),
        (acknowledged.is_not(None), _LATE),
        (due < today, _LATE),
        else_=_PENDING,
    )
    resolved = Case.resolved_at.is_not(None)
    cohort = (
        select(
            Case.id.label("case_id"),
            period_index(Case.received_at, chosen).label("position"),
            case((withdrawn, 1), else_=0).label("withdrawn"),
            acknowledgement.label("acknowledgement"),
            _resolution(GUIDELINE_DAYS, as_of).label("resolution_7"),
            _resolution(LONGER_DAYS, as_of).label("resolution_30"),
            case(
                (and_(resolved, ~withdrawn), days_between(Case.received_at, Case.resolved_at))
            ).label("days"),
        )
        .where(Case.is_grievance == true(), within(Case.received_at, chosen))
        .cte("cohort")
    )
    keyed = _keyed(cohort, grouping).cte("keyed")
    k = keyed.c

    def number(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count(case((condition, 1)))

    counts = select(
        k.group_key,
        k.position,
        func.count(),
        number(k.withdrawn == 1),
        *(number(k.acknowledgement == state) for state in (_IN_TIME, _LATE, _PENDING)),
        *(number(k.resolution_7 == state) for state in (_IN_TIME, _LATE, _PENDING)),
        *(number(k.resolution_30 == state) for state in (_IN_TIME, _LATE, _PENDING)),
        null(),
        null(),
    ).group_by(k.group_key, k.position)
    days = percentiles(
        select(k.group_key, k.position, k.days).where(k.days.is_not(None)),
        (0.5, 0.9),
        keys=2,
        overall=TOTAL,
    ).subquery("days")
    blanks = [null()] * (len(counts.selected_columns) - 4)
    return union_all(
        counts, select(days.c.group_key, days.c.position, *blanks, days.c.p0, days.c.p1)
    )


def _resolution(days: int, as_of: datetime) -> ColumnElement[int]:
    return case(
        (Case.status == CaseStatus.WITHDRAWN, 0),
        (
            Case.resolved_at.is_not(None),
            case((Case.resolved_at <= plus_days(Case.received_at, days), _IN_TIME), else_=_LATE),
        ),
        (Case.received_at < as_of - timedelta(days=days), _LATE),
        else_=_PENDING,
    )


def _letters(chosen: Sequence[Period], grouping: Grouping) -> Any:
    finalised = (
        select(
            Letter.case_id.label("case_id"),
            period_index(Letter.finalised_at, chosen).label("position"),
            case((Letter.compliance_override != "", 1), else_=0).label("overridden"),
        )
        .join(Case, Case.id == Letter.case_id)
        .where(
            within(Letter.finalised_at, chosen),
            Letter.status.in_(_RESPONSE_STATUSES),
            # The written response: as letter_compliance.required_elements has it.
            or_(
                Letter.template_key == "determination",
                and_(Letter.template_key == "closure", Case.is_grievance == true()),
            ),
        )
        .cte("finalised")
    )
    keyed = _keyed(finalised, grouping).subquery("keyed")
    k = keyed.c
    return select(k.group_key, k.position, func.count(), func.sum(k.overridden)).group_by(
        k.group_key, k.position
    )


def _group_names(session: Session, grouping: Grouping, keys: set[int]) -> dict[int, str]:
    table = Department if grouping is Grouping.DEPARTMENT else Category
    rows = session.execute(select(table.id, table.name).where(table.id.in_(keys)))
    return {key: name for key, name in rows}


# --- the report, from the figures -----------------------------------------------------


def _explanation(request: ReportRequest) -> Section:
    paragraphs = [
        "Each row counts the grievances received in its month or quarter (in the hospital's "
        "local time), whatever has happened to them since; the last row counts the whole "
        "report's dates. Withdrawn grievances are counted as received but left out of the "
        "resolution figures and the days to close.",
        "Acknowledged in time: acknowledged on or before the day the deadline policy set. A "
        "grievance not yet acknowledged counts as late once that day has passed, and until "
        "then is shown as not yet due and left out of the share. Grievances the policy gave "
        "no acknowledgement deadline are left out.",
        f"Resolved within {GUIDELINE_DAYS} days (the CMS guideline for telling the patient "
        f"that the review goes on) and within {LONGER_DAYS} days: from the moment the "
        "grievance was received to the moment it was first resolved or closed, in days of "
        "24 hours. A grievance reopened since counts as not resolved. One still open counts "
        "as missed once that many days have passed, and until then is shown as still within "
        "the days and left out of the share.",
        "Days to close: the median and the 90th percentile of the days from receipt to "
        "resolution of the resolved grievances, interpolated between the two nearest.",
        "Response letters are counted in the period they were finalised, whenever their "
        "grievance came in: determination letters, and closure letters of grievances. A "
        "letter finalised without every element the policy requires (the contact person, "
        "the steps taken, the results, the date of completion) was let go by a coordinator "
        "who gave a reason; there should be none.",
    ]
    if request.grouping is Grouping.DEPARTMENT:
        paragraphs.append(
            "Per department: a grievance that names two departments counts under each, so "
            "the departments' figures add up to more than those for all grievances. "
            "Grievances with no department recorded count only in those for all grievances."
        )
    elif request.grouping is Grouping.CATEGORY:
        paragraphs.append(
            "Per category: a grievance counts under the top-level category of each category "
            "it is filed under (Communication for Communication > Rudeness), so the "
            "categories' figures add up to more than those for all grievances. Grievances "
            "with no category count only in those for all grievances."
        )
    return Section("How the figures are counted", tuple(paragraphs))


def _whole_section(
    request: ReportRequest, chosen: Sequence[Period], found: dict[Key, Figures]
) -> Section:
    total = found.get((_WHOLE, TOTAL), Figures())
    said = [
        f"{total.received:,} {_plural(total.received, 'grievance')} received from "
        f"{_day(request.start)} to {_day(request.end)}; {total.withdrawn:,} withdrawn.",
        f"{total.letters:,} response {_plural(total.letters, 'letter')} finalised, "
        f"{total.letters_overridden:,} of them without every required element.",
    ]
    return Section(
        "All grievances",
        tuple(said),
        _table(chosen, found, _WHOLE, request, CaseFilter(grievance=True)),
        _trend_chart(chosen, found),
    )


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def _group_sections(
    request: ReportRequest,
    chosen: Sequence[Period],
    found: dict[Key, Figures],
    names: dict[int, str],
) -> list[Section]:
    department = request.grouping is Grouping.DEPARTMENT
    ordered = sorted(names, key=lambda key: (names[key].casefold(), key))
    sections = [_comparison(request, [(names[key], found[key, TOTAL]) for key in ordered])]
    for key in ordered:
        base = (
            CaseFilter(grievance=True, department_ids=frozenset({key}))
            if department
            else CaseFilter(grievance=True, category_ids=frozenset({key}))
        )
        sections.append(
            Section(
                f"{request.grouping.label}: {names[key]}",
                (),
                _table(chosen, found, key, request, base),
            )
        )
    return sections


def _table(
    chosen: Sequence[Period],
    found: dict[Key, Figures],
    group: int,
    request: ReportRequest,
    base: CaseFilter,
) -> ReportTable:
    spans = [(period.label, period.start, period.end) for period in chosen]
    spans.append(("All", request.start, request.end))
    rows: list[tuple[Cell, ...]] = []
    drill: dict[tuple[int, int], CaseFilter] = {}
    for row, (label, first, last) in enumerate(spans):
        position = TOTAL if row == len(chosen) else row
        figures = found.get((group, position), Figures())
        rows.append(figures.cells(label))
        received = replace(base, received_from=first, received_to=last)
        drill[row, 1] = received
        drill[row, 2] = replace(received, statuses=frozenset({CaseStatus.WITHDRAWN}))
    return ReportTable(COLUMNS, tuple(rows), drill, total_row=True)


def _trend_chart(chosen: Sequence[Period], found: dict[Key, Figures]) -> Chart:
    rows = [found.get((_WHOLE, position), Figures()) for position in range(len(chosen))]
    return Chart(
        "Shares in time, by period received",
        ChartKind.LINE if len(chosen) > 1 else ChartKind.BAR,
        tuple(period.label for period in chosen),
        _share_series(rows),
        Unit.PERCENT,
    )


def _comparison(request: ReportRequest, named: list[tuple[str, Figures]]) -> Section:
    label = request.grouping.label.lower()
    chart = Chart(
        f"Shares in time by {label}, over the whole report",
        ChartKind.HBAR,
        tuple(name for name, _ in named),
        _share_series([figures for _, figures in named]),
        Unit.PERCENT,
    )
    return Section(f"By {label}", (), None, chart)


def _share_series(rows: Sequence[Figures]) -> tuple[Series, ...]:
    # A chart has no gap to draw: nothing to measure is drawn as nothing (0); the
    # tables show it as a dash.
    def values(share: str) -> tuple[float, ...]:
        return tuple(getattr(figures, share) or 0.0 for figures in rows)

    return (
        Series("Acknowledged in time", values("acknowledged_share")),
        Series(f"Resolved within {GUIDELINE_DAYS} days", values("share_7")),
        Series(f"Resolved within {LONGER_DAYS} days", values("share_30")),
    )
