"""Base of the small controls that change one field of an open case (status, assignee)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget
from sqlalchemy.orm import Session

from prdesk.domain.errors import ConflictError, DomainError
from prdesk.domain.readmodels import CaseDetail
from prdesk.ui.case_conflict import CaseConflict, compare
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext


class CaseControl(QWidget):
    """Saves one change to the case shown, against the version that was loaded.

    Signals:
        conflict_found: a CaseConflict: the case changed since it was loaded, with their
            version and this person's change tried on it, for the person to choose.
        conflicted: the message of a ConflictError that could not be compared.
        failed: the message of any other error.
    """

    conflict_found = Signal(object)
    conflicted = Signal(str)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._case: CaseDetail | None = None
        # What the person had chosen in the control's list, when it has one; a 1-tuple,
        # since None ("Unassigned") is a choice too.
        self._choice_made: tuple[object] | None = None

    def set_case(self, detail: CaseDetail) -> None:
        raise NotImplementedError

    def _lay_out(self, label_text: str, combo: QComboBox, button: QPushButton) -> None:
        """ "Label [choice] [Button]" in one row; the button never steals Enter."""
        button.setAutoDefault(False)
        label = QLabel(label_text)
        label.setBuddy(combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(combo)
        layout.addWidget(button)

    def _save(
        self,
        work: Callable[[Session, int, int], CaseDetail],
        what: str,
        done: Callable[[], None],
        *,
        decided_on: CaseDetail | None = None,
    ) -> None:
        """Runs `work(session, case_id, loaded_version)` in the background and shows the result.

        `decided_on` is the case as it was when the person decided (before a dialog that
        let a reload in): the save is checked against that version, so a change made by
        someone meanwhile is a conflict, not overwritten.
        """
        case = decided_on or self._case
        if case is None:
            return
        case_id, version = case.id, case.version
        choice = self._combo_choice()
        (
            self._ctx.operation(self, lambda session: work(session, case_id, version))
            .changes(Change.to_case(case_id, what))
            .success(self.set_case)
            .failure(lambda error: self._on_failed(error, case, work, what, choice))
            .done(done)
            .run()
        )

    def _on_failed(
        self,
        error: DomainError,
        loaded: CaseDetail,
        work: Callable[[Session, int, int], CaseDetail],
        what: str,
        choice: tuple[object] | None,
    ) -> None:
        if not isinstance(error, ConflictError):
            self.failed.emit(error.message)
            return
        # Never a bare "reload": show what they changed beside what this person meant.
        self._choice_made = choice
        actor = self._ctx.actor
        (
            self._ctx.operation(self, lambda session: compare(session, actor, loaded, work, what))
            .success(self.conflict_found.emit)
            .failure(lambda _error: self.conflicted.emit(error.message))
            .run()
        )

    def keep_mine(self, conflict: CaseConflict) -> None:
        """Saves this person's change over their version (after seeing both)."""
        self._save(conflict.work, conflict.what, lambda: None, decided_on=conflict.theirs)

    def edit_again(self, conflict: CaseConflict) -> None:
        """Shows their version with this person's choice still selected, to change or save."""
        self.set_case(conflict.theirs)
        combo = self.findChild(QComboBox)
        if combo is not None and self._choice_made is not None:
            index = combo.findData(self._choice_made[0])
            if index >= 0:
                combo.setCurrentIndex(index)
        focus = combo if combo is not None else self.findChild(QPushButton)
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _combo_choice(self) -> tuple[object] | None:
        combo = self.findChild(QComboBox)
        return (combo.currentData(),) if combo is not None else None
