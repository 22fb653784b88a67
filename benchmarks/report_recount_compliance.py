"""The compliance and committee reports recounted grievance by grievance, and compared."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from report_recount import (
    WHOLE,
    CaseRow,
    Comparison,
    Data,
    Table,
    compare,
    local_day,
    percentile,
    share,
)

from prdesk.domain.enums import CaseStatus, Determination, Severity
from prdesk.domain.reports.model import Cell, Report, Unit, format_cell

# Response letters: determination letters, and closure letters of grievances.
RESPONSES = ("determination", "closure")


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


SUMMARISED = (
    "Acknowledged in time",
    "Resolved within 7 days",
    "Resolved within 30 days",
    "Median days to close",
)


def table_unit(column: str) -> Unit:
    return Unit.DAYS if column.startswith("Median") else Unit.PERCENT


def _names(shown: Any) -> frozenset[str]:
    """A line's list of names, ", " between; the order is the report's to choose."""
    return frozenset(str(shown).split(", ")) if shown else frozenset()


def _label(enum: Any, value: str | None) -> str:
    return "" if value is None else str(enum(value).label)


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
    # The day each grievance's first response letter went.
    answered: dict[int, date] = {}
    for case_id, template, day in data.sent:
        if template in RESPONSES and case_id in data.grievances:
            answered[case_id] = min(answered.get(case_id, day), day)
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
    said_sent = re.search(r"Grievances with a written response sent: ([\d,]+) ", summary)
    out.add(
        "committee / Summary | Grievances with a written response sent",
        Unit.TEXT,
        said_sent.group(1) if said_sent else "not said",
        f"{sum(g.case.id in answered for g in expected.values()):,}",
    )
    table = Table(report, "Grievances received")
    if table.table is None:
        out.add(table.name, Unit.COUNT, "no such table", len(expected))
        return
    titles = [column.title for column in table.table.columns]
    lines = {str(row[0]): dict(zip(titles, row, strict=True)) for row in table.table.rows}
    found = Counter({"lines for other cases": len(set(lines) - set(expected))})
    for number, g in expected.items():
        line, c = lines.get(number, {}), g.case
        found["grievances without a line"] += not line
        found["received dates that differ"] += line.get("Received") != str(c.received_day)
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
        found["service areas that differ"] += _names(line.get("Service area")) != c.areas
        found["categories that differ"] += _names(line.get("Category")) != c.paths
        found["severities that differ"] += line.get("Severity") != _label(Severity, c.severity)
        found["statuses that differ"] += line.get("Status") != _label(CaseStatus, c.status)
        found["determinations that differ"] += line.get("Determination") != _label(
            Determination, c.determination
        )
        went = answered.get(c.id)
        found["response sent dates that differ"] += line.get("Response sent") != (
            "" if went is None else went.isoformat()
        )
    where = f"committee / Grievances received ({len(lines):,} lines)"
    for what in (
        "grievances without a line",
        "lines for other cases",
        "received dates that differ",
        "service areas that differ",
        "categories that differ",
        "severities that differ",
        "statuses that differ",
        "determinations that differ",
        "days to resolve that differ",
        "acknowledged in time that differ",
        "response sent dates that differ",
    ):
        out.add(f"{where} | {what}", Unit.COUNT, found[what], 0)
