"""The reports' figures recomputed from the cases themselves and compared with what PR Desk says.

    python benchmarks/report_check.py                    # the benchmark's two 100k databases
    python benchmarks/report_check.py --backend sqlite --differences-only

Reads the databases `benchmarks/reports.py` builds (and builds them when missing). The
check fetches each case's own columns with plain SQL, sorts them into months in Python
by the local calendar day, and counts them there, following the definitions the reports
print, not their queries (report_recount*.py). It compares, figure by figure: the
compliance report for the last 12 whole months by month (the whole department, then each
department and each category); the trends by kind, channel, category, department and
staff member (counts, totals and changes; the 15 staff members with the most cases one by
one, the others together); the NHS return for the last financial year (summary, subject
and service area by outcome, outcomes); the dashboard as of today (at a glance, open cases
by status, the workload of each caseworker and the unassigned, new cases, complaints and
compliments per month); and the committee report for the last whole quarter (its
compliance table, the figures its summary states, and its line for each grievance, every
column). Prints each figure beside its recomputed value, then "all N figures match" or
how many differ; exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from report_databases import acting, add_database_options, chosen_backends, opened
from report_recount import CaseRow, Comparison, load, months_between
from report_recount_compliance import check_committee, check_compliance
from report_recount_dashboard import check_dashboard
from report_recount_nhs import check_nhs
from report_recount_trends import NO_STAFF, check_trends
from reports import first_of_month

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, Channel
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports.catalogue import run_report
from prdesk.domain.reports.model import Dimension, Granularity, Grouping, ReportRequest


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
    by_staff = run_report(db, actor, "trends", _with(request, Dimension.STAFF))
    named: Callable[[CaseRow], set[str]] = lambda c: data.staff.get(c.id) or {NO_STAFF}  # noqa: E731
    check_trends(out, data, by_staff, months, named, by_staff=True)
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
    add_database_options(parser)
    parser.add_argument(
        "--differences-only", action="store_true", help="print only the figures that differ"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    args.reuse = True
    differing = 0
    for backend in chosen_backends(args):
        with opened(args, backend) as (db, who):
            print(f"\n{backend}: the reports as {who}, against the cases recounted by hand")
            out = check(db, acting(db))
            show(out, differences_only=args.differences_only)
            differing += len(out.differences)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
