"""A case's letters: the list, a new letter from a template, and each letter's next step."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail, LetterInfo
from prdesk.domain.services import letters
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import local_date, local_datetime
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.letter_actions import LetterActions
from prdesk.ui.letters_model import LettersModel
from prdesk.ui.new_letter_dialog import NewLetterDialog

if TYPE_CHECKING:
    from prdesk.ui.letter_composer import LetterComposer

# The composer open for each letter: asking to open it again brings it forward, from
# whichever case tab (a case closed and opened again has a new panel).
_composers: dict[int, LetterComposer] = {}


def open_composer(ctx: AppContext, letter_id: int, parent: QWidget | None) -> LetterComposer:
    """Opens the letter in its composer window, with the workflow's actions in it."""
    from prdesk.ui.letter_composer import LetterComposer  # the editor loads when first used

    composer = _composers.get(letter_id)
    if composer is not None and shiboken6.isValid(composer):
        if composer.isMinimized():
            composer.showNormal()
        if not composer.isActiveWindow():
            composer.raise_()
            composer.activateWindow()
        return composer
    window = LetterComposer(ctx, letter_id, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    actions = LetterActions(
        ctx, window, current=window.letter, save_pending=window.save_now, info=window.info
    )
    window.add_workflow_actions(actions.workflow_actions())
    actions.changed.connect(window.set_letter)
    # The parent is looked up when needed: a closure holding it could hold the last
    # reference to a top-level window, which would then be deleted with this one.
    actions.opened.connect(lambda new_id: open_composer(ctx, new_id, window.parentWidget()))
    actions.discarded.connect(lambda _letter_id: window.close())
    window.closed.connect(lambda closed_id: _forget(closed_id, window))
    # The composer retitles itself whenever it shows the letter anew (loaded, saved,
    # moved on), which is when the steps it allows may change.
    window.windowTitleChanged.connect(lambda _title: actions.update())
    _composers[letter_id] = window
    window.show()
    return window


def _forget(letter_id: int, window: LetterComposer) -> None:
    if _composers.get(letter_id) is window:
        del _composers[letter_id]


def composer_of(letter_id: int) -> LetterComposer | None:
    """The composer open for the letter, if any."""
    composer = _composers.get(letter_id)
    return composer if composer is not None and shiboken6.isValid(composer) else None


class LettersPanel(QGroupBox):
    """Lists the case's letters, newest first; "New letter…" (Ctrl+L) drafts one.

    Double-click or Enter opens a letter in the composer, read-only ones too; the
    buttons and the context menu take the selected letter a step further.

    Signals:
        opened: the id of a letter whose composer was opened.
        saved: the path of a file written (PDF or Word).
    """

    opened = Signal(int)
    saved = Signal(Path)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Letters", parent)
        self._ctx = ctx
        self._case: CaseDetail | None = None
        self.model = LettersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Letters")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.info = InfoBar()
        self.letter_actions = LetterActions(
            ctx,
            self,
            current=self.selected_letter,
            save_pending=lambda then: then(),
            info=self.info,
        )
        for action in self.letter_actions.workflow_actions():
            # Ctrl+P prints the selected letter while the Letters tab has the focus.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addActions(self.letter_actions.workflow_actions())

        self.new_button = QPushButton("New &letter…")
        self.new_button.setToolTip("Draft a letter from a template (Ctrl+L)")
        self.new_button.setEnabled(ctx.may(Action.DRAFT_LETTER))
        self.open_button = QPushButton("&Open")
        self.open_button.setToolTip("Open the letter in the composer (Enter)")
        self.empty_label = QLabel("No letters yet.")
        self.empty_label.setProperty("role", "hint")
        self.detail_label = QLabel()
        self.detail_label.setProperty("role", "hint")
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_label.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addSpacing(12)
        acting = self.letter_actions
        for action in (acting.print, acting.save_pdf, acting.export_word, acting.correct):
            buttons.addWidget(self._button(action))
        buttons.addStretch(1)
        buttons.addWidget(self._button(acting.discard))
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.detail_label)
        layout.addStretch(0)
        self.table.hide()
        self._connect_signals()
        self._on_selection()

    def _button(self, action: QAction) -> QPushButton:
        """A push button that mirrors an action's text, tip and whether it is enabled."""
        button = QPushButton(action.text())
        button.setToolTip(action.toolTip())
        button.setAutoDefault(False)
        button.setEnabled(action.isEnabled())
        button.clicked.connect(action.trigger)
        action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
        return button

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self.new_letter)
        self.open_button.clicked.connect(self.open_selected)
        self.table.activated.connect(self._on_activated)
        self.table.customContextMenuRequested.connect(self._show_menu)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.letter_actions.changed.connect(self._on_letter_changed)
        self.letter_actions.discarded.connect(self._on_discarded)
        self.letter_actions.opened.connect(self.open_letter)
        self.letter_actions.saved.connect(self.saved)

    def set_case(self, detail: CaseDetail) -> None:
        chosen = self.selected_letter()
        self._case = detail
        self.model.set_letters(detail.letters)
        self.table.setVisible(bool(detail.letters))
        self.empty_label.setVisible(not detail.letters)
        if chosen is not None:
            self.select_letter(chosen.id)
        self._on_selection()

    def selected_letter(self) -> LetterInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.letter(rows[0].row()) if rows else None

    def select_letter(self, letter_id: int) -> None:
        row = self.model.row_of_letter(letter_id)
        if row >= 0:
            self.table.selectRow(row)

    def _on_selection(self, *_args: object) -> None:
        letter = self.selected_letter()
        self.open_button.setEnabled(letter is not None)
        self.detail_label.setText(self._describe(letter) if letter else "")
        self.detail_label.setVisible(letter is not None)
        self.letter_actions.update()

    def _describe(self, letter: LetterInfo) -> str:
        parts = [f"Drafted by {letter.created_by_name} on {local_datetime(letter.created_at)}"]
        if letter.approved_by_name and letter.approved_at:
            parts.append(
                f"approved by {letter.approved_by_name} on {local_datetime(letter.approved_at)}"
            )
        if letter.compliance_override:
            parts.append(f"approved without a required element: {letter.compliance_override}")
        if letter.dated:
            parts.append(f"finalised, dated {local_date(letter.dated)}")
        if letter.sent_on and letter.sent_via:
            parts.append(
                f"sent ({letter.sent_via.label.lower()}) on {local_date(letter.sent_on)} "
                f"by {letter.sent_by_name}"
            )
        note = self.model.correction_note(letter)
        return "; ".join(parts) + "." + (f" {note}." if note else "")

    def _on_letter_changed(self, letter: LetterInfo) -> None:
        self.model.update_letter(letter)
        self._on_selection()
        composer = composer_of(letter.id)
        if composer is not None:
            # The composer shows the letter as the step left it (its status, read-only).
            composer.set_letter(letter)

    def _on_discarded(self, letter_id: int) -> None:
        self.model.remove_letter(letter_id)
        composer = composer_of(letter_id)
        if composer is not None:
            composer.close()
        self.info.show_message("The draft was discarded.")

    def _show_menu(self, position: QPoint) -> None:
        if self.selected_letter() is None:
            return
        menu = QMenu(self)
        open_action = menu.addAction("&Open")
        open_action.triggered.connect(self.open_selected)
        menu.addSeparator()
        for action in self.letter_actions.workflow_actions():
            menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _on_activated(self, index: QModelIndex) -> None:
        letter = self.model.letter(index.row())
        if letter is not None:
            self.open_letter(letter.id)

    def open_selected(self) -> None:
        letter = self.selected_letter()
        if letter is not None:
            self.open_letter(letter.id)

    def open_letter(self, letter_id: int) -> LetterComposer:
        composer = open_composer(self._ctx, letter_id, self.window())
        self.opened.emit(letter_id)
        return composer

    def new_letter(self) -> None:
        """Asks which letter to write, drafts it from the template and opens it."""
        if self._case is None or not self.new_button.isEnabled():
            return
        choice = NewLetterDialog.ask(self, self._case)
        if choice is None:
            return
        case_id, actor = self._case.id, self._ctx.actor
        self.new_button.setEnabled(False)
        (
            self._ctx.operation(
                self,
                lambda session: letters.draft_letter(
                    session, actor, case_id, choice.template_key, language=choice.language
                ),
            )
            .changes(Change.to_case(case_id, Change.LETTERS))
            .success(self._on_drafted)
            .failure(lambda error: self.info.show_message(error.message, kind="error"))
            .done(lambda: self.new_button.setEnabled(self._ctx.may(Action.DRAFT_LETTER)))
            .run()
        )

    def _on_drafted(self, letter: LetterInfo) -> None:
        self.open_letter(letter.id)
