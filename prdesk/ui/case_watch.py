"""Keeps an open case current with what colleagues change on other workstations."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services.case_fingerprint import Fingerprint, case_fingerprint, fingerprint_of
from prdesk.ui.context import AppContext

# The change listener brings colleagues' changes within a second or two; this slow
# check is the safety net for what it cannot hear: a change to a table without an
# audit trigger, or one made while a half-open connection had not yet been noticed.
CHECK_EVERY_MS = 60_000


class CaseWatch(QObject):
    """Checks the stored case against the one on screen while its tab is in view.

    Signals:
        outdated: the case changed elsewhere since it was loaded.
    """

    outdated = Signal()

    def __init__(
        self, ctx: AppContext, view: QWidget, case_id: int, interval_ms: int = CHECK_EVERY_MS
    ) -> None:
        super().__init__(view)
        self._ctx = ctx
        self._view = view
        self._case_id = case_id
        self._shown: Fingerprint | None = None
        self._checking = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def loaded(self, detail: CaseDetail) -> None:
        self._shown = fingerprint_of(detail)

    def check(self) -> None:
        # A tab in the background is checked when it comes to the front (its next tick).
        if self._checking or self._shown is None or not self._view.isVisible():
            return
        self._checking = True
        case_id = self._case_id
        (
            self._ctx.operation(
                self._view, lambda session: case_fingerprint(session, case_id), read_only=True
            )
            .alongside()
            .success(self._compare)
            # A failed check says nothing new: the next one tries again.
            .failure(lambda _error: None)
            .done(self._done)
            .run()
        )

    def _done(self) -> None:
        self._checking = False

    def _compare(self, stored: Fingerprint | None) -> None:
        if stored != self._shown:
            self.outdated.emit()
