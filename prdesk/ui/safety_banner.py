"""The strip across the main window announcing a new safety concern, until it is dealt with."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from prdesk.domain.services.notifications import SAFETY_CONCERN, NotificationInfo, Unread
from prdesk.ui.info_bar import InfoBar


class SafetyBanner(InfoBar):
    """Names the case number and who flagged it, never the patient's health.

    Signals:
        open_requested: the NotificationInfo whose case should open (it is then read).
        read_requested: the id of the notification marked read.
    """

    open_requested = Signal(object)
    read_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Safety concern alert")
        self.current: NotificationInfo | None = None

    def announce(self, note: NotificationInfo) -> None:
        if note.kind != SAFETY_CONCERN:
            return
        self.current = note
        actions = [("Mark read", lambda: self.read_requested.emit(note.id))]
        if note.case_id is not None:
            actions.insert(0, ("Open case", lambda: self.open_requested.emit(note)))
        self.show_message(f"{note.message}.", kind="error", actions=actions)

    def on_unread(self, unread: Unread) -> None:
        """Hides the banner once its notification was read (here or on another workstation)."""
        if self.current is not None and all(n.id != self.current.id for n in unread.newest):
            self.current = None
            self.hide()
