"""The status bar's count of unread notifications, with a menu of the newest."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from prdesk.domain.services.notifications import Unread
from prdesk.ui.formatting import local_datetime
from prdesk.ui.icons import icon
from prdesk.ui.style import SAFETY_COLOR, readable_on


class NotificationBell(QToolButton):
    """ "2 unread" in red while anything is unread; click (or Ctrl+Shift+N) for the list.

    Signals:
        open_requested: the id of a notification chosen from the menu.
        mark_all_read_requested: "Mark all read" was chosen.
    """

    open_requested = Signal(int)
    mark_all_read_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAccessibleName("Unread notifications")
        self._menu = QMenu(self)
        self._menu.triggered.connect(self._on_triggered)
        self.setMenu(self._menu)
        self.show_unread(Unread(0, ()))

    def show_unread(self, unread: Unread) -> None:
        self.setText(f"{unread.count} unread" if unread.count else "No notifications")
        # The warning sign only when there is something to read, so it means something.
        warning = icon("warning")
        self.setIcon(warning if unread.count else QIcon())
        # Selected by class, so that the menu (a child) keeps its own colours.
        self.setStyleSheet(
            f"QToolButton {{ color: {readable_on(SAFETY_COLOR, self)}; font-weight: 600; }}"
            if unread.count
            else ""
        )
        self.setToolTip(
            "Notifications you have not read (Ctrl+Shift+N)"
            if unread.count
            else "No unread notifications (Ctrl+Shift+N)"
        )
        self.setAccessibleDescription(self.text())
        self._menu.clear()
        for note in unread.newest:
            action = QAction(f"{note.message} — {local_datetime(note.created_at)}", self._menu)
            action.setData(note.id)
            self._menu.addAction(action)
        if unread.count > len(unread.newest):
            more = self._menu.addAction(f"and {unread.count - len(unread.newest)} older")
            more.setEnabled(False)
        if unread.newest:
            self._menu.addSeparator()
            self._menu.addAction("Mark all read").setData("all")
        else:
            self._menu.addAction("Nothing unread").setEnabled(False)

    def _on_triggered(self, action: QAction) -> None:
        data = action.data()
        if data == "all":
            self.mark_all_read_requested.emit()
        elif isinstance(data, int):
            self.open_requested.emit(data)

    def trigger(self, text: str) -> None:
        """Chooses a menu entry by the start of its text (keyboard users and tests)."""
        for action in self._menu.actions():
            if action.text().startswith(text) and action.isEnabled():
                action.trigger()
                return
        raise KeyError(text)

    def menu_texts(self) -> list[str]:
        return [action.text() for action in self._menu.actions() if not action.isSeparator()]
