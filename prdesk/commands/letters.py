"""`prdesk letter render`: a case's letter as a PDF file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from prdesk.commands.cases import case_number
from prdesk.commands.context import CommandError, actor, open_for_command
from prdesk.domain import letter_templates
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


def run_render(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name such as {out / 'letter.pdf'}")
    if not out.parent.exists():
        raise CommandError(f"The folder {out.parent} does not exist.")
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
