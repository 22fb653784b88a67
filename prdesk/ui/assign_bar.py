"""Assigning a case to a caseworker, guarded against overwriting someone else's newer change."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail, Reference
from prdesk.domain.services import cases, users
from prdesk.ui.case_control import CaseControl
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext


class AssignBar(CaseControl):
    """ "Assigned to [caseworker] [Assign]". Only coordinators and administrators may use it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._allowed = ctx.may(Action.ASSIGN_CASE)
        self.combo = QComboBox()
        self.combo.setAccessibleName("Assign to")
        self.combo.setMinimumContentsLength(18)
        self.combo.addItem("Unassigned", None)
        self.assign_button = QPushButton("Assi&gn")
        self._lay_out("Assigned &to", self.combo, self.assign_button)
        if not self._allowed:
            self.assign_button.setToolTip("Only a coordinator or administrator assigns cases.")
        self.assign_button.clicked.connect(self.assign)
        self.combo.currentIndexChanged.connect(self._update_button)
        self._update_button()
        self._load_caseworkers()

    def _load_caseworkers(self) -> None:
        (
            self._ctx.operation(self, users.caseworkers, read_only=True)
            .success(self._set_caseworkers)
            .failure(lambda error: self.failed.emit(error.message))
            .run()
        )

    def _set_caseworkers(self, people: list[Reference]) -> None:
        for person in people:
            if self.combo.findData(person.id) < 0:
                self.combo.addItem(person.name, person.id)
        self._show_assignee()

    def set_case(self, detail: CaseDetail) -> None:
        self._case = detail
        self._show_assignee()

    def _show_assignee(self) -> None:
        if self._case is None:
            return
        assignee = self._case.assignee
        if assignee is not None and self.combo.findData(assignee.id) < 0:
            self.combo.addItem(assignee.display_name, assignee.id)  # e.g. a deactivated user
        self.combo.setCurrentIndex(max(self.combo.findData(assignee.id if assignee else None), 0))
        self._update_button()

    def _update_button(self) -> None:
        current = self._case.assignee.id if self._case and self._case.assignee else None
        self.combo.setEnabled(self._allowed and self._case is not None)
        self.assign_button.setEnabled(
            self._allowed and self._case is not None and self.combo.currentData() != current
        )

    def select(self, user_id: int | None) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(user_id), 0))

    def assign(self) -> None:
        if self._case is None or not self.assign_button.isEnabled():
            return
        assignee_id, actor = self.combo.currentData(), self._ctx.actor
        self.assign_button.setEnabled(False)
        self._save(
            lambda session, case_id, version: cases.assign_case(
                session, actor, case_id, version, assignee_id
            ),
            Change.ASSIGNMENT,
            self._update_button,
        )
