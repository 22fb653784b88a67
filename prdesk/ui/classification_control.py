"""Changing a case's CMS classification after intake: a coordinator's call, with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import case_decisions
from prdesk.ui.case_control import CaseControl
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.reclassify_dialog import ReclassifyDialog


class ClassificationControl(CaseControl):
    """One button: "Reclassify as complaint…" on a grievance, "…as grievance…" otherwise.

    Shown to coordinators and administrators only, and only while the case is open:
    what it changes (which letters are owed, which clocks run) matters only then.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.button = QPushButton()
        self.button.setAutoDefault(False)
        self.button.setToolTip("Change the grievance decision made at intake, giving the reason")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        self.button.clicked.connect(self.reclassify)
        self.setVisible(False)

    def set_case(self, detail: CaseDetail) -> None:
        self._case = detail
        to = "complaint" if detail.is_grievance else "grievance"
        self.button.setText(f"Reclassif&y as {to}…")
        self.button.setAccessibleName(f"Reclassify as {to}")
        self.button.setEnabled(True)
        self.setVisible(self._ctx.may(Action.ASSIGN_CASE) and detail.status.is_open)

    def reclassify(self) -> None:
        if self._case is None or not self.button.isEnabled():
            return
        decided_on = self._case
        to_grievance = not decided_on.is_grievance
        reason = ReclassifyDialog.ask(decided_on.number, to_grievance, self)
        if reason is None:
            return
        actor = self._ctx.actor
        self.button.setEnabled(False)
        self._save(
            lambda session, case_id, version: case_decisions.reclassify_case(
                session, actor, case_id, version, to_grievance, reason
            ),
            Change.CASE,
            lambda: self.button.setEnabled(True),
            decided_on=decided_on,
        )
