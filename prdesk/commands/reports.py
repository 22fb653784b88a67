"""`prdesk report`: a report (compliance, trends, the committee's...) written to a PDF, CSV or Excel file."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from prdesk.commands.context import CommandError, actor, open_for_command
from prdesk.domain.permissions import Action, require
from prdesk.domain.reports.catalogue import REPORTS, ReportSpec, run_report
from prdesk.domain.reports.model import Dimension, Granularity, Grouping, Report, ReportRequest
from prdesk.domain.reports.ranges import quick_range, twelve_months_to, usual_range

FORMATS = ("pdf", "csv", "xlsx")
# The request's choices, by the option that sets them on the command line.
OPTION_FLAGS = {"granularity": "--by", "grouping": "--group", "dimension": "--dimension"}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got '{text}'") from None


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    names = ", ".join(spec.name for spec in REPORTS)
    parser = commands.add_parser(
        "report",
        parents=[common],
        help="write a report as a PDF, CSV or Excel file (`prdesk report list` names them)",
        description="Computes a report over the cases received (or finished) between two days "
        "and writes it to a file. Dates are YYYY-MM-DD, both days included.",
    )
    parser.add_argument(
        "name", nargs="?", metavar="NAME", help=f"which report: {names}; or 'list' to see them"
    )
    parser.add_argument(
        "--list", action="store_true", help="list the reports with what each one shows"
    )
    parser.add_argument(
        "--from",
        dest="from_day",
        type=_day,
        metavar="DATE",
        help="first day (default: the first of the month 11 months before --to; for the "
        "committee report without dates, the last whole quarter)",
    )
    parser.add_argument(
        "--to", dest="to_day", type=_day, metavar="DATE", help="last day (default: today)"
    )
    parser.add_argument(
        "--by",
        choices=[g.value for g in Granularity],
        help="split the figures by month (default) or quarter (compliance, trends)",
    )
    parser.add_argument(
        "--group",
        choices=[g.value for g in Grouping],
        help="compliance figures for the whole department (default), or per department or "
        "category as well",
    )
    parser.add_argument(
        "--dimension",
        choices=[d.value for d in Dimension],
        help="what trends count cases by (default: category)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, help="pdf, csv or xlsx (default: from the --out file name)"
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="the file to write")
    parser.set_defaults(handler=lambda args: run(args, parser.error))


def run(args: argparse.Namespace, usage: Callable[[str], NoReturn]) -> int:
    if args.list or args.name == "list":
        _print_list()
        return 0
    if not args.name:
        usage("name a report, or run `prdesk report list` to see them")
    spec = _spec(args.name, usage)
    request = _request(spec, args, usage, date.today())
    fmt = _format(args, usage)
    out: Path = args.out
    _check_writable(out, fmt)

    context = open_for_command(args)
    me = actor(context)
    require(me.role, Action.VIEW_REPORTS)
    report = run_report(context.db, me, spec.name, request)
    # ReportLab and openpyxl load only when a file is written: other commands start faster.
    from prdesk.export.report_files import ReportFormat, save_report

    save_report(context.db, me, report, out, ReportFormat(fmt))
    print(f"{out}: {report.title}, {report.subtitle} ({_extent(report, out, fmt)})")
    return 0


def _print_list() -> None:
    width = max(len(spec.name) for spec in REPORTS)
    for spec in REPORTS:
        flags = " ".join(_flags(spec))
        print(f"{spec.name.ljust(width)}  {spec.title}{f' (options: {flags})' if flags else ''}")
        print(f"{''.ljust(width)}  {spec.description}")


def _flags(spec: ReportSpec) -> list[str]:
    return [flag for option, flag in OPTION_FLAGS.items() if option in spec.options]


def _spec(name: str, usage: Callable[[str], NoReturn]) -> ReportSpec:
    for spec in REPORTS:
        if spec.name == name.strip().lower():
            return spec
    usage(f"there is no report called '{name}' (reports: {', '.join(s.name for s in REPORTS)})")


def _request(
    spec: ReportSpec, args: argparse.Namespace, usage: Callable[[str], NoReturn], today: date
) -> ReportRequest:
    # A choice the report does not use is refused, not ignored: someone who asks for
    # compliance "--group department" and gets the whole department's figures would
    # take them for one department's.
    given = {"granularity": args.by, "grouping": args.group, "dimension": args.dimension}
    unused = [OPTION_FLAGS[o] for o, value in given.items() if value and o not in spec.options]
    if unused:
        takes = ", ".join(["--from", "--to", *_flags(spec)])
        usage(f"the {spec.name} report does not use {' or '.join(unused)} (it takes {takes})")
    start, end = default_dates(spec.name, args.from_day, args.to_day, today)
    if start > end:
        after = f"--to {end.isoformat()}" if args.to_day else "today (give --to)"
        usage(f"--from {start.isoformat()} comes after {after}")
    return ReportRequest(
        start=start,
        end=end,
        granularity=Granularity(args.by or Granularity.MONTH),
        grouping=Grouping(args.group or Grouping.NONE),
        dimension=Dimension(args.dimension or Dimension.CATEGORY),
    )


def default_dates(
    name: str, start: date | None, end: date | None, today: date
) -> tuple[date, date]:
    """The period when one or both days are left out: twelve months to today, or for the
    committee, which meets about a quarter, the last whole quarter."""
    if start is None and end is None:
        return quick_range(usual_range(name), today)
    end = end or today
    return start or twelve_months_to(end)[0], end


def _format(args: argparse.Namespace, usage: Callable[[str], NoReturn]) -> str:
    if args.out is None:
        usage("give --out FILE (.pdf, .csv or .xlsx) for the report")
    suffix = str(args.out.suffix).lower().lstrip(".")
    if args.format is None:
        if suffix not in FORMATS:
            usage(f"--out {args.out}: name a .pdf, .csv or .xlsx file, or give --format")
        return suffix
    if suffix in FORMATS and suffix != args.format:
        usage(f"--out {args.out} is a .{suffix} file name but --format is {args.format}")
    fmt: str = args.format
    return fmt


def _check_writable(out: Path, fmt: str) -> None:
    """Refuses a file that cannot be written before the report is computed, not after."""
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name such as {out / ('report.' + fmt)}")
    folder = out.parent
    if not folder.is_dir():
        raise CommandError(f"The folder {folder} does not exist.")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise CommandError(f"{out} cannot be written here: permission denied.")


def _extent(report: Report, out: Path, fmt: str) -> str:
    """ "3 pages", or for a spreadsheet "2 tables, 40 rows": what to expect on opening it."""
    if fmt == "pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(out)
        try:
            pages = len(document)
        finally:
            document.close()
        return f"{pages:,} page{'' if pages == 1 else 's'}"
    tables = [section.table for section in report.sections if section.table is not None]
    rows = sum(len(table.rows) for table in tables)
    return (
        f"{len(tables)} table{'' if len(tables) == 1 else 's'}, "
        f"{rows:,} row{'' if rows == 1 else 's'}"
    )
