"""Alt+letter shortcuts: a screen's own never take the letter of a menu in the menu bar."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from prdesk.ui.context import AppContext
from prdesk.ui.main_window import MainWindow
from tests.gui.conftest import CaseMaker, wait_idle

_MNEMONIC = re.compile(r"&([^&\s])")


def _letters(widget: QWidget) -> set[str]:
    found = set()
    for child in widget.findChildren(QWidget):
        if not child.isVisibleTo(widget):
            continue
        if isinstance(child, (QAbstractButton, QLabel)):
            match = _MNEMONIC.search(child.text().replace("&&", ""))
            if match:
                found.add(match.group(1).lower())
    return found


def test_the_list_and_a_case_leave_the_menu_bar_its_letters(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot)
    menus = {
        match.group(1).lower()
        for action in window.menuBar().actions()
        if (match := _MNEMONIC.search(action.text()))
    }
    assert menus >= {"f", "v", "h"}
    assert not _letters(window.case_list) & menus
    window.tabs.open_case(case.id)
    wait_idle(qtbot)
    view = window.tabs.currentWidget()
    assert view is not window.case_list
    assert not _letters(view) & menus
