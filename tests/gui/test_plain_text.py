"""What people type is shown as they typed it, never read as HTML (a name like "<h1>X</h1>")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import TimelineKind
from prdesk.domain.services import timeline
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.ui.context import AppContext
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.main_window import MainWindow
from tests.gui.conftest import CaseMaker, wait_idle

PATIENT = "<b>Bold</b> <i>x</i>"
DAUGHTER = '<h1>Mai</h1><img src="file:///etc/passwd">'


def _labels_showing(root: QWidget, text: str) -> list[QLabel]:
    return [label for label in root.findChildren(QLabel) if text in label.text()]


def test_names_that_look_like_html_are_shown_as_typed(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    detail = make_case(PATIENT, complainant=DAUGHTER)
    with ctx.db.transaction() as session:
        timeline.add_entry(
            session,
            ctx.actor,
            detail.id,
            NewTimelineEntry(
                kind=TimelineKind.NOTE, summary="Called back", body="<b>not bold</b> & kept"
            ),
        )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.tabs.open_case(detail.id)
    qtbot.waitUntil(lambda: view.detail is not None)
    wait_idle(qtbot)

    assert view.details.patient.value("Name") == PATIENT
    assert view.details.complainant.value("Name") == DAUGHTER
    shown = _labels_showing(window, PATIENT) + _labels_showing(window, DAUGHTER)
    assert len(shown) >= 2
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in shown)
    (entry,) = view.timeline.model.visible_entries()
    assert view.timeline.select_entry(entry.id)
    assert "<b>not bold</b> & kept" in view.timeline.detail.body_text()

    # The empty list repeats the search as typed.
    window.tabs.show_list()
    window.case_list.search.setText("<i>nobody</i>")
    qtbot.waitUntil(lambda: window.case_list.model.total == 0)
    empty = window.case_list.empty_state
    assert empty.text() == "No cases match “<i>nobody</i>”."
    assert empty.textFormat() == Qt.TextFormat.PlainText
    assert window.case_list.count_label.textFormat() == Qt.TextFormat.PlainText


def test_messages_and_field_errors_are_plain_text(qtbot: QtBot) -> None:
    bar = InfoBar()
    qtbot.addWidget(bar)
    bar.show_message("Saved the letter to <b>C:\\Letters\\ack.pdf</b>")
    assert bar.text() == "Saved the letter to <b>C:\\Letters\\ack.pdf</b>"
    (label,) = _labels_showing(bar, "<b>C:")
    assert label.textFormat() == Qt.TextFormat.PlainText

    form = QWidget()
    qtbot.addWidget(form)
    errors = FieldErrors()

    layout = QVBoxLayout(form)
    layout.addWidget(errors.wrap("name", QLineEdit()))
    errors.show({"name": "“<img src=x>” is not a name."})
    assert errors.message("name") == "“<img src=x>” is not a name."
    (label,) = _labels_showing(form, "<img")
    assert label.textFormat() == Qt.TextFormat.PlainText
