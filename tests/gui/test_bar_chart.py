"""The chart widget: what it draws, and which cases a click or a key on a bar asks for."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPalette
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import CaseKind, CaseStatus
from prdesk.domain.queries import CaseFilter
from prdesk.domain.reports.model import Chart, ChartKind, Series, Unit
from prdesk.ui.bar_chart import BarChart, series_color

SHOTS = Path("/tmp/shots")
NEW = CaseFilter(statuses=frozenset({CaseStatus.NEW}))
WAITING = CaseFilter(statuses=frozenset({CaseStatus.WAITING_ON_PATIENT}))
COMPLAINTS = CaseFilter(kinds=frozenset({CaseKind.COMPLAINT}))
COMPLIMENTS = CaseFilter(kinds=frozenset({CaseKind.COMPLIMENT}))


def _shown(qtbot: QtBot, chart: Chart) -> BarChart:
    widget = BarChart()
    qtbot.addWidget(widget)
    widget.resize(520, 320)
    widget.set_chart(chart)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _statuses(kind: ChartKind = ChartKind.HBAR) -> Chart:
    return Chart(
        "Open cases by status",
        kind,
        ("New", "Waiting on patient"),
        (Series("Open cases", (12.0, 3.0), (NEW, WAITING)),),
    )


def _kinds() -> Chart:
    return Chart(
        "Complaints and compliments",
        ChartKind.BAR,
        ("Oct 2026", "Nov 2026"),
        (
            Series("Complaints", (40.0, 0.0), (COMPLAINTS, COMPLAINTS)),
            Series("Compliments", (9.0, 14.0), (COMPLIMENTS, None)),
        ),
    )


def _click(qtbot: QtBot, widget: BarChart, category: int, series: int = 0) -> None:
    spot = widget.item_rect(category, series).center().toPoint()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=spot)


def _pixel(widget: BarChart, category: int, series: int = 0) -> QColor:
    spot = widget.item_rect(category, series).center().toPoint()
    return widget.grab().toImage().pixelColor(spot * widget.devicePixelRatioF())


def test_clicking_a_bar_asks_for_exactly_its_cases(qtbot: QtBot) -> None:
    widget = _shown(qtbot, _statuses())
    with qtbot.waitSignal(widget.filter_requested) as asked:
        _click(qtbot, widget, 1)
    assert asked.args == [WAITING]
    with qtbot.waitSignal(widget.filter_requested) as asked:
        _click(qtbot, widget, 0)
    assert asked.args == [NEW]


def test_the_longer_bar_is_drawn_longer_in_the_series_colour(qtbot: QtBot) -> None:
    widget = _shown(qtbot, _statuses())
    twelve, three = widget.item_rect(0), widget.item_rect(1)
    assert twelve.width() == 4 * three.width()
    assert _pixel(widget, 0) == series_color(0)


def test_grouped_bars_each_open_their_own_series_and_a_zero_bar_is_still_a_target(
    qtbot: QtBot,
) -> None:
    widget = _shown(qtbot, _kinds())
    assert _pixel(widget, 0, 1) == series_color(1)
    assert widget.item_rect(0, 0).height() > widget.item_rect(0, 1).height()
    with qtbot.waitSignal(widget.filter_requested) as asked:
        _click(qtbot, widget, 0, 1)
    assert asked.args == [COMPLIMENTS]
    with qtbot.waitSignal(widget.filter_requested) as asked:
        _click(qtbot, widget, 1, 0)  # no complaints in November: a bar of no height
    assert asked.args == [COMPLAINTS]
    # A figure the case list cannot show opens nothing.
    with qtbot.assertNotEmitted(widget.filter_requested):
        _click(qtbot, widget, 1, 1)


def test_arrow_keys_move_between_bars_and_enter_lists_the_focused_one(qtbot: QtBot) -> None:
    widget = _shown(qtbot, _kinds())
    widget.setFocus()
    assert "Oct 2026, Complaints: 40 cases" in widget.accessibleDescription()
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    assert widget.accessibleDescription().startswith("Oct 2026, Compliments: 9 cases")
    with qtbot.waitSignal(widget.filter_requested) as asked:
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert asked.args == [COMPLIMENTS]
    qtbot.keyClick(widget, Qt.Key.Key_End)
    assert widget.accessibleDescription() == "Nov 2026, Compliments: 14 cases"
    qtbot.keyClick(widget, Qt.Key.Key_Home)
    qtbot.keyClick(widget, Qt.Key.Key_Left)  # already at the first bar: stays there
    with qtbot.waitSignal(widget.filter_requested) as asked:
        qtbot.keyClick(widget, Qt.Key.Key_Space)
    assert asked.args == [COMPLAINTS]
    assert widget.accessibleName() == "Complaints and compliments"


def test_hovering_a_bar_highlights_it_and_its_tip_gives_the_figure(qtbot: QtBot) -> None:
    widget = _shown(qtbot, _statuses())
    before = _pixel(widget, 0)
    spot = widget.item_rect(0).center().toPoint()
    qtbot.mouseMove(widget, spot)
    qtbot.waitUntil(lambda: _pixel(widget, 0) != before)
    assert _pixel(widget, 1) == series_color(0)  # the other bar is not highlighted
    assert widget.items()[0].text == "New: 12 cases"


def test_a_refreshed_chart_keeps_the_focused_bar(qtbot: QtBot) -> None:
    widget = _shown(qtbot, _statuses())
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Down)
    refreshed = _statuses()
    widget.set_chart(
        Chart(
            refreshed.title,
            refreshed.kind,
            refreshed.categories,
            (Series("Open", (12, 4), (NEW, WAITING)),),
        )
    )
    focused = widget.focused_item()
    assert focused is not None and focused.text == "Waiting on patient: 4 cases"


def test_lines_put_each_point_at_its_value(qtbot: QtBot) -> None:
    chart = Chart(
        "Share resolved in time",
        ChartKind.LINE,
        ("Q1 2026", "Q2 2026", "Q3 2026"),
        (Series("Resolved in time", (0.5, 1.0, 0.75), (None, None, None)),),
        Unit.PERCENT,
    )
    widget = _shown(qtbot, chart)
    low, high, middle = (widget.item_rect(i).center().y() for i in range(3))
    assert high < middle < low
    assert widget.items()[1].text == "Q2 2026: 100.0%"


def test_a_chart_with_nothing_to_count_says_so(qtbot: QtBot) -> None:
    empty = Chart("Open cases by status", ChartKind.HBAR, (), ())
    widget = _shown(qtbot, empty)
    assert widget.items() == []
    assert widget.accessibleDescription() == "No cases to show."
    with qtbot.assertNotEmitted(widget.filter_requested):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_the_chart_follows_a_dark_palette(qtbot: QtBot) -> None:
    widget = _shown(qtbot, _kinds())
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)
    image = widget.grab().toImage()
    assert image.pixelColor(2, 2) == QColor("#202124")
    assert _pixel(widget, 0, 0) == series_color(0)
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / "bar-chart-dark.png"))


def test_forty_caseworkers_each_keep_a_readable_line(qtbot: QtBot) -> None:
    names = tuple(f"Caseworker {n}" for n in range(40))
    chart = Chart(
        "Open cases per caseworker", ChartKind.HBAR, names, (Series("Open", (3.0,) * 40),)
    )
    widget = _shown(qtbot, chart)
    widget.resize(widget.minimumSizeHint())
    line = QFontMetricsF(widget.font()).height()
    tops = [item.rect.top() for item in widget.items()]
    assert min(b - a for a, b in pairwise(tops)) >= line


# --- Nothing to measure, and many lines ---------------------------------------------------

MONTHS = ("Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026")


def _series_ink(widget: BarChart, category: int, series: int = 0) -> int:
    """Pixels of the series' colour in a narrow band up the middle of the category."""
    image = widget.grab().toImage()
    ratio = widget.devicePixelRatioF()
    x = widget.item_rect(category, series).center().x()
    colour = series_color(series)
    found = 0
    for px in range(round((x - 3) * ratio), round((x + 3) * ratio)):
        for py in range(0, round(widget.height() * ratio)):
            seen = image.pixelColor(px, py)
            if max(abs(seen.red() - colour.red()), abs(seen.green() - colour.green())) < 40 and (
                abs(seen.blue() - colour.blue()) < 40
            ):
                found += 1
    return found


def _label_ink(widget: BarChart, category: int, series: int = 0) -> int:
    """Dark pixels (text) where a point's figure is written, just above it."""
    image = widget.grab().toImage()
    ratio = widget.devicePixelRatioF()
    point = widget.item_rect(category, series)
    line = QFontMetricsF(widget.font()).height()
    found = 0
    for px in range(
        round((point.center().x() - 12) * ratio), round((point.center().x() + 12) * ratio)
    ):
        for py in range(round((point.top() - line) * ratio), round((point.top() - 2) * ratio)):
            if image.pixelColor(px, py).lightness() < 100:
                found += 1
    return found


def test_a_month_with_nothing_to_measure_has_no_bar_and_says_no_figure(qtbot: QtBot) -> None:
    chart = Chart(
        "Resolved within 7 days",
        ChartKind.BAR,
        MONTHS,
        (Series("Resolved within 7 days", (0.5, None, 0.75, 0.0)),),
        Unit.PERCENT,
    )
    widget = _shown(qtbot, chart)

    assert _series_ink(widget, 0) > 0 and _series_ink(widget, 2) > 0
    assert _series_ink(widget, 1) == 0
    assert widget.items()[1].text == "Feb 2026: no figure"
    # Hovering where its bar would stand says so; a month of 0% still says 0%.
    assert widget.items()[widget._item_at(widget.item_rect(1).center())].text.endswith("no figure")
    assert widget.items()[3].text == "Apr 2026: 0.0%"
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    assert widget.accessibleDescription() == "Feb 2026: no figure"


def test_a_line_breaks_where_there_is_nothing_to_measure(qtbot: QtBot) -> None:
    chart = Chart(
        "Acknowledged in time",
        ChartKind.LINE,
        MONTHS,
        (Series("Acknowledged in time", (0.5, None, 0.75, 0.9)),),
        Unit.PERCENT,
    )
    widget = _shown(qtbot, chart)
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / "line-chart-gap.png"))

    assert _series_ink(widget, 0) > 0 and _series_ink(widget, 3) > 0
    # No point in February, and no line drawn across it from January to March.
    assert _series_ink(widget, 1) == 0
    assert widget.items()[1].text == "Feb 2026: no figure"


def _five_lines() -> Chart:
    kinds = ("Complaints", "Grievances", "Compliments", "Information requests", "Other")
    return Chart(
        "Received, by kind of case",
        ChartKind.LINE,
        MONTHS,
        tuple(
            Series(kind, tuple(float(10 + 20 * number + month) for month in range(4)))
            for number, kind in enumerate(kinds)
        ),
    )


def _focused(qtbot: QtBot, widget: BarChart) -> None:
    widget.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def test_five_lines_write_only_the_hovered_point_s_figure(qtbot: QtBot) -> None:
    widget = _shown(qtbot, _five_lines())
    widget.resize(640, 420)
    _focused(qtbot, widget)
    widget.clearFocus()  # the focused point writes its figure too: see the next test
    everywhere = [(category, series) for category in range(4) for series in range(5)]
    assert all(_label_ink(widget, c, s) == 0 for c, s in everywhere)

    qtbot.mouseMove(widget, widget.item_rect(2, 1).center().toPoint())
    qtbot.waitUntil(lambda: _label_ink(widget, 2, 1) > 0)
    assert all(_label_ink(widget, c, s) == 0 for c, s in everywhere if (c, s) != (2, 1))
    # Every figure is still in its tip and its spoken description.
    assert [item.text for item in widget.items()][:2] == [
        "Jan 2026, Complaints: 10 cases",
        "Jan 2026, Grievances: 30 cases",
    ]
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / "five-lines-hovered.png"))


def test_five_lines_write_the_focused_point_s_figure(qtbot: QtBot) -> None:
    widget = _shown(qtbot, _five_lines())
    widget.resize(640, 420)
    _focused(qtbot, widget)
    qtbot.keyClick(widget, Qt.Key.Key_End)
    assert widget.accessibleDescription() == "Apr 2026, Other: 93 cases"
    assert _label_ink(widget, 3, 4) > 0
    assert _label_ink(widget, 3, 3) == 0 and _label_ink(widget, 0, 0) == 0


def test_one_line_writes_every_figure(qtbot: QtBot) -> None:
    chart = Chart(
        "Received", ChartKind.LINE, MONTHS, (Series("Received", (10.0, 30.0, 20.0, 40.0)),)
    )
    widget = _shown(qtbot, chart)
    assert all(_label_ink(widget, category) > 0 for category in range(4))
