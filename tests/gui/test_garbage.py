"""Cycles holding widgets are freed on the GUI thread, never on a database worker."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from prdesk.ui.garbage import collect_on_gui_thread


def test_a_widget_in_a_cycle_is_freed_on_the_gui_thread_while_a_worker_allocates(
    qapp: QApplication, qtbot: QtBot
) -> None:
    collect_on_gui_thread(qapp)
    assert not gc.isenabled()
    freed_on: list[str] = []

    class Holder:
        """A widget Python owns, in a reference cycle: freeing it deletes the widget."""

        def __init__(self) -> None:
            self.label = QLabel("a case")
            self.me = self

    holder = Holder()
    weakref.finalize(holder, lambda: freed_on.append(threading.current_thread().name))
    del holder

    kept: list[list[int]] = []

    def allocate() -> None:
        # Enough new objects, kept, to pass every threshold of an automatic collection.
        kept.extend([index] for index in range(200_000))

    worker = threading.Thread(target=allocate, name="database worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(freed_on), timeout=10_000)
    assert freed_on == [threading.main_thread().name]
    kept.clear()
