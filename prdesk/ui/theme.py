"""Following the system's look: the style sheet made from the current palette, font and contrast.

The sheet is set once, on the application, and made again whenever Windows
switches between light and dark, the palette changes, the person asks for high
contrast or changes the size of text. In high contrast it sets no colour or
background of its own: the system's are the ones the person chose.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from prdesk.ui import style
from prdesk.ui.style import (
    ERROR_COLOR,
    MINIMUM_CONTRAST,
    contrast,
    error_color,
    hint_color,
    is_dark,
    mix,
    muted_on,
    readable,
)

# How much larger than the body text headings are, so they grow with it.
CASE_NUMBER_SCALE = 1.6
HEADING_SCALE = 1.4
EMPTY_STATE_SCALE = 1.25
_INFO, _WARNING, _ERROR = "#1e6fd9", "#e0a030", ERROR_COLOR


def high_contrast_wanted() -> bool:
    """Whether the person asked the system for high contrast (Qt 6.10 and later can tell)."""
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    if accessibility is None:
        return False
    preference = accessibility().contrastPreference()
    return bool(preference == Qt.ContrastPreference.HighContrast)


def _size(font: QFont, scale: float) -> str:
    if font.pointSizeF() > 0:
        return f"{font.pointSizeF() * scale:.1f}pt"
    return f"{round(font.pixelSize() * scale)}px"


def stylesheet(palette: QPalette, font: QFont, *, high_contrast: bool = False) -> str:
    """PR Desk's rules for `palette` and body `font`. Only widgets that carry these
    properties or object names are restyled; everything else keeps the platform's look."""
    sizes = f"""
QLabel#caseNumber {{ font-size: {_size(font, CASE_NUMBER_SCALE)}; font-weight: 600; }}
QLabel[role="heading"] {{ font-size: {_size(font, HEADING_SCALE)}; font-weight: 600; }}
QLabel#emptyState {{ font-size: {_size(font, EMPTY_STATE_SCALE)}; }}
QLabel[role="badge"] {{
    border-radius: 9px;
    padding: 2px 10px;
    color: white;
    font-weight: 600;
}}
"""
    invalid = """
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"],
QDateTimeEdit[invalid="true"], QListWidget[invalid="true"]"""
    if high_contrast:
        # The system's colours only: a thicker outline and bold text carry the meaning.
        return (
            sizes
            + f"""{invalid} {{ border: 2px solid palette(text); border-radius: 2px; }}
QLabel[role="field-error"] {{ font-weight: 600; }}
QFrame#infoBar {{ border: 2px solid palette(window-text); border-radius: 4px; }}
"""
            + _HIGH_CONTRAST_PANELS
        )
    window = palette.color(QPalette.ColorRole.Window)
    dark = is_dark(palette)

    def tint(color: str) -> str:
        return mix(color, window, 0.22 if dark else 0.1).name()

    def edge(color: str) -> str:
        return mix(color, window, 0.6 if dark else 0.45).name()

    error = error_color(palette).name()
    return (
        sizes
        + f"""{invalid} {{ border: 1px solid {error}; border-radius: 2px; }}
QLabel[role="field-error"] {{ color: {error}; }}
QLabel[role="hint"] {{ color: {hint_color(palette).name()}; }}
QLabel#emptyState {{ color: {hint_color(palette).name()}; }}
QFrame#infoBar {{ border: 1px solid {edge(_INFO)}; border-radius: 4px; background: {tint(_INFO)}; }}
QFrame#infoBar[kind="warning"] {{ border-color: {edge(_WARNING)}; background: {tint(_WARNING)}; }}
QFrame#infoBar[kind="error"] {{ border-color: {edge(_ERROR)}; background: {tint(_ERROR)}; }}
"""
        + _panels(palette)
    )


# Quiet notices, the differences between two versions and the grey around a letter's
# pages, in the system's colours with a border or outline to tell them apart.
_HIGH_CONTRAST_PANELS = """
QFrame#presenceBanner, QLabel#readOnlyBanner {
    border: 2px solid palette(window-text); border-radius: 4px;
}
QLabel#readOnlyBanner { padding: 6px; }
QLabel[difference="true"], QTextBrowser[difference="true"] { border: 2px solid palette(text); }
QWidget#previewPages { background: palette(window); }
"""


def _panels(palette: QPalette) -> str:
    """The same in the current scheme's tints, each keeping its text readable."""
    window = palette.color(QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.WindowText)
    amount = 0.22 if is_dark(palette) else 0.1
    # Dark mode puts the pages on a darker grey; light mode on a mid grey, as paper on a desk.
    pages = mix("#000000", window, 0.45 if is_dark(palette) else 0.28)
    return f"""
QFrame#presenceBanner {{
    background: {mix(_INFO, window, amount).name()};
    border: 1px solid {mix(_INFO, window, 0.45).name()}; border-radius: 4px;
}}
QFrame#presenceBanner[editing="true"] {{
    background: {mix(_WARNING, window, amount).name()};
    border-color: {mix(_WARNING, window, 0.6).name()};
}}
QLabel#readOnlyBanner {{
    background: {mix(text, window, 0.06).name()};
    border: 1px solid {mix(text, window, 0.25).name()}; border-radius: 4px; padding: 6px;
}}
QLabel[difference="true"], QTextBrowser[difference="true"] {{
    background: {mix(_WARNING, base, amount).name()};
}}
QWidget#previewPages {{ background: {pages.name()}; }}
QWidget#previewPages QLabel#emptyState {{ color: {muted_on(pages).name()}; }}
"""


def current_stylesheet() -> str:
    """The sheet for the application's palette and font as they are now."""
    return stylesheet(
        QApplication.palette(), QApplication.font(), high_contrast=high_contrast_wanted()
    )


class Theme(QObject):
    """Keeps the application's sheet and hand-drawn colours in step with the system.

    Signals:
        changed: the sheet was made again (icons and painted views redraw from it).
    """

    changed = Signal()

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._sheet: str | None = None
        # A switch to dark mode sends several events at once: one update for all.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.apply)
        app.installEventFilter(self)
        hints = app.styleHints()
        hints.colorSchemeChanged.connect(self._pending.start)
        accessibility = getattr(hints, "accessibility", None)
        if accessibility is not None:
            accessibility().contrastPreferenceChanged.connect(self._pending.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._app and event.type() in (
            QEvent.Type.ApplicationPaletteChange,
            QEvent.Type.ApplicationFontChange,
        ):
            self._pending.start()
        return False

    def apply(self) -> None:
        high_contrast = high_contrast_wanted()
        if not high_contrast and _readable_placeholder(self._app):
            # The palette change just sent is this update's own: no second pass.
            self._pending.stop()
        style.follow_palette(self._app.palette(), high_contrast=high_contrast)
        sheet = current_stylesheet()
        if sheet != self._sheet:
            self._sheet = sheet
            self._app.setStyleSheet(sheet)
        for widget in self._app.topLevelWidgets():
            widget.update()
        self.changed.emit()


def _readable_placeholder(app: QApplication) -> bool:
    """Makes the grey hint in empty fields readable where the palette's is not (a dark
    palette that keeps the light one's half-black hint); True when it changed the palette.

    Only that one role is set, so the others still follow the system.
    """
    palette = app.palette()
    base = palette.color(QPalette.ColorRole.Base)
    hint = palette.color(QPalette.ColorRole.PlaceholderText)
    shown = mix(hint, base, hint.alphaF())
    if contrast(shown, base) >= MINIMUM_CONTRAST:
        return False
    palette.setColor(QPalette.ColorRole.PlaceholderText, readable(shown, base))
    app.setPalette(palette)
    return True


def follow(slot: Callable[[], object]) -> None:
    """Calls `slot`, a method of a Qt object, after every change of theme; its colours
    are to be read again. Nothing to follow before the theme is installed."""
    app = QApplication.instance()
    theme = app.findChild(Theme) if app is not None else None
    if isinstance(theme, Theme):
        theme.changed.connect(slot)


def recolour(model: QAbstractItemModel) -> None:
    """Tells `model`'s views that every cell's colours changed, so they ask again."""
    rows, columns = model.rowCount(), model.columnCount()
    if rows and columns:
        roles = [Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole]
        model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, columns - 1), roles)


def install_theme(app: QApplication) -> Theme:
    """The application's theme, created once and applied at once."""
    existing = app.findChild(Theme)
    if isinstance(existing, Theme):
        existing.apply()
        return existing
    theme = Theme(app)
    theme.apply()
    return theme
