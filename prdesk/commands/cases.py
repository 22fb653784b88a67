"""`prdesk case list` and `prdesk case show`."""

from __future__ import annotations

import argparse
from typing import Any

from prdesk.commands.context import actor, open_for_command
from prdesk.commands.output import local_time, print_json, print_table
from prdesk.domain.enums import CaseStatus
from prdesk.domain.queries import CaseFilter, list_cases
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import cases


def _status(text: str) -> CaseStatus:
    try:
        return CaseStatus(text.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        known = ", ".join(s.value for s in CaseStatus)
        raise argparse.ArgumentTypeError(f"unknown status '{text}' (one of: {known})") from None


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
    case = commands.add_parser("case", help="list and show cases")
    sub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", parents=[common], help="list cases, newest first")
    listing.add_argument(
        "--status", type=_status, action="append", help="only this status (repeatable)"
    )
    listing.add_argument(
        "--search", default="", help="names, case or record number, phone, email, text"
    )
    listing.add_argument(
        "--limit", type=_positive, default=50, help="at most this many (default 50)"
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=run_list)
    show = sub.add_parser(
        "show", parents=[common], help="show one case with its timeline and letters"
    )
    show.add_argument("number", type=case_number, help="case number, e.g. PR-2026-000123")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=run_show)


def run_list(args: argparse.Namespace) -> int:
    context = open_for_command(args)
    case_filter = CaseFilter(statuses=frozenset(args.status or ()), search=args.search)
    with context.db.transaction(read_only=True) as session:
        rows = list_cases(session, case_filter, limit=args.limit)
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["Number", "Received", "Kind", "Status", "Patient", "Assigned to"],
        [
            [
                r.number,
                local_time(r.received_at),
                r.kind.label,
                r.status.label,
                r.patient_name,
                r.assignee_name or "",
            ]
            for r in rows
        ],
    )
    return 0


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
