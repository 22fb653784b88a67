"""Grievance compliance: acknowledged in time, resolved within 7 and 30 days, days to close.

The figures are counted in the database (compliance_figures); this lays them out as
tables and charts for all grievances and, when asked, each department or category.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from prdesk.domain.enums import CaseStatus
from prdesk.domain.queries import CaseFilter
from prdesk.domain.reports.compliance_figures import (
    GUIDELINE_DAYS,
    LONGER_DAYS,
    TOTAL,
    WHOLE,
    Figures,
    Key,
    count_figures,
    group_names,
    judged_as_of,
)
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
from prdesk.domain.reports.periods import Period, long_date, periods

COLUMNS = (
    ReportColumn("Period"),
    ReportColumn("Grievances received", Unit.COUNT, "Grievances received in the period, "
                 "withdrawn ones included."),
    ReportColumn("Withdrawn", Unit.COUNT, "Of those, withdrawn: left out of the resolution "
                 "figures."),
    ReportColumn("Acknowledged in time", Unit.PERCENT, "Share acknowledged by the day the "
                 "policy sets, of those acknowledged or past that day. Grievances with no "
                 "acknowledgement deadline, and withdrawn ones never acknowledged, are left "
                 "out."),
    ReportColumn("Acknowledged late", Unit.COUNT, "Acknowledged after the day the policy "
                 "sets, or not acknowledged, not withdrawn, and that day has passed."),
    ReportColumn("Acknowledgement not yet due", Unit.COUNT, "Not acknowledged yet, not "
                 "withdrawn, and the day the policy sets has not passed: not in the share."),
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


def compliance_report(
    session: Session, request: ReportRequest, *, today: date | None = None
) -> Report:
    """The grievance compliance report for `request`.

    Deadlines are judged as of `today` (by default the current day): an acknowledgement
    is late once its day has passed, a resolution once 7 or 30 days have gone by at the
    end of `today`, or now if that is sooner.
    """
    sections, _ = compliance_parts(session, request, today=today)
    return Report(
        name="compliance",
        title="Grievance compliance",
        subtitle=_subtitle(request),
        sections=sections,
        generated_at=datetime.now(UTC),
    )


def compliance_parts(
    session: Session, request: ReportRequest, *, today: date | None = None
) -> tuple[tuple[Section, ...], Figures]:
    """The report's sections, and the figures of all grievances over its whole dates
    (which the committee report sums up in sentences)."""
    day = today or date.today()
    chosen = periods(request.start, request.end, request.granularity)
    found = count_figures(session, chosen, request.grouping, day, judged_as_of(day))
    sections = [_explanation(request), _whole_section(request, chosen, found)]
    if request.grouping is not Grouping.NONE:
        keys = {group for group, _ in found} - {WHOLE}
        names = group_names(session, request.grouping, keys)
        sections.extend(_group_sections(request, chosen, found, names))
    return tuple(sections), found.get((WHOLE, TOTAL), Figures())


def _subtitle(request: ReportRequest) -> str:
    split = "by month" if request.granularity is Granularity.MONTH else "by quarter"
    per = {
        Grouping.NONE: "",
        Grouping.DEPARTMENT: ", per department",
        Grouping.CATEGORY: ", per category",
    }[request.grouping]
    return (
        f"Grievances received {long_date(request.start)} to {long_date(request.end)}, {split}{per}"
    )


def _explanation(request: ReportRequest) -> Section:
    paragraphs = [
        "Each row counts the grievances received in its month or quarter (in the hospital's "
        "local time), whatever has happened to them since; the last row counts the whole "
        "report's dates. Withdrawn grievances are counted as received but left out of the "
        "resolution figures and the days to close.",
        "Acknowledged in time: acknowledged on or before the day the deadline policy set. A "
        "grievance not yet acknowledged counts as late once that day has passed, and until "
        "then is shown as not yet due and left out of the share. Grievances the policy gave "
        "no acknowledgement deadline are left out, and so are those withdrawn before they "
        "were acknowledged: nothing is owed to someone who withdrew. A withdrawn grievance "
        "that was acknowledged counts as any other.",
        f"Resolved within {GUIDELINE_DAYS} days (the CMS guideline for telling the patient "
        f"that the review goes on) and within {LONGER_DAYS} days: from the moment the "
        "grievance was received to the moment it was resolved or closed, in days of 24 "
        "hours. A grievance reopened since counts as not resolved, and one resolved again "
        "after reopening counts to its latest resolution. One still open counts "
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
    total = found.get((WHOLE, TOTAL), Figures())
    said = [
        f"{total.received:,} {_plural(total.received, 'grievance')} received from "
        f"{long_date(request.start)} to {long_date(request.end)}; {total.withdrawn:,} withdrawn.",
        f"{total.letters:,} response {_plural(total.letters, 'letter')} finalised, "
        f"{total.letters_overridden:,} of them without every required element.",
    ]
    return Section(
        "All grievances",
        tuple(said),
        _table(chosen, found, WHOLE, request, CaseFilter(grievance=True)),
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
    rows = [found.get((WHOLE, position), Figures()) for position in range(len(chosen))]
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
    # Nothing to measure (no grievance resolved that month) is no bar, not 0%: the
    # tables show it as a dash.
    def values(share: str) -> tuple[float | None, ...]:
        return tuple(getattr(figures, share) for figures in rows)

    return (
        Series("Acknowledged in time", values("acknowledged_share")),
        Series(f"Resolved within {GUIDELINE_DAYS} days", values("share_7")),
        Series(f"Resolved within {LONGER_DAYS} days", values("share_30")),
    )
