"""Moving a case along its workflow ("Status [Investigating] [Move]") and acknowledging it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from prdesk.domain import deadlines
from prdesk.domain.enums import CaseStatus
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import case_decisions, cases
from prdesk.domain.workflow import closing_needs_override, next_statuses, response_sent
from prdesk.ui.acknowledgement_dialog import AcknowledgementDialog
from prdesk.ui.case_control import CaseControl
from prdesk.ui.changes import Change
from prdesk.ui.closure_override_dialog import ClosureOverrideDialog
from prdesk.ui.context import AppContext

NEEDS_RESPONSE = (
    "This grievance cannot be resolved or closed until its written response letter has been "
    "sent. Send the response first, or ask a coordinator to close it with a reason."
)


class StatusControl(CaseControl):
    """Offers only the statuses the workflow allows from the current one.

    Closing a grievance whose response letter has not gone out asks a coordinator for
    the reason (ClosureOverrideDialog.ask) and tells anyone else why it cannot close.
    """

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
        self.acknowledge_button = QPushButton("&Record acknowledgement…")
        self.acknowledge_button.setAutoDefault(False)
        self.acknowledge_button.setToolTip("Record when and how the complainant was told")
        self.acknowledge_button.hide()
        layout = self.layout()
        assert layout is not None
        layout.addWidget(self.acknowledge_button)
        self.move_button.clicked.connect(self.change_status)
        self.acknowledge_button.clicked.connect(self.record_acknowledgement)
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
        self.acknowledge_button.setVisible(
            detail.status.is_open
            and detail.acknowledged_on is None
            and detail.acknowledge_due_on is not None
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
        self.acknowledge_button.setEnabled(self._allowed and self._case is not None)

    def change_status(self) -> None:
        if self._case is None or not self.move_button.isEnabled():
            return
        decided_on = self._case
        # Qt hands item data back as a plain str.
        target = CaseStatus(self.combo.currentData())
        reason = ""
        responded = response_sent(
            (letter.template_key, letter.status) for letter in self._case.letters
        )
        if not self._case.closure_override_reason and closing_needs_override(
            target, is_grievance=self._case.is_grievance, responded=responded
        ):
            if not self._ctx.may(Action.CLOSE_WITHOUT_RESPONSE):
                self.failed.emit(NEEDS_RESPONSE)
                return
            given = ClosureOverrideDialog.ask(self._case.number, self)
            if given is None:
                return
            reason = given
        actor = self._ctx.actor
        self.move_button.setEnabled(False)
        self._save(
            lambda session, case_id, version: cases.change_status(
                session, actor, case_id, version, target, override_reason=reason
            ),
            Change.CASE,
            self._update_button,
            decided_on=decided_on,
        )

    def record_acknowledgement(self) -> None:
        if self._case is None or not self.acknowledge_button.isEnabled():
            return
        case = self._case
        answer = AcknowledgementDialog.ask(
            case.number, deadlines.received_on(case.received_at), case.acknowledge_due_on, self
        )
        if answer is None:
            return
        on, how = answer
        actor = self._ctx.actor
        self.acknowledge_button.setEnabled(False)
        self._save(
            lambda session, case_id, version: case_decisions.record_acknowledgement(
                session, actor, case_id, version, on, how
            ),
            Change.CASE,
            self._update_button,
            decided_on=case,
        )
