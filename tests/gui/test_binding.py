"""The Qt binding must keep Python's reference counts straight, or the window aborts.

PySide6 6.12.0 released a reference to None on every call of a void method and to
True/False on every signal emission; on Python 3.11 a day of use ends in "Fatal
Python error: deallocating None". This fails on such a release before users do.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

CALLS = 2000


class _Emitter(QObject):
    changed = Signal(bool)


def test_void_calls_and_signals_leave_the_reference_counts_of_none_and_bools_alone(
    qapp: QApplication,
) -> None:
    timer, emitter = QTimer(), _Emitter()
    emitter.changed.connect(lambda _value: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        qapp.processEvents()
        timer.start(60_000)
        timer.stop()
        emitter.changed.emit(True)
    # Other code may take or drop a few references meanwhile; the bug drops thousands.
    assert sys.getrefcount(None) > none_before - CALLS // 2
    assert sys.getrefcount(True) > true_before - CALLS // 2
