"""A bug shows one "Unexpected error" dialog with a report IT can use, and PR Desk goes on working."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from prdesk.domain import schema
from prdesk.domain.database import Database
from prdesk.logs import log_path
from prdesk.ui import about, error_dialog, error_reports
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.error_dialog import ErrorDialog, current_dialog
from prdesk.ui.main_window import MainWindow
from prdesk.ui.new_case_dialog import NewCaseDialog
from prdesk.ui.startup import Startup
from prdesk.ui.startup_window import StartupWindow
from tests.gui.conftest import shown_window, wait_idle

PATIENT = "Jolanta Wiśniewska-Okonkwo"
MRN = "MRN00987654"


def failing_about(*_args: object) -> None:
    """A bug whose message and local values hold the patient it choked on."""
    patient_name = PATIENT
    record_number = MRN
    raise LookupError(f"no letter address for {patient_name} ({record_number})")


@pytest.fixture(autouse=True)
def excepthook() -> Iterator[None]:
    """PR Desk's own hook, as the application installs it; the dialog closed after."""
    restore = error_reports.install_excepthook()
    yield
    restore()
    dialog = current_dialog()
    if dialog is not None:
        dialog.close()


def logged() -> str:
    return log_path().read_text(encoding="utf-8") if log_path().exists() else ""


def shown_dialog(qtbot: QtBot) -> ErrorDialog:
    def visible() -> bool:
        dialog = current_dialog()
        return dialog is not None and dialog.isVisible()

    qtbot.waitUntil(visible)
    dialog = current_dialog()
    assert dialog is not None
    return dialog


def error_id(report: str) -> str:
    found = re.search(r"^Error id: (\S+)$", report, re.MULTILINE)
    assert found is not None
    return found.group(1)


def failing_window(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> tuple[MainWindow, Callable[[], None]]:
    window = shown_window(ctx, qtbot)
    monkeypatch.setattr(about, "show_about", failing_about)
    return window, window.commands["about"].trigger


def test_a_bug_in_a_menu_command_shows_a_report_without_the_patient(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, about = failing_window(ctx, qtbot, monkeypatch)
    about()
    dialog = shown_dialog(qtbot)

    assert dialog.windowTitle() == "Unexpected error"
    assert "PR Desk is still running" in dialog.apology.text()
    report = dialog.report_text()
    assert "builtins.LookupError at" in report
    assert re.search(r"tests/gui/test_error_dialog\.py:\d+ in failing_about", report)
    assert "Database: SQLite" in report
    assert "Window in front: MainWindow" in report
    assert str(Path.home()) not in report
    for secret in (PATIENT, "Wiśniewska", MRN, "00987654", "letter address"):
        assert secret not in report
    # IT matches a pasted report to the log by its id.
    log = logged()
    assert f"Error id: {error_id(report)}" in log
    assert "in failing_about" in log
    assert PATIENT not in log and MRN not in log and "Wiśniewska" not in log

    dialog.copy_button.click()
    assert QApplication.clipboard().text() == report

    # The window still works: the next command opens the new case form.
    window.commands["new_case"].trigger()
    forms = [w for w in QApplication.topLevelWidgets() if isinstance(w, NewCaseDialog)]
    assert len(forms) == 1 and forms[0].isVisible()
    forms[0].close()


def test_a_bug_that_repeats_gives_one_dialog_that_counts(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _window, about = failing_window(ctx, qtbot, monkeypatch)
    about()
    dialog = shown_dialog(qtbot)
    about()
    qtbot.waitUntil(lambda: dialog.repeat_note.isVisible())

    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog)]
    assert [d for d in dialogs if d.isVisible()] == [dialog]
    assert "This has now happened 2 times" in dialog.repeat_note.text()
    assert dialog.report_text().count("Error id:") == 1
    assert f"Error {error_id(dialog.report_text())} happened again" in logged()


def test_a_bug_in_painting_is_reported_once_and_counted(qtbot: QtBot) -> None:
    class BrokenChart(QWidget):
        def paintEvent(self, _event: QPaintEvent) -> None:
            patient_name = PATIENT
            raise ValueError(patient_name)

    chart = BrokenChart()
    qtbot.addWidget(chart)
    chart.show()
    dialog = shown_dialog(qtbot)
    chart.update()
    qtbot.waitUntil(lambda: dialog.repeats >= 1)
    chart.hide()
    assert "in paintEvent" in dialog.report_text()
    assert PATIENT not in dialog.report_text()
    assert len([w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog)]) == 1


def test_a_bug_in_the_background_goes_to_the_same_dialog(ctx: AppContext, qtbot: QtBot) -> None:
    window = shown_window(ctx, qtbot)

    def work(_session: object) -> None:
        raise RuntimeError(f"Failing row contains ({PATIENT}, {MRN})")

    ctx.operation(window, work).run()
    dialog = shown_dialog(qtbot)
    wait_idle(qtbot)
    assert "builtins.RuntimeError at" in dialog.report_text()
    assert PATIENT not in dialog.report_text() and MRN not in dialog.report_text()


def test_help_test_error_reporting_shows_the_dialog_and_says_it_was_a_test(
    ctx: AppContext, qtbot: QtBot
) -> None:
    window = shown_window(ctx, qtbot)
    window.commands["test_error"].trigger()
    dialog = shown_dialog(qtbot)
    assert dialog.windowTitle() == "Test of error reporting"
    assert "nothing is wrong" in dialog.apology.text()
    assert "prdesk.ui.error_dialog.ErrorReportTest at" in dialog.report_text()
    assert f"Error id: {error_id(dialog.report_text())}" in logged()


def test_a_bug_while_starting_shows_the_dialog_before_any_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_db: Database, **_options: bool) -> None:
        raise RuntimeError(f"cannot read {PATIENT}")

    monkeypatch.setattr(schema, "ensure_ready", broken)
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    splash = StartupWindow(db.display_name)
    qtbot.addWidget(splash)
    splash.show()
    startup = Startup(db, "mgarcia", "María García", ChangeHub(), splash)
    startup.ask_retry = lambda message: False  # type: ignore[method-assign]  # quit
    with qtbot.waitSignal(startup.gave_up, timeout=10_000):
        startup.start()
    dialog = shown_dialog(qtbot)
    assert "Database: not open yet" in dialog.report_text()
    assert PATIENT not in dialog.report_text()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert not [box for box in boxes if box.isVisible()]
    wait_idle(qtbot)
    db.dispose()


def test_the_log_folder_opens_or_says_where_it_will_be(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = shown_window(ctx, qtbot)
    opened: list[str] = []

    def file_manager(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(error_dialog, "open_url", file_manager)
    assert not log_path().parent.exists()
    window.commands["log_folder"].trigger()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    box = next(b for b in boxes if b.isVisible() and b.windowTitle() == "Log folder")
    assert "has not needed to write a log yet" in box.text()
    assert str(log_path().parent) in box.text()
    box.close()

    window.commands["test_error"].trigger()
    shown_dialog(qtbot).log_button.click()
    assert opened == [str(log_path().parent)]
    assert QUrl.fromLocalFile(opened[0]).isLocalFile()
