"""The case list as a coordinator meets it, timed in a running Qt event loop.

    python benchmarks/case_list_gui.py --database sqlite:////tmp/prdesk-demo-100000.db
    python benchmarks/case_list_gui.py --database postgresql+psycopg://postgres@127.0.0.1/demo \\
        --latency-ms 20

Prints: the first screen of rows painted (cold: a new window; warm: the list asked for
again), each search keystroke until its matching rows are painted, scrolling to the end,
the longest stall of the event loop while scrolling, sorting and searching, and the
process's peak memory. With --latency-ms, PostgreSQL is reached through a relay that
delays every byte that long in each direction. Runs offscreen unless QT_QPA_PLATFORM
says otherwise.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))
from latency_proxy import start as start_relay

from prdesk.domain.database import Database
from prdesk.domain.enums import Role
from prdesk.domain.models import User
from prdesk.domain.services.mapping import user_info
from prdesk.ui.app import application
from prdesk.ui.case_list import CaseListWidget
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext

SEARCHES = ["nguyen", "maria gar", "obrien", "pr-2026-00", "555-01", "smith"]
# Typed with setText-style insertion: Qt's test key map is ASCII only.
SCRIPT_SEARCHES = ["łukasz", "王", "김", "ngô"]


class PaintWatch(QObject):
    """Notes when the table's viewport has finished painting."""

    def __init__(self) -> None:
        super().__init__()
        self.painted_at = 0.0
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            # The filter runs before the paint: record once the event loop moves on.
            QTimer.singleShot(0, self._mark)
        return False

    def _mark(self) -> None:
        self.painted_at = time.perf_counter()
        self.paints += 1


class StallMeter(QObject):
    """The longest gap between ticks of a 1 ms timer: how long the window froze."""

    def __init__(self) -> None:
        super().__init__()
        self.gaps: list[float] = []
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.gaps.append(now - self._last)
        self._last = now

    @contextmanager
    def running(self) -> Iterator[None]:
        self._last = 0.0
        self._timer.start()
        try:
            yield
        finally:
            self._timer.stop()


class Bench:
    def __init__(self, app: QApplication, ctx: AppContext) -> None:
        self.app, self.ctx = app, ctx
        self.watch = PaintWatch()
        self.widget: CaseListWidget | None = None
        self.loads = 0  # first pages delivered, of any filter

    def _count_load(self) -> None:
        self.loads += 1

    # -- waiting for what the user sees

    def spin(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents()
            time.sleep(0.0005)

    def wait_painted(self, ready: Callable[[], bool], since: float, timeout: float = 30) -> float:
        """Seconds from `since` until a paint completed while `ready()` held."""
        deadline = time.perf_counter() + timeout
        seen = self.watch.paints
        while time.perf_counter() < deadline:
            self.app.processEvents()
            if self.watch.paints != seen:
                seen = self.watch.paints
                if self.watch.painted_at > since and ready():
                    return self.watch.painted_at - since
            else:
                time.sleep(0.0002)
        raise TimeoutError("the list never showed the rows asked for")

    def screen_ready(self, search: str | None = None) -> bool:
        widget = self.widget
        assert widget is not None
        model, table = widget.model, widget.table
        if search is not None and model.case_filter.search != search:
            return False
        rows = model.rowCount()
        if rows == 0:
            return search is not None and model.count_is_exact
        first = max(table.rowAt(0), 0)
        last = table.rowAt(table.viewport().height() - 1)
        last = rows - 1 if last < 0 else last
        return all(model.row_at(model.index(row, 0)) is not None for row in range(first, last + 1))

    # -- the scenarios

    def open_list(self) -> float:
        started = time.perf_counter()
        self.widget = CaseListWidget(self.ctx)
        self.widget.resize(1280, 800)
        self.widget.table.viewport().installEventFilter(self.watch)
        # A new filter's first rows replace the old ones in one model reset.
        self.widget.model.modelReset.connect(self._count_load)
        self.widget.show()
        return self.wait_painted(self.screen_ready, started)

    def reopen_list(self) -> float:
        assert self.widget is not None
        self.widget.close()
        self.widget.deleteLater()
        self.spin(0.2)
        return self.open_list()

    def type_searches(self) -> list[float]:
        widget = self.widget
        assert widget is not None
        latencies = []
        for query in SEARCHES + SCRIPT_SEARCHES:
            widget.search.clear()
            self.wait_settled("")
            widget.search.setFocus()
            for char in query:
                loads = self.loads
                started = time.perf_counter()
                if char.isascii():
                    QTest.keyClick(widget.search, char)
                else:
                    widget.search.insert(char)
                text = widget.search.text()
                # The rows shown stay until the new ones arrive: wait for those.
                latencies.append(
                    self.wait_painted(
                        lambda t=text, n=loads: self.loads > n and self.screen_ready(t), started
                    )
                )
        widget.search.clear()
        self.wait_settled("")
        return latencies

    def wait_settled(self, search: str) -> None:
        """Until the rows for `search` are on screen (painted already, or at the next paint)."""
        self.spin(0.01)
        if not self.screen_ready(search):
            self.wait_painted(lambda: self.screen_ready(search), time.perf_counter())

    def scroll_to_end(self) -> float:
        assert self.widget is not None
        model = self.widget.model
        # The scroll bar is only true once the matches are counted.
        self.spin(0.01)
        if not (model.count_is_exact and self.screen_ready()):
            counted = time.perf_counter()
            self.wait_painted(lambda: model.count_is_exact and self.screen_ready(), counted)
        bar = self.widget.table.verticalScrollBar()
        last = model.index(model.rowCount() - 1, 0)
        started = time.perf_counter()
        bar.setValue(bar.maximum())
        return self.wait_painted(
            lambda: model.row_at(last) is not None and self.screen_ready(), started
        )

    def stall_workout(self, rng: random.Random) -> dict[str, list[float]]:
        """Tick gaps of the event loop (seconds) while scrolling, sorting and searching."""
        widget = self.widget
        assert widget is not None
        bar = widget.table.verticalScrollBar()
        gaps: dict[str, list[float]] = {}
        meter = StallMeter()
        with meter.running():
            for _ in range(25):  # jumps, as when dragging the scrollbar
                bar.setValue(rng.randint(0, bar.maximum()))
                self.spin(0.04)
            for _ in range(40):  # Page Down held
                bar.triggerAction(bar.SliderAction.SliderPageStepAdd)
                self.spin(0.02)
            self.wait_settled(widget.search.text())
        gaps["scrolling"] = meter.gaps
        meter = StallMeter()
        with meter.running():
            header = widget.table.horizontalHeader()
            for column in range(header.count()):
                if header.isSectionHidden(column):
                    continue
                for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                    widget.table.sortByColumn(column, order)
                    self.spin(0.05)
                bar.setValue(bar.maximum() // 2)
                self.spin(0.05)
            widget.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
            self.wait_settled(widget.search.text())
        gaps["sorting"] = meter.gaps
        meter = StallMeter()
        with meter.running():
            for query in SEARCHES[:3]:
                widget.search.setFocus()
                for char in query:
                    QTest.keyClick(widget.search, char)
                    self.spin(0.06)
                self.wait_settled(widget.search.text())
                widget.search.clear()
            self.wait_settled("")
        gaps["searching"] = meter.gaps
        return gaps


def _coordinator(db: Database) -> AppContext:
    with db.transaction(read_only=True) as session:
        user = session.scalar(
            select(User).where(User.role == Role.COORDINATOR, User.active.is_(True)).limit(1)
        ) or session.scalar(select(User).limit(1))
        if user is None:
            raise SystemExit("The database has no users: load demo data first.")
        actor = user_info(user)
    return AppContext(db, actor, ChangeHub())


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database URL holding demo data")
    parser.add_argument("--latency-ms", type=float, default=0, help="PostgreSQL only")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    url, relay = make_url(args.database), None
    if args.latency_ms:
        if url.get_backend_name() != "postgresql":
            raise SystemExit("--latency-ms needs a PostgreSQL database")
        port, relay = start_relay(url.host or "127.0.0.1", url.port or 5432, args.latency_ms)
        url = url.set(host="127.0.0.1", port=port)
    app = application()
    db = Database(url.render_as_string(hide_password=False))
    try:
        bench = Bench(app, _coordinator(db))
        label = f"{url.get_backend_name()}" + (
            f", {args.latency_ms:g} ms added each way" if args.latency_ms else ""
        )
        print(f"\ncase list in a window ({label})", flush=True)
        cold = bench.open_list()
        warm = [bench.reopen_list() for _ in range(5)]
        print(f"  first screen of rows painted, new connection {_ms(cold)}", flush=True)
        print(
            f"  first screen of rows painted, median of 5    {_ms(statistics.median(warm))}",
            flush=True,
        )
        keys = bench.type_searches()
        keys.sort()
        p95 = keys[max(int(len(keys) * 0.95) - 1, 0)]
        print(
            f"  keystroke to matching rows painted, {len(keys)} keys: median "
            f"{_ms(statistics.median(keys))}, 95th percentile {_ms(p95)}, worst {_ms(keys[-1])}"
        )
        print(
            f"  scrolled to the last case, rows painted      {_ms(bench.scroll_to_end())}",
            flush=True,
        )
        # The first round pays one-off costs (glyphs and icons drawn for the first time,
        # the database's pages read from disk); the second is the window in daily use.
        for label, seed in (("first round", 7), ("second round", 8)):
            phases = bench.stall_workout(random.Random(seed))
            every = sorted(gap for gaps in phases.values() for gap in gaps)
            print(
                f"  event loop while scrolling, sorting, searching ({label}): longest stall "
                f"{_ms(every[-1])}, 99th percentile {_ms(every[int(len(every) * 0.99)])}",
                flush=True,
            )
            for phase, gaps in phases.items():
                print(f"    longest while {phase:10} {_ms(max(gaps))}", flush=True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak memory of the process                  {peak:7.1f} MB", flush=True)
    finally:
        db.dispose()
        if relay is not None:
            relay.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
