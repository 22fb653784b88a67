"""Letters as PDFs: one letter inside a batch, a batch of 500 from the command line, and
LibreOffice converting the same letter from .docx, as offices do after a Word mail merge.

    python benchmarks/letters.py
    python benchmarks/letters.py --letters 500 --libreoffice-batch 20

Builds a SQLite database of demo cases in a temporary folder, drafts and approves an
acknowledgement letter on each, then prints, in one run on this machine:
  - rendering a one-page letter inside a batch (median, 95th percentile, worst);
  - a bare ReportLab letter of the same text with one embedded TrueType font, for scale;
  - `prdesk letter batch --status approved --out DIR` for all of them, wall time;
  - `soffice --headless --convert-to pdf` on the same letter as .docx, alone and in a batch;
  - how many times faster PR Desk is than LibreOffice per letter, both ways.
LibreOffice is skipped (and said so) when `soffice` is not installed.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from sqlalchemy import select

from prdesk.assets import resource
from prdesk.domain import models
from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import LetterStatus, Role
from prdesk.domain.readmodels import Letterhead, LetterInfo, UserInfo
from prdesk.domain.schema import ensure_ready
from prdesk.domain.services import letter_workflow, letters, organisation
from prdesk.domain.services.mapping import user_info
from prdesk.export.letter_docx import letter_docx
from prdesk.export.letter_pdf import render_letter_pdf


def _figures(label: str, seconds: list[float]) -> str:
    ms = sorted(value * 1000 for value in seconds)
    p95 = ms[min(len(ms) - 1, round(len(ms) * 0.95))]
    return (
        f"  {label:<52} median {statistics.median(ms):8.1f} ms, 95th percentile {p95:8.1f} ms, "
        f"worst {ms[-1]:8.1f} ms ({len(ms)} letters)"
    )


def _prepare(db: Database, count: int) -> tuple[UserInfo, list[LetterInfo], Letterhead]:
    generate_demo_data(db, count, seed=7)
    with db.transaction() as session:
        row = session.scalars(
            select(models.User).where(models.User.role == Role.COORDINATOR).limit(1)
        ).one()
        coordinator = user_info(row)
        case_ids = session.scalars(select(models.Case.id).order_by(models.Case.id).limit(count))
        drafted = [
            letters.draft_letter(session, coordinator, case_id, "acknowledgement", language="en")
            for case_id in case_ids
        ]
        approved = []
        for letter in drafted:
            checks = letter_workflow.letter_checks(session, coordinator, letter.id)
            if checks.blocked:
                continue
            approved.append(
                letter_workflow.approve_letter(session, coordinator, letter.id, letter.version)
            )
        head = organisation.letterhead(session)
    return coordinator, approved, head


def _bare_reportlab(letter: LetterInfo) -> bytes:
    """The same words as a plain ReportLab document in one embedded TrueType font."""
    if "BareNoto" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BareNoto", str(resource("fonts", "NotoSans-Regular.ttf"))))
    style = ParagraphStyle("bare", fontName="BareNoto", fontSize=11, leading=14)
    story = [Paragraph(line, style) for line in (letter.recipient_name, *letter.recipient_address)]
    story.append(Spacer(1, 0.3 * inch))
    story += [Paragraph(block, style) for block in letter.body.split("\n\n") if block.strip()]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=LETTER, initialFontName="BareNoto").build(story)
    return buffer.getvalue()


def _time_each(letters_: list[LetterInfo], render: object) -> list[float]:
    timings = []
    for letter in letters_:
        started = time.perf_counter()
        render(letter)  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return timings


def _libreoffice(
    soffice: str, sample: LetterInfo, head: Letterhead, folder: Path, batch: int
) -> tuple[float, float]:
    """Seconds for one .docx letter alone, and per letter in a batch of `batch`."""
    profile = folder / "lo-profile"
    source = folder / "docx"
    source.mkdir()
    data = letter_docx(sample, head)
    for index in range(batch):
        (source / f"letter-{index:03}.docx").write_bytes(data)

    def convert(files: list[Path], out: Path) -> float:
        started = time.perf_counter()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started

    files = sorted(source.glob("*.docx"))
    convert(files[:1], folder / "warm")  # the first start builds the profile
    single = statistics.median(convert(files[:1], folder / f"one-{i}") for i in range(3))
    whole = convert(files, folder / "batch")
    return single, whole / batch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--libreoffice-batch", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="prdesk-letters-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        db = Database(url)
        ensure_ready(db, create_if_empty=True)
        print(f"preparing {args.letters} cases with an approved acknowledgement letter each…")
        _coordinator, approved, head = _prepare(db, args.letters)
        one_page = [letter for letter in approved if letter.body.count("\n") < 40]
        print(f"letters as PDFs ({len(approved)} approved letters, US Letter, one page each)")
        # Warm up: fonts registered, templates compiled, as in any batch after its first letter.
        render_letter_pdf(approved[0], head)
        _bare_reportlab(approved[0])
        ours = _time_each(one_page, lambda letter: render_letter_pdf(letter, head))
        bare = _time_each(one_page, _bare_reportlab)
        print(_figures("PR Desk letter, rendered inside a batch", ours))
        print(_figures("bare ReportLab, same text, one embedded font", bare))

        out = folder / "out"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "prdesk",
                "--database",
                url,
                "letter",
                "batch",
                "--status",
                LetterStatus.APPROVED.value,
                "--out",
                str(out),
            ],
            check=True,
            capture_output=True,
        )
        batch_seconds = time.perf_counter() - started
        written = len(list(out.glob("*.pdf")))
        print(
            f"  {'prdesk letter batch --status approved (command line)':<52} "
            f"{batch_seconds:8.2f} s for {written} letters "
            f"({batch_seconds / max(written, 1) * 1000:.1f} ms a letter, process start included)"
        )

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            print(
                "  LibreOffice: skipped, soffice is not installed (apt install libreoffice-writer)"
            )
            return 0
        single, per_letter = _libreoffice(
            soffice, one_page[0], head, folder, args.libreoffice_batch
        )
        median_ours = statistics.median(ours)
        print(f"  {'LibreOffice .docx to PDF, one letter':<52} {single * 1000:8.1f} ms")
        print(
            f"  {f'LibreOffice .docx to PDF, batch of {args.libreoffice_batch}':<52} "
            f"{per_letter * 1000:8.1f} ms a letter"
        )
        print(
            f"  PR Desk is {single / median_ours:.0f}x faster than LibreOffice for one letter and "
            f"{per_letter / median_ours:.0f}x faster per letter than its batch"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
