"""Making letters' PDFs from the database, and saving files without ever leaving half a file.

Rendering happens between transactions, so the database is never held while
ReportLab lays out pages.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from prdesk.domain.database import Database
from prdesk.domain.enums import LetterStatus
from prdesk.domain.errors import DomainError
from prdesk.domain.letter_templates import template
from prdesk.domain.readmodels import LetterInfo, UserInfo
from prdesk.domain.services import (
    letter_sending,
    letter_workflow,
    letters,
    organisation,
    signatures,
)
from prdesk.export.letter_docx import letter_docx
from prdesk.export.letter_pdf import render_letter_pdf

# ReportLab writes one "/Type /Page" dictionary per page (and "/Type /Pages" for the tree).
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


class SaveFailed(DomainError):
    """A file could not be written; the message names the file and the reason."""


def page_count(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


def draft_letter_pdf(
    db: Database,
    actor: UserInfo,
    case_id: int,
    template_key: str,
    *,
    language: str | None = None,
) -> tuple[LetterInfo, bytes]:
    """Drafts the letter on the case (committed), then renders it."""
    with db.transaction() as session:
        letter = letters.draft_letter(session, actor, case_id, template_key, language=language)
        head = organisation.letterhead(session)
        signature = signatures.signature_image(session, letter.signatory_id)
    return letter, render_letter_pdf(letter, head, signature=signature)


def letter_word(db: Database, actor: UserInfo, letter_id: int) -> bytes:
    """The letter as a Word document; the copy is recorded in the audit log."""
    with db.transaction() as session:
        letter = letter_workflow.letter_detail(session, actor, letter_id)
        letter_workflow.record_use(session, actor, letter, "export_docx")
        head = organisation.letterhead(session)
        signature = signatures.signature_image(session, letter.signatory_id)
    return letter_docx(letter, head, signature=signature, dated=letter.dated)


def letter_pdf(db: Database, actor: UserInfo, letter_id: int, *, purpose: str = "save") -> bytes:
    """The letter as it prints: the stored bytes once finalised, else rendered from its text.

    Either way the copy is recorded in the audit log under `purpose`.
    """
    with db.transaction() as session:
        letter = letter_workflow.letter_detail(session, actor, letter_id)
        if letter.status.frozen:
            return letter_sending.stored_pdf(session, actor, letter_id, purpose=purpose)
        letter_workflow.record_use(session, actor, letter, purpose)
        head = organisation.letterhead(session)
        signature = signatures.signature_image(session, letter.signatory_id)
    return render_letter_pdf(letter, head, signature=signature)


def finalise(db: Database, actor: UserInfo, letter_id: int, version: int) -> LetterInfo:
    """Renders the approved letter once and keeps those exact bytes with their SHA-256."""
    with db.transaction() as session:
        final = letter_sending.prepare_final(session, actor, letter_id, version)
    pdf = render_letter_pdf(final.letter, final.letterhead, signature=final.signature)
    with db.transaction() as session:
        return letter_sending.store_final(session, actor, letter_id, version, pdf, page_count(pdf))


def printable_pdf(
    db: Database, actor: UserInfo, letter_id: int, version: int
) -> tuple[LetterInfo, bytes]:
    """The bytes to print: an approved letter is finalised first, so what is printed is kept."""
    with db.transaction() as session:
        letter = letter_workflow.letter_detail(session, actor, letter_id)
    if letter.status == LetterStatus.APPROVED:
        letter = finalise(db, actor, letter_id, version)
    with db.transaction() as session:
        return letter, letter_sending.stored_pdf(session, actor, letter_id, purpose="print")


def file_name(letter: LetterInfo) -> str:
    """A name a person recognises in a folder: case number, letter kind, letter number."""
    title = template(letter.template_key).title.split(" (")[0].split(" /")[0]
    return f"{letter.case_number} {title} {letter.id}.pdf"


def save_pdf(path: Path, data: bytes) -> Path:
    return save_file(path, data, what="The PDF")


def save_file(path: Path, data: bytes, *, what: str = "The file") -> Path:
    """Writes beside the target and renames, so a failure never leaves half a file (with a
    patient's details in it) where the user expects a whole one."""
    partial = path.with_name(f".{path.name}.part")
    try:
        with partial.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise SaveFailed(
            f"{what} could not be saved as {path}: {error.strerror or error}."
        ) from None
    return path
