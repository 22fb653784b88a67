"""Notices, differences and the timeline stay readable in dark mode and high contrast."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import Role
from prdesk.domain.reports.model import Chart, ChartKind, Series
from prdesk.domain.services import letter_workflow, timeline
from prdesk.domain.services.presence import Presence
from prdesk.domain.services.timeline import EntryChanges
from prdesk.export import letter_files
from prdesk.ui import theme
from prdesk.ui.bar_chart import BarChart, series_color
from prdesk.ui.context import AppContext
from prdesk.ui.entry_conflict_dialog import EntryConflictDialog
from prdesk.ui.presence_banner import PresenceBanner
from prdesk.ui.style import contrast
from prdesk.ui.theme import Theme
from prdesk.ui.timeline_panel import TimelinePanel
from tests.gui.conftest import CaseMaker, wait_idle
from tests.gui.test_letter_composer import draft, open_composer
from tests.gui.test_theme_screens import go_dark, light_look, shot, shown
from tests.gui.test_timeline_editing import _entry
from tests.gui.test_timeline_view import investigation, requests
from tests.support.builders import colleague


@pytest.fixture
def dark(qapp: QApplication) -> Iterator[Theme]:
    for installed in light_look(qapp):
        yield go_dark(installed)


def _text_on_its_panel(widget: QWidget) -> float:
    """Contrast between a panel's text colour and the background painted at its corner."""
    background = widget.grab().toImage().pixelColor(3, 3)
    return contrast(widget.palette().color(QPalette.ColorRole.WindowText), background)


def test_a_finalised_letter_in_dark_mode_shows_its_notice_and_pages(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, dark: Theme
) -> None:
    letter = draft(ctx, make_case().id)
    with ctx.db.transaction() as session:
        approved = letter_workflow.approve_letter(session, ctx.actor, letter.id, letter.version)
    letter_files.finalise(ctx.db, ctx.actor, letter.id, approved.version)
    composer = open_composer(ctx, qtbot, letter.id)
    composer.resize(1200, 700)
    wait_idle(qtbot)
    shot(composer, "letter-composer-dark")
    window = composer.palette().color(QPalette.ColorRole.Window)
    assert composer.banner.isVisible()
    banner = composer.banner.grab().toImage().pixelColor(3, 3)
    assert banner != window and banner.lightness() < 80
    assert _text_on_its_panel(composer.banner) >= 4.5
    pages = composer.preview.findChild(QWidget, "previewPages")
    assert pages is not None
    # Around the white pages: darker than the window, not the light theme's mid grey.
    assert pages.grab().toImage().pixelColor(3, 3).lightness() < window.lightness()


def test_someone_editing_the_same_case_is_announced_readably_in_dark_mode(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, dark: Theme
) -> None:
    banner = PresenceBanner(ctx, make_case().id)
    shown(qtbot, banner, 600, 40)
    banner.show_people([Presence("Ana López", "a letter", datetime.now(UTC))])
    shot(banner, "presence-dark")
    assert banner.text().startswith("Ana López is also editing this case")
    assert _text_on_its_panel(banner) >= 4.5
    amber = banner.grab().toImage().pixelColor(3, 3)
    assert amber.red() > amber.blue() and amber.lightness() < 80


def test_the_differences_between_two_versions_read_in_dark_mode(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, dark: Theme
) -> None:
    entry = _entry(ctx, make_case().id, "Called the daughter")
    with ctx.db.transaction() as session:
        theirs = timeline.edit_entry(
            session,
            colleague(ctx.db, "aperez", "Ana Pérez", Role.COORDINATOR),
            entry.id,
            entry.version,
            replace(EntryChanges.of(entry), summary="Called the daughter (no answer)"),
        )
    mine = replace(EntryChanges.of(entry), summary="Called the daughter: she will write in")
    dialog = EntryConflictDialog(ctx, mine, theirs, "Ana Pérez changed this entry.")
    shown(qtbot, dialog, 760, 420)
    shot(dialog, "entry-conflict-dark")
    differing = [label for label in dialog.findChildren(QLabel) if label.property("difference")]
    assert {label.text() for label in differing} >= {mine.summary, theirs.summary}
    for label in differing:
        assert _text_on_its_panel(label) >= 4.5


def test_in_high_contrast_the_timeline_draws_in_the_systems_colours_only(
    ctx: AppContext, qtbot: QtBot, dark: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(theme, "high_contrast_wanted", lambda: True)
    dark.apply()
    panel = TimelinePanel(ctx)
    shown(qtbot, panel, 900, 700)
    panel.set_case(1, investigation(), requests())
    wait_idle(qtbot)
    image = shot(panel.list_view, "timeline-high-contrast")
    highlight = panel.palette().color(QPalette.ColorRole.Highlight)
    # Greys from the system's black and white, or its selection colour: no colour of PR Desk's.
    coloured = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if image.pixelColor(x, y).hsvSaturation() > 60
        and abs(image.pixelColor(x, y).hsvHue() - highlight.hsvHue()) > 10
    }
    assert not coloured
    monkeypatch.undo()


def test_a_pale_bar_keeps_an_edge_on_a_light_background(qtbot: QtBot, qapp: QApplication) -> None:
    for _installed in light_look(qapp):
        wards = tuple(Series(f"Ward {i + 1}", (5.0 + i,), (None,)) for i in range(7))
        chart = BarChart()
        chart.set_chart(Chart("Cases by ward", ChartKind.BAR, ("Nov 2026",), wards))
        shown(qtbot, chart, 620, 320)
        image = shot(chart, "chart-light").convertToFormat(QImage.Format.Format_RGB32)
        window = chart.palette().color(QPalette.ColorRole.Window)
        yellow = chart.item_rect(0, 6)
        ratio = chart.devicePixelRatioF()
        # Its top, where nothing but the background meets it (the bars beside it touch).
        x = round(yellow.center().x() * ratio)
        edge = [image.pixelColor(x, round(yellow.top() * ratio) + dy) for dy in (-1, 0, 1)]
        assert contrast(series_color(6), window) < 3  # yellow alone would vanish on white
        assert max(contrast(color, window) for color in edge) >= 3
