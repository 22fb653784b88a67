"""The CMS facts of an intake and the live complaint-or-grievance decision, with its override."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.classification import Classification, IntakeFacts, classify
from prdesk.domain.enums import CaseKind, Channel
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.style import GRIEVANCE_COLOR, readable_on


class ClassificationBox(QGroupBox):
    """Shows, as the coordinator types, whether CMS rules make the case a grievance and why.

    The override is for coordinators and administrators only (`may_override`);
    it flips the decision and needs a reason, which is recorded on the case.

    Signals:
        changed: the classification or the override changed.
    """

    changed = Signal()

    def __init__(
        self, errors: FieldErrors, *, may_override: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__("Complaint or grievance (CMS)", parent)
        self._kind = CaseKind.COMPLAINT
        self._channel = Channel.PHONE
        self.resolved_at_once = QCheckBox("Resolved at the time by staff present")
        self.billing_only = QCheckBox("Only a billing question")
        self.written_response = QCheckBox("Patient asks for a &written response")
        self.needs_investigation = QCheckBox("Needs investigation")
        self.result = QLabel()
        self.result.setWordWrap(True)
        # Rich text for the bold verdict; the reason is escaped where it is set.
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setAccessibleName("Classification")
        self.override = QCheckBox()
        self.override.setEnabled(may_override)
        if not may_override:
            self.override.setToolTip("Only a coordinator or administrator may override the rules.")
        self.override_reason = QLineEdit()
        self.override_reason.setPlaceholderText("Why the rules do not fit this case")
        self.override_reason.setAccessibleName("Reason for overriding the classification")
        self.override_reason.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        facts = QGridLayout()
        facts.setHorizontalSpacing(16)
        boxes = (
            self.resolved_at_once,
            self.written_response,
            self.billing_only,
            self.needs_investigation,
        )
        for number, box in enumerate(boxes):
            facts.addWidget(box, number // 2, number % 2)
            box.toggled.connect(self._update)
        layout.addLayout(facts)
        layout.addSpacing(4)
        layout.addWidget(self.result)
        layout.addSpacing(4)
        layout.addWidget(self.override)
        layout.addWidget(errors.wrap("override_reason", self.override_reason))
        self.override.toggled.connect(self.override_reason.setEnabled)
        self.override.toggled.connect(self._update)
        self._update()

    def set_case(self, kind: CaseKind, channel: Channel) -> None:
        self._kind, self._channel = kind, channel
        self._update()

    def facts(self) -> IntakeFacts:
        return IntakeFacts(
            kind=self._kind,
            channel=self._channel,
            resolved_at_once=self.resolved_at_once.isChecked(),
            billing_only=self.billing_only.isChecked(),
            written_response_requested=self.written_response.isChecked(),
            needs_investigation=self.needs_investigation.isChecked(),
        )

    def classification(self) -> Classification:
        return classify(self.facts())

    def grievance_override(self) -> bool | None:
        """The decision the coordinator chose instead of the rules', or None."""
        if not self.override.isChecked():
            return None
        return not self.classification().is_grievance

    def result_text(self) -> str:
        """The classification line as plain text ("Grievance — ...")."""
        return self.result.accessibleDescription()

    def _update(self) -> None:
        result = self.classification()
        if self._kind is not CaseKind.COMPLAINT:
            verdict = "Not a grievance"
        else:
            verdict = "Grievance" if result.is_grievance else "Complaint"
        flipped = "a complaint" if result.is_grievance else "a grievance"
        self.override.setText(f"Override: handle as {flipped} instead")
        color = readable_on(GRIEVANCE_COLOR if result.is_grievance else "#2e5d8a", self)
        note = ""
        if self.override.isChecked():
            note = f"<br><i>Overridden: will be handled as {flipped}.</i>"
        self.result.setText(
            f'<span style="color:{color}"><b>{verdict}</b></span> — {escape(result.reason)}{note}'
        )
        self.result.setAccessibleDescription(f"{verdict} — {result.reason}")
        self.changed.emit()
