"""Each report timed at 100,000 cases on SQLite and PostgreSQL, beside the figures it computed.

    python benchmarks/reports.py --reuse
    python benchmarks/reports.py --backend sqlite --cases 100000 --reuse
    python benchmarks/reports.py --backend postgresql --server postgresql+psycopg://postgres@127.0.0.1/postgres

The databases are kept between runs and reused with --reuse (see report_databases.py).

Every report of the catalogue runs with the requests a department makes (the last 12
whole months by month, also split by department and by category, and 8 quarters; trends
by each dimension; the NHS return for the last financial year; the committee report for
the last whole quarter; the dashboard as of today), once to warm the caches and then 5
times through `run_report`, as the window and the command line call it. Printed for each:
the median and worst run; the time spent in the database statements (SQL: from the
driver's execute to its return, summed per run from SQLAlchemy's cursor events, median;
bare SQL: the same statements run again on the bare driver with every row fetched,
median of 3, since SQLite makes some grouped rows only as they are fetched); the
processor time (median) of this process and, for a PostgreSQL server on this machine, of
the server processes serving it, which other work on the machine does not inflate; the
number of statements; and the report's headline figures (--slowest adds each report's
slowest statement). On PostgreSQL the reports run as a coordinator's own login, so
row-level security applies as at a workstation (--as-owner: as the server login). Exit
status 1 when a report's median run takes 1 second or more.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import report_databases as databases
from sqlalchemy import event

from prdesk.domain.database import Database
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports.catalogue import run_report
from prdesk.domain.reports.model import (
    Dimension,
    Granularity,
    Grouping,
    Report,
    ReportRequest,
    Unit,
    format_cell,
)

RUNS = 5
LIMIT_MS = 1000.0


@dataclass(frozen=True)
class Scenario:
    label: str
    name: str  # the report's name in the catalogue
    request: ReportRequest


def first_of_month(day: date, months_back: int) -> date:
    month = day.year * 12 + day.month - 1 - months_back
    return date(month // 12, month % 12 + 1, 1)


def scenarios(today: date) -> list[Scenario]:
    """What a department asks for, on `today`."""
    this_month = first_of_month(today, 0)
    year_start, year_end = first_of_month(today, 12), this_month - timedelta(days=1)
    quarter = first_of_month(today, (today.month - 1) % 3)
    last_quarter = (first_of_month(quarter, 3), quarter - timedelta(days=1))
    two_years = first_of_month(quarter, 24)
    # The NHS year runs from April to March.
    april = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    financial = (date(april.year - 1, 4, 1), april - timedelta(days=1))

    def monthly(**choices: Any) -> ReportRequest:
        return ReportRequest(year_start, year_end, Granularity.MONTH, **choices)

    found = [
        # The dashboard stands on its last day: today, with the 11 months before.
        Scenario("dashboard", "dashboard", ReportRequest(first_of_month(today, 11), today)),
        Scenario("compliance, 12 months by month", "compliance", monthly()),
        Scenario("compliance, by department", "compliance", monthly(grouping=Grouping.DEPARTMENT)),
        Scenario("compliance, by category", "compliance", monthly(grouping=Grouping.CATEGORY)),
        Scenario(
            "compliance, 8 quarters",
            "compliance",
            ReportRequest(two_years, quarter - timedelta(days=1), Granularity.QUARTER),
        ),
    ]
    found += [
        Scenario(f"trends by {dimension.value}", "trends", monthly(dimension=dimension))
        for dimension in Dimension
    ]
    found += [
        Scenario("nhs-return, financial year", "nhs-return", ReportRequest(*financial)),
        Scenario(
            "committee, last whole quarter",
            "committee",
            ReportRequest(*last_quarter, Granularity.QUARTER),
        ),
    ]
    return found


@dataclass
class StatementClock:
    """Time spent between the driver's execute and its return, summed, and the statements.

    On SQLite that is the time to a statement's first row: a grouped query that reads
    an index in its groups' order makes the rest of its rows while they are fetched, so
    `replay` times the same statements again on the bare driver, fetching every row.

    Attributes:
        run: the statements since `reset`, with their parameters.
    """

    seconds: float = 0.0
    run: list[tuple[str, Any]] = field(default_factory=list)
    _started: list[float] = field(default_factory=list)
    _servers: set[int] = field(default_factory=set)

    def attach(self, db: Database) -> None:
        event.listen(db.engine, "before_cursor_execute", self._before)
        event.listen(db.engine, "after_cursor_execute", self._after)
        if db.dialect == "postgresql" and db.url.host in ("127.0.0.1", "localhost", "::1"):
            event.listen(db.engine, "connect", self._connected)

    def processor_seconds(self) -> float:
        """This process's processor time, and the PostgreSQL server processes' serving it.

        The server's share is read from /proc, so only for a server on this machine.
        """
        total = time.process_time()
        for pid in self._servers:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def replay(self, db: Database) -> tuple[float, tuple[float, str]]:
        """The run's queries again on a bare connection, every row fetched: the seconds
        they take together, and the slowest one (seconds, SQL)."""
        total, slowest = 0.0, (0.0, "")
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters in self.run:
                if statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
                    continue  # the bare connection's own transaction stands for it
                started = time.perf_counter()
                cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
                took = time.perf_counter() - started
                total += took
                slowest = max(slowest, (took, statement))
            raw.rollback()
        finally:
            raw.close()
        return total, slowest

    def _connected(self, connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        self._servers.add(int(cursor.fetchone()[0]))
        cursor.close()

    def reset(self) -> None:
        self.seconds, self.run = 0.0, []

    def _before(
        self, _connection: Any, _cursor: Any, statement: str, parameters: Any, *_: Any
    ) -> None:
        self.run.append((statement, parameters))
        self._started.append(time.perf_counter())

    def _after(self, *_: Any) -> None:
        self.seconds += time.perf_counter() - self._started.pop()


@dataclass(frozen=True)
class Timing:
    """Milliseconds per run of one scenario (median and worst), and what it computed.

    Attributes:
        statements_ms: from the driver's execute to its return, summed per run (median).
        bare_ms: the same statements on the bare driver, every row fetched (median of 3).
        processor_ms: the median processor time per run of this process and, for a local
            PostgreSQL, of the server processes serving it: what the report costs, which
            other work on the machine does not inflate as it does the elapsed time.
    """

    scenario: Scenario
    median_ms: float
    worst_ms: float
    statements_ms: float
    bare_ms: float
    processor_ms: float
    statements: int
    headline: str
    slowest: tuple[float, str]

    @property
    def over(self) -> bool:
        return self.median_ms >= LIMIT_MS


def measure(db: Database, actor: UserInfo, scenario: Scenario, clock: StatementClock) -> Timing:
    report = run_report(db, actor, scenario.name, scenario.request)  # warm-up
    totals, in_database, processor, counts = [], [], [], []
    for _ in range(RUNS):
        clock.reset()
        started, used = time.perf_counter(), clock.processor_seconds()
        report = run_report(db, actor, scenario.name, scenario.request)
        totals.append(time.perf_counter() - started)
        processor.append(clock.processor_seconds() - used)
        in_database.append(clock.seconds)
        counts.append(len(clock.run))
    replays = [clock.replay(db) for _ in range(3)]
    return Timing(
        scenario,
        statistics.median(totals) * 1000,
        max(totals) * 1000,
        statistics.median(in_database) * 1000,
        statistics.median(seconds for seconds, _ in replays) * 1000,
        statistics.median(processor) * 1000,
        max(counts),
        headline(report),
        max(slowest for _, slowest in replays),
    )


# The figures worth a glance in each report's total row (a title ending in "*" is a prefix).
HEADLINES = {
    "compliance": (
        "Grievances received",
        "Acknowledged in time",
        "Resolved within 7 days",
        "Resolved within 30 days",
        "Median days to close",
        "Finalised without every required element",
    ),
    "trends": ("Total", "Change in*"),
    "nhs-return": ("Received", "Resolved", "Upheld", "Partly upheld", "Not upheld"),
}
HEADLINES["committee"] = HEADLINES["compliance"]


def headline(report: Report) -> str:
    """The figures a reader looks at first.

    The total row of the first table that has one (the dashboard: its first table, row by
    row), with the report's headline columns, or its first four figures.
    """
    tables = [section.table for section in report.sections if section.table is not None]
    if report.name == "dashboard" and tables:
        return " · ".join(
            f"{label}: {format_cell(value, tables[0].columns[1].unit)}"
            for label, value, *_ in tables[0].rows
        )
    chosen = next((table for table in tables if table.total_row and table.rows), None)
    if chosen is None:
        return "(no table with a total)"
    wanted = HEADLINES.get(report.name)
    parts = [f"{len(chosen.rows) - 1} rows"] if report.name == "trends" else []
    for column, value in zip(chosen.columns, chosen.rows[-1], strict=False):
        if column.unit is Unit.TEXT:
            continue
        if wanted is None and len(parts) == 4:
            break
        if wanted is None or any(
            column.title == title or (title.endswith("*") and column.title.startswith(title[:-1]))
            for title in wanted
        ):
            parts.append(f"{column.title} {format_cell(value, column.unit)}")
    return f"{chosen.rows[-1][0]}: " + " · ".join(parts)


# The table ----------------------------------------------------------------------------


def run_backend(args: argparse.Namespace, backend: str) -> list[Timing]:
    with databases.opened(args, backend) as (db, who):
        clock = StatementClock()
        clock.attach(db)
        actor = databases.acting(db)
        cases = databases.count_cases(db)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"\n{databases.server_version(db)}: {cases:,} cases, as {who}; {RUNS} runs after one warm-up;"
            f" {os.cpu_count()} cores, load average {load:.1f}"
        )
        print(
            f"  {'report':34} {'median':>9} {'worst':>9} {'SQL':>9} {'bare SQL':>9}"
            f" {'processor':>9} {'stmts':>5}"
        )
        timings = []
        for scenario in scenarios(date.today()):
            timing = measure(db, actor, scenario, clock)
            timings.append(timing)
            flag = "  AT OR OVER 1 s" if timing.over else ""
            if not timing.over and timing.worst_ms >= LIMIT_MS:
                flag = "  (worst run at or over 1 s)"
            print(
                f"  {scenario.label:34} {timing.median_ms:6.0f} ms {timing.worst_ms:6.0f} ms"
                f" {timing.statements_ms:6.0f} ms {timing.bare_ms:6.0f} ms"
                f" {timing.processor_ms:6.0f} ms"
                f" {timing.statements:5}{flag}"
            )
            print(f"      {timing.headline}", flush=True)
            if timing.over or args.slowest:
                seconds, sql = timing.slowest
                print(
                    f"      slowest statement, {seconds * 1000:.0f} ms on the bare driver:"
                    f" {' '.join(sql.split())[:240]}"
                )
        print(f"  load average after: {os.getloadavg()[0]:.1f}")
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    databases.add_database_options(parser)
    parser.add_argument(
        "--reuse", action="store_true", help="use a database built earlier with as many cases"
    )
    parser.add_argument(
        "--slowest", action="store_true", help="print each report's slowest statement"
    )
    args = parser.parse_args(argv)
    backends = databases.chosen_backends(args)
    print(f"Reports benchmark, {date.today():%d %b %Y}, {platform.node()}")
    over = []
    for backend in backends:
        over += [f"{backend}: {t.scenario.label}" for t in run_backend(args, backend) if t.over]
    if over:
        print("\nAt or over 1 s: " + "; ".join(over))
        return 1
    print("\nEvery report under 1 s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
