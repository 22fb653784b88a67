"""The top of a case: number, status, kind, the running deadline, the grievance badge and the flags."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from prdesk.domain.readmodels import CaseDetail
from prdesk.ui.deadline_text import deadline_state
from prdesk.ui.style import (
    BEHAVIOUR_COLOR,
    GRIEVANCE_COLOR,
    SAFETY_COLOR,
    STATUS_COLORS,
    badge_style,
)


def _badge(accessible_name: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setProperty("role", "badge")
    label.setAccessibleName(accessible_name)
    label.hide()
    return label


class CaseHeader(QWidget):
    """What must be seen at a glance; the flags are loud on purpose."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = QLabel("Opening…")
        self.number.setObjectName("caseNumber")
        self.number.setTextFormat(Qt.TextFormat.PlainText)
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = _badge("Status")
        self.kind = QLabel()
        self.kind.setTextFormat(Qt.TextFormat.PlainText)
        self.deadline = _badge("Deadline")
        self.grievance = _badge("Grievance")
        self.safety = _badge("Safety concern")
        self.behaviour = _badge("Behavioural alert")
        self.safety.setStyleSheet(badge_style(SAFETY_COLOR))
        self.behaviour.setStyleSheet(badge_style(BEHAVIOUR_COLOR))
        self.grievance.setStyleSheet(badge_style(GRIEVANCE_COLOR))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        for widget in (
            self.number,
            self.status,
            self.kind,
            self.deadline,
            self.grievance,
            self.safety,
            self.behaviour,
        ):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addStretch(1)

    def show_case(self, detail: CaseDetail) -> None:
        self.number.setText(detail.number)
        self.status.setText(detail.status.label)
        self.status.setStyleSheet(badge_style(STATUS_COLORS[detail.status]))
        self.status.show()
        self.kind.setText(
            f"{detail.kind.label} · {detail.channel.label} · {detail.severity.label} severity"
        )
        state = deadline_state(detail)
        self.deadline.setText(state.text)
        self.deadline.setStyleSheet(badge_style(state.color))
        self.deadline.setVisible(bool(state.text))
        self.grievance.setVisible(detail.is_grievance)
        self.grievance.setText(
            "Grievance (overridden)" if detail.grievance_overridden else "Grievance"
        )
        # The reason can be a coordinator's own words: shown as typed, never as HTML.
        self.grievance.setToolTip(
            QtGui.Qt.convertFromPlainText(
                detail.grievance_reason, Qt.WhiteSpaceMode.WhiteSpaceNormal
            )
        )
        self.grievance.setAccessibleDescription(detail.grievance_reason)
        self.safety.setText("⚠ Safety concern — refer to risk management")
        self.safety.setVisible(detail.safety_concern)
        self.behaviour.setText("⚠ Behavioural alert")
        self.behaviour.setToolTip("This person has been aggressive: take the usual precautions.")
        self.behaviour.setVisible(detail.behavioural_alert)
