"""Python's cycle collector, run on the GUI thread only.

Python collects reference cycles on whichever thread happens to allocate when its
thresholds are crossed: in PR Desk, often a database worker. A cycle that holds a
widget (a lambda connected to its own widget's signal is one) is then freed on that
worker, and Qt crashes deleting a widget off the GUI thread. So automatic collection
is turned off and this timer runs the same generational collection on the GUI thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

# Often enough that garbage never piles up; each pass over young objects takes well
# under a millisecond.
_INTERVAL_MS = 1_000


class GuiThreadCollector(QObject):
    """Collects each generation once Python's own threshold for it is passed."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("prdeskGarbageCollector")
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(_INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        young, middle, old = gc.get_count()
        if old > self._thresholds[2]:
            gc.collect(2)
        elif middle > self._thresholds[1]:
            gc.collect(1)
        elif young > self._thresholds[0]:
            gc.collect(0)


def collect_on_gui_thread(app: QApplication) -> None:
    """Installs the collector once per application."""
    if app.findChild(GuiThreadCollector) is None:
        GuiThreadCollector(app)
