"""PR Desk follows the system's look: dark mode at run time, high contrast, larger text, sharp icons."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QColor, QFont, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from prdesk.ui import theme
from prdesk.ui.context import AppContext
from prdesk.ui.icons import icon
from prdesk.ui.main_window import MainWindow
from prdesk.ui.style import contrast
from prdesk.ui.theme import Theme, install_theme
from tests.gui.conftest import CaseMaker, shown_window, wait_idle
from tests.support.palettes import dark_palette


@pytest.fixture
def app_theme(qapp: QApplication) -> Iterator[Theme]:
    """The theme installed as PR Desk does at start, and the light look put back after.

    It stays installed, as in PR Desk: an application sheet set back to none deletes
    Qt's sheet style under widgets that tests leave for later deletion.
    """
    light, font = QApplication.palette(), QApplication.font()
    installed = install_theme(qapp)
    yield installed
    QApplication.setPalette(light)
    QApplication.setFont(font)
    installed.apply()


def pixel(widget: QWidget | None, where: QPoint | None = None) -> QColor:
    assert widget is not None
    image = widget.grab().toImage()
    return image.pixelColor(where or QPoint(3, image.height() // 2))


def window_with_info(ctx: AppContext, qtbot: QtBot) -> MainWindow:
    window = shown_window(ctx, qtbot)
    window.resize(1000, 700)
    window.connection_banner.show_message("The connection is back.")
    return window


def sheet_applied(qtbot: QtBot, app_theme: Theme) -> None:
    with qtbot.waitSignal(app_theme.changed, timeout=2000):
        pass


def test_switching_to_dark_at_run_time_reaches_the_window_and_its_info_bar(
    ctx: AppContext, qtbot: QtBot, app_theme: Theme
) -> None:
    window = window_with_info(ctx, qtbot)
    bar = window.connection_banner
    assert pixel(window.centralWidget()).lightness() > 200
    assert pixel(bar).lightness() > 200

    with qtbot.waitSignal(app_theme.changed, timeout=2000):
        QApplication.setPalette(dark_palette())

    assert pixel(window.centralWidget()).lightness() < 60
    background = pixel(bar)
    assert background.lightness() < 80
    # Still an info bar: a blue tint, not the plain window.
    assert background.blue() > background.red()
    text = bar._text.palette().color(QPalette.ColorRole.WindowText)
    assert contrast(text, background) >= 4.5


def test_high_contrast_drops_the_info_bars_own_background(
    ctx: AppContext, qtbot: QtBot, app_theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_with_info(ctx, qtbot)
    assert pixel(window.connection_banner) != pixel(window.centralWidget())

    monkeypatch.setattr(theme, "high_contrast_wanted", lambda: True)
    app_theme.apply()
    assert pixel(window.connection_banner) == pixel(window.centralWidget())
    sheet = QApplication.instance().styleSheet()  # type: ignore[union-attr]
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb", sheet)


def test_larger_system_text_makes_the_case_number_larger_than_the_body(
    ctx: AppContext, qtbot: QtBot, app_theme: Theme, make_case: CaseMaker
) -> None:
    case = make_case()
    window = shown_window(ctx, qtbot)
    assert window.tabs is not None
    window.tabs.open_case(case.id)
    wait_idle(qtbot)
    number = next(
        label for label in window.findChildren(QLabel, "caseNumber") if label.text() == case.number
    )
    before = number.fontInfo().pointSizeF()

    larger = QFont(QApplication.font())
    larger.setPointSizeF(16)
    with qtbot.waitSignal(app_theme.changed, timeout=2000):
        QApplication.setFont(larger)

    assert number.fontInfo().pointSizeF() > before
    assert number.fontInfo().pointSizeF() >= 16 * 1.5


def test_toolbar_icons_are_drawn_from_vectors_at_twice_the_pixels(
    ctx: AppContext, qtbot: QtBot, app_theme: Theme
) -> None:
    window = shown_window(ctx, qtbot)
    refresh = window.commands["refresh"].icon()
    sharp = refresh.pixmap(QSize(16, 16), 2.0)
    assert sharp.size() == QSize(32, 32)
    assert sharp.devicePixelRatio() == 2.0
    # A bitmap made for 16 pixels and stretched is not what is drawn.
    stretched = refresh.pixmap(QSize(16, 16), 1.0).toImage().scaled(32, 32)
    assert sharp.toImage().convertToFormat(stretched.format()) != stretched
    assert icon("refresh").pixmap(QSize(48, 48), 3.0).size() == QSize(144, 144)

    with qtbot.waitSignal(app_theme.changed, timeout=2000):
        QApplication.setPalette(dark_palette())
    strokes = _opaque_pixels(window.commands["refresh"].icon().pixmap(QSize(16, 16), 2.0).toImage())
    assert strokes and min(color.lightness() for color in strokes) > 200


def _opaque_pixels(image: QImage) -> list[QColor]:
    pixels = (image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height()))
    return [color for color in pixels if color.alpha() == 255]
