"""The NHS return recounted complaint by complaint (subject and service area by outcome), and compared."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date

from report_recount import CaseRow, Comparison, Data, Table, compare, local_day

from prdesk.domain.reports.model import Report


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
