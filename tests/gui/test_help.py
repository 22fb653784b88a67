"""The user guide: F1 opens it, its links and Back work, its search finds a topic by a word."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from prdesk.ui import help_window
from prdesk.ui.actions import SPECS
from prdesk.ui.context import AppContext
from prdesk.ui.guide_pages import guide_dir, linked_pages
from prdesk.ui.help_window import HelpWindow, open_user_guide
from prdesk.ui.shortcut_list import SCREEN_SHORTCUTS, portable
from tests.gui.conftest import shown_window


@pytest.fixture(autouse=True)
def no_guide_left_open() -> Iterator[None]:
    """The guide window is shared by the whole application: each test starts without one."""
    yield
    for window in list(help_window._open):
        if shiboken6.isValid(window):
            window.close()
    help_window._open.clear()


def _guide(qtbot: QtBot, topic: str | None = None) -> HelpWindow:
    guide = open_user_guide(None, topic)
    qtbot.addWidget(guide)
    qtbot.waitExposed(guide)
    return guide


def _click_link(qtbot: QtBot, guide: HelpWindow, target: str) -> None:
    """Clicks, with the mouse, the first link on the page that goes to `target`."""
    block = guide.browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == target:
                cursor = QTextCursor(guide.browser.document())
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                spot = guide.browser.cursorRect(cursor).center()
                qtbot.mouseClick(guide.browser.viewport(), Qt.MouseButton.LeftButton, pos=spot)
                return
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {target} on the page")


# Bringing the open window forward again is all the offscreen platform cannot show.
_RAISE = pytest.mark.qt_log_ignore("This plugin does not support raise")


@_RAISE
def test_f1_opens_the_guide_on_its_index(ctx: AppContext, qtbot: QtBot) -> None:
    window = shown_window(ctx, qtbot)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    qtbot.keyClick(window, Qt.Key.Key_F1)

    guides = [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpWindow)]
    assert len(guides) == 1 and guides[0].isVisible()
    guide = guides[0]
    assert guide.page_text().startswith("PR Desk user guide")
    assert guide.contents.currentItem().text() == "PR Desk user guide"
    # F1 again brings the same window forward rather than a second one.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpWindow)] == guides


def test_clicking_a_link_on_the_index_shows_that_page_and_back_returns(qtbot: QtBot) -> None:
    guide = _guide(qtbot)

    _click_link(qtbot, guide, "letters.md")

    qtbot.waitUntil(lambda: guide.current_page() == "letters")
    assert guide.page_text().startswith("Letters")
    assert "What a grievance response must contain" in guide.page_text()
    assert guide.contents.currentItem().text() == "Letters"
    assert guide.back_button.isEnabled()

    qtbot.keyClick(guide.browser, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert guide.current_page() == "index"
    assert guide.page_text().startswith("PR Desk user guide")  # rendered, not raw Markdown
    qtbot.keyClick(guide.browser, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert guide.current_page() == "letters"


def test_searching_for_approve_finds_the_letters_page(qtbot: QtBot) -> None:
    guide = _guide(qtbot)

    qtbot.keyClicks(guide.search, "approve")

    assert "Letters" in guide.visible_topics()
    assert "Reports and the dashboard" not in guide.visible_topics()
    qtbot.keyClick(guide.search, Qt.Key.Key_Return)
    assert guide.current_page() == "letters"
    assert guide.browser.textCursor().selectedText().lower() == "approve"

    guide.search.clear()
    qtbot.keyClicks(guide.search, "xylophone")
    assert guide.visible_topics() == []
    assert guide.no_match.isVisible()


@_RAISE
def test_a_topic_asked_for_opens_in_the_window_already_open(qtbot: QtBot) -> None:
    guide = _guide(qtbot)

    again = open_user_guide(None, "for-it")

    assert again is guide
    assert guide.page_text().startswith("For IT support")
    assert "prdesk --self-test" in guide.page_text()


def test_every_page_linked_from_the_index_exists_and_every_page_is_linked() -> None:
    folder = guide_dir()
    pages = {path.stem for path in folder.glob("*.md")}
    from_index = linked_pages((folder / "index.md").read_text(encoding="utf-8"))

    assert set(from_index) <= pages, "the index links to pages that are missing"
    assert pages - {"index"} == set(from_index), "pages the index does not link to"
    for name in pages:
        text = (folder / f"{name}.md").read_text(encoding="utf-8")
        assert text.startswith("# "), f"{name}.md has no title"
        assert set(linked_pages(text)) <= pages, f"{name}.md links to a missing page"
        # Plain words for people new to PR Desk: a few hundred words a topic.
        assert len(re.findall(r"\w+", text)) < 650, f"{name}.md is too long"


def test_every_key_the_keyboard_page_names_is_a_shortcut_pr_desk_has(qtbot: QtBot) -> None:
    # (qtbot: a standard key's bindings come from the running application's platform.)
    known = {portable(spec.shortcut) for spec in SPECS if spec.shortcut}
    for group in SCREEN_SHORTCUTS:
        for shortcut in group.shortcuts:
            for keys in shortcut.keys:
                known.add(portable(keys))
                # A standard key is pressed as its binding: Del, Ctrl+F.
                known.add(QKeySequence(keys).toString(QKeySequence.SequenceFormat.PortableText))
    text = (guide_dir() / "keyboard.md").read_text(encoding="utf-8")
    named = [
        keys.strip()
        for line in text.splitlines()
        if line.startswith("| ") and not line.startswith("| Keys")
        for keys in re.split(r",|/", line.split("|")[1])
    ]

    assert named, "the keyboard page has no table of keys"
    unknown = [keys for keys in named if portable(keys) not in known]
    assert not unknown, f"keyboard.md names keys PR Desk does not have: {unknown}"
