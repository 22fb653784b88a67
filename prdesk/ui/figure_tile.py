"""A figure shown large with its caption: a button that lists the cases it counts."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from prdesk.domain.queries import CaseFilter
from prdesk.domain.reports.model import Unit, format_cell
from prdesk.ui.style import high_contrast_in_use, mix, readable

_MARGIN = 10.0
_ACCENT_WIDTH = 4.0


class FigureTile(QAbstractButton):
    """Click it, or press Enter or Space on it, and its `clicked` signal fires.

    Attributes:
        case_filter: the cases the figure counts, for the list (None until loaded).
    """

    def __init__(self, caption: str, accent: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._caption = caption
        self._count: int | None = None
        self._note = ""
        self._accent = QColor(accent) if accent else None
        self.case_filter: CaseFilter | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self._describe()

    @property
    def caption(self) -> str:
        return self._caption

    @property
    def count(self) -> int | None:
        return self._count

    @property
    def note(self) -> str:
        return self._note

    def set_figure(self, caption: str, count: int, case_filter: CaseFilter, note: str = "") -> None:
        self._caption, self._count, self._note = caption, count, note
        self.case_filter = case_filter
        self._describe()
        self.updateGeometry()
        self.update()

    def figure_text(self) -> str:
        return "…" if self._count is None else format_cell(self._count, Unit.COUNT)

    def _describe(self) -> None:
        if self._count is None:
            self.setAccessibleName(f"{self._caption}: loading")
            self.setToolTip("")
            return
        cases = "1 case" if self._count == 1 else f"{self.figure_text()} cases"
        name = f"{self._caption}: {cases}"
        if self._note:
            name += f", {self._note}"
        self.setAccessibleName(name)
        self.setAccessibleDescription("Press Enter to list these cases.")
        self.setToolTip(f"{name}. Click to list them.")

    def _big_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        return font

    def sizeHint(self) -> QSize:
        small = QFontMetricsF(self.font())
        big = QFontMetricsF(self._big_font())
        width = max(
            small.horizontalAdvance(self._caption),
            small.horizontalAdvance(self._note),
            big.horizontalAdvance("000,000"),
        )
        height = big.height() + small.height() * 2.4 + 2 * _MARGIN
        return QSize(int(min(width, 220) + 2 * _MARGIN + _ACCENT_WIDTH), int(height))

    def minimumSizeHint(self) -> QSize:
        return QSize(110, self.sizeHint().height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.focusNextChild()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.focusPreviousChild()
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        box = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        background = palette.color(QPalette.ColorRole.Base)
        if self.underMouse() or self.isDown():
            background = palette.color(QPalette.ColorRole.AlternateBase)
        border = palette.color(QPalette.ColorRole.Mid)
        width = 1.0
        if self.hasFocus():
            border, width = palette.color(QPalette.ColorRole.Highlight), 2.0
        painter.setPen(QPen(border, width))
        painter.setBrush(background)
        painter.drawRoundedRect(box, 6, 6)
        if self._accent is not None:
            stripe = QRectF(box.left() + 1, box.top() + 6, _ACCENT_WIDTH, box.height() - 12)
            painter.fillRect(stripe, self._accent)
        # Text on the tile's own base colour, not the window's: the pair a palette matches.
        text = palette.color(QPalette.ColorRole.Text)
        inner = box.adjusted(_MARGIN + _ACCENT_WIDTH, _MARGIN, -_MARGIN, -_MARGIN)
        big = self._big_font()
        big_metrics = QFontMetricsF(big)
        painter.setFont(big)
        painter.setPen(text)
        painter.drawText(
            QRectF(inner.left(), inner.top(), inner.width(), big_metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.figure_text(),
        )
        small = QFontMetricsF(self.font())
        painter.setFont(self.font())
        top = inner.top() + big_metrics.height() + 2
        # The note is the text colour, softened but still readable; in high contrast, not softened.
        softer = (
            text if high_contrast_in_use() else readable(mix(text, background, 0.7), background)
        )
        for line, color in ((self._caption, text), (self._note, softer)):
            if not line:
                continue
            painter.setPen(color)
            painter.drawText(
                QRectF(inner.left(), top, inner.width(), small.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                small.elidedText(line, Qt.TextElideMode.ElideRight, inner.width()),
            )
            top += small.height() * 1.2
