"""The look shared by every screen: status colours, badges, the invalid-field outline, per colour scheme.

The tables of colours drawn by hand (timeline cards, chips, the safety row) are
updated in place by `follow_palette` when the light, dark or high-contrast
scheme changes, so the painters that import them always draw the current
scheme's colours. Badges carry white text on a strong colour, at least 4.5:1 in
every scheme, so they need no variant.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from prdesk.domain.enums import CaseStatus, TimelineKind

# WCAG's minimum for text: every text and background pair below keeps it.
MINIMUM_CONTRAST = 4.5

# One colour per status, each with white text at 4.5:1 or more, so the list can be
# scanned without being loud.
STATUS_COLORS: dict[CaseStatus, str] = {
    CaseStatus.NEW: "#1a67c9",
    CaseStatus.ASSIGNED: "#7b4fb5",
    CaseStatus.INVESTIGATING: "#a8570f",
    CaseStatus.WAITING_ON_DEPARTMENT: "#86661f",
    CaseStatus.WAITING_ON_PATIENT: "#167378",
    CaseStatus.RESOLVED: "#2b7a3b",
    CaseStatus.CLOSED: "#6b6b6b",
    CaseStatus.REOPENED: "#c2185b",
    CaseStatus.WITHDRAWN: "#737373",
}
SAFETY_COLOR = "#b3261e"
BEHAVIOUR_COLOR = "#8a4b00"
GRIEVANCE_COLOR = "#6a1b9a"
ERROR_COLOR = "#b3261e"

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

# Light-scheme values; follow_palette derives the current scheme's from them.
_SAFETY_TINT = "#d93025"
_HINT = "#5f6368"
_CHIP_TEXT: dict[str, str] = {
    "person": "#0d47a1",
    "department": "#4a148c",
    "patient_facing": "#1e5e2c",
    "internal": "#7a4a00",
    "attachments": "#37474f",
    "edited": "#37474f",
    "request_open": "#174ea6",
    "request_overdue": "#b3261e",
    "request_done": "#1e5e2c",
}

# Updated in place by follow_palette (the values here are the light scheme's).
SAFETY_BACKGROUND = QColor("#fdecea")
SYSTEM_ENTRY_COLOR = QColor("#6b6b6b")
SYSTEM_ENTRY_BACKGROUND = QColor("#f3f3f3")
TIMELINE_CARD_BORDER = QColor("#d5d8dc")
TIMELINE_CARD_SELECTED = QColor("#e8f0fe")
TIMELINE_CARD_SELECTED_BORDER = QColor("#1a73e8")
TIMELINE_SECONDARY_TEXT = QColor("#5f6368")
TIMELINE_DAY_RULE = QColor("#c8ccd0")
# Text in the lists (case list, workload, requests, users): readable on a list's plain
# and alternate rows and on the safety row tint, in the current scheme.
LIST_OVERDUE_TEXT = QColor(ERROR_COLOR)
LIST_DUE_SOON_TEXT = QColor("#8a5a00")
LIST_MUTED_TEXT = QColor("#6b6b6b")
# Each list text colour and its light-scheme value.
_LIST_TEXT = (
    (LIST_OVERDUE_TEXT, ERROR_COLOR),
    (LIST_DUE_SOON_TEXT, "#8a5a00"),
    (LIST_MUTED_TEXT, "#6b6b6b"),
)
_SCHEME = {"high_contrast": False}
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


def luminance(color: QColor) -> float:
    """Relative luminance, as WCAG defines it."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def is_dark(palette: QPalette) -> bool:
    return luminance(palette.color(QPalette.ColorRole.Window)) < 0.2


def mix(color: QColor | str, background: QColor | str, amount: float) -> QColor:
    """`amount` of `color` over `background`: a tint that suits light and dark alike."""
    top, bottom = QColor(color), QColor(background)
    return QColor.fromRgbF(
        top.redF() * amount + bottom.redF() * (1 - amount),
        top.greenF() * amount + bottom.greenF() * (1 - amount),
        top.blueF() * amount + bottom.blueF() * (1 - amount),
    )


def readable(color: QColor | str, background: QColor, minimum: float = MINIMUM_CONTRAST) -> QColor:
    """`color`, made lighter on a dark background or darker on a light one until its
    text reads at `minimum` contrast."""
    result = QColor(color)
    extreme = QColor("#ffffff") if luminance(background) < 0.18 else QColor("#000000")
    step = 0.0
    while contrast(result, background) < minimum and step < 1.0:
        step += 0.05
        result = mix(extreme, QColor(color), step)
    return result


def follow_palette(palette: QPalette, *, high_contrast: bool = False) -> None:
    """Sets the hand-drawn colours for `palette`; in high contrast, the system's own."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    if high_contrast:
        for target in (SAFETY_BACKGROUND, SYSTEM_ENTRY_BACKGROUND, TIMELINE_CARD_SELECTED):
            target.setRgba(base.rgba())
        for target in (SYSTEM_ENTRY_COLOR, TIMELINE_SECONDARY_TEXT, TIMELINE_CARD_BORDER):
            target.setRgba(text.rgba())
        TIMELINE_DAY_RULE.setRgba(text.rgba())
        TIMELINE_CARD_SELECTED_BORDER.setRgba(highlight.rgba())
        for key in _CHIP_TEXT:
            TIMELINE_CHIP_COLORS[key] = (base.name(), text.name())
        for target in (LIST_OVERDUE_TEXT, LIST_DUE_SOON_TEXT, LIST_MUTED_TEXT):
            target.setRgba(text.rgba())
    else:
        SAFETY_BACKGROUND.setRgba(mix(_SAFETY_TINT, base, 0.12).rgba())
        SYSTEM_ENTRY_BACKGROUND.setRgba(mix(text, base, 0.05).rgba())
        TIMELINE_CARD_SELECTED.setRgba(mix(highlight, base, 0.14).rgba())
        TIMELINE_CARD_SELECTED_BORDER.setRgba(highlight.rgba())
        TIMELINE_CARD_BORDER.setRgba(mix(text, base, 0.2).rgba())
        TIMELINE_DAY_RULE.setRgba(mix(text, base, 0.25).rgba())
        # Grey text sits on the grey of PR Desk's own entries: readable on that.
        secondary = readable(_HINT, SYSTEM_ENTRY_BACKGROUND)
        TIMELINE_SECONDARY_TEXT.setRgba(secondary.rgba())
        SYSTEM_ENTRY_COLOR.setRgba(secondary.rgba())
        for key, foreground in _CHIP_TEXT.items():
            background = mix(foreground, base, 0.12)
            TIMELINE_CHIP_COLORS[key] = (background.name(), readable(foreground, background).name())
        rows = (base, palette.color(QPalette.ColorRole.AlternateBase), SAFETY_BACKGROUND)
        for target, light in _LIST_TEXT:
            target.setRgba(readable_on_all(light, rows).rgba())
    _SCHEME["high_contrast"] = high_contrast
    status_icon.cache_clear()


def high_contrast_in_use() -> bool:
    """Whether the colours drawn by hand are the system's high-contrast ones."""
    return _SCHEME["high_contrast"]


def readable_on_all(color: QColor | str, backgrounds: Iterable[QColor]) -> QColor:
    """`color`, adjusted as `readable` does until it reads on each of `backgrounds`
    (all light or all dark, as a list's rows are)."""
    result = QColor(color)
    for background in backgrounds:
        result = readable(result, background)
    return result


def muted_on(background: QColor) -> QColor:
    """Secondary text on a background of PR Desk's own: muted, still readable."""
    return readable(_HINT, background)


def hint_color(palette: QPalette) -> QColor:
    """Secondary text (hints, empty lists): muted, still readable."""
    return readable(_HINT, palette.color(QPalette.ColorRole.Window))


def error_color(palette: QPalette) -> QColor:
    """Text that says something is wrong, readable on the window's background."""
    return readable(ERROR_COLOR, palette.color(QPalette.ColorRole.Window))


def readable_on(
    color: str, widget: QWidget, role: QPalette.ColorRole = QPalette.ColorRole.Window
) -> str:
    """`color` as text on `widget`'s background in the current scheme (lighter on dark)."""
    return readable(color, widget.palette().color(role)).name()


def badge_style(color: str) -> str:
    return f"background: {color};"


@cache
def status_icon(status: CaseStatus) -> QIcon:
    """A small filled dot in the status colour.

    On a selected row it wears a ring of the selection's text colour: a blue dot on a
    blue selection would otherwise vanish.
    """
    icon = QIcon(_dot(status, None))
    ring = QApplication.palette().color(QPalette.ColorRole.HighlightedText)
    icon.addPixmap(_dot(status, ring), QIcon.Mode.Selected)
    return icon


def _dot(status: CaseStatus, ring: QColor | None) -> QPixmap:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(STATUS_COLORS[status]))
    if ring is None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(1, 1, 10, 10)
    else:
        painter.setPen(QPen(ring, 1.5))
        painter.drawEllipse(QRectF(0.75, 0.75, 10.5, 10.5))
    painter.end()
    return pixmap


def repolish(widget: QWidget) -> None:
    """Re-applies the style sheet after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()
