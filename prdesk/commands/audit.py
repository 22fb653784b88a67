"""`prdesk audit`: the audit trail on screen, as JSON, or written to a CSV or Excel file."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from prdesk.commands.context import CommandError, actor, open_for_command
from prdesk.commands.output import local_time, print_json, print_table
from prdesk.domain.permissions import Action, require
from prdesk.domain.services.audit_trail import (
    SUBJECTS,
    AuditFilter,
    AuditKind,
    entries_page,
    record_reading,
)
from prdesk.export.audit_export import export_audit_trail
from prdesk.export.spreadsheet_files import ExportFormat

# What is printed when no --limit is given; a file gets every matching entry.
SCREEN_LIMIT = 50


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got '{text}'") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got '{text}'")
    return value


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "audit",
        parents=[common],
        help="who did what, when: the audit trail, newest first (auditors and administrators)",
    )
    parser.add_argument("--case", metavar="NUMBER", default="", help="only this case's entries")
    parser.add_argument(
        "--user", metavar="NAME", default="", help="only what this login or person did"
    )
    parser.add_argument("--from", dest="from_day", type=_day, metavar="DATE", help="from this day")
    parser.add_argument("--to", dest="to_day", type=_day, metavar="DATE", help="up to this day")
    parser.add_argument(
        "--kind",
        choices=[kind.value for kind in AuditKind],
        default=AuditKind.ALL.value,
        help="changes to data, views (openings), exports (prints and exports), or all",
    )
    parser.add_argument(
        "--table",
        choices=list(SUBJECTS),
        default="",
        metavar="TABLE",
        help=f"only entries about these records: {', '.join(SUBJECTS)}",
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write the entries to this .csv or .xlsx file"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help=f"at most this many (default {SCREEN_LIMIT} on screen, all in a file)",
    )
    parser.set_defaults(handler=lambda args: run(args, parser.error))


def run(args: argparse.Namespace, usage: Callable[[str], NoReturn]) -> int:
    fmt: ExportFormat | None = None
    if args.out is not None:
        fmt = ExportFormat.of(args.out)
        if fmt is None:
            usage(f"--out {args.out}: name a .csv or .xlsx file")
        if args.json:
            usage("--json cannot be combined with --out")
        if args.limit:
            usage("--limit is for the screen; a file gets every matching entry")
        if args.out.is_dir():
            raise CommandError(
                f"{args.out} is a folder; give a file name such as {args.out / 'audit.xlsx'}"
            )
    wanted = AuditFilter(
        case_number=args.case,
        user=args.user,
        from_day=args.from_day,
        to_day=args.to_day,
        kind=AuditKind(args.kind),
        subject=args.table,
    )
    context = open_for_command(args)
    me = actor(context)
    require(me.role, Action.VIEW_AUDIT_LOG)
    if args.out is not None and fmt is not None:
        count = export_audit_trail(context.db, me, args.out, wanted, fmt)
        print(f"{count} entr{'y' if count == 1 else 'ies'} written to {args.out}")
        return 0
    with context.db.transaction(snapshot=True) as session:
        page = entries_page(session, me, wanted, limit=args.limit or SCREEN_LIMIT)
    with context.db.transaction() as session:
        record_reading(session, me, wanted, entries=len(page.rows))
    if args.json:
        print_json(
            [
                {
                    "id": row.id,
                    "at": row.at,
                    "username": row.username,
                    "who": row.who,
                    "workstation": row.client,
                    "case": row.case_number or None,
                    "action": row.action,
                    "table": row.entity,
                    "row": row.entity_id,
                    "description": row.description,
                    "old": dict(row.old_values),
                    "new": dict(row.new_values),
                }
                for row in page.rows
            ]
        )
        return 0
    print_table(
        ["When", "Who", "Case", "Action", "Description"],
        [[local_time(r.at), r.username, r.case_number, r.action, r.description] for r in page.rows],
    )
    return 0
