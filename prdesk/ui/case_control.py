"""Base of the small controls that change one field of an open case (status, assignee)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget
from sqlalchemy.orm import Session

from prdesk.domain.errors import ConflictError, DomainError
from prdesk.domain.readmodels import CaseDetail
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext


class CaseControl(QWidget):
    """Saves one change to the case shown, against the version that was loaded.

    Signals:
        conflicted: the message of a ConflictError (the case changed since it was loaded).
        failed: the message of any other error.
    """

    conflicted = Signal(str)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._case: CaseDetail | None = None

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
        (
            self._ctx.operation(self, lambda session: work(session, case_id, version))
            .changes(Change.to_case(case_id, what))
            .success(self.set_case)
            .failure(self._on_failed)
            .done(done)
            .run()
        )

    def _on_failed(self, error: DomainError) -> None:
        if isinstance(error, ConflictError):
            self.conflicted.emit(error.message)
        else:
            self.failed.emit(error.message)
