"""Windows signing out, or the installer closing PR Desk to update it, asks about unsaved typing."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from prdesk.ui.app import _on_session_ending
from prdesk.ui.context import AppContext
from prdesk.ui.main_window import MainWindow
from tests.gui.conftest import CaseMaker, wait_idle


class _Shutdown:
    """What Windows' session manager lets PR Desk do: ask the person, or not, and stop it."""

    def __init__(self, *, may_ask: bool = True) -> None:
        self.may_ask = may_ask
        self.stopped = False

    def allowsInteraction(self) -> bool:
        return self.may_ask

    def release(self) -> None:
        pass

    def cancel(self) -> None:
        self.stopped = True


def _window_with_typed_step(ctx: AppContext, qtbot: QtBot, make_case: CaseMaker) -> MainWindow:
    case = make_case("Ana Souza")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.tabs.open_case(case.id)
    qtbot.waitUntil(lambda: view.detail is not None)
    wait_idle(qtbot)
    qtbot.keyClicks(view.timeline.form.summary, "Left a voicemail")
    return window


def test_a_coordinator_who_keeps_their_typing_stops_the_shutdown(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    window = _window_with_typed_step(ctx, qtbot, make_case)
    asked: list[bool] = []
    window.tabs.confirm_discard = lambda: asked.append(True) or False  # type: ignore[method-assign]
    shutdown = _Shutdown()

    _on_session_ending(shutdown, [window])  # type: ignore[arg-type]

    assert asked == [True]
    assert window.isVisible()
    assert shutdown.stopped
    window.tabs.confirm_discard = lambda: True  # type: ignore[method-assign]


def test_letting_the_typing_go_closes_pr_desk_and_the_shutdown_goes_on(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    window = _window_with_typed_step(ctx, qtbot, make_case)
    window.tabs.confirm_discard = lambda: True  # type: ignore[method-assign]
    shutdown = _Shutdown()

    _on_session_ending(shutdown, [window])  # type: ignore[arg-type]

    assert not window.isVisible()
    assert not shutdown.stopped


def test_when_no_question_may_be_asked_the_layout_is_still_kept(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    window = _window_with_typed_step(ctx, qtbot, make_case)
    kept: list[bool] = []
    window.save_layout = lambda: kept.append(True)  # type: ignore[method-assign]
    shutdown = _Shutdown(may_ask=False)

    _on_session_ending(shutdown, [window])  # type: ignore[arg-type]

    assert kept == [True]
    assert not shutdown.stopped
    assert window.isVisible()  # nothing was asked, so nothing was closed
    window.tabs.confirm_discard = lambda: True  # type: ignore[method-assign]
