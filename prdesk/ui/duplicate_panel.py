"""Open cases about the patient being typed in, with the choice to link to one instead."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from prdesk.domain.services.duplicates import PossibleDuplicate
from prdesk.ui.formatting import local_datetime
from prdesk.ui.style import repolish

_MATCHED_ON = {"mrn": "same record number", "name": "same name and date of birth"}


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    # Names and summaries are what people typed: never read as HTML.
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class DuplicatePanel(QFrame):
    """Hidden while there is nothing to show.

    Lists each open case with its number, status, date received and summary, and two
    buttons: add this contact to it, or create a new case linked to it. Once linked,
    it says so and offers to undo the link.

    Signals:
        add_requested: the PossibleDuplicate to add the contact to.
        link_requested: the PossibleDuplicate to link the new case to (None to unlink).
    """

    add_requested = Signal(object)
    link_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoBar")
        self.setProperty("kind", "warning")
        self.setAccessibleName("Open cases for this patient")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 6, 8, 6)
        self._content: QWidget | None = None
        self.matches: tuple[PossibleDuplicate, ...] = ()
        self.linked: PossibleDuplicate | None = None
        self.buttons: dict[str, QPushButton] = {}
        self._choices: dict[QPushButton, tuple[str, PossibleDuplicate | None]] = {}
        self.hide()

    def show_matches(self, matches: Sequence[PossibleDuplicate]) -> None:
        self.matches = tuple(matches)
        if self.linked is not None and all(m.case_id != self.linked.case_id for m in matches):
            # Still linked to a case found earlier: keep saying so.
            self.matches = (self.linked, *self.matches)
        self._rebuild()

    def set_linked(self, linked: PossibleDuplicate | None) -> None:
        self.linked = linked
        self._rebuild()

    def text(self) -> str:
        """Everything the panel says, as plain text (for screen readers and tests)."""
        if self._content is None:
            return ""
        return " ".join(label.text() for label in self._content.findChildren(QLabel))

    def _rebuild(self) -> None:
        if self._content is not None:
            self._layout.removeWidget(self._content)
            self._content.hide()
            self._content.deleteLater()
            self._content = None
        self.buttons = {}
        self._choices = {}
        if not self.matches:
            self.hide()
            return
        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        count = len(self.matches)
        heading = _plain(
            "This patient has an open case:"
            if count == 1
            else f"This patient has {count} open cases:"
        )
        heading.setStyleSheet("font-weight: 600;")
        grid.addWidget(heading, 0, 0, 1, 4)
        for row, match in enumerate(self.matches, start=1):
            received = local_datetime(match.received_at)
            about = _plain(
                f"{match.number} · {match.status.label} · received {received} · "
                f"{match.patient_name} ({_MATCHED_ON.get(match.matched_on, '')})\n{match.summary}"
            )
            about.setWordWrap(True)
            grid.addWidget(about, row, 0)
            grid.setColumnStretch(0, 1)
            if self.linked is not None and self.linked.case_id == match.case_id:
                grid.addWidget(_plain(f"The new case will be linked to {match.number}."), row, 1)
                self._button(grid, row, 2, "Don't link", f"unlink {match.number}", None)
            else:
                self._button(
                    grid,
                    row,
                    1,
                    f"Add this contact to {match.number}",
                    f"add {match.number}",
                    match,
                )
                self._button(
                    grid,
                    row,
                    2,
                    "Create a new case linked to it",
                    f"link {match.number}",
                    match,
                )
        self._content = content
        self._layout.addWidget(content)
        repolish(self)
        self.show()

    def _button(
        self,
        grid: QGridLayout,
        row: int,
        column: int,
        text: str,
        key: str,
        match: PossibleDuplicate | None,
    ) -> None:
        button = QPushButton(text)
        button.setAutoDefault(False)
        self._choices[button] = (key.split(" ", 1)[0], match)
        button.clicked.connect(self._on_clicked)
        grid.addWidget(button, row, column, Qt.AlignmentFlag.AlignTop)
        self.buttons[key] = button

    def _on_clicked(self) -> None:
        choice = self._choices.get(self.sender())  # type: ignore[call-overload]
        if choice is None:
            return
        what, match = choice
        if what == "add":
            self.add_requested.emit(match)
        else:
            self.link_requested.emit(match)
