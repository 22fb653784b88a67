"""Help ▸ Keyboard shortcuts lists every shortcut, and the list stays true to the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

import prdesk.ui
from prdesk.domain.permissions import Action
from prdesk.ui.actions import Actions
from prdesk.ui.context import AppContext
from prdesk.ui.shortcut_list import SCREEN_SHORTCUTS, portable
from prdesk.ui.shortcuts_dialog import ShortcutsDialog, shortcut_rows, show_shortcuts
from tests.gui.conftest import shown_window

UI = Path(prdesk.ui.__file__).parent
# A whole string that is a key sequence ("Ctrl+Shift+A", "F5"), not a sentence naming one.
_KEY_TEXT = re.compile(r"^(?:(?:Ctrl|Alt|Shift|Meta)\+)+\S+$|^F\d{1,2}$")
_MAKES_SHORTCUTS = ("QShortcut(", "setShortcut(", "setShortcuts(", "QKeySequence(")
# Menu commands are declared in SPECS; the list declares everything else.
_NOT_SCREENS = {"actions", "shortcut_list"}


def _shown_rows(dialog: ShortcutsDialog) -> list[tuple[str, str, str]]:
    """(group, keys, what they do) of every line the person can see."""
    rows = []
    tree = dialog.tree
    for index in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(index)
        assert isinstance(group, QTreeWidgetItem)
        for child_index in range(group.childCount()):
            child = group.child(child_index)
            assert isinstance(child, QTreeWidgetItem)
            if not group.isHidden() and not child.isHidden():
                rows.append((group.text(0), child.text(0), child.text(1)))
    return rows


def test_the_list_has_new_case_and_the_case_lists_keys_and_filters_by_typing(
    ctx: AppContext, qtbot: QtBot
) -> None:
    window = shown_window(ctx, qtbot)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)

    (dialog,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutsDialog)]
    qtbot.addWidget(dialog)
    native = QKeySequence("Ctrl+N").toString(QKeySequence.SequenceFormat.NativeText)
    rows = _shown_rows(dialog)
    assert ("File menu", native, "New case…") in rows
    assert ("Case list", "Ctrl+Shift+A", "Assign the selected cases") in rows
    assert ("Timeline", "Ctrl+Return", "Add the step to the timeline") in rows

    qtbot.keyClicks(dialog.filter, "assign")

    rows = _shown_rows(dialog)
    assert ("Case list", "Ctrl+Shift+A", "Assign the selected cases") in rows
    assert all("assign" in f"{where} {does}".lower() for where, _keys, does in rows)
    assert ("File menu", native, "New case…") not in rows

    dialog.filter.clear()
    qtbot.keyClicks(dialog.filter, "ctrl+shift+s")
    assert [does for _where, _keys, does in _shown_rows(dialog)] == [
        "Committee summary of the case, as PDF"
    ]


def test_copy_puts_the_shortcuts_shown_on_the_clipboard(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = Actions(parent)
    dialog = show_shortcuts(parent, actions)
    dialog.filter.setText("letter")

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)

    copied = QApplication.clipboard().text()
    assert copied.startswith("PR Desk keyboard shortcuts")
    assert "Letter composer" in copied and "Save the letter now" in copied
    assert "Quit" not in copied


def test_a_person_sees_only_the_commands_and_screens_their_role_has(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = Actions(parent)
    # Printing and posting letters, and nothing of the cases: a clerk.
    actions.allow(lambda action: action is Action.PRINT_LETTERS)

    rows = shortcut_rows(actions)

    places = {row.where for row in rows}
    does = {row.does for row in rows}
    assert "Print queue" in does and "Quit" in does
    assert "New case…" not in does and "Reports…" not in does
    assert not places & {"Case list", "A case", "Timeline", "Reports window", "Dashboard"}


def _keys_in(source: str) -> set[str]:
    """Every key a module names: key-sequence strings, standard keys and single keys."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _KEY_TEXT.match(node.value):
                found.add(portable(node.value))
        elif isinstance(node, ast.Attribute):
            dotted = ast.unparse(node)
            if dotted.startswith("QKeySequence.StandardKey."):
                found.add(portable(getattr(QKeySequence.StandardKey, node.attr)))
            elif dotted.startswith("Qt.Key.Key_"):
                found.add(portable(getattr(Qt.Key, node.attr)))
    return found


def _module(path: Path) -> str:
    return ".".join(path.relative_to(UI).with_suffix("").parts)


def _declared() -> dict[str, set[str]]:
    declared: dict[str, set[str]] = {}
    for group in SCREEN_SHORTCUTS:
        for shortcut in group.shortcuts:
            if not shortcut.mnemonic:
                keys = (*shortcut.keys, *shortcut.also)
                declared.setdefault(shortcut.source, set()).update(map(portable, keys))
    return declared


def test_every_shortcut_the_screens_make_is_in_the_list() -> None:
    declared = _declared()
    missing = []
    for path in sorted(UI.rglob("*.py")):
        module, source = _module(path), path.read_text(encoding="utf-8")
        if module in _NOT_SCREENS or not any(mark in source for mark in _MAKES_SHORTCUTS):
            continue
        for keys in sorted(_keys_in(source) - declared.get(module, set())):
            missing.append(f"{keys} in prdesk/ui/{path.relative_to(UI)}")
    assert not missing, "add these to prdesk/ui/shortcut_list.py: " + ", ".join(missing)


def test_every_shortcut_in_the_list_is_still_in_its_screen() -> None:
    stale = []
    for group in SCREEN_SHORTCUTS:
        for shortcut in group.shortcuts:
            path = UI.joinpath(*shortcut.source.split(".")).with_suffix(".py")
            assert path.exists(), f"{shortcut.source} is not a module of prdesk/ui"
            source = path.read_text(encoding="utf-8")
            if shortcut.mnemonic:
                (keys,) = shortcut.keys
                letter = shortcut.mnemonic[shortcut.mnemonic.index("&") + 1]
                constants = [
                    n.value
                    for n in ast.walk(ast.parse(source))
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                ]
                if keys != f"Alt+{letter.upper()}" or not any(
                    shortcut.mnemonic in text for text in constants
                ):
                    stale.append(f"{keys} ({shortcut.mnemonic}) in {shortcut.source}")
                continue
            for keys in (*shortcut.keys, *shortcut.also):
                if portable(keys) not in _keys_in(source):
                    stale.append(f"{portable(keys)} in {shortcut.source}")
    assert not stale, "no longer in the code: " + ", ".join(stale)
