"""Two people changed the same timeline entry: both versions side by side, and the choice."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.readmodels import Reference, TimelineEntryInfo
from prdesk.domain.services import organisation
from prdesk.domain.services.timeline import EntryChanges
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import local_datetime
from prdesk.ui.markdown_document import read_markdown


class Choice(Enum):
    KEEP_MINE = "keep mine"
    KEEP_THEIRS = "keep theirs"
    EDIT_AGAIN = "edit again"
    RESTORE_MINE = "restore with my changes"
    LEAVE_DELETED = "leave deleted"


def saved_by(current: TimelineEntryInfo) -> str:
    """'Saved by <name> at <time>': the last person who changed the entry, and when."""
    name = current.edited_by_name or current.author_name
    when = current.edited_at or current.recorded_at
    return f"Saved by {name} at {local_datetime(when)}"


def _audience(patient_facing: bool, internal: bool) -> str:
    if patient_facing:
        return "Patient-facing"
    return "Internal only" if internal else "Neither"


class EntryConflictDialog(QDialog):
    """Shown when saving an entry found a newer version, or found it deleted.

    `open()` it and listen to `chosen`, or `ask()` and wait; tests call `choose()`.
    Closing the dialog (Esc) keeps what is saved: nobody's text is overwritten unasked.

    Signals:
        chosen: the Choice made.
    """

    chosen = Signal(object)

    def __init__(
        self,
        ctx: AppContext | None,
        mine: EntryChanges,
        current: TimelineEntryInfo | None,
        message: str,
        *,
        department_names: Mapping[int, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        changed = "changed" if current is not None else "deleted"
        self.setWindowTitle(f"Someone else {changed} this entry — PR Desk")
        self.mine = mine
        self.current = current
        self.choice: Choice | None = None
        self._names = dict(department_names or {})
        if current is not None:
            self._names.update({ref.id: ref.name for ref in current.departments})

        if current is not None:
            who = current.edited_by_name or "Someone else"
            message = (
                f"{who} changed this entry after you opened it. Keep your version, keep "
                "theirs, or edit yours again."
            )
        else:
            message += " Restore it with your changes, or leave it deleted."
        intro = QLabel(message)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        self.mine_title = self._heading("Your version")
        self.theirs_title = self._heading(saved_by(current) if current else "")
        self.grid.addWidget(self.mine_title, 0, 1)
        if current is not None:
            self.grid.setColumnStretch(2, 1)
            self.grid.addWidget(self.theirs_title, 0, 2)
        self._cells: dict[str, tuple[QWidget, QWidget]] = {}
        self._fill()
        table = QWidget()
        table.setLayout(self.grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(table)

        self.buttons = QDialogButtonBox()
        self.choice_buttons: dict[Choice, QPushButton] = {}
        if current is not None:
            self._button(Choice.KEEP_MINE, "Keep &mine", "Save your version over theirs")
            self._button(
                Choice.KEEP_THEIRS, "Keep &theirs", "Leave their version; yours is dropped"
            )
            self._button(Choice.EDIT_AGAIN, "Edit &again…", "Start from your version and change it")
        else:
            self._button(Choice.RESTORE_MINE, "&Restore it with my changes", "Bring it back")
            self._button(Choice.LEAVE_DELETED, "&Leave it deleted", "Your changes are dropped")
        self.rejected.connect(self._on_rejected)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(820 if current is not None else 560, 520)

        if ctx is not None and any(i not in self._names for i in mine.department_ids):
            (
                ctx.operation(self, organisation.departments, read_only=True)
                .success(self._on_departments)
                .run()
            )

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet("font-weight: 600;")
        return label

    def _button(self, choice: Choice, text: str, tip: str) -> None:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self.choose(choice))
        self.choice_buttons[choice] = button

    def _rows(self) -> list[tuple[str, str, str, str]]:
        """(key, label, mine, theirs) for each field shown; theirs is "" when deleted."""
        mine, theirs = self.mine, self.current
        rows = [
            ("summary", "Summary", mine.summary, theirs.summary if theirs else ""),
            (
                "occurred_at",
                "When",
                local_datetime(mine.occurred_at),
                local_datetime(theirs.occurred_at) if theirs else "",
            ),
            ("kind", "Kind", mine.kind.label, theirs.kind.label if theirs else ""),
            (
                "audience",
                "Audience",
                _audience(mine.patient_facing, mine.internal),
                _audience(theirs.patient_facing, theirs.internal) if theirs else "",
            ),
            (
                "people",
                "People",
                "; ".join(mine.people),
                "; ".join(theirs.people) if theirs else "",
            ),
            (
                "departments",
                "Departments",
                self._department_text(mine.department_ids),
                ", ".join(ref.name for ref in theirs.departments) if theirs else "",
            ),
        ]
        if mine.sender or mine.recipients or (theirs and (theirs.sender or theirs.recipients)):
            rows.append(("sender", "From", mine.sender, theirs.sender if theirs else ""))
            rows.append(("recipients", "To", mine.recipients, theirs.recipients if theirs else ""))
        rows.append(("body", "Details", mine.body, theirs.body if theirs else ""))
        return rows

    def _department_text(self, ids: tuple[int, ...]) -> str:
        return ", ".join(self._names.get(i, "…") for i in ids)

    def _fill(self) -> None:
        for row, (key, label, mine, theirs) in enumerate(self._rows(), start=1):
            differs = self.current is not None and mine != theirs
            name = QLabel(label + (" •" if differs else ""))
            name.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            if differs:
                name.setStyleSheet("font-weight: 600;")
                name.setToolTip("The two versions differ here")
            self.grid.addWidget(name, row, 0)
            cells = (self._cell(key, mine), self._cell(key, theirs))
            self._cells[key] = cells
            # When the entry was deleted there is nothing to set beside yours.
            shown = cells if self.current is not None else cells[:1]
            for column, cell in enumerate(shown, start=1):
                # An amber tint from the theme's sheet (an outline in high contrast).
                cell.setProperty("difference", differs)
                self.grid.addWidget(cell, row, column)

    def _cell(self, key: str, text: str) -> QWidget:
        if key == "body":
            body = QTextBrowser()
            body.setDocument(read_markdown(text))
            body.setOpenLinks(False)
            body.setMinimumHeight(120)
            body.setAccessibleName("Details")
            return body
        cell = QLabel(text or "—")
        cell.setWordWrap(True)
        # Names and summaries are what people typed: never read as HTML.
        cell.setTextFormat(Qt.TextFormat.PlainText)
        cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return cell

    def _on_departments(self, departments: list[Reference]) -> None:
        for ref in departments:
            self._names.setdefault(ref.id, ref.name)
        cell = self._cells["departments"][0]
        if isinstance(cell, QLabel):
            cell.setText(self._department_text(self.mine.department_ids) or "—")

    def shown(self, key: str) -> tuple[str, str]:
        """The text shown for a field: (yours, theirs)."""

        def text(widget: QWidget) -> str:
            if isinstance(widget, QTextBrowser):
                return widget.toPlainText()
            assert isinstance(widget, QLabel)
            return widget.text()

        mine, theirs = self._cells[key]
        return text(mine), text(theirs)

    def choose(self, choice: Choice) -> None:
        """What the buttons do: remembers the choice, tells listeners, closes."""
        self.choice = choice
        self.chosen.emit(choice)
        self.done(QDialog.DialogCode.Accepted)

    def _on_rejected(self) -> None:
        if self.choice is None:
            self.choice = Choice.KEEP_THEIRS if self.current is not None else Choice.LEAVE_DELETED
            self.chosen.emit(self.choice)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        ctx: AppContext | None,
        mine: EntryChanges,
        current: TimelineEntryInfo | None,
        message: str,
    ) -> Choice:
        """Shows the dialog and waits; Esc counts as keeping what is saved."""
        dialog = cls(ctx, mine, current, message, parent=parent)
        dialog.exec()
        assert dialog.choice is not None
        return dialog.choice
