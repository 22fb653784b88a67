"""Keeping a screen's figures current: loaded off the GUI thread when shown, after changes, and every minute."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext

# Several saves in a row (assigning ten cases) make one reload, not ten.
CHANGE_DELAY_MS = 300
# Other workstations' changes do not all reach this one's hub: look again now and then.
POLL_MS = 60_000


class LiveReload(QObject):
    """Runs `load` in the background for `screen` whenever its figures may have changed.

    It loads when the screen is shown with figures older than the last change, 300 ms
    after a change while it is on screen (so a burst of saves loads once), and every
    minute while it is on screen. Only the newest load's outcome is announced: a slow
    one that finishes after a later one is dropped.

    Signals:
        loaded: the result of `load`, for the screen to show.
        failed: the DomainError of a load that failed; the next showing tries again.
    """

    loaded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        screen: QWidget,
        ctx: AppContext,
        load: Callable[[Session], Any],
        *,
        alongside: bool = False,
    ) -> None:
        super().__init__(screen)
        self._screen, self._ctx, self._load = screen, ctx, load
        # Alongside: on its own worker, so a long load does not queue the user's saves.
        self._alongside = alongside
        self._generation = 0
        self._stale = True
        self._change_timer = QTimer(self)
        self._change_timer.setSingleShot(True)
        self._change_timer.setInterval(CHANGE_DELAY_MS)
        self._change_timer.timeout.connect(self.refresh)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self._refresh_if_shown)
        screen.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # When Python frees a closed screen together with this object, their attributes
        # go before Qt delivers the screen's last events: nothing to reload then.
        screen = self.__dict__.get("_screen")
        if screen is not None and watched is screen and event.type() == QEvent.Type.Show:
            self._poll_timer.start()
            if self._stale:
                self.refresh()
        return False

    def on_changed(self, change: Change) -> None:
        """Any save may change the figures: reload soon, or when next shown."""
        del change
        self._stale = True
        if self._screen.isVisible():
            self._change_timer.start()

    def refresh(self) -> None:
        self._change_timer.stop()
        self._stale = False
        self._generation += 1
        generation = self._generation
        operation = self._ctx.operation(self._screen, self._load, read_only=True)
        if self._alongside:
            operation.alongside()
        operation.success(lambda result: self._on_loaded(generation, result))
        operation.failure(lambda error: self._on_failed(generation, error))
        operation.run()

    def _refresh_if_shown(self) -> None:
        if self._screen.isVisible():
            self.refresh()
        else:
            self._poll_timer.stop()
            self._stale = True

    def _on_loaded(self, generation: int, result: object) -> None:
        if generation == self._generation:
            self.loaded.emit(result)

    def _on_failed(self, generation: int, error: DomainError) -> None:
        if generation == self._generation:
            self._stale = True
            self.failed.emit(error)
