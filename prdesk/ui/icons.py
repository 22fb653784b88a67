"""Icons drawn as SVG in resources/icons/actions, sharp at any display scaling, in the text's colour.

Each drawing uses `currentColor` for its strokes. The icon engine below puts the
palette's text colour in its place whenever it draws, so icons follow a switch to
dark mode or high contrast, and renders the vectors at the exact device pixels
asked for (100 % to 300 % and beyond), never scaling a bitmap.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from prdesk.assets import resource


@cache
def _drawing(name: str) -> str:
    return resource("icons", "actions", f"{name}.svg").read_text(encoding="utf-8")


@cache
def _renderer(name: str, color: str) -> QSvgRenderer:
    svg = _drawing(name).replace("currentColor", color)
    return QSvgRenderer(QByteArray(svg.encode("utf-8")))


def _color(mode: QIcon.Mode) -> QColor:
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorRole.ButtonText)


class _TextColouredSvg(QIconEngine):
    """Draws one SVG in the palette's text colour, at whatever size and scale asked."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def clone(self) -> QIconEngine:
        return _TextColouredSvg(self._name)

    def key(self) -> str:
        return "prdesk-svg"

    def iconName(self) -> str:
        return self._name

    def isNull(self) -> bool:
        return False

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        return size

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        _renderer(self._name, _color(mode).name()).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _renderer(self._name, _color(mode).name()).render(painter, QRectF(pixmap.rect()))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap


@cache
def icon(name: str) -> QIcon:
    """The icon drawn in resources/icons/actions/<name>.svg."""
    _drawing(name)  # a missing drawing fails here, not silently when painted
    return QIcon(_TextColouredSvg(name))


def app_icon() -> QIcon:
    """PR Desk's own icon, if this installation has it; an empty icon otherwise."""
    try:
        return QIcon(str(resource("icons", "prdesk.svg")))
    except FileNotFoundError:
        return QIcon()
