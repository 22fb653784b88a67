"""Big windows and dialogs open at the size, place and divider positions a person left them in."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QSize
from PySide6.QtWidgets import QSplitter, QWidget

from prdesk.ui.settings import ui_settings


def remember_layout(window: QWidget, key: str, *, place: bool = True) -> None:
    """Restores `window` as it was last left, and keeps it each time it closes or hides.

    With `place` the position on screen comes back too (windows); without, only the
    size (dialogs, which open over the window that asked for them). The dividers of
    every splitter in the window at this moment are kept as well. Call it once the
    window is built and has its default size: that size stays when nothing usable
    was kept.
    """
    settings = ui_settings()
    if place:
        geometry = settings.value(f"{key}/geometry")
        if isinstance(geometry, QByteArray):
            window.restoreGeometry(geometry)
    else:
        size = settings.value(f"{key}/size")
        if isinstance(size, QSize) and size.isValid():
            window.resize(size)
    splitters = window.findChildren(QSplitter)
    states = settings.value(f"{key}/splitters")
    # A list from another version of the window (more or fewer splitters) is ignored.
    if isinstance(states, list) and len(states) == len(splitters):
        for splitter, state in zip(splitters, states, strict=True):
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
    _Keeper(window, key, place, splitters)


class _Keeper(QObject):
    """Writes the window's layout when it closes or hides (a dialog's accept and reject).

    It holds no reference to the window, only Qt's parent link: a dialog that nobody
    keeps must still be freed.
    """

    def __init__(self, window: QWidget, key: str, place: bool, splitters: list[QSplitter]) -> None:
        super().__init__(window)
        self._key = key
        self._place = place
        self._splitters = splitters
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Close, QEvent.Type.Hide) and isinstance(watched, QWidget):
            self._keep(watched)
        return False

    def _keep(self, window: QWidget) -> None:
        # Hidden while being destroyed: its splitters may be gone already.
        if not all(shiboken6.isValid(w) for w in (window, *self._splitters)):
            return
        settings = ui_settings()
        if self._place:
            settings.setValue(f"{self._key}/geometry", window.saveGeometry())
        else:
            settings.setValue(f"{self._key}/size", window.size())
        settings.setValue(
            f"{self._key}/splitters", [splitter.saveState() for splitter in self._splitters]
        )


def keep_splitter(splitter: QSplitter, key: str) -> None:
    """Restores the splitter's dividers from `key`, and keeps them there each time they move.

    For splitters inside screens that come and go (a case's tab): the dividers move
    to where the person last put them, in every one alike.
    """
    state = ui_settings().value(key)
    if isinstance(state, QByteArray):
        splitter.restoreState(state)
    splitter.splitterMoved.connect(lambda *_: ui_settings().setValue(key, splitter.saveState()))
