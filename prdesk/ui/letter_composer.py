"""The window a letter is written in: its fields on the left, the printed pages on the right."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import LetterInfo, TimelineEntryInfo
from prdesk.domain.services import letters
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import local_datetime
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.letter_autosave import (
    LetterAutosave,
    clock_time,
    recovery_to_offer,
    remove_recovery,
    write_recovery,
)
from prdesk.ui.letter_checks_panel import LetterChecksPanel, check_changes
from prdesk.ui.letter_composer_source import ComposerSource, read_source, window_title
from prdesk.ui.letter_editor import LetterEditor, read_only_reason
from prdesk.ui.letter_preview import LetterPreview
from prdesk.ui.letter_steps_dialog import LetterStepsDialog
from prdesk.ui.presence_banner import PresenceTracker
from prdesk.ui.settings import ui_settings

_SETTINGS = "letter_composer"


class LetterComposer(QMainWindow):
    """One letter: fields and body on the left with their checks, the pages on the right.

    Edits are saved by themselves (see LetterAutosave). Workflow buttons come from
    outside through `add_workflow_actions`; they call `save_now` before a step and
    `set_letter` after it.

    Attributes:
        ask_restore: asks whether to restore text kept on this computer (tests replace it).
        ask_steps: asks which steps to insert, returning Markdown or None (tests replace it).

    Signals:
        saved: the LetterInfo after each committed save.
        closed: the letter's id, once the window has closed.
    """

    saved = Signal(object)
    closed = Signal(int)

    def __init__(self, ctx: AppContext, letter_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Letter — PR Desk")
        self._ctx = ctx
        self._letter_id = letter_id
        self._case_id: int | None = None
        self._source: ComposerSource | None = None
        self._theirs: LetterInfo | None = None
        self._closing = False
        self._may_close = False
        self._closed = False
        self.ask_restore: Callable[[datetime], bool] = self._ask_restore
        self.ask_steps: Callable[[Sequence[TimelineEntryInfo], str], str | None] = (
            lambda entries, language: LetterStepsDialog.ask(self, entries, language)
        )

        self.toolbar = QToolBar("Letter")
        self.toolbar.setObjectName("letterToolbar")
        self.addToolBar(self.toolbar)
        self.save_action = self._action("&Save now", "Ctrl+S", "Save the letter now")
        self.steps_action = self._action(
            "S&teps taken…", "Ctrl+Shift+T", "Choose the patient-facing steps to list"
        )
        self.save_action.triggered.connect(lambda: self.save_now(lambda: None))
        self.steps_action.triggered.connect(self.open_steps)

        self.info = InfoBar()
        self.banner = QLabel()
        # Its grey panel comes from the theme's sheet, in light, dark and high contrast.
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.hide()
        self.editor = LetterEditor()
        self.checks = LetterChecksPanel()
        self.preview = LetterPreview(ctx)
        self.their_version = LetterEditor()
        self.their_version.set_read_only(True)
        self.right = QTabWidget()
        self.right.addTab(self.preview, "Pre&view")
        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.addWidget(self.editor)
        self.left_splitter.addWidget(self.checks)
        self.left_splitter.setStretchFactor(0, 4)
        self.left_splitter.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left_splitter)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.info)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setAccessibleName("Saving status")
        self.statusBar().addPermanentWidget(self.status_label, 1)

        self.autosave = LetterAutosave(ctx, self.editor.changes, self)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(LetterPreview.DELAY_MS)
        self._settle.timeout.connect(self._on_settled)

        self.editor.changed.connect(self._on_edited)
        self.checks.mark_chosen.connect(self.editor.select_mark)
        self.autosave.status_changed.connect(self.status_label.setText)
        self.autosave.saved.connect(self._on_saved)
        self.autosave.failed.connect(self._on_save_failed)
        self.autosave.conflicted.connect(self._on_conflicted)

        self.resize(1280, 860)
        self.splitter.setSizes([740, 540])
        self.left_splitter.setSizes([620, 200])
        self._restore_layout()
        self._set_editable(False)
        self.load()

    def _action(self, text: str, keys: str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({native})")
        self.toolbar.addAction(action)
        return action

    # Public API for the workflow buttons

    def letter(self) -> LetterInfo | None:
        """The letter as last loaded or saved."""
        return self.autosave.letter()

    def save_now(self, then: Callable[[], None]) -> None:
        """Saves pending edits, then calls `then` (at once when nothing is unsaved; never when
        saving fails)."""
        self.autosave.save_now(then)

    def set_letter(self, info: LetterInfo) -> None:
        """Shows the letter after a workflow step: its fields, whether it can change, its pages."""
        self._apply(info)

    def add_workflow_actions(self, actions: list[QAction]) -> None:
        self.toolbar.addSeparator()
        for action in actions:
            self.toolbar.addAction(action)

    # Loading

    def load(self) -> None:
        ctx, letter_id = self._ctx, self._letter_id
        (
            # Not read-only: the opening is written to the audit log.
            ctx.operation(self, lambda session: read_source(session, ctx, letter_id))
            .success(self._on_loaded)
            .failure(lambda error: self.info.show_message(error.message, kind="error"))
            .run()
        )

    def _on_loaded(self, source: ComposerSource) -> None:
        self._source = source
        self.preview.set_sources(source.letterhead, source.signature)
        self._apply(source.letter)
        self._offer_recovery(source.letter)

    def _apply(self, letter: LetterInfo) -> None:
        self.autosave.start(letter)
        self.setWindowTitle(window_title(letter))
        self.editor.load(letter)
        reason = read_only_reason(
            letter, self._ctx.may(Action.DRAFT_LETTER), self._ctx.actor.role.label.lower()
        )
        self.banner.setText(reason)
        self.banner.setVisible(bool(reason))
        self._set_editable(not reason)
        # Colleagues in the case see "editing a letter" while this window can change it.
        self._case_id = letter.case_id
        PresenceTracker.of(self._ctx).follow_letter(letter.case_id, letter.id, not reason)
        saved_at = letter.updated_at or letter.created_at
        self.status_label.setText(f"Last saved {local_datetime(saved_at)}")
        if letter.status.frozen:
            self.preview.show_stored(letter)
        else:
            self.preview.show_draft(letter, at_once=True)
        self._show_checks()

    def _set_editable(self, editable: bool) -> None:
        self.editor.set_read_only(not editable)
        self.save_action.setEnabled(editable)
        self.steps_action.setEnabled(editable)

    def editable(self) -> bool:
        return not self.editor.is_read_only()

    def _offer_recovery(self, letter: LetterInfo) -> None:
        kept = recovery_to_offer(self._ctx.db, letter, editable=self.editable())
        if kept is None:
            return
        if not self.ask_restore(kept.saved_at):
            remove_recovery(self._ctx.db, letter.id)
            return
        self.editor.load(kept.changes)
        self._on_edited()
        self.info.show_message(
            f"The text kept on this computer at {clock_time(kept.saved_at)} is back; "
            "it is being saved."
        )

    def _ask_restore(self, when: datetime) -> bool:
        answer = QMessageBox.question(
            self,
            "Unsaved text — PR Desk",
            f"Restore the unsaved text from {local_datetime(when)}?\n\nIt was kept on this "
            "computer because it could not be saved then. No keeps the saved letter.",
        )
        return answer == QMessageBox.StandardButton.Yes

    # Editing

    def _on_edited(self) -> None:
        self.autosave.mark_dirty()
        self._settle.start()

    def edited_letter(self) -> LetterInfo | None:
        """The letter with the text on screen, as it would print."""
        letter = self.autosave.letter()
        if letter is None:
            return None
        changes = self.editor.changes()
        return replace(
            letter,
            subject=changes.subject,
            salutation=changes.salutation,
            recipient_name=changes.recipient_name,
            recipient_address=changes.recipient_address,
            body=changes.body,
            copies_to=changes.copies_to,
        )

    def _on_settled(self) -> None:
        letter = self.edited_letter()
        if letter is None:
            return
        self._show_checks()
        if not letter.status.frozen:
            self.preview.show_draft(letter, at_once=True)

    def _show_checks(self) -> None:
        if self._source is not None:
            self.checks.show_checks(check_changes(self.editor.changes(), self._source.rules))

    def open_steps(self) -> None:
        """Asks which patient-facing steps to list, and puts them in the letter."""
        letter = self.autosave.letter()
        if letter is None or not self.editable():
            return
        actor, case_id, language = self._ctx.actor, letter.case_id, letter.language
        (
            self._ctx.operation(
                self, lambda session: letters.offered_steps(session, actor, case_id), read_only=True
            )
            .success(lambda entries: self._insert_steps(entries, language))
            .failure(lambda error: self.info.show_message(error.message, kind="error"))
            .run()
        )

    def _insert_steps(self, entries: Sequence[TimelineEntryInfo], language: str) -> None:
        markdown = self.ask_steps(entries, language)
        if markdown:
            self.editor.insert_markdown(markdown)

    # Saving

    def _on_saved(self, info: LetterInfo) -> None:
        self.setWindowTitle(window_title(info))
        self.saved.emit(info)

    def _on_save_failed(self, message: str) -> None:
        if not self._closing:
            return
        self._closing = False
        self.info.show_message(
            f"The letter could not be saved before closing: {message} Your text is kept on "
            "this computer and will be offered when you open this letter again.",
            kind="error",
            actions=[("Try again", self._try_closing), ("Close anyway", self._close_anyway)],
        )

    def _on_conflicted(self, theirs: LetterInfo) -> None:
        self._theirs = theirs
        self._closing = False
        self.their_version.load(theirs)
        if self.right.indexOf(self.their_version) < 0:
            self.right.addTab(self.their_version, "&Their version")
        self.right.setCurrentWidget(self.their_version)
        when = clock_time(theirs.updated_at) if theirs.updated_at else "a moment ago"
        self.info.show_message(
            f"Someone else saved this letter at {when} while you were writing. Your text is "
            "still on the left; theirs is under “Their version”. Which one should be kept?",
            kind="warning",
            actions=[("Keep mine", self.keep_mine), ("Take theirs", self.take_theirs)],
        )

    def keep_mine(self) -> None:
        """After a conflict: saves the text on screen over theirs."""
        if self._theirs is not None:
            theirs, self._theirs = self._theirs, None
            self._drop_their_tab()
            self.autosave.keep_mine(theirs)

    def take_theirs(self) -> None:
        """After a conflict: shows their letter and drops the text on screen."""
        if self._theirs is not None:
            theirs, self._theirs = self._theirs, None
            self._drop_their_tab()
            self.autosave.take_theirs(theirs)
            self._apply(theirs)

    def _drop_their_tab(self) -> None:
        index = self.right.indexOf(self.their_version)
        if index >= 0:
            self.right.removeTab(index)
        self.info.hide()

    # Closing

    def closeEvent(self, event: QCloseEvent) -> None:
        unsaved = self.autosave.is_dirty() or self.autosave.is_saving()
        if self._may_close or not unsaved or not self.editable():
            self._finish_closing()
            event.accept()
            return
        event.ignore()
        if self.autosave.in_conflict():
            self.info.show_message(
                "Choose whose text to keep before closing: someone else saved this letter "
                "while you were writing. Closing anyway keeps your text on this computer.",
                kind="warning",
                actions=[
                    ("Keep mine", self.keep_mine),
                    ("Take theirs", self.take_theirs),
                    ("Close anyway", self._close_anyway),
                ],
            )
            return
        self._closing = True
        self.status_label.setText("Saving before closing…")
        self.autosave.save_now(self._close_after_save)

    def _close_after_save(self) -> None:
        if self._closing:
            self._may_close = True
            self.close()

    def _try_closing(self) -> None:
        self.close()

    def _close_anyway(self) -> None:
        """Closes with the text kept only on this computer, in its recovery file."""
        letter = self.autosave.letter()
        if letter is not None and self.autosave.is_dirty():
            with contextlib.suppress(OSError):  # the last save's copy is kept then
                write_recovery(self._ctx.db, letter.id, letter.version, self.editor.changes())
        self._may_close = True
        self.close()

    def _finish_closing(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.autosave.stop()
        PresenceTracker.of(self._ctx).follow_letter(self._case_id, self._letter_id, False)
        self._settle.stop()
        settings = ui_settings()
        settings.setValue(f"{_SETTINGS}/geometry", self.saveGeometry())
        settings.setValue(f"{_SETTINGS}/splitter", self.splitter.saveState())
        settings.setValue(f"{_SETTINGS}/left_splitter", self.left_splitter.saveState())
        self.closed.emit(self._letter_id)

    def _restore_layout(self) -> None:
        settings = ui_settings()
        geometry = settings.value(f"{_SETTINGS}/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for name, splitter in (("splitter", self.splitter), ("left_splitter", self.left_splitter)):
            state = settings.value(f"{_SETTINGS}/{name}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
