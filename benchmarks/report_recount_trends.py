"""The trends report recounted case by case, staff members folded as the report says, and compared."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from report_recount import (
    WHOLE,
    CaseRow,
    Comparison,
    Data,
    Table,
    change,
    compare,
    months_between,
)

from prdesk.domain.reports.model import Report, Unit
from prdesk.domain.staff_names import staff_key

# The report's own words: "The 15 staff members with the most cases are shown one by one;
# the other N are added together under "All others"."
SHOWN_ONE_BY_ONE = 15
OTHERS = "All others"
NO_STAFF = "No staff member named"


def _counted(
    data: Data, spans: list[Any], values: Callable[[CaseRow], set[str]]
) -> dict[str, list[int]]:
    """Cases per value and span (the period before first); a case counts once under each
    of its values, and once under "All cases received"."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(spans))
    starts = [first for first, _, _ in spans]
    for c in data.cases:
        day = c.received_day
        if spans[0][0] <= day <= spans[-1][1]:
            position = max(i for i, first in enumerate(starts) if first <= day)
            for value in values(c):
                counts[value][position] += 1
            counts["All cases received"][position] += 1
    return counts


def _fold_staff(
    out: Comparison, data: Data, counts: dict[str, list[int]], table: Table
) -> dict[str, list[int]]:
    """The counts by the row each staff member gets: the 15 with the most cases in the
    report's periods by their name as the report spells it (one of the spellings the
    cases use), the others added together."""
    people = [key for key in counts if key not in ("All cases received", NO_STAFF)]
    ranked = sorted(people, key=lambda key: -sum(counts[key][1:]))
    shown, folded = ranked[:SHOWN_ONE_BY_ONE], ranked[SHOWN_ONE_BY_ONE:]
    if shown and folded and sum(counts[shown[-1]][1:]) == sum(counts[folded[0]][1:]):
        print("  note: staff members tie for the last place shown one by one")
    # Keys written before the way names are keyed last changed stay as they were: a case
    # saved now that names the same person would be counted under another key.
    stale = sorted(key for key in people if any(staff_key(n) != key for n in data.spellings[key]))
    if stale:
        print(f"  note: {len(stale)} staff keys differ from how their names are keyed now")
    labels = table.labels()
    rows: dict[str, list[int]] = {
        label: counts[label] for label in ("All cases received", NO_STAFF) if label in counts
    }
    for key in shown:
        spelled = [label for label in labels if label in data.spellings.get(key, set())]
        rows[spelled[0] if spelled else min(data.spellings.get(key, {key}))] = counts[key]
    if folded:
        rows[OTHERS] = [sum(column) for column in zip(*(counts[k] for k in folded), strict=True)]
    expected_rows = len(rows) - (NO_STAFF in rows and not any(rows[NO_STAFF]))
    out.add(f"{table.name} | rows", Unit.COUNT, len(labels), expected_rows)
    return rows


def check_trends(
    out: Comparison,
    data: Data,
    report: Report,
    months: list[Any],
    values: Callable[[CaseRow], set[str]],
    *,
    by_staff: bool = False,
) -> None:
    """Each value's cases per month, total and changes; a case counts under each of its values."""
    before_last = months[0][0] - timedelta(days=1)
    spans = [*months_between(before_last.replace(day=1), before_last), *months]
    counts = _counted(data, spans, values)
    by = report.title.removeprefix("Trends")  # " by kind of case"
    counted = Table(report, WHOLE, by)
    changes = Table(report, "Change on the period before", by)
    if by_staff:
        counts = defaultdict(lambda: [0] * len(spans), _fold_staff(out, data, counts, counted))
    for label in sorted(set(counts) | set(counted.labels()) - {OTHERS}):
        row = counts[label]
        for (_, _, month), count in zip(months, row[1:], strict=True):
            compare(out, counted, label, month, count)
        compare(out, counted, label, "Total", sum(row[1:]))
        compare(out, counted, label, f"Change in {months[-1][2]}", change(row[-1], row[-2]))
        compare(out, changes, label, f"{spans[0][2]} (before)", row[0])
        for i, (_, _, month) in enumerate(months, start=1):
            compare(out, changes, label, month, change(row[i], row[i - 1]))
