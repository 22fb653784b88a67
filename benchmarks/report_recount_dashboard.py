"""The dashboard recounted case by case, its workload per caseworker included, and compared."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from report_recount import OPEN, Comparison, Data, Table, change, compare

from prdesk.domain.enums import CaseStatus
from prdesk.domain.reports.model import Report, Unit

# The workload's note: "due soon means due within 3 days, today included".
DUE_SOON_DAYS = 3
# Who a case can be given to; anyone else who still holds open cases gets a line too.
CASEWORKER_ROLES = ("administrator", "coordinator", "representative")


def check_workload(out: Comparison, data: Data, report: Report, today: date) -> None:
    """Open, due soon and overdue cases of each caseworker, of nobody, and of everyone."""
    held: dict[int | None, Counter[str]] = {}
    for c in data.cases:
        if c.status not in OPEN:
            continue
        counts = held.setdefault(c.assignee, Counter())
        counts["Open"] += 1
        if c.due_on is not None and c.due_on < today:
            counts["Overdue"] += 1
        elif c.due_on is not None and c.due_on < today + timedelta(days=DUE_SOON_DAYS):
            counts["Due soon"] += 1
    lines = {"Unassigned": held.get(None, Counter())}
    for person in data.people:
        if (person.active and person.role in CASEWORKER_ROLES) or person.id in held:
            lines[person.name] = held.get(person.id, Counter())
    lines["All open cases"] = sum(held.values(), Counter())
    table = Table(report, "Workload")
    out.add(f"{table.name} | rows", Unit.COUNT, len(table.labels()), len(lines))
    for name, counts in lines.items():
        for column in ("Open", "Due soon", "Overdue"):
            compare(out, table, name, column, counts[column])


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
    check_workload(out, data, report, today)
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
