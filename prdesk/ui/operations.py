"""The one way the GUI touches the database: work on a worker thread, results on the GUI thread.

    Operation(parent, db, lambda session: cases.view_case(session, actor, 7), read_only=True)
        .success(show_case)
        .failure(show_problem)
        .run()

The work runs inside `db.transaction()` on a single dedicated worker thread, so
database work is serialised in the order it was asked for (a save is committed
before the refresh that follows it) and the window never waits on the network.
Slow reading that nothing waits on in order (counting matches) goes `.alongside()`
to a second worker, so it never holds up a page of rows; long work such as an
export goes `.alongside(long=True)` to a third, so it holds up neither.
`DomainError`s go to the failure callbacks (or a message box when there are none);
anything else is a bug and is reported as one.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable
from typing import Any, Generic, Self, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from prdesk.domain.database import Database
from prdesk.domain.errors import DatabaseUnavailable, DomainError
from prdesk.ui.changes import Change, ChangeHub
from prdesk.ui.error_reports import show_message, show_unexpected_error

T = TypeVar("T")

# Operations in flight, by id. Holding them here keeps them (and the widgets their
# callbacks name) alive until the result is delivered, even when their screen is gone.
_pending: dict[int, BackgroundWork[Any]] = {}
# Outcomes handed from the worker to the GUI thread, by operation id.
_outcomes: dict[int, tuple[object, BaseException | None]] = {}
_outcomes_lock = threading.Lock()
_ids = itertools.count(1)
_pools: dict[str, QThreadPool] = {}
_relay: _Relay | None = None
_MAIN, _ALONGSIDE, _LONG = "main", "alongside", "long"


def _worker_pool(lane: str = _MAIN) -> QThreadPool:
    pool = _pools.get(lane)
    if pool is None:
        pool = _pools[lane] = QThreadPool()
        # One worker per lane: SQLite has a single writer anyway, and serial order
        # means a list refresh always sees the save that was asked for before it.
        pool.setMaxThreadCount(1)
    return pool


class Activity(QObject):
    """How many operations are in flight, for a "Working…" indicator.

    Signals:
        changed: the new count.
        unavailable: (Database or None, DatabaseUnavailable) for every operation that
            could not reach its database, so the connection monitor can step in.
    """

    changed = Signal(int)
    unavailable = Signal(object, object)


_activity = Activity()


def activity() -> Activity:
    return _activity


def pending() -> int:
    """Operations started and not yet delivered (tests wait for this to reach 0)."""
    return len(_pending)


def wait_for_workers(timeout_ms: int = 30_000) -> bool:
    """Blocks until the workers are idle; for shutdown, so no transaction is cut off."""
    return all(_worker_pool(lane).waitForDone(timeout_ms) for lane in (_MAIN, _ALONGSIDE, _LONG))


class _Relay(QObject):
    """Lives on the GUI thread; the worker's signal reaches it through the event queue.

    Only an operation id crosses the thread boundary in the signal. The worker must
    never hold the last reference to anything of the GUI's: Python would then free a
    widget (and its C++ object) on the worker thread, which Qt does not survive.
    """

    finished = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._on_finished)

    @Slot(int)
    def _on_finished(self, operation_id: int) -> None:
        with _outcomes_lock:
            result, error = _outcomes.pop(operation_id)
        operation = _pending.pop(operation_id, None)
        _activity.changed.emit(len(_pending))
        if operation is not None:
            operation._deliver(result, error)


def _gui_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


class _Job(QRunnable):
    def __init__(self, operation_id: int, work: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self._operation_id = operation_id
        self._work: Callable[[], object] | None = work
        self._relay = relay

    def run(self) -> None:
        work, self._work = self._work, None
        assert work is not None
        outcome: tuple[object, BaseException | None]
        try:
            outcome = (work(), None)
        except BaseException as error:  # every outcome must reach the GUI thread
            outcome = (None, error)
        # Drop this thread's references before the GUI thread can see the outcome.
        del work
        with _outcomes_lock:
            _outcomes[self._operation_id] = outcome
        del outcome
        # RuntimeError: the application quit while this ran and nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self._relay.finished.emit(self._operation_id)


class BackgroundWork(Generic[T]):
    """Work run in the background, with callbacks on the GUI thread.

    The callbacks are dropped (but changes are still announced) when `parent`
    has been destroyed by the time the result arrives.
    """

    def __init__(self, parent: QObject | None, *, hub: ChangeHub | None = None) -> None:
        self._parent = parent
        self._hub = hub
        self._on_success: list[Callable[[T], None]] = []
        self._on_failure: list[Callable[[DomainError], None]] = []
        self._on_done: list[Callable[[], None]] = []
        self._describe_change: Callable[[T], Change] | None = None
        self._lane = _MAIN
        # Which database the work is on, when known, for the connection monitor.
        self._target_db: Database | None = None

    def success(self, callback: Callable[[T], None]) -> Self:
        self._on_success.append(callback)
        return self

    def failure(self, callback: Callable[[DomainError], None]) -> Self:
        """Replaces the default message box for errors the user can act on."""
        self._on_failure.append(callback)
        return self

    def done(self, callback: Callable[[], None]) -> Self:
        """Called after success or failure, e.g. to re-enable a button."""
        self._on_done.append(callback)
        return self

    def alongside(self, *, long: bool = False) -> Self:
        """Runs beside the queue of saves and pages: for slow reading whose result
        nothing else waits on in order (a count). `long` work (an export that takes
        seconds) gets a worker of its own, so the list's counts never wait behind it."""
        if self._describe_change is not None:
            raise ValueError("work that changes data must stay in the ordered queue")
        self._lane = _LONG if long else _ALONGSIDE
        return self

    def changes(self, describe: Change | Callable[[T], Change]) -> Self:
        """Announces on the hub, after commit, what this operation changed."""
        if self._hub is None:
            raise ValueError("an operation that announces changes needs a ChangeHub")
        if self._lane != _MAIN:
            raise ValueError("work that changes data must stay in the ordered queue")
        self._describe_change = describe if callable(describe) else (lambda _result: describe)
        return self

    def run(self) -> Self:
        operation_id = next(_ids)
        _pending[operation_id] = self
        _activity.changed.emit(len(_pending))
        _worker_pool(self._lane).start(_Job(operation_id, self._call, _gui_relay()))
        return self

    def _call(self) -> T:
        """Runs on the worker thread."""
        raise NotImplementedError

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        """Runs on the GUI thread."""
        if error is None and self._describe_change is not None and self._hub is not None:
            # Other screens must learn of a committed change even if ours is gone.
            self._hub.announce(self._describe_change(result))
        if isinstance(error, DatabaseUnavailable):
            _activity.unavailable.emit(self._target_db, error)
        if self._parent is not None and not shiboken6.isValid(self._parent):
            if error is not None and not isinstance(error, DomainError):
                show_unexpected_error(None, error)
            return
        try:
            if error is None:
                for on_success in self._on_success:
                    on_success(result)
            elif isinstance(error, DomainError):
                if self._on_failure:
                    for on_failure in self._on_failure:
                        on_failure(error)
                else:
                    show_message(self._widget(), error.message)
            else:
                show_unexpected_error(self._widget(), error)
        finally:
            # Even after a bug in a callback, buttons disabled while working come back.
            for on_done in self._on_done:
                on_done()

    def _widget(self) -> QWidget | None:
        return self._parent if isinstance(self._parent, QWidget) else None


class Operation(BackgroundWork[T]):
    """A unit of work in its own transaction (committed when `work` returns)."""

    def __init__(
        self,
        parent: QObject | None,
        db: Database,
        work: Callable[[Session], T],
        *,
        read_only: bool = False,
        hub: ChangeHub | None = None,
    ) -> None:
        super().__init__(parent, hub=hub)
        self._db = self._target_db = db
        self._work = work
        self._read_only = read_only

    def _call(self) -> T:
        with self._db.transaction(read_only=self._read_only) as session:
            return self._work(session)


class PlainOperation(BackgroundWork[T]):
    """Background work that manages its own transactions (schema checks and upgrades, or a
    letter drafted in one transaction and rendered after it)."""

    def __init__(
        self, parent: QObject | None, work: Callable[[], T], *, hub: ChangeHub | None = None
    ) -> None:
        super().__init__(parent, hub=hub)
        self._work = work

    def _call(self) -> T:
        return self._work()
