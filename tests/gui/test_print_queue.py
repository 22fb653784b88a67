"""The print queue: a clerk prints approved letters in one job and marks them mailed."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prdesk.domain.enums import LetterStatus, Role, SendMethod
from prdesk.domain.models import Letter
from prdesk.domain.readmodels import CaseDetail, LetterInfo, PrintQueueItem, UserInfo
from prdesk.domain.services import letter_workflow, letters
from prdesk.export.letter_files import letter_pdf, page_count
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.letter_printing import PrinterChoice, paint_pdf
from prdesk.ui.main_window import MainWindow
from prdesk.ui.print_queue import PrintQueue
from prdesk.ui.print_queue_model import PrintQueueModel
from tests.gui.conftest import CaseMaker, wait_idle
from tests.support.builders import colleague


def approved(ctx: AppContext, case: CaseDetail, key: str = "acknowledgement") -> LetterInfo:
    with ctx.db.transaction() as session:
        letter = letters.draft_letter(session, ctx.actor, case.id, key)
        return letter_workflow.approve_letter(session, ctx.actor, letter.id, letter.version)


def clerk_context(ctx: AppContext) -> AppContext:
    clerk = colleague(ctx.db, "tfront", "Tom Front", Role.CLERK)
    return AppContext(
        ctx.db, UserInfo(clerk.id, clerk.username, clerk.display_name, Role.CLERK), ChangeHub()
    )


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def shown_queue(ctx: AppContext, qtbot: QtBot) -> PrintQueue:
    queue = PrintQueue(ctx)
    qtbot.addWidget(queue)
    ctx.hub.changed.connect(queue.on_changed)
    queue.resize(1100, 400)
    queue.show()
    wait_idle(qtbot)
    return queue


def rows(model: PrintQueueModel) -> list[list[str]]:
    return [
        [str(model.index(row, column).data()) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_a_clerk_sees_approved_letters_and_not_drafts(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, qtmodeltester: object
) -> None:
    ana = make_case("Ana Souza")
    hoa = make_case("Nguyễn Thị Hương", complainant="Trần Minh Anh")
    letter = approved(ctx, hoa)
    with ctx.db.transaction() as session:
        letters.draft_letter(session, ctx.actor, ana.id, "acknowledgement")
    queue = shown_queue(clerk_context(ctx), qtbot)

    assert rows(queue.model) == [
        [
            hoa.number,
            "Trần Minh Anh",
            "4 Oak Avenue",
            letter.subject,
            "María García",
            rows(queue.model)[0][5],
            "",
            "Approved, to print",
        ]
    ]
    assert queue.count_label.text() == "1 letter waiting"
    qtmodeltester.check(queue.model)  # type: ignore[attr-defined]
    assert not queue.print_button.isEnabled()
    queue.table.selectAll()
    assert queue.print_button.isEnabled() and not queue.mail_button.isEnabled()


def test_printing_the_selection_finalises_prints_one_job_and_marks_them_mailed(
    ctx: AppContext,
    qtbot: QtBot,
    make_case: CaseMaker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = approved(ctx, make_case("Ana Souza"))
    second = approved(ctx, make_case("Nguyễn Thị Hương", complainant="Trần Minh Anh"))
    clerk = clerk_context(ctx)
    queue = shown_queue(clerk, qtbot)
    output = tmp_path / "job.pdf"
    asked: list[tuple[str, int]] = []

    def choose_printer(parent: QWidget | None, *, title: str, pages: int) -> QPrinter:
        asked.append((title, pages))
        return pdf_printer(output)

    monkeypatch.setattr(PrinterChoice, "ask", choose_printer)
    queue.table.selectAll()
    with qtbot.waitSignal(queue.printed, timeout=30_000) as printed:
        queue.print_button.click()
    wait_idle(qtbot)

    assert sorted(printed.args[0]) == sorted([first.id, second.id])
    with ctx.db.transaction(read_only=True) as session:
        kept = session.scalars(select(Letter).order_by(Letter.id)).all()
        assert [letter.status for letter in kept] == [LetterStatus.FINALISED] * 2
        expected = sum(letter.page_count or 0 for letter in kept)
    assert asked == [("2 letters", expected)]
    assert len(pypdf.PdfReader(output).pages) == expected
    qtbot.waitUntil(lambda: rows(queue.model)[0][7].startswith("Printed "))
    assert rows(queue.model)[0][7].endswith("by Tom Front, to post")

    # A second print run asks first: each letter is posted once.
    reprints: list[list[int]] = []

    def decline(parent: QWidget, items: list[PrintQueueItem]) -> bool:
        reprints.append([item.letter_id for item in items])
        return False

    queue.confirm_reprint = decline
    asked.clear()
    queue.table.selectAll()
    queue.print_button.click()
    wait_idle(qtbot)
    assert sorted(reprints[0]) == sorted([first.id, second.id]) and asked == []
    assert "Printed 2 letters" in queue.info.text()
    assert queue.mail_button.isEnabled()  # the printed letters stay selected

    with qtbot.waitSignal(queue.mailed, timeout=30_000):
        queue.mail_button.click()
    wait_idle(qtbot)
    with ctx.db.transaction(read_only=True) as session:
        sent = session.scalars(select(Letter).order_by(Letter.id)).all()
        assert [(s.status, s.sent_via, s.sent_on, s.sent_by_name) for s in sent] == [
            (LetterStatus.SENT, SendMethod.MAIL.value, date.today(), "Tom Front")
        ] * 2
    qtbot.waitUntil(lambda: queue.model.rowCount() == 0)
    assert queue.empty_label.isVisible()


def test_printing_a_letter_to_a_pdf_file_gives_its_pages(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = make_case("Nguyễn Thị Hương")
    with ctx.db.transaction() as session:
        letter = letters.draft_letter(session, ctx.actor, case.id, "determination")
    pdf = letter_pdf(ctx.db, ctx.actor, letter.id)
    output = tmp_path / "printed.pdf"
    assert page_count(pdf) >= 2  # the grievance response runs over a page
    assert paint_pdf(pdf, pdf_printer(output)) == page_count(pdf)
    printed = pypdf.PdfReader(output)
    assert len(printed.pages) == page_count(pdf)
    # At its true size, so the address sits in the envelope's window.
    original = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert round(printed.pages[0].mediabox.width) == round(original.width)
    assert round(printed.pages[0].mediabox.height) == round(original.height)

    two_copies = pdf_printer(tmp_path / "copies.pdf")
    two_copies.setCopyCount(2)
    paint_pdf(pdf, two_copies)
    assert len(pypdf.PdfReader(tmp_path / "copies.pdf").pages) == 2 * page_count(pdf)

    second_page = pdf_printer(tmp_path / "page2.pdf")
    second_page.setPrintRange(QPrinter.PrintRange.PageRange)
    second_page.setFromTo(2, 2)
    assert paint_pdf(pdf, second_page) == 1
    assert len(pypdf.PdfReader(tmp_path / "page2.pdf").pages) == 1


def test_a_clerks_window_is_the_print_queue_and_no_case_list(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    approved(ctx, make_case("Ana Souza"))
    clerk = clerk_context(ctx)
    window = MainWindow(clerk)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot)
    assert window.case_list is None and window.tabs is None
    assert window.print_queue.isVisible()
    qtbot.waitUntil(lambda: window.print_queue.model.rowCount() == 1)
    for key in ("new_case", "find", "close_tab", "workload", "letter_templates", "signature"):
        assert not window.commands[key].isEnabled(), key
    for key in ("new_case", "find", "close_tab", "workload"):
        assert not window.commands[key].isVisible(), key
    assert window.commands["print_queue"].isEnabled()


def test_a_coordinator_opens_the_print_queue_from_the_view_menu(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    approved(ctx, make_case("Ana Souza"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot)
    assert window.print_queue_dock is not None and not window.print_queue_dock.isVisible()
    window.commands["print_queue"].trigger()
    assert window.print_queue_dock.isVisible()
    qtbot.waitUntil(lambda: window.print_queue.model.rowCount() == 1)
    assert window.commands["print_queue"].shortcut().toString() == "Ctrl+Shift+P"


def test_a_clerk_reads_a_letter_before_printing_it(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    from prdesk.ui.letters_panel import composer_of

    letter = approved(ctx, make_case("Ana Souza"))
    clerk = clerk_context(ctx)
    queue = shown_queue(clerk, qtbot)
    queue.table.activated.emit(queue.model.index(0, 0))
    composer = composer_of(letter.id)
    assert composer is not None
    qtbot.waitUntil(lambda: composer.letter() is not None)
    wait_idle(qtbot)
    assert not composer.editable()
    actions = {action.text(): action for action in composer.toolbar.actions()}
    assert actions["&Print…"].isEnabled()
    assert not actions["&Approve…"].isEnabled() and not actions["Correct…"].isEnabled()
    composer.close()
    wait_idle(qtbot)


def test_letters_approved_at_another_workstation_show_up_by_themselves(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prdesk.ui import print_queue

    monkeypatch.setattr(print_queue, "POLL_MS", 100)
    queue = shown_queue(clerk_context(ctx), qtbot)
    assert queue.model.rowCount() == 0 and queue.empty_label.isVisible()
    approved(ctx, make_case("Ana Souza"))  # nothing announced on this workstation's hub
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1, timeout=5_000)
    wait_idle(qtbot)
