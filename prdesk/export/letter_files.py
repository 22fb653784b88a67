"""Making a letter's PDF for a case, and saving PDFs without ever leaving half a file."""

from __future__ import annotations

import os
from pathlib import Path

from prdesk.domain.database import Database
from prdesk.domain.errors import DomainError
from prdesk.domain.readmodels import LetterInfo, UserInfo
from prdesk.domain.services import letters, organisation
from prdesk.export.letter_pdf import render_letter_pdf


class SaveFailed(DomainError):
    """A file could not be written; the message names the file and the reason."""


def draft_letter_pdf(
    db: Database,
    actor: UserInfo,
    case_id: int,
    template_key: str,
    *,
    language: str | None = None,
) -> tuple[LetterInfo, bytes]:
    """Drafts the letter on the case (committed), then renders it.

    Rendering happens after the commit, so the database is not held while
    ReportLab lays out the pages.
    """
    with db.transaction() as session:
        letter = letters.draft_letter(session, actor, case_id, template_key, language=language)
        head = organisation.letterhead(session)
    return letter, render_letter_pdf(letter, head)


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
