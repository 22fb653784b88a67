"""The Letters tab of a case: a new letter from a template, the list, opening a letter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prdesk.domain.enums import LetterStatus
from prdesk.domain.models import Letter
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import cases, letters
from prdesk.domain.services.case_input import PersonInput
from prdesk.ui.case_view import CaseView
from prdesk.ui.context import AppContext
from prdesk.ui.letters_panel import composer_of
from prdesk.ui.new_letter_dialog import LetterChoice, NewLetterDialog
from tests.gui.conftest import CaseMaker, wait_idle
from tests.support.builders import phone_complaint


def open_letters_tab(ctx: AppContext, qtbot: QtBot, detail: CaseDetail) -> CaseView:
    """The case in its tab with the Letters tab in front, as a coordinator opens it."""
    view = CaseView(ctx, detail.id)
    qtbot.addWidget(view)
    ctx.hub.changed.connect(view.on_changed)
    view.resize(1280, 760)
    view.show()
    qtbot.waitUntil(lambda: view.detail is not None)
    view.work.setCurrentWidget(view.letters)
    wait_idle(qtbot)
    return view


def table_text(view: CaseView) -> list[list[str]]:
    model = view.letters.model
    return [
        [str(model.index(row, column).data()) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def close_composers(view: CaseView) -> None:
    model = view.letters.model
    for row in range(model.rowCount()):
        letter = model.letter(row)
        composer = composer_of(letter.id) if letter else None
        if composer is not None:
            composer.close()


def test_new_letter_drafts_it_lists_it_and_opens_the_composer(
    ctx: AppContext,
    qtbot: QtBot,
    make_case: CaseMaker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    detail = make_case("Nguyễn Thị Hương")
    view = open_letters_tab(ctx, qtbot, detail)
    assert view.letters.empty_label.isVisibleTo(view)
    asked: list[CaseDetail] = []

    def choose(parent: object, case: CaseDetail) -> LetterChoice:
        asked.append(case)
        return LetterChoice("acknowledgement", "en")

    monkeypatch.setattr(NewLetterDialog, "ask", choose)
    with qtbot.waitSignal(view.letters.opened, timeout=20_000) as opened:
        qtbot.keyClick(view.letters.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert asked[0].id == detail.id
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: view.letters.model.rowCount() == 1)

    subject, kind, language, status, _date, by = table_text(view)[0]
    assert (kind, language, status, by) == ("Acknowledgement", "English", "Draft", "María García")
    assert subject.startswith("Your complaint")
    assert view.work.tabText(view.work.indexOf(view.letters)) == "Letters (1)"
    with ctx.db.transaction(read_only=True) as session:
        stored = session.scalars(select(Letter)).one()
    assert (stored.id, stored.status, stored.case_id) == (
        opened.args[0],
        LetterStatus.DRAFT,
        detail.id,
    )
    composer = composer_of(stored.id)
    assert composer is not None and composer.isVisible()
    qtbot.waitUntil(lambda: composer.letter() is not None)
    assert "Submit for approval" in [a.text().replace("&", "") for a in composer.toolbar.actions()]

    # Opening it again brings the same window forward.
    view.letters.select_letter(stored.id)
    assert view.letters.open_letter(stored.id) is composer
    composer.close()
    wait_idle(qtbot)


def test_the_language_is_the_addressees_when_the_template_has_it(
    ctx: AppContext, qtbot: QtBot
) -> None:
    spanish = phone_complaint(
        "Rosa Martínez", patient=PersonInput("Rosa Martínez", preferred_language="es")
    )
    chinese = phone_complaint("Li Wei", patient=PersonInput("Li Wei", preferred_language="zh"))
    with ctx.db.transaction() as session:
        rosa = cases.open_case(session, ctx.actor, spanish)
        li = cases.open_case(session, ctx.actor, chinese)

    dialog = NewLetterDialog(rosa)
    qtbot.addWidget(dialog)
    titles = [dialog.template.itemText(i) for i in range(dialog.template.count())]
    assert len(titles) == 7 and "Grievance determination / resolution" in titles
    assert dialog.language.currentText() == "Spanish"
    assert not dialog.note.isVisibleTo(dialog)
    assert dialog.value() == LetterChoice("acknowledgement", "es")

    dialog = NewLetterDialog(li)
    qtbot.addWidget(dialog)
    dialog.select_template("determination")
    assert dialog.language.currentText() == "English"
    assert dialog.note.text() == "Not available in Chinese; written in English"
    dialog.select_language("es")
    assert dialog.note.text() == ""
    assert dialog.value() == LetterChoice("determination", "es")


def test_letters_are_listed_newest_first_with_what_a_coordinator_needs(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, qtmodeltester: object
) -> None:
    detail = make_case("Ana Souza")
    with ctx.db.transaction() as session:
        letters.draft_letter(session, ctx.actor, detail.id, "acknowledgement")
        letters.draft_letter(session, ctx.actor, detail.id, "extension", language="es")
    view = open_letters_tab(ctx, qtbot, detail)
    rows = table_text(view)
    assert [row[1:4] for row in rows] == [
        ["Still investigating (extension)", "Spanish", "Draft"],
        ["Acknowledgement", "English", "Draft"],
    ]
    assert view.work.tabText(view.work.indexOf(view.letters)) == "Letters (2)"
    qtmodeltester.check(view.letters.model)  # type: ignore[attr-defined]

    # Nothing selected: nothing to act on.
    assert not view.letters.open_button.isEnabled()
    assert not view.letters.letter_actions.print.isEnabled()
    view.letters.table.selectRow(1)
    assert view.letters.open_button.isEnabled()
    assert "Drafted by María García" in view.letters.detail_label.text()
    assert view.letters.letter_actions.discard.isEnabled()
    assert not view.letters.letter_actions.correct.isEnabled()  # only sent letters are corrected
    assert not view.letters.letter_actions.print.isEnabled()  # a draft is not printed

    # Enter opens the composer for the selected letter.
    with qtbot.waitSignal(view.letters.opened, timeout=20_000):
        view.letters.table.setFocus()
        view.letters.table.activated.emit(view.letters.model.index(1, 0))
    wait_idle(qtbot)
    close_composers(view)
    wait_idle(qtbot)


def test_the_letters_tab_on_screen(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    detail = make_case("Nguyễn Thị Hương", complainant="Trần Minh Anh")
    with ctx.db.transaction() as session:
        letters.draft_letter(session, ctx.actor, detail.id, "acknowledgement")
        letters.draft_letter(session, ctx.actor, detail.id, "determination")
    view = open_letters_tab(ctx, qtbot, detail)
    view.letters.table.selectRow(0)


def test_the_letters_tab_leaves_the_menu_bar_its_letters(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    from prdesk.ui.main_window import MainWindow
    from tests.gui.test_mnemonics import _MNEMONIC, _letters

    case = make_case()
    with ctx.db.transaction() as session:
        letters.draft_letter(session, ctx.actor, case.id, "acknowledgement")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot)
    view = window.tabs.open_case(case.id) if window.tabs else None
    assert view is not None
    wait_idle(qtbot)
    view.work.setCurrentWidget(view.letters)
    menus = {
        match.group(1).lower()
        for action in window.menuBar().actions()
        if (match := _MNEMONIC.search(action.text()))
    }
    assert not _letters(view) & menus
    letters_tab = _letters(view.letters)
    rest_of_case: set[str] = set()
    for child in view.findChildren(QWidget):
        if (
            child.isVisibleTo(view)
            and not view.letters.isAncestorOf(child)
            and isinstance(child, (QAbstractButton, QLabel))
            and (match := _MNEMONIC.search(child.text().replace("&&", "")))
        ):
            rest_of_case.add(match.group(1).lower())
    assert letters_tab and not letters_tab & rest_of_case


def test_letter_settings_open_from_the_menus_for_those_allowed(
    ctx: AppContext, qtbot: QtBot
) -> None:
    from prdesk.domain.enums import Role
    from prdesk.domain.readmodels import UserInfo
    from prdesk.ui.changes import ChangeHub
    from prdesk.ui.letter_template_editor import LetterTemplateEditor
    from prdesk.ui.letterhead_dialog import LetterheadDialog
    from prdesk.ui.main_window import MainWindow
    from prdesk.ui.signature_dialog import SignatureDialog
    from tests.support.builders import colleague

    window = MainWindow(ctx)  # the administrator
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot)
    for key, screen in (
        ("letterhead", LetterheadDialog),
        ("signature", SignatureDialog),
        ("letter_templates", LetterTemplateEditor),
    ):
        window.commands[key].trigger()
        wait_idle(qtbot)
        opened = window.findChild(screen)
        assert opened is not None and opened.isVisible(), key
        opened.close()
        wait_idle(qtbot)

    lee = colleague(ctx.db, "jlee", "Jamie Lee", Role.REPRESENTATIVE)
    as_rep = AppContext(
        ctx.db, UserInfo(lee.id, lee.username, lee.display_name, lee.role), ChangeHub()
    )
    rep_window = MainWindow(as_rep)
    qtbot.addWidget(rep_window)
    wait_idle(qtbot)
    assert rep_window.commands["signature"].isEnabled()
    assert not rep_window.commands["letterhead"].isEnabled()
    assert not rep_window.commands["letter_templates"].isEnabled()
