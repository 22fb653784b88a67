"""What a screen reader and the Tab key make of a window: names, reading order, traps."""

from __future__ import annotations

import itertools
from collections.abc import Collection

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

_INPUTS = (
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractButton,
    QAbstractItemView,
    QTabBar,
)


def _part_of_another_control(widget: QWidget) -> bool:
    """A combo box's line edit, a spin box's editor, a tab bar's arrows, a table's cell editor."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QTabBar, QAbstractItemView)):
            return True
        parent = parent.parentWidget()
    return False


def controls(window: QWidget) -> list[QWidget]:
    """Every visible widget of the window that Tab can land on, in creation order."""
    return [
        widget
        for widget in window.findChildren(QWidget)
        if widget.isVisible()
        and widget.window() is window
        and isinstance(widget, _INPUTS)
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
        and not isinstance(widget, QHeaderView)
        and not _part_of_another_control(widget)
    ]


def _buddy_text(widget: QWidget) -> str:
    for label in widget.window().findChildren(QLabel):
        if label.buddy() is widget:
            return label.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return ""


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader announces for the control.

    A combo box without a name of its own is announced by its current value on Linux,
    but with no name at all on Windows, where PR Desk runs: only an accessible name or
    a label whose buddy it is names it there.
    """
    if isinstance(widget, QComboBox):
        return (widget.accessibleName() or _buddy_text(widget)).strip()
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def describe(widget: QWidget) -> str:
    """The control as a reader of a failure can find it: class, text and containers."""
    text = widget.text() if isinstance(widget, (QAbstractButton, QLineEdit)) else ""
    parents: list[str] = []
    parent = widget.parentWidget()
    while parent is not None and len(parents) < 3:
        parents.append(type(parent).__name__)
        parent = parent.parentWidget()
    return f"{type(widget).__name__} {text!r} in {'/'.join(parents)}"


def unnamed(window: QWidget) -> list[str]:
    return [describe(widget) for widget in controls(window) if not spoken_name(widget)]


def tab_chain(window: QWidget) -> list[QWidget]:
    """The controls in the order Tab visits them, from the window's first.

    Tab goes round in a circle, from the control focus is on when the window opens: a
    wizard gives it to its page's first control, whose buttons come before it in the chain.
    """
    wanted = [widget for widget in controls(window) if widget.isEnabled()]
    order: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not None and widget is not window and len(order) < len(wanted):
        if widget in wanted and widget not in order:
            order.append(widget)
        widget = widget.nextInFocusChain()
    page = window.currentPage() if isinstance(window, QWizard) else None
    on_page = [widget for widget in order if page is not None and page.isAncestorOf(widget)]
    if on_page:
        start = order.index(on_page[0])
        order = order[start:] + order[:start]
    return order


def _place(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _side_by_side(first: QWidget, second: QWidget) -> tuple[QWidget, QWidget]:
    """The two children of the innermost container that holds both, one for each widget."""
    ancestors = [first]
    while (parent := ancestors[-1].parentWidget()) is not None:
        ancestors.append(parent)
    branch = second
    while (parent := branch.parentWidget()) is not None and parent not in ancestors:
        branch = parent
    if parent is None:
        return first, second
    return ancestors[max(ancestors.index(parent) - 1, 0)], branch


def out_of_reading_order(window: QWidget, intended: Collection[tuple[str, str]] = ()) -> list[str]:
    """Steps of Tab that go back up, or leftwards along a row, within their container.

    Going up is right when it starts the next column of a form laid out in columns;
    `intended` names steps taken on purpose, by the spoken names of their two controls.
    """
    problems = []
    wanted = [widget for widget in controls(window) if widget.isEnabled()]
    order = tab_chain(window)
    problems += [
        f"Tab never reaches {describe(widget)}" for widget in wanted if widget not in order
    ]
    for before, after in itertools.pairwise(order):
        if (spoken_name(before), spoken_name(after)) in intended:
            continue
        here, there = (_place(part, window) for part in _side_by_side(before, after))
        same_row = there.top() < here.bottom() and here.top() < there.bottom()
        next_column = there.left() >= here.right()
        if not same_row and there.bottom() <= here.top() and not next_column:
            problems.append(f"Tab goes up from {describe(before)} to {describe(after)}")
        elif same_row and there.right() <= here.left():
            problems.append(f"Tab goes left from {describe(before)} to {describe(after)}")
    return problems


def tab_trap(window: QWidget, qtbot: QtBot) -> list[str]:
    """Presses Tab until focus is back where it began; a control that keeps it is a trap."""
    order = tab_chain(window)
    if not order:
        return []
    order[0].setFocus(Qt.FocusReason.TabFocusReason)
    visited: list[QWidget] = []
    for _ in range(3 * len(order) + 10):
        focused = window.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        now = window.focusWidget()
        if now is order[0]:
            return []
        if now is not None and now not in visited:
            visited.append(now)
    stuck = window.focusWidget()
    return [f"Tab keeps the focus in {describe(stuck) if stuck else 'nothing'}"]


def focus_out_of_sight(window: QWidget, qtbot: QtBot) -> list[str]:
    """The control focus is on in the window in front, when it is not shown though others
    are: what is typed goes nowhere, and a screen reader announces nothing."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    focused = window.focusWidget()
    if focused is not None and not focused.isVisible() and tab_chain(window):
        return [f"The focus is on {describe(focused)}, which is not shown"]
    return []
