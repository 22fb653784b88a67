"""Automatic logoff: after minutes without input every PR Desk window is covered until the password is given.

Nothing is hidden or closed (hiding a dialog would end its exec(), and its text
with it); each window gets an opaque cover and a neutral title, and one prompt
on top asks for the password. Autosave goes on underneath.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QWindow
from PySide6.QtWidgets import QApplication, QWidget

from prdesk.domain.errors import DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.services import workstation_settings
from prdesk.domain.services.workstation_settings import DEFAULT_IDLE_LOCK_MINUTES
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.lock_screen import LOCKED_TITLE, LockCover, UnlockPrompt
from prdesk.ui.operations import PlainOperation
from prdesk.ui.password_check import PasswordCheck, password_check_for

# Only genuine input counts as presence; paints, timers and network replies do not.
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
# While locked only the prompt takes these: a dialog that opened meanwhile is the
# active window, and Return there would press its default button unseen.
_GUARDED_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.InputMethod,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
    }
)
# Popups and tooltips are closed rather than covered: a menu may list case numbers.
_TRANSIENT = frozenset({Qt.WindowType.Popup, Qt.WindowType.ToolTip})
_LONGEST_CHECK_MS = 15_000


class IdleLock(QObject):
    """Watches the whole application's input and locks it after `minutes` without any.

    `check` judges the typed password on a worker thread; `clock` is the time in
    seconds (tests move it on instead of waiting).

    Signals:
        locked: every window is covered.
        unlocked: the right password was given.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        check: PasswordCheck,
        who: str,
        parent: QObject | None = None,
        *,
        minutes: int = DEFAULT_IDLE_LOCK_MINUTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._check = check
        self._who = who
        self._clock = clock
        self._last_input = clock()
        self._timeout = 60.0 * minutes
        self._windows: list[tuple[QWidget, str, LockCover]] = []
        self.prompt: UnlockPrompt | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check_idle)
        self._apply_interval()
        self._timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def is_locked(self) -> bool:
        return self.prompt is not None

    @property
    def timeout_seconds(self) -> float:
        return self._timeout

    def set_minutes(self, minutes: int) -> None:
        self._timeout = 60.0 * minutes
        self._apply_interval()

    def set_timeout_seconds(self, seconds: float) -> None:
        """A timeout below a minute: for trying the lock out."""
        self._timeout = seconds
        self._apply_interval()

    def _apply_interval(self) -> None:
        # Often enough to lock within a few seconds of the time, rarely enough to cost nothing.
        self._timer.setInterval(max(100, min(_LONGEST_CHECK_MS, int(self._timeout * 250))))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.prompt is None:
            if kind in _INPUT:
                self._last_input = self._clock()
            return False
        if kind in _GUARDED_INPUT:
            return not self._is_prompt(watched)
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            if self._cover(watched):
                # After the new window has taken the focus (and, if modal, the input).
                QTimer.singleShot(0, self._bring_prompt_back)
        elif kind == QEvent.Type.WindowTitleChange and isinstance(watched, QWidget):
            self._keep_title_neutral(watched)
        return False

    def _is_prompt(self, target: QObject) -> bool:
        prompt = self.prompt
        if prompt is None:
            return False
        if isinstance(target, QWidget):
            return target.window() is prompt
        if isinstance(target, QWindow):
            return target is prompt.windowHandle()
        # An action's or a shortcut's own object: the prompt has none.
        return False

    def _bring_prompt_back(self) -> None:
        """Gives the keyboard back to the prompt after a window opened over it."""
        prompt = self.prompt
        if prompt is None or not shiboken6.isValid(prompt):
            return
        if QApplication.activeModalWidget() is not prompt:
            # A modal dialog shown later blocks every window under it, the prompt
            # too; showing the prompt again puts it back on top of them.
            prompt.hide()
            prompt.show()
        prompt.activateWindow()
        if prompt.focusWidget() is None or not prompt.focusWidget().isEnabled():
            prompt.password.setFocus()

    def check_idle(self) -> None:
        if self.prompt is None and self._clock() - self._last_input >= self._timeout:
            self.lock()

    def lock(self) -> None:
        if self.prompt is not None:
            return
        self.prompt = UnlockPrompt(self._who)
        self.prompt.unlock_requested.connect(self._try_unlock)
        for window in QApplication.topLevelWidgets():
            if window.isVisible():
                self._cover(window)
        # Shown last, so it is above the covered windows (and it stays on top).
        self.prompt.show()
        self.prompt.activateWindow()
        self.prompt.password.setFocus()
        self.locked.emit()

    def covered_windows(self) -> list[QWidget]:
        return [window for window, _title, _cover in self._windows if shiboken6.isValid(window)]

    def _cover(self, window: QWidget) -> bool:
        """Covers a window not yet covered (or closes a popup); True if a cover was added."""
        if window is self.prompt or any(window is seen for seen, _t, _c in self._windows):
            return False
        if window.windowType() in _TRANSIENT:
            window.close()
            return False
        self._windows.append((window, window.windowTitle(), LockCover(window)))
        window.setWindowTitle(LOCKED_TITLE)
        return True

    def _keep_title_neutral(self, window: QWidget) -> None:
        """A window renamed while locked (a letter's title after its save) keeps the
        locked title; the new name is the one given back on unlocking."""
        for index, (seen, _title, cover) in enumerate(self._windows):
            if seen is window and window.windowTitle() != LOCKED_TITLE:
                self._windows[index] = (seen, window.windowTitle(), cover)
                window.setWindowTitle(LOCKED_TITLE)
                return

    def _try_unlock(self, password: str) -> None:
        prompt, check = self.prompt, self._check
        if prompt is None:
            return
        prompt.set_checking(True)
        # Beside the queue of saves: unlocking never waits behind an autosave retrying.
        (
            PlainOperation(prompt, lambda: check(password))
            .alongside()
            .success(self._on_checked)
            .failure(lambda error: self._on_check_failed(error))
            .run()
        )

    def _on_checked(self, right: bool) -> None:
        if self.prompt is None:
            return
        if right:
            self.unlock()
        else:
            self.prompt.refuse("That is not the password. Try again.")

    def _on_check_failed(self, error: DomainError) -> None:
        if self.prompt is not None:
            self.prompt.refuse(error.message)

    def unlock(self) -> None:
        if self.prompt is None:
            return
        prompt, self.prompt = self.prompt, None
        for window, title, cover in self._windows:
            if shiboken6.isValid(cover):
                cover.remove()
            if shiboken6.isValid(window):
                window.setWindowTitle(title)
        self._windows.clear()
        prompt.finish()
        self._last_input = self._clock()
        self.unlocked.emit()


def install_idle_lock(
    window: QWidget, ctx: AppContext, lock_now: QAction, settings: QAction
) -> IdleLock:
    """The lock of this session, with View ▸ Lock now and Administration ▸ Automatic lock…

    The organisation's time arrives in the background, again whenever the settings may
    have changed; until then (or if it cannot be read) the default applies, so a
    workstation never goes without a lock.
    """
    lock = IdleLock(password_check_for(ctx.db), ctx.actor.display_name, window)

    def load_minutes() -> None:
        (
            ctx.operation(lock, workstation_settings.idle_lock_minutes, read_only=True)
            .success(lock.set_minutes)
            .failure(lambda _error: None)
            .run()
        )

    def on_changed(change: Change) -> None:
        # Another workstation's change to the organisation's settings arrives as "all".
        if Change.ALL in change.what:
            load_minutes()

    load_minutes()
    ctx.hub.changed.connect(on_changed)
    lock_now.triggered.connect(lock.lock)
    settings.setEnabled(ctx.may(Action.MANAGE_ORGANISATION))

    def edit_settings() -> None:
        # Saving there announces a change to everything, and with it the minutes reload.
        from prdesk.ui.settings_dialog import open_settings

        open_settings(ctx, window, page="security")

    settings.triggered.connect(edit_settings)
    return lock
