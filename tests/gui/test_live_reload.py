"""A screen's figures kept current: loaded when shown, after a change, and only the newest kept."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.live_reload import LiveReload
from tests.gui.conftest import wait_idle


class Counter:
    """Counts its loads; the first can be held back until released."""

    def __init__(self) -> None:
        self.loads = 0
        self.first_may_finish = threading.Event()
        self.first_may_finish.set()

    def __call__(self, session: Session) -> int:
        del session
        self.loads += 1
        number = self.loads
        if number == 1:
            self.first_may_finish.wait(10)
        return number


def test_figures_load_when_shown_and_again_after_a_change(ctx: AppContext, qtbot: QtBot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    counter = Counter()
    live = LiveReload(screen, ctx, counter)
    shown: list[object] = []
    live.loaded.connect(shown.append)

    wait_idle(qtbot)
    assert shown == []  # nothing is loaded for a screen nobody looks at
    screen.show()
    qtbot.waitUntil(lambda: shown == [1])
    live.on_changed(Change.everything())
    live.on_changed(Change.everything())  # a burst of saves loads once
    qtbot.waitUntil(lambda: shown == [1, 2])
    wait_idle(qtbot)
    assert counter.loads == 2


def test_a_slow_load_overtaken_by_a_newer_one_is_not_shown(ctx: AppContext, qtbot: QtBot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    counter = Counter()
    counter.first_may_finish.clear()
    live = LiveReload(screen, ctx, counter, alongside=True)
    shown: list[object] = []
    live.loaded.connect(shown.append)

    live.refresh()
    qtbot.waitUntil(lambda: counter.loads == 1)
    live.refresh()
    counter.first_may_finish.set()

    qtbot.waitUntil(lambda: counter.loads == 2)
    wait_idle(qtbot)
    assert shown == [2]
