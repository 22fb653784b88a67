"""Someone else saved the case first: what they changed and what you meant, field by field, and the choice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.services import cases
from prdesk.ui.formatting import local_date, local_datetime

# The unit of work a case control saves: (session, case id, version decided on) -> case.
CaseWork = Callable[[Session, int, int], CaseDetail]


class CaseChoice(Enum):
    KEEP_MINE = "keep mine"
    TAKE_THEIRS = "take theirs"
    EDIT_AGAIN = "edit again"


@dataclass(frozen=True)
class CaseConflict:
    """A save refused because the case changed since it was loaded.

    Attributes:
        loaded: the case as it was when the person decided.
        theirs: the case as saved now, by someone else.
        mine: their version with this person's change applied (never saved), or None
            when the change no longer fits (then `problem` says why).
        problem: why the change cannot be made on their version, or "".
        work: the change, to save it over theirs when the person keeps it.
        what: the Change aspect the save announces.
    """

    loaded: CaseDetail
    theirs: CaseDetail
    mine: CaseDetail | None
    problem: str
    work: CaseWork
    what: str


def compare(
    session: Session, actor: UserInfo, loaded: CaseDetail, work: CaseWork, what: str
) -> CaseConflict:
    """Reads their version and tries the change on it, then undoes the try (rolls back)."""
    theirs = cases.view_case(session, actor, loaded.id, record_view=False)
    mine: CaseDetail | None = None
    problem = ""
    try:
        mine = work(session, loaded.id, theirs.version)
    except DomainError as error:
        problem = error.message
    # Nothing of the try is kept: not the change, its timeline entry nor its audit rows.
    session.rollback()
    return CaseConflict(loaded, theirs, mine, problem, work, what)


def case_fields(detail: CaseDetail) -> dict[str, str]:
    """What a person reads of a case's own facts, by label, as text."""
    verdict = "Grievance" if detail.is_grievance else "Not a grievance"
    return {
        "Status": detail.status.label,
        "Assigned to": detail.assignee.display_name if detail.assignee else "Nobody",
        "Classification": f"{verdict}: {detail.grievance_reason}",
        "Severity": detail.severity.label,
        "Acknowledged": local_date(detail.acknowledged_on) or "Not yet",
        "Respond by": local_date(detail.response_due_on),
        "Description": detail.description,
        "Desired outcome": detail.desired_outcome,
        "Location": detail.location,
        "Staff involved": detail.staff_involved,
        "Departments": ", ".join(d.name for d in detail.departments),
        "Categories": ", ".join(c.name for c in detail.categories),
        "Safety concern": "Yes" if detail.safety_concern else "No",
        "Closed without response": detail.closure_override_reason,
    }


def differing_rows(conflict: CaseConflict) -> list[tuple[str, str, str]]:
    """(field, theirs, yours) for every field that either person changed."""
    loaded, theirs = case_fields(conflict.loaded), case_fields(conflict.theirs)
    mine = case_fields(conflict.mine) if conflict.mine is not None else theirs
    return [
        (label, theirs[label], mine[label])
        for label in loaded
        if loaded[label] != theirs[label] or theirs[label] != mine[label]
    ]


class CaseConflictDialog(QDialog):
    """Their saved version beside yours, with Keep mine, Take theirs and Edit again.

    `open()` it and listen to `chosen`; tests call `choose()`. Closing it (Esc) takes
    theirs: nothing is saved over someone else's change unasked.

    Signals:
        chosen: the CaseChoice made.
    """

    chosen = Signal(object)

    def __init__(self, conflict: CaseConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.choice: CaseChoice | None = None
        theirs = conflict.theirs
        self.setWindowTitle(f"Someone else changed {theirs.number} — PR Desk")
        intro = QLabel(
            f"{theirs.number} was saved at {local_datetime(theirs.updated_at)} while you were "
            "deciding. Nothing of yours has been saved yet. Which version should the case keep?"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.rows = differing_rows(conflict)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        for column, title in enumerate(("", "Saved now (theirs)", "Yours")):
            heading = QLabel(title)
            heading.setStyleSheet("font-weight: 600;")
            self.grid.addWidget(heading, 0, column)
        for number, (label, their_value, my_value) in enumerate(self.rows, start=1):
            name = QLabel(f"{label}:")
            name.setProperty("role", "hint")
            self.grid.addWidget(name, number, 0, Qt.AlignmentFlag.AlignTop)
            for column, value in ((1, their_value), (2, my_value)):
                cell = QLabel(value or "—")
                cell.setWordWrap(True)
                cell.setTextFormat(Qt.TextFormat.PlainText)
                cell.setAccessibleName(f"{label}, {'theirs' if column == 1 else 'yours'}")
                if their_value != my_value:
                    cell.setStyleSheet("font-weight: 600;")
                self.grid.addWidget(cell, number, column, Qt.AlignmentFlag.AlignTop)
        self.problem = QLabel(conflict.problem)
        self.problem.setWordWrap(True)
        self.problem.setProperty("role", "field-error")
        self.problem.setVisible(bool(conflict.problem))

        buttons = QDialogButtonBox()
        self.keep_mine = QPushButton("&Keep mine")
        self.keep_mine.setToolTip("Save your change over theirs")
        self.keep_mine.setEnabled(conflict.mine is not None)
        self.take_theirs = QPushButton("&Take theirs")
        self.take_theirs.setToolTip("Show the case as they saved it; your change is dropped")
        self.edit_again = QPushButton("&Edit again")
        self.edit_again.setToolTip("Show their version and let you change your choice")
        for button, choice in (
            (self.keep_mine, CaseChoice.KEEP_MINE),
            (self.take_theirs, CaseChoice.TAKE_THEIRS),
            (self.edit_again, CaseChoice.EDIT_AGAIN),
        ):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _checked=False, c=choice: self.choose(c))
        default = self.keep_mine if conflict.mine is not None else self.edit_again
        default.setDefault(True)

        self.setMinimumWidth(520)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.grid)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def choose(self, choice: CaseChoice) -> None:
        if choice is CaseChoice.KEEP_MINE and self.conflict.mine is None:
            return
        self.choice = choice
        self.chosen.emit(choice)
        self.accept()

    def reject(self) -> None:
        if self.choice is None:
            self.choice = CaseChoice.TAKE_THEIRS
            self.chosen.emit(CaseChoice.TAKE_THEIRS)
        super().reject()
