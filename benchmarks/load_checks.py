"""What the load test's database holds, against what its workstations were told was saved.

Read as the database's owner, so that row-level security hides nothing from the count.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from load_worker import NOTE_PREFIX
from sqlalchemy import text
from sqlalchemy.orm import Session

from prdesk.domain.database import Database
from prdesk.domain.models import Case


@dataclass(frozen=True)
class Check:
    label: str
    value: int
    target: str = "0"
    met: bool = True
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Findings:
    succeeded: Counter[str]
    conflicts: Counter[str]
    errors: Counter[str]
    errors_by_operation: Counter[str]
    error_samples: dict[str, str]
    latencies: dict[str, list[float]]
    pdf_pages: int
    checks: tuple[Check, ...]
    wall_seconds: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)

    @property
    def all_met(self) -> bool:
        return all(check.met for check in self.checks)


@dataclass
class _Totals:
    succeeded: Counter[str] = field(default_factory=Counter)
    conflicts: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: dict[str, str] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    ids: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    numbers: list[str] = field(default_factory=list)
    pdf_pages: int = 0


def _add_up(reports: list[dict[str, Any]]) -> _Totals:
    totals = _Totals()
    for report in reports:
        totals.succeeded.update(report["succeeded"])
        totals.conflicts.update(report["conflicts"])
        totals.errors.update(report["errors"])
        for kind, sample in report["error_samples"].items():
            totals.error_samples.setdefault(kind, sample)
        for name, times in report["latencies"].items():
            totals.latencies[name].extend(times)
        for key in ("cases_opened", "entries_added", "letters_drafted"):
            totals.ids[key].extend(report[key])
        totals.numbers.extend(report["case_numbers"])
        totals.pdf_pages += report["pdf_pages"]
    return totals


def verify(
    owner: Database,
    shared: tuple[int, ...],
    marks: dict[str, int],
    reports: list[dict[str, Any]],
    *,
    missing: int,
    acting: list[str],
) -> Findings:
    """`acting`: the logins the database must name as acting in its audit rows."""
    totals = _add_up(reports)
    checks: list[Check] = []
    with owner.engine.connect() as connection:

        def scalar(sql: str, **values: Any) -> int:
            return int(connection.execute(text(sql), values).scalar() or 0)

        def lost(label: str, reported: list[int], table: str, where: str = "true") -> None:
            """Rows reported saved but absent, and rows present that nobody reported."""
            found = scalar(
                f"SELECT count(*) FROM {table} WHERE id = ANY(:ids) AND {where}", ids=reported
            )
            made = scalar(
                f"SELECT count(*) FROM {table} WHERE id > :mark AND {where}", mark=marks[table]
            )
            value = (len(reported) - found) + (made - found)
            details = (f"{len(reported):,} reported saved, {found:,} of them found, {made:,} made",)
            checks.append(Check(f"writes lost: {label}", value, met=value == 0, details=details))

        lost("cases", totals.ids["cases_opened"], "cases")
        lost(
            "timeline entries",
            totals.ids["entries_added"],
            "timeline_entries",
            f"summary LIKE '{NOTE_PREFIX} %' AND deleted_at IS NULL",
        )
        lost("letters", totals.ids["letters_drafted"], "letters")
        history = _shared_histories(connection, shared, marks["timeline_entries"])
        for label, operation in (
            ("status changes", "change status (shared case)"),
            ("reassignments", "reassign (shared case)"),
        ):
            value = abs(history.counts[label] - totals.succeeded[operation])
            details = (
                f"{totals.succeeded[operation]:,} reported, {history.counts[label]:,} on the timelines",
            )
            checks.append(Check(f"writes lost: {label}", value, met=value == 0, details=details))
        checks.append(
            Check(
                "shared cases: a change not starting where the last ended",
                len(history.breaks),
                met=not history.breaks,
                details=tuple(history.breaks),
            )
        )
        duplicates = connection.execute(
            text("SELECT number, count(*) FROM cases GROUP BY number HAVING count(*) > 1")
        ).all()
        checks.append(
            Check(
                "duplicate case numbers",
                len(duplicates),
                met=not duplicates,
                details=tuple(f"{n} x{c}" for n, c in duplicates),
            )
        )
        reused = len(totals.numbers) - len(set(totals.numbers))
        checks.append(Check("case numbers given out twice", reused, met=reused == 0))
        inserted = scalar(
            "SELECT count(*) FROM audit_log WHERE id > :mark AND entity = 'cases' AND action = 'insert'",
            mark=marks["audit_log"],
        )
        opened = totals.succeeded["new case"]
        checks.append(
            Check(
                "audit trail: new cases without their trigger row",
                opened - inserted,
                met=inserted == opened,
                details=(f"{inserted:,} insert rows for {opened:,} cases",),
            )
        )
        others = connection.execute(
            text(
                "SELECT username, count(*) FROM audit_log WHERE id > :mark"
                " AND action IN ('insert', 'update', 'delete') AND NOT username = ANY(:acting)"
                # The triggers' rows, which name the table; PR Desk's own name the record.
                " AND entity IN (SELECT tablename FROM pg_tables"
                " WHERE schemaname = current_schema())"
                " GROUP BY username"
            ),
            {"mark": marks["audit_log"], "acting": acting},
        ).all()
        checks.append(
            Check(
                "audit trail: changes recorded under another login",
                sum(count for _, count in others),
                met=not others,
                details=tuple(f"{name}: {count}" for name, count in others),
            )
        )
    failed = sum(totals.errors.values()) + missing
    checks.append(Check("errors other than expected conflicts", failed, met=failed == 0))
    by_operation: Counter[str] = Counter()
    for kind, count in totals.errors.items():
        by_operation[kind.split(": ")[0]] += count
    return Findings(
        succeeded=totals.succeeded,
        conflicts=totals.conflicts,
        errors=totals.errors,
        errors_by_operation=by_operation,
        error_samples=totals.error_samples,
        latencies=dict(totals.latencies),
        pdf_pages=totals.pdf_pages,
        checks=tuple(checks),
    )


@dataclass
class _History:
    counts: Counter[str] = field(default_factory=Counter)
    breaks: list[str] = field(default_factory=list)


_STATUS = re.compile(r"Status changed from (.+) to (.+)$")
_REASSIGNED = re.compile(r"Reassigned from (.+) to (.+)$")


def _shared_histories(connection: Any, shared: tuple[int, ...], mark: int) -> _History:
    """Each shared case's status changes and reassignments, in the order they were saved.

    Two people saving over the same version would both start from the same status or
    person: the second would not start where the first ended.
    """
    history = _History()
    for case_id in shared:
        rows = connection.execute(
            text(
                "SELECT id, summary FROM timeline_entries WHERE case_id = :case AND id > :mark"
                " AND kind = 'status_change' ORDER BY id"
            ),
            {"case": case_id, "mark": mark},
        ).all()
        case = Session(connection).get(Case, case_id)
        assert case is not None
        final = (case.status.label, case.assignee.display_name if case.assignee else None)
        ends: dict[str, str | None] = {"status changes": None, "reassignments": None}
        for entry_id, summary in rows:
            for label, pattern in (("status changes", _STATUS), ("reassignments", _REASSIGNED)):
                if (match := pattern.match(summary)) is None:
                    continue
                history.counts[label] += 1
                before, after = match.groups()
                if ends[label] is not None and before != ends[label]:
                    history.breaks.append(
                        f"case {case_id}, entry {entry_id}: from {before}, but it was {ends[label]}"
                    )
                ends[label] = after
        if ends["status changes"] not in (None, final[0]):
            history.breaks.append(
                f"case {case_id} is {final[0]}, its timeline says {ends['status changes']}"
            )
        if ends["reassignments"] not in (None, final[1]):
            history.breaks.append(
                f"case {case_id} is with {final[1]}, its timeline says {ends['reassignments']}"
            )
    return history
