"""Drafts saved as the writer pauses, and kept on this computer until the database has them.

Before every save the fields go to a recovery file in the per-user data folder, readable
by this user only; it is removed once the save is committed. When the network or the
database server is gone, the text stays in the window and in that file, and saving is
tried again every RETRY_MS. A composer opened later offers the file's text back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTime, QTimer, Signal
from sqlalchemy.orm import Session

from prdesk.config import data_dir
from prdesk.domain.database import Database
from prdesk.domain.errors import (
    ConflictError,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from prdesk.domain.readmodels import LetterInfo
from prdesk.domain.services import letter_workflow
from prdesk.domain.services.letter_workflow import LetterChanges
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import locale, time_format
from prdesk.ui.letter_editor import changes_of

IDLE_MS = 2_000
RETRY_MS = 10_000


@dataclass(frozen=True)
class Recovery:
    """A draft's fields as they were written to this computer before a save.

    Attributes:
        version: the letter's version the text was being saved over.
        saved_at: when it was written (UTC).
    """

    letter_id: int
    version: int
    saved_at: datetime
    changes: LetterChanges


def recovery_path(db: Database, letter_id: int) -> Path:
    """One folder per database: letter 12 of a training database is not letter 12 of the
    department's, and its text must never be offered there."""
    where = db.url.render_as_string(hide_password=True).encode()
    return (
        data_dir() / "drafts" / hashlib.sha256(where).hexdigest()[:16] / f"letter-{letter_id}.json"
    )


def write_recovery(db: Database, letter_id: int, version: int, changes: LetterChanges) -> None:
    """Writes the file whole or not at all, created readable by this user only.

    Raises OSError when the folder cannot be written.
    """
    path = recovery_path(db, letter_id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    record = {
        "letter_id": letter_id,
        "version": version,
        "saved_at": datetime.now(UTC).isoformat(),
        "fields": asdict(changes),
    }
    partial = path.with_name(f".{path.name}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False)
            file.flush()
            os.fsync(file.fileno())
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise


def read_recovery(db: Database, letter_id: int) -> Recovery | None:
    """The text kept for a letter, or None when there is none (or it cannot be read)."""
    try:
        record = json.loads(recovery_path(db, letter_id).read_text(encoding="utf-8"))
        fields = record["fields"]
        changes = LetterChanges(
            subject=str(fields["subject"]),
            salutation=str(fields["salutation"]),
            recipient_name=str(fields["recipient_name"]),
            recipient_address=tuple(str(line) for line in fields["recipient_address"]),
            body=str(fields["body"]),
            copies_to=tuple(str(name) for name in fields.get("copies_to", ())),
        )
        saved_at = datetime.fromisoformat(record["saved_at"])
        return Recovery(int(record["letter_id"]), int(record["version"]), saved_at, changes)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remove_recovery(db: Database, letter_id: int) -> None:
    with contextlib.suppress(OSError):
        recovery_path(db, letter_id).unlink(missing_ok=True)


def recovery_to_offer(db: Database, letter: LetterInfo, *, editable: bool) -> Recovery | None:
    """The kept text worth offering back when `letter` opens: newer than its last save and
    different from it. Text that can never be used again (the letter is finalised, or the
    database holds newer text) is removed; a letter not editable now keeps its file."""
    kept = read_recovery(db, letter.id)
    if kept is None or (not editable and not letter.status.frozen):
        return None
    last_saved = letter.updated_at or letter.created_at
    stale = kept.saved_at <= last_saved or kept.changes == changes_of(letter)
    if letter.status.frozen or stale:
        remove_recovery(db, letter.id)
        return None
    return kept


def clock_time(when: datetime) -> str:
    """A time of today as the workstation shows it (14:32, or 2:32 PM)."""
    local = when.astimezone()
    return locale().toString(QTime(local.hour, local.minute), time_format())


class LetterAutosave(QObject):
    """Saves a draft IDLE_MS after the last edit, and whenever asked; knows its version.

    Signals:
        status_changed: the text for the status bar ("Saved 14:32", "Saving…", ...).
        saved: the LetterInfo after a committed save.
        failed: the reason a save did not happen (it is retried; not for a conflict).
        conflicted: the letter as someone else saved it, when they saved first.
    """

    status_changed = Signal(str)
    saved = Signal(object)
    failed = Signal(str)
    conflicted = Signal(object)

    def __init__(
        self, ctx: AppContext, changes: Callable[[], LetterChanges], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._changes = changes
        self._letter: LetterInfo | None = None
        self._edits = 0
        self._saved_edits = 0
        self._saving = False
        self._again = False
        self._conflict = False
        # Whether the text being saved is in the recovery file (the folder may be unwritable).
        self._kept = True
        self._waiting: list[Callable[[], None]] = []
        self.status = ""
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MS)
        self._idle.timeout.connect(self._save)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._save)

    def start(self, letter: LetterInfo) -> None:
        """Follows `letter` as loaded: nothing of it is unsaved."""
        self._letter = letter
        self._saved_edits = self._edits
        self._conflict = False
        self._idle.stop()
        self._retry.stop()

    def letter(self) -> LetterInfo | None:
        return self._letter

    def is_dirty(self) -> bool:
        return self._edits != self._saved_edits

    def is_saving(self) -> bool:
        return self._saving

    def in_conflict(self) -> bool:
        return self._conflict

    def mark_dirty(self) -> None:
        self._edits += 1
        if not self._conflict:
            self._idle.start()

    def stop(self) -> None:
        """No more saving by itself (the window is going)."""
        self._idle.stop()
        self._retry.stop()

    def save_now(self, then: Callable[[], None] | None = None) -> None:
        """Saves what is unsaved, then calls `then`; at once when nothing is. Never calls it
        when the save fails or waits on the writer's choice after a conflict."""
        if not self.is_dirty() and not self._saving:
            if then is not None:
                then()
            return
        if self._conflict:
            return
        if then is not None:
            self._waiting.append(then)
        self._save()

    # After a conflict

    def keep_mine(self, theirs: LetterInfo) -> None:
        """Saves the text on screen over what the other person saved."""
        self._letter = theirs
        self._conflict = False
        self._edits += 1  # saved even when nothing was typed since
        self._save()

    def take_theirs(self, theirs: LetterInfo) -> None:
        """Drops the text on screen: the caller shows theirs."""
        letter_id = theirs.id
        self.start(theirs)
        remove_recovery(self._ctx.db, letter_id)
        self._announce(f"Saved {clock_time(theirs.updated_at or datetime.now(UTC))}")

    # Saving

    def _save(self) -> None:
        letter = self._letter
        if letter is None or self._conflict or not self.is_dirty():
            return
        if self._saving:
            self._again = True
            return
        self._idle.stop()
        self._retry.stop()
        changes, edits, version = self._changes(), self._edits, letter.version
        self._kept = True
        try:
            write_recovery(self._ctx.db, letter.id, version, changes)
        except OSError:
            self._kept = False
        self._saving = True
        self._again = False
        self._announce("Saving…")
        actor, letter_id = self._ctx.actor, letter.id
        (
            self._ctx.operation(
                self,
                lambda session: letter_workflow.save_draft(
                    session, actor, letter_id, version, changes
                ),
            )
            .changes(Change.to_case(letter.case_id, Change.LETTERS))
            .success(lambda info: self._on_saved(info, edits))
            .failure(self._on_failed)
            .run()
        )

    def _on_saved(self, info: LetterInfo, edits: int) -> None:
        self._saving = False
        self._letter = info
        self._saved_edits = max(self._saved_edits, edits)
        if not self.is_dirty():
            remove_recovery(self._ctx.db, info.id)
        self._announce(f"Saved {clock_time(info.updated_at or datetime.now(UTC))}")
        self.saved.emit(info)
        if self.is_dirty() and (self._again or self._waiting):
            self._save()
            return
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()

    def _on_failed(self, error: DomainError) -> None:
        self._saving = False
        self._waiting = []
        if isinstance(error, ConflictError):
            self._conflict = True
            self._idle.stop()
            self._announce(
                "Not saved: someone else changed this letter — choose whose text to keep"
            )
            self._fetch_theirs()
            return
        where = "kept on this computer" if self._kept else "not even on this computer"
        self._announce(f"Not saved: {error.message.rstrip('.')} — {where}")
        # Trying again helps when the connection is back, not when the letter was approved
        # or discarded elsewhere: the text stays in the window and the recovery file.
        if not isinstance(error, ValidationError | NotFound | PermissionDenied):
            self._retry.start()
        self.failed.emit(error.message)

    def _fetch_theirs(self) -> None:
        assert self._letter is not None
        actor, letter_id = self._ctx.actor, self._letter.id

        def read(session: Session) -> LetterInfo:
            return letter_workflow.letter_detail(session, actor, letter_id)

        (
            self._ctx.operation(self, read, read_only=True)
            .success(self.conflicted.emit)
            .failure(lambda error: self._announce(f"Not saved: {error.message}"))
            .run()
        )

    def _announce(self, status: str) -> None:
        self.status = status
        self.status_changed.emit(status)
