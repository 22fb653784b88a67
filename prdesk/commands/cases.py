"""`prdesk case list`, `prdesk case show` and `prdesk case summary`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from prdesk.commands.context import CommandContext, CommandError, actor, open_for_command
from prdesk.commands.output import local_time, print_json, print_table
from prdesk.domain import audit
from prdesk.domain.enums import CaseKind, CaseStatus
from prdesk.domain.models import User
from prdesk.domain.permissions import Action, require
from prdesk.domain.queries import DUE_SOON_DAYS, CaseFilter, Due, SortKey, Viewpoint
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.services import cases
from prdesk.domain.services.case_summary import SummaryOptions
from prdesk.export.case_table import (
    COLUMNS,
    DEFAULT_COLUMNS,
    case_rows,
    export_cases,
    write_csv,
)
from prdesk.export.spreadsheet_files import ExportFormat

# What `case list` prints when no --limit is given; a file gets every matching case.
SCREEN_LIMIT = 50


def _status(text: str) -> CaseStatus:
    try:
        return CaseStatus(text.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        known = ", ".join(s.value for s in CaseStatus)
        raise argparse.ArgumentTypeError(f"unknown status '{text}' (one of: {known})") from None


def _kind(text: str) -> CaseKind:
    try:
        return CaseKind(text.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        known = ", ".join(k.value for k in CaseKind)
        raise argparse.ArgumentTypeError(f"unknown kind '{text}' (one of: {known})") from None


def _columns(text: str) -> tuple[str, ...]:
    keys = tuple(key.strip().lower() for key in text.split(",") if key.strip())
    unknown = [key for key in keys if key not in COLUMNS]
    if unknown or not keys:
        raise argparse.ArgumentTypeError(
            f"unknown column '{','.join(unknown)}' (choose from: {', '.join(COLUMNS)})"
        )
    return keys


def case_number(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("give a case number, e.g. PR-2026-000123")
    return text.strip()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got '{text}'")
    return value


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    case = commands.add_parser("case", help="list, show and summarise cases")
    sub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", parents=[common], help="list cases, newest first")
    listing.add_argument(
        "--status", type=_status, action="append", help="only this status (repeatable)"
    )
    listing.add_argument(
        "--search", default="", help="names, case or record number, phone, email, text"
    )
    listing.add_argument("--kind", type=_kind, action="append", help="only this kind (repeatable)")
    listing.add_argument("--open", action="store_true", help="only cases not yet finished")
    listing.add_argument(
        "--overdue", action="store_true", help="open cases past their running deadline"
    )
    listing.add_argument(
        "--due-soon",
        action="store_true",
        help=f"open cases due within {DUE_SOON_DAYS} days, today included, not late",
    )
    listing.add_argument(
        "--due-this-week", action="store_true", help="open cases due by Sunday, not late"
    )
    grievance = listing.add_mutually_exclusive_group()
    grievance.add_argument(
        "--grievance", dest="grievance", action="store_const", const=True, help="only grievances"
    )
    grievance.add_argument(
        "--not-grievance",
        dest="grievance",
        action="store_const",
        const=False,
        help="only cases that are not grievances",
    )
    listing.add_argument(
        "--assignee",
        metavar="USER",
        action="append",
        help="assigned to this user: login name, full name or 'me' (repeatable)",
    )
    listing.add_argument("--unassigned", action="store_true", help="assigned to nobody yet")
    listing.add_argument(
        "--sort",
        choices=[key.value for key in SortKey],
        default=SortKey.RECEIVED.value,
        metavar="COLUMN",
        help=f"order by {', '.join(key.value for key in SortKey)} (default: received)",
    )
    listing.add_argument(
        "--ascending", action="store_true", help="oldest or A first (default: newest first)"
    )
    listing.add_argument(
        "--limit",
        type=_positive,
        help=f"at most this many (default {SCREEN_LIMIT} on screen, all in a file)",
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument(
        "--format",
        choices=[fmt.value for fmt in ExportFormat],
        help="csv or xlsx (default: from the --out file name); csv alone prints to the screen",
    )
    listing.add_argument(
        "--out", type=Path, metavar="FILE", help="write the cases to this .csv or .xlsx file"
    )
    listing.add_argument(
        "--columns",
        type=_columns,
        metavar="A,B,...",
        help=f"columns for --out or --format (from: {', '.join(COLUMNS)})",
    )
    listing.set_defaults(handler=lambda args: run_list(args, listing.error))
    show = sub.add_parser(
        "show", parents=[common], help="show one case with its timeline and letters"
    )
    show.add_argument("number", type=case_number, help="case number, e.g. PR-2026-000123")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=run_show)
    summary = sub.add_parser(
        "summary",
        parents=[common],
        help="write a case's summary for the grievance committee as a PDF",
    )
    summary.add_argument("number", type=case_number, help="case number, e.g. PR-2026-000123")
    summary.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help="where to write the PDF"
    )
    summary.add_argument(
        "--include-internal",
        action="store_true",
        help="print internal timeline entries too (left out by default)",
    )
    summary.set_defaults(handler=run_summary)


def run_list(args: argparse.Namespace, usage: Callable[[str], NoReturn]) -> int:
    fmt = ExportFormat(args.format) if args.format else None
    if args.out is not None and fmt is None:
        fmt = ExportFormat.of(args.out)
        if fmt is None:
            usage(f"--out {args.out}: name a .csv or .xlsx file, or give --format")
    if args.json and fmt is not None:
        usage("--json cannot be combined with --out or --format")
    if fmt is ExportFormat.XLSX and args.out is None:
        usage("--format xlsx needs --out FILE.xlsx")
    if args.columns and fmt is None:
        usage("--columns is for --out or --format")
    if args.out is not None and args.out.is_dir():
        raise CommandError(
            f"{args.out} is a folder; give a file name such as {args.out / 'cases.xlsx'}"
        )

    context = open_for_command(args)
    # The list shows health information: only roles that may view cases see it, and
    # cases that leave the screen as a file or a stream are recorded as an export.
    me = actor(context)
    require(me.role, Action.VIEW_CASE)
    view = Viewpoint(viewer_id=me.id)
    with context.db.transaction(read_only=True) as session:
        case_filter = _filter(session, args, me.id)
    columns = args.columns or DEFAULT_COLUMNS
    if args.out is not None and fmt is not None:
        return _export(context, me, args, case_filter, view, fmt, columns)

    limit = args.limit or (None if fmt else SCREEN_LIMIT)
    with context.db.transaction(snapshot=True) as session:
        rows = list(
            case_rows(
                session,
                case_filter,
                sort=SortKey(args.sort),
                descending=not args.ascending,
                view=view,
                limit=limit,
            )
        )
    if fmt is ExportFormat.CSV:
        write_csv(sys.stdout, rows, columns)
        with context.db.transaction() as session:
            audit.record(
                session, me, "export", "case_list", None,
                count=len(rows), format="csv", destination="standard output",
            )  # fmt: skip
        return 0
    if args.json:
        print_json([row._asdict() for row in rows])
        return 0
    print_table(
        ["Number", "Received", "Kind", "Status", "Patient", "Assigned to", "Due"],
        [
            [
                r.number,
                local_time(r.received_at),
                r.kind.label,
                r.status.label,
                r.patient_name,
                r.assignee_name or "",
                _due(r.due_on, r.clock_paused),
            ]
            for r in rows
        ],
    )
    return 0


def _due(due_on: date | None, paused: bool) -> str:
    if due_on is not None:
        return due_on.isoformat()
    return "paused" if paused else ""


def _export(
    context: CommandContext,
    user: UserInfo,
    args: argparse.Namespace,
    case_filter: CaseFilter,
    view: Viewpoint,
    fmt: ExportFormat,
    columns: tuple[str, ...],
) -> int:
    count = export_cases(
        context.db,
        user,
        args.out,
        case_filter,
        sort=SortKey(args.sort),
        descending=not args.ascending,
        columns=columns,
        fmt=fmt,
        view=view,
        limit=args.limit,
    )
    print(f"{args.out}: {count:,} case{'' if count == 1 else 's'}")
    return 0


def _filter(session: Session, args: argparse.Namespace, my_id: int | None) -> CaseFilter:
    due = {
        due
        for due, wanted in (
            (Due.OVERDUE, args.overdue),
            (Due.DUE_SOON, args.due_soon),
            (Due.DUE_THIS_WEEK, args.due_this_week),
        )
        if wanted
    }
    assignees = frozenset(_user_id(session, name, my_id) for name in args.assignee or ())
    return CaseFilter(
        search=args.search,
        statuses=frozenset(args.status or ()),
        open_only=args.open,
        kinds=frozenset(args.kind or ()),
        grievance=args.grievance,
        assignee_ids=assignees,
        unassigned=args.unassigned,
        due=frozenset(due),
    )


def _user_id(session: Session, name: str, my_id: int | None) -> int:
    """A user by login name (exactly) or full name (ignoring case); 'me' is the acting user."""
    if name.strip().lower() == "me" and my_id is not None:
        return my_id
    wanted = name.strip()
    found = session.execute(
        select(User.id, User.username).where(
            or_(User.username == wanted, func.lower(User.display_name) == wanted.lower())
        )
    ).all()
    exact = [row.id for row in found if row.username == wanted]
    if exact:
        return int(exact[0])
    if len(found) == 1:
        return int(found[0].id)
    if found:
        raise CommandError(f"More than one user is called '{wanted}'; give a login name.")
    raise CommandError(f"No user '{wanted}': give a login name or a full name.")


def run_show(args: argparse.Namespace) -> int:
    context = open_for_command(args)
    user = actor(context)
    with context.db.transaction() as session:
        detail = cases.view_case(session, user, args.number)
    if args.json:
        print_json(detail)
    else:
        _print_detail(detail)
    return 0


def run_summary(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name such as {out / 'summary.pdf'}")
    if not out.parent.exists():
        raise CommandError(f"The folder {out.parent} does not exist.")
    # Importing ReportLab only here keeps other commands fast to start.
    from prdesk.export.case_summary_pdf import write_case_summary

    context = open_for_command(args)
    options = SummaryOptions(include_internal=args.include_internal)
    summary = write_case_summary(context.db, actor(context), args.number, out, options)
    entries = len(summary.entries)
    internal = "internal included" if options.include_internal else "internal left out"
    print(
        f"{out}: case summary of {summary.case.number}, "
        f"{entries:,} timeline entr{'y' if entries == 1 else 'ies'} ({internal})"
    )
    return 0


def _print_detail(case: CaseDetail) -> None:
    grievance = f"grievance ({case.grievance_reason})" if case.is_grievance else "not a grievance"
    print(f"{case.number}  {case.kind.label}, {case.status.label}, {grievance}")
    print(f"Received {local_time(case.received_at)} by {case.channel.label.lower()}")
    print(
        f"Patient: {case.patient.full_name}"
        + (
            f", MRN {case.patient.medical_record_number}"
            if case.patient.medical_record_number
            else ""
        )
    )
    if case.complainant:
        relation = case.complainant_relationship.label if case.complainant_relationship else "?"
        print(f"Raised by: {case.complainant.full_name} ({relation})")
    print(f"Assigned to: {case.assignee.display_name if case.assignee else 'nobody yet'}")
    print(f"\n{case.description}\n")
    if case.timeline:
        print("Timeline:")
        for entry in case.timeline:
            print(
                f"  {local_time(entry.occurred_at)}  {entry.kind.label}: {entry.summary} ({entry.author_name})"
            )
    if case.letters:
        print("Letters:")
        for letter in case.letters:
            print(f"  {local_time(letter.created_at)}  {letter.subject} [{letter.status.label}]")
