"""Moving a case along its workflow ("Status [Investigating] [Move]")."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from prdesk.domain.enums import CaseStatus
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import cases
from prdesk.domain.services.case_input import CaseUpdate
from prdesk.domain.workflow import next_statuses
from prdesk.ui.case_control import CaseControl
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext


class StatusControl(CaseControl):
    """Offers only the statuses the workflow allows from the current one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._allowed = ctx.may(Action.EDIT_CASE)
        self.combo = QComboBox()
        self.combo.setAccessibleName("Move the case to status")
        # Wide enough for "Waiting on department" without clipping.
        self.combo.setMinimumContentsLength(20)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.move_button = QPushButton("&Move")
        self._lay_out("Stat&us", self.combo, self.move_button)
        self.move_button.clicked.connect(self.change_status)
        self.combo.currentIndexChanged.connect(self._update_button)
        self._update_button()

    def set_case(self, detail: CaseDetail) -> None:
        self._case = detail
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(detail.status.label, detail.status)
        for status in next_statuses(detail.status, has_assignee=detail.assignee is not None):
            self.combo.addItem(status.label, status)
        self.combo.blockSignals(False)
        self.combo.setToolTip(
            "" if detail.assignee else "Assign the case before work on it can start."
        )
        self._update_button()

    def select(self, status: CaseStatus) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(status), 0))

    def _update_button(self) -> None:
        current = self._case.status if self._case else None
        self.combo.setEnabled(self._allowed and self._case is not None)
        self.move_button.setEnabled(
            self._allowed and self._case is not None and self.combo.currentData() != current
        )

    def change_status(self) -> None:
        if self._case is None or not self.move_button.isEnabled():
            return
        # Qt hands item data back as a plain str.
        update = CaseUpdate(status=CaseStatus(self.combo.currentData()))
        actor = self._ctx.actor
        self.move_button.setEnabled(False)
        self._save(
            lambda session, case_id, version: cases.update_case(
                session, actor, case_id, version, update
            ),
            Change.CASE,
            self._update_button,
        )
