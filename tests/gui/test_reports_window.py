"""The reports window, as a coordinator picks a report, reads its figures, opens their cases and saves it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
import shiboken6
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextDocumentFragment, QWheelEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import CaseKind
from prdesk.domain.queries import CaseFilter, count_cases
from prdesk.domain.reports.catalogue import run_report
from prdesk.domain.reports.model import (
    Dimension,
    Granularity,
    Grouping,
    Report,
    ReportColumn,
    ReportRequest,
    ReportTable,
    Section,
    Unit,
    format_cell,
)
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.letter_printing import PrinterChoice
from prdesk.ui.report_page import ReportPage, ReportTableView
from prdesk.ui.reports_window import ReportsWindow, open_reports
from tests.gui.conftest import CaseMaker, wait_idle
from tests.support.dialogs import shown_message_box
from tests.support.screenshots import save_screenshot

FIRST_HALF = (date(2026, 1, 1), date(2026, 6, 30))


@pytest.fixture
def demo(ctx: AppContext) -> AppContext:
    """A department with a year and more of fictional cases."""
    generate_demo_data(ctx.db, 300, seed=8)
    return ctx


def _window(ctx: AppContext, qtbot: QtBot) -> ReportsWindow:
    window = ReportsWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def _show(window: ReportsWindow, qtbot: QtBot, name: str, start: date, end: date) -> None:
    window.choose(name)
    window.options.set_dates(start, end)
    with qtbot.waitSignal(window.shown, timeout=20_000):
        qtbot.mouseClick(window.show_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


def _texts(view: ReportTableView) -> list[list[str]]:
    model = view.report_model
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def _received_by_kind_and_quarter(ctx: AppContext) -> Counter[tuple[str, int]]:
    """Counted by hand: each case's kind and the local quarter of the day it came in."""
    counts: Counter[tuple[str, int]] = Counter()
    with ctx.db.transaction(read_only=True) as session:
        for kind, received in session.execute(text("SELECT kind, received_at FROM cases")):
            if isinstance(received, str):
                received = datetime.fromisoformat(received)
            day = received.replace(tzinfo=received.tzinfo or datetime.now().astimezone().tzinfo)
            local = day.astimezone().date()
            if FIRST_HALF[0] <= local <= FIRST_HALF[1]:
                counts[(str(kind).lower(), (local.month - 1) // 3)] += 1
    return counts


def test_trends_by_kind_show_the_cases_received_each_quarter(
    demo: AppContext, qtbot: QtBot, qtmodeltester: object
) -> None:
    window = _window(demo, qtbot)
    window.choose("trends")
    window.options.granularity.set_value(Granularity.QUARTER)
    window.options.dimension.set_value(Dimension.KIND)
    _show(window, qtbot, "trends", *FIRST_HALF)

    page = window.page
    assert page.headings[0].text() == "Cases received by kind of case"
    table = page.tables[0]
    qtmodeltester.check(table.report_model)  # type: ignore[attr-defined]
    rows = _texts(table)
    headers = [table.report_model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers[:3] == ["Kind of case", "Q1 2026", "Q2 2026"]

    counted = _received_by_kind_and_quarter(demo)
    labels = {kind.label: kind for kind in CaseKind}
    kinds_shown = [row for row in rows if row[0] in labels]
    assert kinds_shown, rows
    for row in kinds_shown:
        kind = labels[row[0]].value
        assert row[1:4] == [
            f"{counted[(kind, 0)]:,}",
            f"{counted[(kind, 1)]:,}",
            f"{counted[(kind, 0)] + counted[(kind, 1)]:,}",
        ]
    assert rows[-1][0] == "All cases received"
    assert rows[-1][3] == f"{sum(counted.values()):,}"
    # The total line is bold; figures line up on the right, names on the left.
    model = table.report_model
    last = model.rowCount() - 1
    assert model.index(last, 1).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, 1).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignLeft
    # A column's note is its heading's tooltip.
    assert model.table is not None
    noted = [(c, column.note) for c, column in enumerate(model.table.columns) if column.note]
    assert noted
    for column, note in noted:
        tip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert QTextDocumentFragment.fromHtml(tip).toPlainText() == note
    assert window.page.charts, "the trend is drawn too"


def test_a_month_with_nothing_to_measure_is_a_dash_and_no_point(
    demo: AppContext, qtbot: QtBot
) -> None:
    with demo.db.transaction(read_only=True) as session:
        first = session.execute(text("SELECT MIN(received_at) FROM cases")).scalar_one()
    first_day = datetime.fromisoformat(first) if isinstance(first, str) else first
    start = (first_day.date().replace(day=1) - timedelta(days=85)).replace(day=1)
    window = _window(demo, qtbot)
    _show(window, qtbot, "compliance", start, start + timedelta(days=300))

    # The months before the first case: no grievance there to measure.
    table = window.page.tables[0]
    months = _texts(table)[:-1]  # the last row is the whole report
    model = table.report_model
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    shown = headings.index("Acknowledged in time")
    chart = window.page.charts[0]
    dashes = [number for number, row in enumerate(months) if row[shown] == "–"]
    assert dashes and len(dashes) < len(months)
    for number, row in enumerate(months):
        item = chart.items()[number * 3]  # the first line: acknowledged in time
        assert item.text.startswith(row[0])
        if number in dashes:
            assert item.value is None and item.text.endswith("no figure")
        else:
            assert item.value is not None and item.text.endswith(row[shown])


def test_every_table_matches_the_report_as_computed(demo: AppContext, qtbot: QtBot) -> None:
    window = _window(demo, qtbot)
    window.choose("compliance")
    window.options.grouping.set_value(Grouping.DEPARTMENT)
    _show(window, qtbot, "compliance", *FIRST_HALF)

    expected = run_report(
        demo.db,
        demo.actor,
        "compliance",
        ReportRequest(*FIRST_HALF, grouping=Grouping.DEPARTMENT),
    )
    tables = [section.table for section in expected.sections if section.table is not None]
    assert len(window.page.tables) == len(tables) > 1
    for view, table in zip(window.page.tables, tables, strict=True):
        assert _texts(view) == [
            [
                format_cell(value, column.unit)
                for value, column in zip(row, table.columns, strict=True)
            ]
            for row in table.rows
        ]
    assert [h.text() for h in window.page.headings] == [
        s.heading for s in expected.sections if s.heading
    ]


def test_each_report_shows_only_the_choices_it_uses(ctx: AppContext, qtbot: QtBot) -> None:
    window = _window(ctx, qtbot)
    options = window.options

    def shown() -> set[str]:
        combos = {
            "split": options.granularity,
            "grouping": options.grouping,
            "dimension": options.dimension,
        }
        return {name for name, combo in combos.items() if combo.isVisibleTo(window)}

    window.choose("dashboard")
    assert shown() == set()
    window.choose("compliance")
    assert shown() == {"split", "grouping"}
    window.choose("trends")
    assert shown() == {"split", "dimension"}
    window.choose("committee")
    assert shown() == set()
    assert options.from_field.isVisibleTo(window) and options.quick_range.isVisibleTo(window)


def test_quick_ranges_fill_both_days(ctx: AppContext, qtbot: QtBot) -> None:
    window = _window(ctx, qtbot)
    options = window.options
    today = date.today()
    # Until the user picks days, each report comes with its usual ones.
    assert options.quick_range.currentText() == "Last 12 months"
    window.choose("committee")
    assert options.quick_range.currentText() == "Last quarter"
    window.choose("trends")
    assert options.quick_range.currentText() == "Last 12 months"
    options.set_range("Last quarter")
    start, end = options.request().start, options.request().end
    assert start.day == 1 and start.month in (1, 4, 7, 10)
    assert end + timedelta(days=1) == date(
        start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1
    )
    assert end < today and (today - end).days <= 92
    options.set_range("Last 12 months")
    assert options.request().end == today
    assert options.request().start == date(
        today.year - (today.month < 12), (today.month % 12) + 1, 1
    )
    options.set_range("This year")
    assert options.request().start == date(today.year, 1, 1)
    # Typing a day makes the range the user's own again, whichever report is chosen.
    qtbot.keyClicks(options.from_field, "0")
    assert options.quick_range.currentText() == "Custom"
    window.choose("committee")
    assert options.quick_range.currentText() == "Custom"


def test_enter_on_a_figure_asks_for_exactly_its_cases(demo: AppContext, qtbot: QtBot) -> None:
    window = _window(demo, qtbot)
    window.choose("trends")
    window.options.dimension.set_value(Dimension.KIND)
    window.options.granularity.set_value(Granularity.QUARTER)
    _show(window, qtbot, "trends", *FIRST_HALF)
    view = window.page.tables[0]
    model = view.report_model
    index = model.index(0, 2)  # the first kind, the second quarter
    figure = int(model.index(0, 2).data().replace(",", ""))
    assert model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == (
        f"Show these {figure:,} cases in the list"
    )
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) is None

    view.setFocus()
    view.setCurrentIndex(index)
    with qtbot.waitSignal(window.filter_requested) as asked:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    wanted = asked.args[0]
    assert isinstance(wanted, CaseFilter)
    assert wanted.received_from == date(2026, 4, 1) and wanted.received_to == date(2026, 6, 30)
    with demo.db.transaction(read_only=True) as session:
        assert count_cases(session, wanted) == figure

    # A bar of the chart asks for its cases too.
    chart = window.page.charts[0]
    chart.resize(700, 320)
    item = next(i for i in chart.items() if i.case_filter is not None)
    with qtbot.waitSignal(window.filter_requested) as asked:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=item.rect.center().toPoint())
    assert asked.args[0] == item.case_filter


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (("2026-06-30", "2026-01-01"), "last day comes before its first day"),
        (("2026-13-45", "2026-06-30"), "The first day is not a date"),
        (("", "2026-06-30"), "Type the report's first day"),
    ],
)
def test_days_that_cannot_make_a_report_are_a_message(
    ctx: AppContext, qtbot: QtBot, typed: tuple[str, str], said: str
) -> None:
    window = _window(ctx, qtbot)
    window.options.from_field.setText(typed[0])
    window.options.to_field.setText(typed[1])
    qtbot.mouseClick(window.show_button, Qt.MouseButton.LeftButton)
    box = shown_message_box(qtbot)
    assert said in box.text()
    box.close()
    assert window.page.report is None
    assert window.show_button.isEnabled()


def test_a_change_to_the_cases_marks_the_figures_as_older(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    window = _window(ctx, qtbot)
    _show(window, qtbot, "dashboard", *FIRST_HALF)
    assert window.caption.text().startswith("Computed at ")
    ctx.hub.announce(Change.to_case(make_case().id))
    assert "cases have changed since" in window.caption.text()
    _show(window, qtbot, "dashboard", *FIRST_HALF)
    assert "changed" not in window.caption.text()


def test_enter_in_a_day_shows_the_report(ctx: AppContext, qtbot: QtBot) -> None:
    window = _window(ctx, qtbot)
    window.choose("nhs-return")
    window.options.set_dates(*FIRST_HALF)
    with qtbot.waitSignal(window.shown, timeout=20_000):
        qtbot.keyClick(window.options.to_field, Qt.Key.Key_Return)
    wait_idle(qtbot)
    assert window.page.report is not None and window.page.report.name == "nhs-return"
    assert window.output.save_pdf_button.isEnabled()


def test_the_report_is_saved_as_pdf_csv_and_excel(
    demo: AppContext, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(demo, qtbot)
    _show(window, qtbot, "nhs-return", *FIRST_HALF)
    report = window.page.report
    assert report is not None
    suggested: list[Path] = []

    def save(button: QWidget, name: str) -> str:
        def choose(_parent: QWidget | None, proposal: Path) -> Path:
            suggested.append(proposal)
            return tmp_path / name

        window.output.choose_path = choose
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        wait_idle(qtbot)
        box = shown_message_box(qtbot)
        said = box.text()
        box.close()
        return said

    said = save(window.output.save_pdf_button, "return")  # typed without an extension
    assert said == f"“{report.title}” saved to return.pdf\nin {tmp_path}."
    assert suggested[-1].name == "nhs-return-2026-01-01-to-2026-06-30.pdf"
    document = pdfium.PdfDocument(tmp_path / "return.pdf")
    try:
        first_page = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert report.title in first_page

    save(window.output.save_csv_button, "return.csv")
    assert suggested[-1].suffix == ".csv"
    with (tmp_path / "return.csv").open(encoding="utf-8-sig", newline="") as stream:
        cells = [cell for row in csv.reader(stream) for cell in row]
    assert "Received" in cells

    save(window.output.save_xlsx_button, "return.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "return.xlsx")
    values = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    assert "Received" in values
    assert window.caption.text() == "Saved to return.xlsx."
    # Each file that left PR Desk is in the audit trail, with its form.
    with demo.db.transaction(read_only=True) as session:
        logged = session.execute(
            text("SELECT action, details FROM audit_log WHERE entity = 'report' ORDER BY id")
        ).all()
    assert [row[0] for row in logged] == ["export"] * 3
    assert [
        "pdf" in str(logged[0][1]),
        "csv" in str(logged[1][1]),
        "xlsx" in str(logged[2][1]),
    ] == [True] * 3


def test_printing_sends_the_report_s_pages_and_is_recorded(
    ctx: AppContext, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(ctx, qtbot)
    _show(window, qtbot, "nhs-return", *FIRST_HALF)
    report = window.page.report
    assert report is not None
    paper = tmp_path / "printed.pdf"
    asked: list[tuple[str, int]] = []

    def choose_printer(_parent: QWidget | None, *, title: str, pages: int) -> QPrinter:
        asked.append((title, pages))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(paper))
        return printer

    monkeypatch.setattr(PrinterChoice, "ask", choose_printer)
    with qtbot.waitSignal(window.output.printed, timeout=30_000):
        qtbot.mouseClick(window.output.print_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert asked and asked[0][0] == report.title
    document = pdfium.PdfDocument(paper)
    try:
        assert len(document) == asked[0][1]
    finally:
        document.close()
    assert window.caption.text() == "Sent to the printer."
    with ctx.db.transaction(read_only=True) as session:
        logged = session.execute(
            text("SELECT action, details FROM audit_log WHERE entity = 'report'")
        ).all()
    assert [row[0] for row in logged] == ["printed"]
    assert "nhs-return" in str(logged[0][1])


def test_saving_into_a_missing_folder_is_a_message(
    ctx: AppContext, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(ctx, qtbot)
    _show(window, qtbot, "dashboard", *FIRST_HALF)
    window.output.choose_path = lambda _parent, _proposal: tmp_path / "gone" / "report.pdf"
    qtbot.mouseClick(window.output.save_pdf_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    box = shown_message_box(qtbot)
    assert box.windowTitle() == "Report not saved"
    box.close()
    assert window.output.save_pdf_button.isEnabled()


@pytest.mark.qt_log_ignore("does not support raise")
def test_one_window_which_opens_where_it_was_left(ctx: AppContext, qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    first = open_reports(ctx, parent)
    assert open_reports(ctx, parent) is first
    # It fits a small laptop's screen.
    qtbot.waitUntil(lambda: first.minimumSizeHint().width() <= 700)
    first.resize(700, 520)
    first.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))
    again = open_reports(ctx, parent)
    assert (again.width(), again.height()) == (700, 520)
    again.close()


def test_a_thousand_case_department_on_screen(ctx: AppContext, qtbot: QtBot) -> None:
    generate_demo_data(ctx.db, 1000, seed=4)
    window = _window(ctx, qtbot)
    window.resize(1280, 860)
    today = date.today()
    for name in ("compliance", "trends", "nhs-return", "dashboard", "committee"):
        _show(window, qtbot, name, date(today.year - 1, today.month, 1), today)
        shown = window.page.report
        assert shown is not None and shown.name == name and window.page.tables
        save_screenshot(window, f"reports-{name}")


# --- Long tables, one scrollbar at a time -------------------------------------------------


def _all_rows_height(view: ReportTableView) -> int:
    return sum(view.rowHeight(row) for row in range(view.report_model.rowCount()))


def test_the_committee_s_grievance_lines_are_shown_whole_and_the_page_scrolls(
    demo: AppContext, qtbot: QtBot
) -> None:
    window = _window(demo, qtbot)
    window.resize(1200, 760)
    _show(window, qtbot, "committee", date(2025, 1, 1), date.today())

    lines = window.page.tables[-1]
    assert lines.report_model.rowCount() > 100
    assert lines.viewport().height() >= _all_rows_height(lines)
    assert lines.verticalScrollBar().maximum() == 0
    assert window.page.verticalScrollBar().maximum() > _all_rows_height(lines) / 2
    qtbot.waitUntil(window.page.verticalScrollBar().isVisible)
    # Scrolled to the lines: the table is wider than the page, and its own sideways
    # scrollbar is far below; one at the foot of the page moves it.
    content = window.page.widget()
    assert content is not None
    window.page.verticalScrollBar().setValue(lines.mapTo(content, QPoint()).y())
    qtbot.waitUntil(window.page.sideways.isVisible)
    assert lines.horizontalScrollBar().maximum() > 0
    last = lines.report_model.columnCount() - 1
    assert lines.columnViewportPosition(last) > lines.viewport().width() - 20
    window.page.sideways.setValue(window.page.sideways.maximum())
    right_edge = lines.columnViewportPosition(last) + lines.columnWidth(last)
    assert right_edge <= lines.viewport().width()
    window.grab().save("/tmp/shots/committee-lines.png")
    window.page.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: not window.page.sideways.isVisible())


def _long_report(rows: int) -> Report:
    table = ReportTable(
        (ReportColumn("Case"), ReportColumn("Days to resolve", Unit.DAYS)),
        tuple((f"PR-2026-{n:06d}", float(n % 40)) for n in range(rows)),
    )
    return Report(
        "committee",
        "Grievance committee report",
        "1 January 2026 – 30 June 2026",
        (
            Section("Summary", ("Grievances received and how they were answered.",) * 12),
            Section("Grievances received", (), table),
            Section("After the lines", ("The committee's notes.",)),
        ),
        datetime(2026, 7, 1, 9, 0).astimezone(),
    )


def _wheel(qtbot: QtBot, view: ReportTableView, notches: int) -> None:
    """Turns the mouse wheel over the middle of the table, down for positive notches."""
    spot = QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        spot,
        QPointF(view.viewport().mapToGlobal(spot.toPoint())),
        QPoint(),
        QPoint(0, -120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_thousands_of_lines_scroll_in_a_box_as_tall_as_the_page(qtbot: QtBot) -> None:
    page = ReportPage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    page.show_report(_long_report(3000))
    lines = page.tables[0]
    qtbot.waitUntil(lambda: lines.height() == page.viewport().height())
    assert lines.verticalScrollBar().maximum() > 0

    # The wheel over the table moves the page until the table fills it...
    content = page.widget()
    assert content is not None
    where = lines.mapTo(content, QPoint()).y()
    for _ in range(100):
        if page.verticalScrollBar().value() == where:
            break
        _wheel(qtbot, lines, 1)
        assert lines.verticalScrollBar().value() == 0
    assert page.verticalScrollBar().value() == where
    # ...then the table's rows...
    _wheel(qtbot, lines, 1)
    assert lines.verticalScrollBar().value() > 0
    assert page.verticalScrollBar().value() == where
    # ...and past its last row the page again, to what follows it.
    lines.verticalScrollBar().setValue(lines.verticalScrollBar().maximum())
    _wheel(qtbot, lines, 1)
    assert page.verticalScrollBar().value() > where
    # Back up: the page stops where the table fills it, then the table scrolls up.
    for _ in range(20):
        _wheel(qtbot, lines, -1)
    assert page.verticalScrollBar().value() == where
    assert lines.verticalScrollBar().value() < lines.verticalScrollBar().maximum()


# --- Quitting with the window open ---------------------------------------------------------

_QUIT_WITH_REPORTS_OPEN = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from prdesk.domain.database import Database
from prdesk.domain.services import users
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.main_window import MainWindow

app = QApplication([])
db = Database(sys.argv[1])
with db.transaction() as session:
    actor = users.resolve_actor(session, "mgarcia", "María García")
main = MainWindow(AppContext(db, actor, ChangeHub()))
main.show()

def work_then_quit():
    main.show_reports().setGeometry(130, 140, 710, 530)
    QTimer.singleShot(100, main.close)  # File > Quit: the reports window is left open

QTimer.singleShot(100, work_then_quit)
QTimer.singleShot(20_000, lambda: app.exit(3))  # never quit: the test fails
sys.exit(app.exec())
"""


@pytest.mark.qt_log_ignore("does not support raise")
def test_quitting_with_the_window_open_keeps_its_place(ctx: AppContext, qtbot: QtBot) -> None:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    url = ctx.db.engine.url.render_as_string(hide_password=False)
    quit_ = subprocess.run(
        [sys.executable, "-c", _QUIT_WITH_REPORTS_OPEN, url],
        env=environment,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert quit_.returncode == 0, quit_.stderr.decode(errors="replace")[-2000:]

    parent = QWidget()
    qtbot.addWidget(parent)
    again = open_reports(ctx, parent)
    assert (again.width(), again.height()) == (710, 530)
    again.close()
