"""The grievance compliance figures, counted in the database per group and period.

Every figure is counted in two statements: one reads the grievances received (their
counts, then the days they took to close), one the response letters finalised. Each
gives the rows for all grievances and, when the report is split, each department's or
category's, so Python only lays out a few hundred rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
from prdesk.domain.queries import local_midnight_utc
from prdesk.domain.reports.model import Cell, Grouping
from prdesk.domain.reports.periods import Period, period_index, within
from prdesk.domain.reports.sql import days_between, in_groups, percentiles, plus_days

# The CMS guideline: a grievance not resolved within 7 days gets a letter saying when.
GUIDELINE_DAYS = 7
LONGER_DAYS = 30
TOTAL = -1  # the period position of a figure over the whole report
WHOLE = 0  # the group key of all grievances together

_RESPONSE_STATUSES = (LetterStatus.FINALISED, LetterStatus.SENT, LetterStatus.WITHDRAWN)

# Per grievance: 0 not measured, 1 in time, 2 late or missed, 3 still in time.
NOT_MEASURED, IN_TIME, LATE, PENDING = 0, 1, 2, 3


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


# The counts _grievances selects, in this order (the letters are counted apart).
_GRIEVANCE_COUNTS = (
    "received", "withdrawn", "acknowledged_in_time", "acknowledged_late",
    "acknowledgement_pending", "within_7", "missed_7", "pending_7", "within_30", "missed_30",
    "pending_30",
)  # fmt: skip
_COUNTS = (*_GRIEVANCE_COUNTS, "letters", "letters_overridden")


def _share(good: int, bad: int) -> float | None:
    return good / (good + bad) if good + bad else None


Key = tuple[int, int]  # (group, period position or TOTAL)


def judged_as_of(today: date) -> datetime:
    """The instant deadlines are judged at: the end of `today`, or now if that is sooner."""
    return min(datetime.now(UTC), local_midnight_utc(today + timedelta(days=1)))


def count_figures(
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
        # The counts, then the two days-to-close columns, empty on a row of counts.
        for name, number in zip(_GRIEVANCE_COUNTS, numbers[:-2], strict=True):
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
    whole = select(literal_column(str(WHOLE)).label("group_key"), *source.c)
    split = in_groups(source, grouping)
    return whole if split is None else union_all(whole, split)


def _grievances(chosen: Sequence[Period], grouping: Grouping, today: date, as_of: datetime) -> Any:
    """Counts per (group, period), then the days to close per (group, period or TOTAL).

    One statement reads the cases once: both databases work out a table named in WITH
    and read twice (the counts, the days) only once.
    """
    withdrawn = Case.status == CaseStatus.WITHDRAWN
    resolved = Case.resolved_at.is_not(None)
    cohort = (
        select(
            Case.id.label("case_id"),
            period_index(Case.received_at, chosen).label("position"),
            case((withdrawn, 1), else_=0).label("withdrawn"),
            acknowledgement_state(today).label("acknowledgement"),
            resolution_state(GUIDELINE_DAYS, as_of).label("resolution_7"),
            resolution_state(LONGER_DAYS, as_of).label("resolution_30"),
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
        *(number(k.acknowledgement == state) for state in (IN_TIME, LATE, PENDING)),
        *(number(k.resolution_7 == state) for state in (IN_TIME, LATE, PENDING)),
        *(number(k.resolution_30 == state) for state in (IN_TIME, LATE, PENDING)),
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


def acknowledgement_state(today: date) -> ColumnElement[int]:
    """Per grievance: acknowledged IN_TIME, LATE (or not yet, with its day gone by),
    PENDING while its day has not passed; NOT_MEASURED where the policy set no day or
    the grievance was withdrawn before anyone acknowledged it (nothing is owed)."""
    due, acknowledged = Case.acknowledge_due_on, Case.acknowledged_on
    return case(
        (due.is_(None), NOT_MEASURED),
        (acknowledged <= due, IN_TIME),
        (acknowledged.is_not(None), LATE),
        (Case.status == CaseStatus.WITHDRAWN, NOT_MEASURED),
        (due < today, LATE),
        else_=PENDING,
    )


def resolution_state(days: int, as_of: datetime) -> ColumnElement[int]:
    """Per grievance: resolved within `days` of receipt (IN_TIME), not (LATE, also when
    still open after that long as of `as_of`), PENDING while younger; NOT_MEASURED when
    withdrawn."""
    return case(
        (Case.status == CaseStatus.WITHDRAWN, NOT_MEASURED),
        (
            Case.resolved_at.is_not(None),
            case((Case.resolved_at <= plus_days(Case.received_at, days), IN_TIME), else_=LATE),
        ),
        (Case.received_at < as_of - timedelta(days=days), LATE),
        else_=PENDING,
    )


def _letters(chosen: Sequence[Period], grouping: Grouping) -> Any:
    finalised = (
        select(
            # The letter's own id keeps two letters of one case apart where the category
            # grouping drops repeated rows (two subcategories of one parent).
            Letter.id.label("letter_id"),
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


def group_names(session: Session, grouping: Grouping, keys: set[int]) -> dict[int, str]:
    """The departments' or categories' names, by the group keys the figures carry."""
    table = Department if grouping is Grouping.DEPARTMENT else Category
    rows = session.execute(select(table.id, table.name).where(table.id.in_(keys)))
    return {key: name for key, name in rows}
