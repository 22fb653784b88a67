"""The look shared by every screen: status colours, badges, and the invalid-field outline."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from prdesk.domain.enums import CaseStatus, TimelineKind

# Muted colours, one per status, so the list can be scanned without being loud.
STATUS_COLORS: dict[CaseStatus, str] = {
    CaseStatus.NEW: "#1e6fd9",
    CaseStatus.ASSIGNED: "#7b4fb5",
    CaseStatus.INVESTIGATING: "#d9822b",
    CaseStatus.WAITING_ON_DEPARTMENT: "#a07d2c",
    CaseStatus.WAITING_ON_PATIENT: "#1b8a8f",
    CaseStatus.RESOLVED: "#2e8540",
    CaseStatus.CLOSED: "#7a7a7a",
    CaseStatus.REOPENED: "#c2185b",
    CaseStatus.WITHDRAWN: "#9e9e9e",
}
SAFETY_BACKGROUND = QColor("#fdecea")
SAFETY_COLOR = "#b3261e"
BEHAVIOUR_COLOR = "#8a4b00"
GRIEVANCE_COLOR = "#6a1b9a"
ERROR_COLOR = "#b3261e"
SYSTEM_ENTRY_COLOR = QColor("#6b6b6b")
SYSTEM_ENTRY_BACKGROUND = QColor("#f3f3f3")

# The mark of each kind of timeline step: a colour and a code of one to three letters,
# so the kind reads without telling colours apart. People's own steps carry white text
# on a colour (each at least 4.5:1); PR Desk's own records are muted grey on grey.
TIMELINE_KIND_MARKS: dict[TimelineKind, tuple[str, str]] = {
    TimelineKind.NOTE: ("#546e7a", "N"),
    TimelineKind.PHONE_CALL: ("#1565c0", "Ph"),
    TimelineKind.EMAIL_RECEIVED: ("#00796b", "In"),
    TimelineKind.EMAIL_SENT: ("#2e7d32", "Out"),
    TimelineKind.MEETING: ("#6a1b9a", "Mt"),
    TimelineKind.STAFF_INTERVIEW: ("#ad1457", "Iv"),
    TimelineKind.RECORD_REVIEW: ("#4527a0", "MR"),
    TimelineKind.DEPARTMENT_REQUEST: ("#a14a00", "Rq"),
    TimelineKind.DEPARTMENT_RESPONSE: ("#6b6200", "Rs"),
    TimelineKind.ESCALATION: ("#c62828", "Esc"),
    TimelineKind.LETTER_SENT: ("#dcdcdc", "L"),
    TimelineKind.STATUS_CHANGE: ("#dcdcdc", "S"),
    TimelineKind.ATTACHMENT: ("#dcdcdc", "F"),
}
TIMELINE_MARK_TEXT = QColor("#ffffff")
TIMELINE_SYSTEM_MARK_TEXT = QColor("#424242")
TIMELINE_CARD_BORDER = QColor("#d5d8dc")
TIMELINE_CARD_SELECTED = QColor("#e8f0fe")
TIMELINE_CARD_SELECTED_BORDER = QColor("#1a73e8")
TIMELINE_SECONDARY_TEXT = QColor("#5f6368")
TIMELINE_DAY_RULE = QColor("#c8ccd0")
# Chips under an entry: (background, text) per meaning.
TIMELINE_CHIP_COLORS: dict[str, tuple[str, str]] = {
    "person": ("#e3f2fd", "#0d47a1"),
    "department": ("#f3e5f5", "#4a148c"),
    "patient_facing": ("#e6f4ea", "#1e5e2c"),
    "internal": ("#fff4e0", "#7a4a00"),
    "attachments": ("#eceff1", "#37474f"),
    "edited": ("#eceff1", "#37474f"),
    "request_open": ("#e8f0fe", "#174ea6"),
    "request_overdue": ("#fdecea", "#b3261e"),
    "request_done": ("#e6f4ea", "#1e5e2c"),
}

# Applied to the top-level windows. Only widgets that carry these properties or
# object names are restyled; everything else keeps the platform's look.
STYLESHEET = f"""
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"],
QDateTimeEdit[invalid="true"], QListWidget[invalid="true"] {{
    border: 1px solid {ERROR_COLOR};
    border-radius: 2px;
}}
QLabel[role="field-error"] {{ color: {ERROR_COLOR}; }}
QLabel[role="hint"] {{ color: #5f6368; }}
QLabel[role="badge"] {{
    border-radius: 9px;
    padding: 2px 10px;
    color: white;
    font-weight: 600;
}}
QLabel#caseNumber {{ font-size: 18pt; font-weight: 600; }}
QLabel#emptyState {{ color: #5f6368; font-size: 13pt; }}
QFrame#infoBar {{
    border: 1px solid #9fc3e7;
    border-radius: 4px;
    background: #e8f1fb;
}}
QFrame#infoBar[kind="warning"] {{ border-color: #e0b252; background: #fff6e0; }}
QFrame#infoBar[kind="error"] {{ border-color: #e7a29d; background: #fdecea; }}
"""


def badge_style(color: str) -> str:
    return f"background: {color};"


@cache
def status_icon(status: CaseStatus) -> QIcon:
    """A small filled dot in the status colour."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(STATUS_COLORS[status]))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


def repolish(widget: QWidget) -> None:
    """Re-applies the style sheet after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()
