"""Alt+letter shortcuts: each leads to one place, and never takes the letter of a menu."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMainWindow, QTabBar, QWidget
from pytestqt.qtbot import QtBot

from prdesk.ui.context import AppContext
from prdesk.ui.main_window import MainWindow
from tests.gui.conftest import CaseMaker, wait_idle
from tests.gui.test_accessibility import SCREENS, build_screen

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
    assert window.case_list is not None and window.tabs is not None
    assert not _letters(window.case_list) & menus
    window.tabs.open_case(case.id)
    wait_idle(qtbot)
    view = window.tabs.currentWidget()
    assert view is not window.case_list
    assert not _letters(view) & menus


def _shown_letters(window: QWidget) -> list[tuple[str, QWidget]]:
    """The text of every label, button, tab and menu title of the window that is on screen."""
    texts: list[tuple[str, QWidget]] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        if isinstance(widget, (QAbstractButton, QLabel)):
            texts.append((widget.text(), widget))
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            texts.append((widget.title(), widget))
        elif isinstance(widget, QTabBar):
            texts += [(widget.tabText(i), widget) for i in range(widget.count())]
    if isinstance(window, QMainWindow) and window.menuWidget() is not None:
        bar = window.menuBar()
        texts += [(action.text(), bar) for action in bar.actions() if action.isVisible()]
    return [(text, widget) for text, widget in texts if _MNEMONIC.search(text.replace("&&", ""))]


def letter_problems(window: QWidget) -> list[str]:
    """Alt letters taken twice, and labels whose Alt letter leads nowhere (no buddy)."""
    seen: dict[str, list[str]] = {}
    problems = []
    for text, widget in _shown_letters(window):
        match = _MNEMONIC.search(text.replace("&&", ""))
        assert match is not None
        seen.setdefault(match.group(1).lower(), []).append(text)
        if isinstance(widget, QLabel) and widget.buddy() is None:
            problems.append(f"{text!r} has an Alt letter but no field to go to")
    problems += [
        f"Alt+{key.upper()} is each of {', '.join(map(repr, texts))}"
        for key, texts in seen.items()
        if len(texts) > 1
    ]
    return problems


@pytest.mark.parametrize("name", SCREENS)
def test_each_alt_letter_leads_to_one_place(name: str, request: pytest.FixtureRequest) -> None:
    window = build_screen(name, "alt letters", request)
    problems = letter_problems(window)
    assert not problems, "\n".join(problems)
