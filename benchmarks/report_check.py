"""The reports' figures recomputed from the cases themselves and compared with what PR Desk says.

    python benchmarks/report_check.py                    # the benchmark's two 100k databases
    python benchmarks/report_check.py --backend sqlite --differences-only

Reads the databases `benchmarks/reports.py` builds (and builds them when missing). The
check fetches each case's own columns with plain SQL, sorts them into months in Python
by the local calendar day, and counts them there, following the definitions the reports
print, not their queries. It compares, figure by figure: the compliance report for the
last 12 whole months by month (the whole department, then each department and each
category); the trends by kind, channel, category and department (counts, totals and
changes); the NHS return for the last financial year (summary, by subject, by service
area, outcomes); the dashboard as of today (at a glance, open cases by status, new cases,
complaints and compliments per month); and the committee report for the last whole
quarter (its compliance table, the shares its summary states, and its line for each
grievance). Prints each figure beside its recomputed value, then "all N figures match"
or how many differ; exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any

from reports import SERVER, acting, first_of_month, opened
from sqlalchemy import text

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, CaseStatus, Channel
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports.catalogue import run_report
from prdesk.domain.reports.model import (
    Cell,
    Dimension,
    Granularity,
    Grouping,
    Report,
    ReportRequest,
    Unit,
    format_cell,
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Open: nobody has finished with it (everything but resolved, closed and withdrawn).
OPEN = ("new", "assigned", "investigating", "waiting_on_department", "waiting_on_patient",
        "reopened")  # fmt: skip


# The cases, as plain rows -------------------------------------------------------------


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    # SQLite keeps instants as UTC text; PostgreSQL hands back aware datetimes.
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(instant, datetime)
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def local_day(instant: datetime) -> date:
    """The calendar day where the department works (this machine's zone)."""
    return instant.astimezone().date()


@dataclass
class CaseRow:
    id: int
    kind: str
    channel: str
    status: str
    grievance: bool
    received: datetime
    resolved: datetime | None
    ack_due: date | None
    acked: date | None
    determination: str | None
    due_on: date | None
    number: str
    subjects: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)

    @property
    def received_day(self) -> date:
        return local_day(self.received)


@dataclass
class Data:
    cases: list[CaseRow]
    letters: list[tuple[int, str, str, str, datetime | None]]  # case, template, status, override

    @cached_property
    def by_id(self) -> dict[int, CaseRow]:
        return {c.id: c for c in self.cases}

    @cached_property
    def grievances(self) -> set[int]:
        return {c.id for c in self.cases if c.grievance}


def load(db: Database) -> Data:
    with db.engine.connect() as connection:
        columns: tuple[Callable[[Any], Any], ...] = (
            int,
            str,
            str,
            str,
            bool,
            _instant,
            _instant,
            _day,
            _day,
            _text,
            _day,
            str,
        )
        cases = {
            row[0]: CaseRow(*(convert(value) for convert, value in zip(columns, row, strict=True)))
            for row in connection.execute(
                text(
                    "SELECT id, kind, channel, status, is_grievance, received_at, resolved_at,"
                    " acknowledge_due_on, acknowledged_on, determination, due_on, number FROM cases"
                )
            )
        }
        # A subject is a top-level category: a subcategory stands for its parent.
        top = {
            ident: (parent_name or name)
            for ident, name, parent_name in connection.execute(
                text(
                    "SELECT c.id, c.name, p.name FROM categories c"
                    " LEFT JOIN categories p ON p.id = c.parent_id"
                )
            )
        }
        for case_id, category in connection.execute(
            text("SELECT case_id, category_id FROM case_categories")
        ):
            cases[case_id].subjects.add(top[category])
        for case_id, name in connection.execute(
            text(
                "SELECT cd.case_id, d.name FROM case_departments cd"
                " JOIN departments d ON d.id = cd.department_id"
            )
        ):
            cases[case_id].areas.add(name)
        letters = [
            (row[0], row[1], row[2], row[3] or "", _instant(row[4]))
            for row in connection.execute(
                text(
                    "SELECT case_id, template_key, status, compliance_override, finalised_at"
                    " FROM letters WHERE finalised_at IS NOT NULL"
                )
            )
        ]
    return Data(list(cases.values()), letters)


# Months and percentiles, written out --------------------------------------------------


def months_between(first: date, last: date) -> list[tuple[date, date, str]]:
    """(first day, last day, label) of each month from `first`'s to `last`'s, whole."""
    found, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        following = date(year + month // 12, month % 12 + 1, 1)
        found.append(
            (date(year, month, 1), following - timedelta(days=1), f"{MONTHS[month - 1]} {year}")
        )
        year, month = following.year, following.month
    return found


def percentile(values: list[float], fraction: float) -> float | None:
    """Interpolated between the two nearest, as PostgreSQL's percentile_cont."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def share(good: int, bad: int) -> float | None:
    return good / (good + bad) if good + bad else None


def change(now: int, before: int) -> float | None:
    return (now - before) / before if before else None


# Comparing ----------------------------------------------------------------------------


@dataclass
class Comparison:
    lines: list[tuple[str, str, str, bool]] = field(default_factory=list)

    def add(self, where: str, unit: Unit, shown: Cell | str, expected: Cell) -> None:
        if isinstance(shown, str) and unit is not Unit.TEXT:
            # The figure is not in the report, so neither is its unit.
            written = "–" if expected is None else f"{expected:,}"
            self.lines.append((where, shown, written, False))
            return
        written = format_cell(expected, unit) + _exact(expected, unit)
        shown_text = format_cell(shown, unit) + _exact(shown, unit)
        self.lines.append((where, shown_text, written, _same(shown, expected)))

    @property
    def differences(self) -> list[tuple[str, str, str, bool]]:
        return [line for line in self.lines if not line[3]]


def _same(shown: Cell, expected: Cell) -> bool:
    if shown is None or expected is None:
        return shown is None and expected is None
    if isinstance(shown, str) or isinstance(expected, str):
        return shown == expected
    return math.isclose(float(shown), float(expected), rel_tol=1e-9, abs_tol=1e-6)


def _exact(value: Cell, unit: Unit) -> str:
    return f" ({value:.6f})" if isinstance(value, float) and unit is not Unit.COUNT else ""


WHOLE = ""  # the heading that stands for a report's first table, whatever it is called


class Table:
    """One table of a report, its cells found by row label and column title."""

    def __init__(self, report: Report, heading: str, asked: str = "") -> None:
        """The table of the section headed `heading`; WHOLE: the first table of the report."""
        tables = [s for s in report.sections if s.table is not None]
        if heading == WHOLE:
            section = tables[0] if tables else None
        else:
            section = next((s for s in tables if s.heading == heading), None)
        heading = section.heading if section is not None and heading == WHOLE else heading
        self.name = f"{report.name}{asked} / {heading}"
        self.table = section.table if section is not None else None

    def cell(self, row: str | Callable[[str], bool], column: str) -> tuple[Unit, Cell | str]:
        if self.table is None:
            return Unit.COUNT, "no such table"
        titles = [c.title for c in self.table.columns]
        if column not in titles:
            return Unit.COUNT, "no such column"
        index = titles.index(column)
        unit = self.table.columns[index].unit
        matches = row if callable(row) else (lambda label: label == row)
        found = [r for r in self.table.rows if isinstance(r[0], str) and matches(r[0])]
        return (unit, found[0][index]) if found else (unit, "no such row")

    def labels(self) -> list[str]:
        return [str(r[0]) for r in self.table.rows] if self.table is not None else []


def compare(
    out: Comparison,
    table: Table,
    row: str | Callable[[str], bool],
    column: str,
    expected: Cell,
    row_name: str = "",
) -> None:
    unit, shown = table.cell(row, column)
    out.add(f"{table.name} | {row_name or row} | {column}", unit, shown, expected)


# The reports, recomputed --------------------------------------------------------------


@dataclass(frozen=True)
class Handled:
    """How one grievance stands on each compliance measure (None: not measured)."""

    case: CaseRow
    acknowledged: str | None  # "in time", "late" or "pending"
    within: dict[int, str | None]  # per 7 and 30 days: "in", "out" or "pending"
    took: float | None  # days from receipt to resolution


def handled(c: CaseRow, now: datetime, today: date) -> Handled:
    # Nothing is owed to someone who withdrew before being acknowledged: not measured.
    acknowledged = None
    if c.ack_due is not None and c.acked is not None:
        acknowledged = "in time" if c.acked <= c.ack_due else "late"
    elif c.ack_due is not None and c.status != "withdrawn":
        acknowledged = "late" if today > c.ack_due else "pending"
    within: dict[int, str | None] = {}
    for days in (7, 30):
        if c.status == "withdrawn":
            within[days] = None
        elif c.resolved is not None:
            within[days] = "in" if c.resolved - c.received <= timedelta(days=days) else "out"
        else:
            within[days] = "out" if now - c.received > timedelta(days=days) else "pending"
    took = None
    if c.resolved is not None and c.status != "withdrawn":
        took = (c.resolved - c.received).total_seconds() / 86400
    return Handled(c, acknowledged, within, took)


def compliance_row(grievances: list[Handled], overrides: list[str]) -> dict[str, Cell]:
    """One row of the compliance table, for these grievances and response letters."""
    ack = Counter(g.acknowledged for g in grievances)
    w7 = Counter(g.within[7] for g in grievances)
    w30 = Counter(g.within[30] for g in grievances)
    took = [g.took for g in grievances if g.took is not None]
    return {
        "Grievances received": len(grievances),
        "Withdrawn": sum(g.case.status == "withdrawn" for g in grievances),
        "Acknowledged in time": share(ack["in time"], ack["late"]),
        "Acknowledged late": ack["late"],
        "Acknowledgement not yet due": ack["pending"],
        "Resolved within 7 days": share(w7["in"], w7["out"]),
        "Still within 7 days": w7["pending"],
        "Resolved within 30 days": share(w30["in"], w30["out"]),
        "Still within 30 days": w30["pending"],
        "Median days to close": percentile(took, 0.5),
        "90th percentile days to close": percentile(took, 0.9),
        "Response letters finalised": len(overrides),
        "Finalised without every required element": sum(bool(o.strip()) for o in overrides),
    }


def _groups_of(c: CaseRow, grouping: str) -> set[str]:
    return c.areas if grouping == "Department" else c.subjects


def _member(grouping: str, name: str) -> Callable[[CaseRow], bool]:
    return lambda c: name in _groups_of(c, grouping)


def check_compliance(
    out: Comparison, data: Data, report: Report, months: list[Any], grouping: str = ""
) -> None:
    """The whole department's table, and with `grouping` ("Department", "Category") each group's."""
    now, today = datetime.now(UTC), date.today()
    grievances = [handled(c, now, today) for c in data.cases if c.grievance]
    # Response letters: determination letters, and closure letters of grievances.
    responses = [
        (data.by_id[case_id], local_day(finalised), override)
        for case_id, template, status, override, finalised in data.letters
        if finalised is not None
        and status in ("finalised", "sent", "withdrawn")
        and (template == "determination" or (template == "closure" and case_id in data.grievances))
    ]
    groups: dict[str, Callable[[CaseRow], bool]] = {WHOLE: lambda c: True}
    if grouping:
        names = {name for g in grievances for name in _groups_of(g.case, grouping)}
        names |= {
            section.heading.split(": ", 1)[1]
            for section in report.sections
            if section.heading.startswith(f"{grouping}: ")
        }
        for name in sorted(names):
            groups[f"{grouping}: {name}"] = _member(grouping, name)
    spans = [*months, (months[0][0], months[-1][1], "All")]
    asked = f" per {grouping.lower()}" if grouping else ""
    for heading, member in groups.items():
        table = Table(report, heading, asked)
        mine = [g for g in grievances if member(g.case)]
        letters = [(day, override) for c, day, override in responses if member(c)]
        for first, last, label in spans:
            row = compliance_row(
                [g for g in mine if first <= g.case.received_day <= last],
                [override for day, override in letters if first <= day <= last],
            )
            for column, value in row.items():
                if grouping and heading == WHOLE and label != "All":
                    continue  # the ungrouped report checks these already
                compare(out, table, label, column, value)


def check_trends(
    out: Comparison,
    data: Data,
    report: Report,
    months: list[Any],
    values: Callable[[CaseRow], set[str]],
) -> None:
    """Each value's cases per month, total and changes; a case counts under each of its values."""
    before_last = months[0][0] - timedelta(days=1)
    spans = [*months_between(before_last.replace(day=1), before_last), *months]
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(spans))
    starts = [first for first, _, _ in spans]
    for c in data.cases:
        day = c.received_day
        if spans[0][0] <= day <= spans[-1][1]:
            position = max(i for i, first in enumerate(starts) if first <= day)
            for value in values(c):
                counts[value][position] += 1
            counts["All cases received"][position] += 1
    by = report.title.removeprefix("Trends")  # " by kind of case"
    counted = Table(report, WHOLE, by)
    changes = Table(report, "Change on the period before", by)
    for label in sorted(set(counts) | set(counted.labels()) - {"All others"}):
        row = counts[label]
        for (_, _, month), count in zip(months, row[1:], strict=True):
            compare(out, counted, label, month, count)
        compare(out, counted, label, "Total", sum(row[1:]))
        compare(out, counted, label, f"Change in {months[-1][2]}", change(row[-1], row[-2]))
        compare(out, changes, label, f"{spans[0][2]} (before)", row[0])
        for i, (_, _, month) in enumerate(months, start=1):
            compare(out, changes, label, month, change(row[i], row[i - 1]))


def check_nhs(out: Comparison, data: Data, report: Report, first: date, last: date) -> None:
    complaints = [c for c in data.cases if c.kind == "complaint"]
    received = [c for c in complaints if first <= c.received_day <= last]
    resolved = [c for c in complaints if c.resolved and first <= local_day(c.resolved) <= last]
    summary = Table(report, "Complaints in the period")
    for row, cases in (("Received", received), ("Resolved", resolved)):
        compare(out, summary, row, "All complaints", len(cases))
        compare(out, summary, row, "Of which grievances", sum(c.grievance for c in cases))
    outcome_titles = {
        "upheld": "Upheld",
        "partly_upheld": "Partly upheld",
        "not_upheld": "Not upheld",
        None: "Not recorded",
    }
    by_subject: Callable[[CaseRow], set[str]] = lambda c: c.subjects  # noqa: E731
    by_area: Callable[[CaseRow], set[str]] = lambda c: c.areas  # noqa: E731
    for heading, title, groups, missing in (
        ("By subject", "Subject", by_subject, "No subject recorded"),
        ("By service area", "Service area", by_area, "No service area recorded"),
    ):
        table = Table(report, heading)
        lines: dict[str, Counter[str]] = defaultdict(Counter)
        for c in received:
            for name in groups(c) or {missing}:
                lines[name]["Received"] += 1
        for c in resolved:
            for name in groups(c) or {missing}:
                lines[name]["Resolved"] += 1
                lines[name][outcome_titles[c.determination]] += 1
        lines["All complaints"]["Received"] = len(received)
        lines["All complaints"]["Resolved"] = len(resolved)
        for c in resolved:
            lines["All complaints"][outcome_titles[c.determination]] += 1
        for name in sorted(set(lines) | set(table.labels())):
            for column in ("Received", "Resolved", *outcome_titles.values()):
                compare(out, table, name, column, lines[name][column], f"{name} ({title})")
    outcomes = Table(report, "Outcome of complaints resolved")
    for value, title in outcome_titles.items():
        count = sum(c.determination == value for c in resolved)
        compare(out, outcomes, title, "Complaints resolved", count)
        compare(out, outcomes, title, "Share", count / len(resolved) if resolved else None)
    compare(out, outcomes, "All complaints resolved", "Complaints resolved", len(resolved))


def check_dashboard(out: Comparison, data: Data, report: Report, months: list[Any]) -> None:
    today = date.today()
    sunday = today + timedelta(days=6 - today.weekday())
    open_cases = [c for c in data.cases if c.status in OPEN]
    glance = Table(report, "At a glance")
    compare(out, glance, "Open cases", "Cases", len(open_cases))
    overdue = sum(c.due_on is not None and c.due_on < today for c in open_cases)
    compare(out, glance, "Overdue", "Cases", overdue)
    week = sum(c.due_on is not None and today <= c.due_on <= sunday for c in open_cases)
    compare(
        out, glance, lambda label: label.startswith("Due by Sunday"), "Cases", week, "Due by Sunday"
    )
    per_month = [
        [c for c in data.cases if first <= c.received_day <= last] for first, last, _ in months
    ]
    now_label, last_label = months[-1][2], months[-2][2]
    compare(out, glance, f"New in {now_label} so far", "Cases", len(per_month[-1]))
    compare(out, glance, f"New in {last_label}", "Cases", len(per_month[-2]))
    for kind, word in (("complaint", "Complaints"), ("compliment", "Compliments")):
        count = sum(c.kind == kind for c in per_month[-1])
        compare(out, glance, f"{word} in {now_label} so far", "Cases", count)
    statuses = Table(report, "Open cases by status")
    for status in OPEN:
        count = sum(c.status == status for c in open_cases)
        compare(out, statuses, CaseStatus(status).label, "Cases", count)
    compare(out, statuses, "All open cases", "Cases", len(open_cases))
    new, kinds = (
        Table(report, "New cases per month"),
        Table(report, "Complaints and compliments per month"),
    )
    for i, ((_, _, label), cases) in enumerate(zip(months, per_month, strict=True)):

        def month(shown: str, label: str = label) -> bool:
            return shown.split(" so far")[0] == label

        compare(out, new, month, "New cases", len(cases), label)
        before = len(per_month[i - 1]) if i else 0
        compare(out, new, month, "Change", change(len(cases), before) if i else None, label)
        for kind, word in (("complaint", "Complaints"), ("compliment", "Compliments")):
            compare(out, kinds, month, word, sum(c.kind == kind for c in cases), label)


# Running ------------------------------------------------------------------------------


def check(db: Database, actor: UserInfo) -> Comparison:
    today = date.today()
    months = months_between(date(today.year - 1, today.month, 1), today)[:-1]
    request = ReportRequest(months[0][0], months[-1][1], Granularity.MONTH)
    april = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    financial = (date(april.year - 1, 4, 1), april - timedelta(days=1))
    print("  reading every case ...", flush=True)
    data = load(db)
    out = Comparison()
    check_compliance(out, data, run_report(db, actor, "compliance", request), months)
    for grouping in (Grouping.DEPARTMENT, Grouping.CATEGORY):
        grouped = ReportRequest(request.start, request.end, request.granularity, grouping)
        compliance = run_report(db, actor, "compliance", grouped)
        check_compliance(out, data, compliance, months, grouping.label)
    dimensions: dict[Dimension, Callable[[CaseRow], set[str]]] = {
        Dimension.KIND: lambda c: {CaseKind(c.kind).label},
        Dimension.CHANNEL: lambda c: {Channel(c.channel).label},
        Dimension.CATEGORY: lambda c: c.subjects or {"No category recorded"},
        Dimension.DEPARTMENT: lambda c: c.areas or {"No department recorded"},
    }
    for dimension, values in dimensions.items():
        trends = run_report(db, actor, "trends", _with(request, dimension))
        check_trends(out, data, trends, months, values)
    nhs = run_report(db, actor, "nhs-return", ReportRequest(*financial))
    check_nhs(out, data, nhs, *financial)
    twelve = months_between(first_of_month(today, 11), today)  # this month last, so far
    board = run_report(db, actor, "dashboard", ReportRequest(twelve[0][0], today))
    check_dashboard(out, data, board, twelve)
    quarter = first_of_month(today, (today.month - 1) % 3 + 3)
    quarter_months = months_between(quarter, first_of_month(today, (today.month - 1) % 3 + 1))
    last_quarter = ReportRequest(quarter, quarter_months[-1][1], Granularity.QUARTER)
    check_committee(out, data, run_report(db, actor, "committee", last_quarter), quarter_months)
    return out


SUMMARISED = (
    "Acknowledged in time",
    "Resolved within 7 days",
    "Resolved within 30 days",
    "Median days to close",
)


def table_unit(column: str) -> Unit:
    return Unit.DAYS if column.startswith("Median") else Unit.PERCENT


def check_committee(out: Comparison, data: Data, report: Report, months: list[Any]) -> None:
    """Its compliance table, and one line for each grievance received in the quarter."""
    check_compliance(out, data, report, months)
    first, last = months[0][0], months[-1][1]
    now, today = datetime.now(UTC), date.today()
    expected = {
        c.number: handled(c, now, today)
        for c in data.cases
        if c.grievance and first <= c.received_day <= last
    }
    # The summary's sentences say the same shares as the table, in words.
    summary = " ".join(next((s.paragraphs for s in report.sections if s.heading == "Summary"), ()))
    whole = compliance_row(list(expected.values()), [])
    for column in SUMMARISED:
        found_text = re.search(rf"{column}: [^.]*?(\d+\.\d%?)(?!\d)", summary)
        written = format_cell(whole[column], table_unit(column))
        out.add(
            f"committee / Summary | {column}",
            Unit.TEXT,
            found_text.group(1) if found_text else "not said",
            written,
        )
    table = Table(report, "Grievances received")
    if table.table is None:
        out.add(table.name, Unit.COUNT, "no such table", len(expected))
        return
    titles = [column.title for column in table.table.columns]
    lines = {str(row[0]): dict(zip(titles, row, strict=True)) for row in table.table.rows}
    found = Counter({"lines for other cases": len(set(lines) - set(expected))})
    for number, g in expected.items():
        line = lines.get(number, {})
        found["grievances without a line"] += not line
        found["received dates that differ"] += line.get("Received") != str(g.case.received_day)
        # The line gives the days to one decimal.
        days, took = line.get("Days to resolve"), g.took
        found["days to resolve that differ"] += not (
            (days is None and took is None)
            or (isinstance(days, float | int) and took is not None and abs(days - took) <= 0.051)
        )
        # Yes when acknowledged in time, No when late, anything else while not yet due.
        said = {"in time": "Yes", "late": "No"}.get(g.acknowledged or "")
        shown = line.get("Ack. in time")
        found["acknowledged in time that differ"] += (
            shown != said if said else shown in ("Yes", "No")
        )
    where = f"committee / Grievances received ({len(lines):,} lines)"
    for what in (
        "grievances without a line",
        "lines for other cases",
        "received dates that differ",
        "days to resolve that differ",
        "acknowledged in time that differ",
    ):
        out.add(f"{where} | {what}", Unit.COUNT, found[what], 0)


def _with(request: ReportRequest, dimension: Dimension) -> ReportRequest:
    return ReportRequest(
        request.start, request.end, request.granularity, request.grouping, dimension
    )


def show(out: Comparison, *, differences_only: bool) -> None:
    shown = out.differences if differences_only else out.lines
    if shown:
        print(f"  {'figure':96} {'PR Desk':>22} {'recomputed':>22}")
    for where, app, mine, same in shown:
        print(f"  {where:96} {app:>22} {mine:>22}{'' if same else '  DIFFERENT'}")
    if out.differences:
        print(f"  {len(out.differences)} of {len(out.lines)} figures differ")
    else:
        print(f"  all {len(out.lines)} figures match")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--cases", type=int, default=100_000, help="cases in each database")
    parser.add_argument(
        "--server", default=SERVER, help="a PostgreSQL login allowed to CREATE DATABASE"
    )
    parser.add_argument(
        "--as-owner", action="store_true", help="on PostgreSQL, read as the server login"
    )
    parser.add_argument(
        "--differences-only", action="store_true", help="print only the figures that differ"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    args.reuse = True
    differing = 0
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        with opened(args, backend) as (db, who):
            print(f"\n{backend}: the reports as {who}, against the cases recounted by hand")
            out = check(db, acting(db))
            show(out, differences_only=args.differences_only)
            differing += len(out.differences)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
