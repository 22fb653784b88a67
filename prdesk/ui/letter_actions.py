"""A letter's way to the envelope as actions, shared by the composer, the Letters tab and the print queue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QWidget
from sqlalchemy.orm import Session

from prdesk.domain.enums import LetterStatus
from prdesk.domain.errors import ConflictError, DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import LetterInfo
from prdesk.domain.services import letter_sending, letter_workflow
from prdesk.domain.services.letter_workflow import LetterChecks
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.letter_approval_dialog import (
    FinaliseQuestion,
    LetterApprovalDialog,
    ReturnToDraftDialog,
)
from prdesk.ui.letter_printing import print_pdf
from prdesk.ui.letter_send_dialog import LetterSendDialog
from prdesk.ui.operations import BackgroundWork, PlainOperation
from prdesk.ui.questions import ask_discard

T = TypeVar("T")

PDF_FILTER = "PDF documents (*.pdf)"
WORD_FILTER = "Word documents (*.docx)"


def ask_save_path(parent: QWidget | None, suggested: Path, file_filter: str) -> Path | None:
    """Where to save a file, chosen by the user; None when they cancel."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, "Save the letter as", str(suggested), file_filter
    )
    if not chosen:
        return None
    path = Path(chosen)
    suffix = suggested.suffix
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def suggested_name(letter: LetterInfo, suffix: str = ".pdf") -> str:
    from prdesk.export.letter_files import file_name  # ReportLab loads with the first letter

    return str(Path(file_name(letter)).with_suffix(suffix))


class LetterActions(QObject):
    """The workflow's QActions, each enabled only in the letter's status and the user's role.

    Every step first saves what the writer typed (`save_pending`), then runs on a worker
    and announces the change to the case's letters.

    Attributes:
        ask_save_path: the save-file question; tests put a function returning a path here.

    Signals:
        changed: the letter (LetterInfo) as a step left it.
        opened: the id of a new letter to open (a correction).
        discarded: the id of a draft that was deleted.
        saved: the Path of a file written.
    """

    changed = Signal(object)
    opened = Signal(int)
    discarded = Signal(int)
    saved = Signal(Path)

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget,
        *,
        current: Callable[[], LetterInfo | None],
        save_pending: Callable[[Callable[[], None]], None],
        info: InfoBar | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._widget = parent
        self._current = current
        self._save_pending = save_pending
        self._info = info
        self._running = 0
        self.ask_save_path = ask_save_path
        self.submit = self._action("Su&bmit for approval", "Ask a coordinator to approve it")
        self.approve = self._action("&Approve…", "Approve the letter for finalising and printing")
        self.return_to_draft = self._action("Ret&urn to draft…", "Send it back for changes")
        self.finalise = self._action("Fi&nalise…", "Fix the letter's PDF for good, ready to send")
        self.mark_sent = self._action("&Mark sent…", "Record how and when the letter went out")
        self.print = self._action("&Print…", "Print the letter", "Ctrl+P")
        self.save_pdf = self._action("Save as P&DF…", "Save the letter as a PDF file")
        self.export_word = self._action("Export to &Word…", "An editable copy in Word")
        self.correct = self._action("Correct…", "Write a new letter that corrects this one")
        self.discard = self._action("Di&scard draft", "Delete this draft")
        self.submit.triggered.connect(lambda: self._after_saving(self._submit))
        self.approve.triggered.connect(lambda: self._after_saving(self._check_for_approval))
        self.return_to_draft.triggered.connect(lambda: self._after_saving(self._return))
        self.finalise.triggered.connect(lambda: self._after_saving(self._finalise))
        self.mark_sent.triggered.connect(lambda: self._after_saving(self._mark_sent))
        self.print.triggered.connect(lambda: self._after_saving(self._print))
        self.save_pdf.triggered.connect(lambda: self._after_saving(self._save_pdf))
        self.export_word.triggered.connect(lambda: self._after_saving(self._export_word))
        self.correct.triggered.connect(lambda: self._after_saving(self._correct))
        self.discard.triggered.connect(lambda: self._after_saving(self._discard))
        # Another workstation (or screen) may move the letter on.
        ctx.hub.changed.connect(self.update)
        self.changed.connect(self.update)
        self.update()

    def _action(self, text: str, tip: str, shortcut: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            tip = f"{tip} ({shortcut})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        return action

    def workflow_actions(self) -> list[QAction]:
        """In the order a letter goes through them."""
        return [
            self.submit,
            self.approve,
            self.return_to_draft,
            self.finalise,
            self.mark_sent,
            self.print,
            self.save_pdf,
            self.export_word,
            self.correct,
            self.discard,
        ]

    def update(self, *_change: object) -> None:
        """Enables what the current letter's status and the user's role allow."""
        letter = self._current()
        status = letter.status if letter else None
        may = self._ctx.may
        drafts, prints = may(Action.DRAFT_LETTER), may(Action.PRINT_LETTERS)
        approves = may(Action.APPROVE_LETTER)
        enabled = {
            self.submit: drafts and status == LetterStatus.DRAFT,
            self.approve: approves and status is not None and status.editable,
            self.return_to_draft: (drafts and status == LetterStatus.SUBMITTED)
            or (approves and status == LetterStatus.APPROVED),
            self.finalise: drafts and status == LetterStatus.APPROVED,
            self.mark_sent: (drafts or prints) and status == LetterStatus.FINALISED,
            self.print: prints
            and status in (LetterStatus.APPROVED, LetterStatus.FINALISED, LetterStatus.SENT),
            self.save_pdf: (drafts or prints) and status is not None,
            self.export_word: drafts and status is not None,
            self.correct: drafts and status is not None and status.frozen,
            self.discard: drafts and status == LetterStatus.DRAFT,
        }
        for action, on in enabled.items():
            action.setEnabled(bool(on) and not self._running)

    # ------------------------------------------------------------ running steps

    def _after_saving(self, then: Callable[[LetterInfo], None]) -> None:
        """Saves what the writer typed, then runs the step on the letter as saved."""
        if self._running or self._current() is None:
            return

        def go() -> None:
            letter = self._current()
            if letter is not None:
                then(letter)

        self._save_pending(go)

    def _start(self, work: BackgroundWork[T], on_success: Callable[[T], None]) -> None:
        self._running += 1
        self.update()
        work.success(on_success).failure(self._on_failed).done(self._finished).run()

    def _finished(self) -> None:
        self._running -= 1
        self.update()

    def _change(
        self, letter: LetterInfo, work: Callable[[Session], LetterInfo], message: str
    ) -> None:
        """Runs a step that moves the letter on, and tells everyone what it became."""
        operation = self._ctx.operation(self, work).changes(
            Change.to_case(letter.case_id, Change.LETTERS)
        )
        self._start(operation, lambda changed: self._on_changed(changed, message))

    def _on_changed(self, letter: LetterInfo, message: str) -> None:
        self.changed.emit(letter)
        if message:
            self._tell(message)

    def _on_failed(self, error: DomainError) -> None:
        self._tell(error.message, kind="warning" if isinstance(error, ConflictError) else "error")

    def _tell(
        self,
        text: str,
        *,
        kind: str = "info",
        actions: list[tuple[str, Callable[[], None]]] | None = None,
    ) -> None:
        if self._info is not None:
            self._info.show_message(text, kind=kind, actions=actions or [])
        elif kind != "info":
            show_message(self._widget, text)

    # ------------------------------------------------------------ the steps

    def _submit(self, letter: LetterInfo) -> None:
        actor = self._ctx.actor
        self._change(
            letter,
            lambda s: letter_workflow.submit_letter(s, actor, letter.id, letter.version),
            "Submitted for approval.",
        )

    def _check_for_approval(self, letter: LetterInfo) -> None:
        actor = self._ctx.actor
        checks = self._ctx.operation(
            self, lambda s: letter_workflow.letter_checks(s, actor, letter.id), read_only=True
        )
        self._start(checks, lambda found: self._approve(letter, found))

    def _approve(self, letter: LetterInfo, checks: LetterChecks) -> None:
        if checks.blocked:
            self._tell(checks.blocking_message(), kind="error")
            return
        reason = ""
        if not checks.compliance.ok:
            missing = [element.label for element in checks.compliance.missing]
            given = LetterApprovalDialog.ask(self._widget, letter, missing)
            if given is None:
                return
            reason = given
        actor = self._ctx.actor
        self._change(
            letter,
            lambda s: letter_workflow.approve_letter(
                s, actor, letter.id, letter.version, override_reason=reason
            ),
            "Approved: it can be finalised and printed.",
        )

    def _return(self, letter: LetterInfo) -> None:
        reason = ReturnToDraftDialog.ask(self._widget, letter)
        if reason is None:
            return
        actor = self._ctx.actor
        self._change(
            letter,
            lambda s: letter_workflow.return_to_draft(s, actor, letter.id, letter.version, reason),
            "Returned to draft.",
        )

    def _finalise(self, letter: LetterInfo) -> None:
        if not FinaliseQuestion.ask(self._widget, letter):
            return
        db, actor, hub = self._ctx.db, self._ctx.actor, self._ctx.hub

        def finalise() -> LetterInfo:
            from prdesk.export.letter_files import finalise

            return finalise(db, actor, letter.id, letter.version)

        operation = PlainOperation(self, finalise, hub=hub).changes(
            Change.to_case(letter.case_id, Change.LETTERS)
        )
        self._start(
            operation,
            lambda done: self._on_changed(done, "Finalised: the letter is kept as it prints."),
        )

    def _mark_sent(self, letter: LetterInfo) -> None:
        sending = LetterSendDialog.ask(self._widget, letter, self._ctx.actor.display_name)
        if sending is None:
            return
        actor = self._ctx.actor
        self._change(
            letter,
            lambda s: letter_sending.record_sent(
                s,
                actor,
                letter.id,
                letter.version,
                via=sending.via,
                sent_on=sending.sent_on,
                sent_by=sending.sent_by,
            ),
            "Marked sent; the letter is on the case's timeline.",
        )

    def _print(self, letter: LetterInfo) -> None:
        # What is printed is what is kept: printing an approved letter finalises it.
        if letter.status == LetterStatus.APPROVED and not FinaliseQuestion.ask(
            self._widget, letter
        ):
            return
        db, actor, hub = self._ctx.db, self._ctx.actor, self._ctx.hub

        def printable() -> tuple[LetterInfo, bytes]:
            from prdesk.export.letter_files import printable_pdf

            return printable_pdf(db, actor, letter.id, letter.version)

        operation = PlainOperation(self, printable, hub=hub).changes(
            Change.to_case(letter.case_id, Change.LETTERS)
        )
        self._start(operation, self._on_printable)

    def _on_printable(self, result: tuple[LetterInfo, bytes]) -> None:
        letter, pdf = result
        self.changed.emit(letter)

        def printed() -> None:
            if letter.status == LetterStatus.FINALISED:
                actor = self._ctx.actor
                (
                    self._ctx.operation(
                        self, lambda s: letter_sending.mark_printed(s, actor, [letter.id])
                    )
                    .changes(Change.to_case(letter.case_id, Change.LETTERS))
                    .run()
                )
                self._tell(
                    "Sent to the printer. Once it is in the post, mark it sent.",
                    actions=[("&Mark sent…", self.mark_sent.trigger)],
                )

        print_pdf(
            pdf,
            self._widget,
            title=suggested_name(letter, ""),
            printed=printed,
            failed=lambda message: self._tell(message, kind="error"),
        )

    def _save_pdf(self, letter: LetterInfo) -> None:
        path = self.ask_save_path(
            self._widget, documents_folder() / suggested_name(letter), PDF_FILTER
        )
        if path is None:
            return
        db, actor, target = self._ctx.db, self._ctx.actor, path

        def save() -> Path:
            from prdesk.export.letter_files import letter_pdf, save_pdf

            return save_pdf(target, letter_pdf(db, actor, letter.id, purpose="save"))

        self._start(PlainOperation(self, save), self._on_saved)

    def _export_word(self, letter: LetterInfo) -> None:
        path = self.ask_save_path(
            self._widget, documents_folder() / suggested_name(letter, ".docx"), WORD_FILTER
        )
        if path is None:
            return
        db, actor, target = self._ctx.db, self._ctx.actor, path

        def export() -> Path:
            from prdesk.export.letter_files import letter_word, save_file

            data = letter_word(db, actor, letter.id)
            return save_file(target, data, what="The Word document")

        self._start(PlainOperation(self, export), self._on_saved)

    def _on_saved(self, path: Path) -> None:
        self._tell(
            f"Saved {path.name} in {path.parent}.",
            actions=[("&Open file", lambda: open_file(path))],
        )
        self.saved.emit(path)

    def _correct(self, letter: LetterInfo) -> None:
        actor = self._ctx.actor
        operation = self._ctx.operation(
            self, lambda s: letter_sending.start_correction(s, actor, letter.id)
        ).changes(Change.to_case(letter.case_id, Change.LETTERS))
        self._start(operation, lambda draft: self.opened.emit(draft.id))

    def _discard(self, letter: LetterInfo) -> None:
        if not self.confirm_discard(letter):
            return
        actor = self._ctx.actor
        operation = self._ctx.operation(
            self, lambda s: letter_workflow.discard_draft(s, actor, letter.id, letter.version)
        ).changes(Change.to_case(letter.case_id, Change.LETTERS))
        self._start(operation, lambda _none: self.discarded.emit(letter.id))

    def confirm_discard(self, letter: LetterInfo) -> bool:
        """Asks before a draft is deleted; tests replace this."""
        return ask_discard(
            self._widget,
            "Discard the draft?",
            f"The draft “{letter.subject}” will be deleted. Discard it?",
        )


def open_file(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
