"""`prdesk letter render` in other languages and `prdesk letter batch` for a print run."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from prdesk.domain.database import Database
from prdesk.domain.enums import LetterStatus
from prdesk.domain.models import Letter
from prdesk.domain.readmodels import LetterInfo, UserInfo
from prdesk.domain.services import letter_workflow, letters
from prdesk.domain.services.case_input import PersonInput
from tests.cli.test_commands import run, url_of
from tests.support.builders import log_case, phone_complaint


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def approved_letter(db: Database, actor: UserInfo, patient: str) -> LetterInfo:
    case = log_case(db, actor, phone_complaint(patient))
    with db.transaction() as session:
        draft = letters.draft_letter(session, actor, case.id, "acknowledgement", language="en")
        return letter_workflow.approve_letter(session, actor, draft.id, draft.version)


def test_a_letter_is_rendered_in_the_language_asked_for(
    db: Database, coordinator: UserInfo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = log_case(db, coordinator, phone_complaint(patient=PersonInput("José Núñez")))
    out = tmp_path / "carta.pdf"
    code, printed, _ = run(
        capsys, "--database", url_of(db), "letter", "render", case.number,
        "--template", "extension", "--language", "es", "--out", str(out),
    )  # fmt: skip
    assert code == 0 and "(es)" in printed
    text = _text(out)
    assert "José Núñez" in text and case.number in text
    assert "Página 1 de 1" in text


def test_a_batch_writes_every_approved_letter_and_nothing_else(
    db: Database, coordinator: UserInfo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = approved_letter(db, coordinator, "Olga Petrova")
    second = approved_letter(db, coordinator, "김민준")
    draft_case = log_case(db, coordinator, phone_complaint("Not Approved"))
    with db.transaction() as session:
        letters.draft_letter(session, coordinator, draft_case.id, "acknowledgement")
    folder = tmp_path / "print run"
    code, printed, _ = run(
        capsys, "--database", url_of(db), "letter", "batch",
        "--status", "approved", "--out", str(folder),
    )  # fmt: skip
    assert code == 0 and "2 approved letter(s) written" in printed
    written = sorted(folder.glob("*.pdf"))
    assert [path.name for path in written] == [
        f"{first.case_number} Acknowledgement {first.id}.pdf",
        f"{second.case_number} Acknowledgement {second.id}.pdf",
    ]
    assert "Olga Petrova" in _text(written[0]) and "김민준" in _text(written[1])
    # Without --finalise the letters stay approved, waiting for the print queue.
    with db.transaction(read_only=True) as session:
        assert session.get(Letter, first.id).status is LetterStatus.APPROVED  # type: ignore[union-attr]


def test_a_finalising_batch_writes_the_bytes_it_keeps(
    db: Database, coordinator: UserInfo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    letter = approved_letter(db, coordinator, "Ελένη Παπαδοπούλου")
    code, _, _ = run(
        capsys, "--database", url_of(db), "letter", "batch",
        "--status", "approved", "--out", str(tmp_path), "--finalise",
    )  # fmt: skip
    assert code == 0
    (written,) = tmp_path.glob("*.pdf")
    with db.transaction(read_only=True) as session:
        row = session.get(Letter, letter.id)
        assert row is not None and row.status is LetterStatus.FINALISED
        assert hashlib.sha256(written.read_bytes()).hexdigest() == row.pdf_sha256


def test_a_batch_into_a_file_is_refused(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "not a folder.pdf"
    target.write_bytes(b"x")
    code, _, err = run(
        capsys, "--database", url_of(db), "letter", "batch",
        "--status", "approved", "--out", str(target),
    )  # fmt: skip
    assert code != 0 and "is a file" in err
