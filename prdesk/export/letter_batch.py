"""Writing many letters at once as PDF files, for a print run or for the records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from prdesk.domain.database import Database
from prdesk.domain.enums import LetterStatus
from prdesk.domain.errors import DomainError
from prdesk.domain.readmodels import Letterhead, LetterInfo, UserInfo
from prdesk.domain.services import letter_sending, letter_workflow, organisation, signatures
from prdesk.export.letter_files import file_name, finalise, save_pdf
from prdesk.export.letter_pdf import render_letter_pdf


@dataclass(frozen=True)
class BatchResult:
    written: tuple[Path, ...]
    # Letters that could not be written, with the reason.
    skipped: tuple[tuple[LetterInfo, str], ...]


def write_batch(
    db: Database,
    actor: UserInfo,
    status: LetterStatus,
    folder: Path,
    *,
    finalise_approved: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Writes every letter with the status into the folder, one PDF each.

    Finalised and sent letters are written as kept, byte for byte. Others are rendered
    from their current text; with `finalise_approved`, approved letters are finalised
    first, so the files written are the letters' record.
    """
    with db.transaction() as session:
        chosen = letter_sending.letters_with_status(session, actor, status)
        for letter in chosen:
            if not letter.status.frozen:
                # Kept letters are recorded as they are read; these are copied out here.
                letter_workflow.record_use(session, actor, letter, "save")
        head = organisation.letterhead(session)
        signed_by = {letter.signatory_id for letter in chosen}
        images = {user: signatures.signature_image(session, user) for user in signed_by}
    written: list[Path] = []
    skipped: list[tuple[LetterInfo, str]] = []
    for done, letter in enumerate(chosen, start=1):
        try:
            pdf = _pdf(db, actor, letter, head, images, finalise_approved)
            written.append(save_pdf(folder / file_name(letter), pdf))
        except DomainError as error:
            # Reported per letter: one bad letter never stops a print run of five hundred.
            skipped.append((letter, error.message))
        if progress:
            progress(done, len(chosen))
    return BatchResult(tuple(written), tuple(skipped))


def _pdf(
    db: Database,
    actor: UserInfo,
    letter: LetterInfo,
    head: Letterhead,
    images: dict[int | None, bytes | None],
    finalise_approved: bool,
) -> bytes:
    if finalise_approved and letter.status == LetterStatus.APPROVED:
        letter = finalise(db, actor, letter.id, letter.version)
    if letter.status.frozen:
        with db.transaction() as session:
            return letter_sending.stored_pdf(session, actor, letter.id, purpose="save")
    return render_letter_pdf(letter, head, signature=images.get(letter.signatory_id))
