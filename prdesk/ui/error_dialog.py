"""The "Unexpected error" dialog: an apology, and a report free of health information for IT.

One dialog at a time: a bug in a paint handler happens again on every repaint, so
repeats are counted in the open dialog instead of stacking new ones.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

import PySide6
import shiboken6
from PySide6.QtCore import Qt, QTimer, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.database import Database
from prdesk.logs import build_report, log_note, log_path, log_report, new_error_id

# Further different errors while the dialog is open are logged and counted, and
# the first few of them shown too; more would bury the first, which matters most.
_MOST_REPORTS_SHOWN = 5

APOLOGY = (
    "Something went wrong inside PR Desk. We are sorry.\n\n"
    "PR Desk is still running, but what you were doing may not have been saved: "
    "check it, and do it again if needed.\n\n"
    "If it happens again, copy the report below and send it to your IT support desk "
    "with what you were doing. The report holds no patient information."
)
TEST_APOLOGY = (
    "This was a test of error reporting, asked for from the Help menu: nothing is wrong "
    "and nothing was lost.\n\n"
    "The report below has also been written to PR Desk's log, so your IT support desk "
    "can check that both work."
)


class ErrorReportTest(Exception):
    """The harmless error Help ▸ Test error reporting raises on purpose."""


def _signature(error: BaseException) -> tuple[object, ...]:
    """What makes two errors the same bug: their type and where they were raised."""
    frames = traceback.extract_tb(error.__traceback__)
    return (type(error), tuple((frame.filename, frame.lineno) for frame in frames))


class ErrorDialog(QDialog):
    """Says sorry, shows the report, and counts the bug's repeats while it is open.

    Attributes:
        reports: the reports shown, the first error's first.
        repeats: how many times the errors shown have happened since it opened.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unexpected error")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.reports: list[str] = []
        self.repeats = 0
        self._ids: list[str] = []
        self._signatures: list[tuple[object, ...]] = []
        self._logged_repeats = 0

        self.apology = QLabel(APOLOGY)
        self.apology.setWordWrap(True)
        self.apology.setTextFormat(Qt.TextFormat.PlainText)
        self.repeat_note = QLabel()
        self.repeat_note.setProperty("role", "hint")
        self.repeat_note.hide()
        self.report_box = QPlainTextEdit()
        self.report_box.setReadOnly(True)
        self.report_box.setAccessibleName("Error report")
        self.report_box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report_box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report_box.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("&Copy report")
        self.copy_button.setToolTip("Put the report on the clipboard, to paste into an email")
        self.copy_button.clicked.connect(self.copy_report)
        self.log_button = QPushButton("Open &log folder")
        self.log_button.setToolTip("Show the folder of PR Desk's log in the file manager")
        self.log_button.clicked.connect(lambda: open_log_folder(self))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.apology)
        layout.addWidget(self.repeat_note)
        layout.addWidget(self.report_box, 1)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 28)
        self.finished.connect(self._on_finished)

    def report_text(self) -> str:
        return self.report_box.toPlainText()

    def copy_report(self) -> None:
        QApplication.clipboard().setText(self.report_text())

    def add(self, error: BaseException, error_id: str, report: str) -> None:
        """Shows a new error's report, or counts a repeat of one already shown."""
        signature = _signature(error)
        if self.reports:
            self.repeats += 1
            self._note_repeat(signature, error_id)
        if signature not in self._signatures and len(self.reports) < _MOST_REPORTS_SHOWN:
            self._signatures.append(signature)
            self._ids.append(error_id)
            self.reports.append(report)
            self.report_box.setPlainText("\n\n".join(self.reports))
        if isinstance(error, ErrorReportTest) and len(self.reports) == 1:
            self.apology.setText(TEST_APOLOGY)
            self.setWindowTitle("Test of error reporting")
        elif not isinstance(error, ErrorReportTest):
            self.apology.setText(APOLOGY)
            self.setWindowTitle("Unexpected error")

    def _note_repeat(self, signature: tuple[object, ...], error_id: str) -> None:
        count = self.repeats + 1
        self.repeat_note.setText(
            f"This has now happened {count} times. Closing this message is safe: "
            "PR Desk tells you again if it happens again."
        )
        self.repeat_note.show()
        if signature in self._signatures:
            first_id = self._ids[self._signatures.index(signature)]
            # A paint handler's bug repeats on every repaint: a line each for the first
            # few, then one in a hundred, so the log keeps its earlier history.
            if count <= 10 or count % 100 == 0:
                log_note(f"Error {first_id} happened again ({count} errors since it was shown)")
                self._logged_repeats = count
        else:
            log_note(f"Error {error_id} happened while error {self._ids[0]} was shown")

    def _on_finished(self, _result: int) -> None:
        if self.repeats and self._logged_repeats != self.repeats + 1:
            log_note(f"Error {self._ids[0]} and its repeats: {self.repeats + 1} errors in all")
        if current_dialog() is self:
            _current.clear()


_current: list[ErrorDialog] = []


def current_dialog() -> ErrorDialog | None:
    """The error dialog on screen, if any."""
    while _current and not shiboken6.isValid(_current[0]):
        _current.clear()
    return _current[0] if _current else None


def report_bug(error: BaseException, parent: QWidget | None = None, *, defer: bool = False) -> None:
    """Logs a bug's report under a new error id and shows it; on the GUI thread only.

    With `defer` the dialog opens once control is back in the event loop: a bug in
    a paint handler must not open a window while the screen is being painted.
    """
    error_id = new_error_id()
    if QApplication.instance() is None:
        log_report(build_report(error, error_id))
        return
    report = build_report(error, error_id, _qt_details(parent))
    log_report(report)
    if defer:
        QTimer.singleShot(0, lambda: _show(error, error_id, report, parent))
    else:
        _show(error, error_id, report, parent)


def _show(error: BaseException, error_id: str, report: str, parent: QWidget | None) -> None:
    dialog = current_dialog()
    if dialog is not None:
        dialog.add(error, error_id, report)
        return
    owner = parent.window() if parent is not None and shiboken6.isValid(parent) else None
    dialog = ErrorDialog(owner)
    _current.append(dialog)
    dialog.add(error, error_id, report)
    dialog.show()


def _qt_details(parent: QWidget | None) -> dict[str, str]:
    front = QApplication.activeWindow()
    if front is None and parent is not None and shiboken6.isValid(parent):
        front = parent.window()
    return {
        "Qt": f"{qVersion()} (PySide6 {PySide6.__version__})",
        "Database": _database_kind(front),
        "Window in front": type(front).__name__ if front is not None else "none",
    }


def _database_kind(front: QWidget | None) -> str:
    """SQLite or PostgreSQL, from the context a window keeps: never its address."""
    # Only windows on screen: one closed earlier may still hold a database it let go of.
    shown = [widget for widget in QApplication.topLevelWidgets() if widget.isVisible()]
    candidates = ([front] if front is not None else []) + shown
    for widget in candidates:
        db = getattr(getattr(widget, "ctx", None), "db", None)
        if isinstance(db, Database):
            return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(db.dialect, db.dialect)
    return "not open yet"


# Replaced in tests, where no file manager may open.
open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl


def open_log_folder(parent: QWidget) -> None:
    """Shows the log's folder in the file manager, or says where it will be."""
    folder = log_path().parent
    if folder.is_dir() and open_url(QUrl.fromLocalFile(str(folder))):
        return
    if folder.is_dir():
        text = f"PR Desk's log is in this folder:\n\n{folder}"
    else:
        text = (
            "PR Desk has not needed to write a log yet. When it does, the log will be in "
            f"this folder:\n\n{folder}"
        )
    box = QMessageBox(QMessageBox.Icon.Information, "Log folder", text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def raise_test_error() -> None:
    """Raises the harmless test error; called from a slot, it shows the dialog and the log line."""
    raise ErrorReportTest("a test of error reporting, asked for from the Help menu")
