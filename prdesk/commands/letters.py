"""`prdesk letter render` and `prdesk letter batch`: letters as PDF files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from prdesk.commands.cases import case_number
from prdesk.commands.context import CommandError, actor, open_for_command
from prdesk.domain import letter_templates
from prdesk.domain.enums import LetterStatus
from prdesk.domain.services import cases


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    letter = commands.add_parser("letter", help="make letters as PDF files")
    sub = letter.add_subparsers(dest="letter_command", metavar="ACTION", required=True)
    render = sub.add_parser(
        "render",
        parents=[common],
        help="draft a letter for a case from a template and save it as PDF",
    )
    render.add_argument("number", type=case_number, help="case number, e.g. PR-2026-000123")
    keys = ", ".join(t.key for t in letter_templates.BUILT_IN)
    render.add_argument("--template", required=True, metavar="KEY", help=f"template ({keys})")
    render.add_argument(
        "--language", metavar="CODE", help="language code, e.g. es (default: the addressee's)"
    )
    render.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help="where to write the PDF"
    )
    render.set_defaults(handler=run_render)

    batch = sub.add_parser(
        "batch",
        parents=[common],
        help="write every letter with a status as PDF files into a folder",
        description="Finalised and sent letters are written exactly as kept; others are "
        "rendered from their current text.",
    )
    statuses = [status.value for status in LetterStatus]
    batch.add_argument(
        "--status", required=True, choices=statuses, help="which letters, e.g. approved"
    )
    batch.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write to")
    batch.add_argument(
        "--finalise",
        action="store_true",
        help="finalise approved letters first, so the files are the letters as kept",
    )
    batch.set_defaults(handler=run_batch)


def _writable_file(out: Path) -> None:
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name such as {out / 'letter.pdf'}")
    if not out.parent.exists():
        raise CommandError(f"The folder {out.parent} does not exist.")


def run_render(args: argparse.Namespace) -> int:
    out: Path = args.out
    _writable_file(out)
    # Importing ReportLab only here keeps other commands fast to start.
    from prdesk.export.letter_files import draft_letter_pdf, save_pdf

    context = open_for_command(args)
    user = actor(context)
    with context.db.transaction() as session:
        case = cases.view_case(session, user, args.number)
    letter, pdf = draft_letter_pdf(context.db, user, case.id, args.template, language=args.language)
    save_pdf(out, pdf)
    print(f"{out}: {letter.subject} ({letter.language}), to {letter.recipient_name}")
    return 0


def run_batch(args: argparse.Namespace) -> int:
    folder: Path = args.out
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"{folder} is a file; give a folder to write the letters into.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"The folder {folder} cannot be made: {error.strerror}.") from None
    from prdesk.export.letter_batch import write_batch

    context = open_for_command(args)
    status = LetterStatus(args.status)
    result = write_batch(
        context.db, actor(context), status, folder, finalise_approved=args.finalise
    )
    for letter, reason in result.skipped:
        print(f"not written: letter {letter.id} on {letter.case_number}: {reason}")
    print(f"{len(result.written)} {status.label.lower()} letter(s) written to {folder}")
    return 1 if result.skipped else 0
