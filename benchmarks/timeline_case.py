"""A case under long investigation: 2,000 timeline entries and 200 files, opened and scrolled.

    python benchmarks/timeline_case.py
    python benchmarks/timeline_case.py --database postgresql+psycopg://postgres@127.0.0.1/bench_timeline

Without --database it builds the case in a new SQLite file in a temporary folder. A
PostgreSQL database must exist and be empty (or hold only an earlier run of this
script, which is reused). Prints, each over several runs (median and worst):
loading the case in the domain (`cases.view_case`), the case view from the loaded
case to its first paint, opening it as a user does (load on the worker, then paint),
and the frame time of scrolling the timeline a page at a time. Runs offscreen unless
QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select

from prdesk.domain import models
from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, Channel, Role, TimelineKind
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.schema import ensure_ready
from prdesk.domain.services import cases, organisation, timeline, users
from prdesk.domain.services.attachments import NewAttachment
from prdesk.domain.services.case_input import NewCase, PersonInput
from prdesk.domain.services.mapping import user_info
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.ui.app import application
from prdesk.ui.case_view import CaseView
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.operations import pending

ENTRIES, FILES, DISTINCT_FILES = 2_000, 200, 150
MARKER = "Timeline benchmark: Nguyễn Văn An"
STAFF = [
    ("mgarcia", "María García", Role.COORDINATOR),
    ("jkim", "Ji-woo Kim", Role.REPRESENTATIVE),
    ("cokafor", "Chidi Okafor", Role.REPRESENTATIVE),
    ("lwojcik", "Łukasz Wójcik", Role.COORDINATOR),
]
DEPARTMENTS = ["Emergency Department", "Pharmacy", "Cardiology", "Ward 7B", "Radiology"]
PEOPLE = ["Mai Nguyễn", "Bảo Nguyễn", "Tomasz Kowalczyk", "Dr Priya Raman", "Ana Souza"]
KINDS = [
    TimelineKind.NOTE,
    TimelineKind.PHONE_CALL,
    TimelineKind.EMAIL_RECEIVED,
    TimelineKind.EMAIL_SENT,
    TimelineKind.MEETING,
    TimelineKind.STAFF_INTERVIEW,
    TimelineKind.RECORD_REVIEW,
    TimelineKind.ESCALATION,
]
WORDS = [
    "the",
    "patient",
    "daughter",
    "called",
    "about",
    "medication",
    "delays",
    "on",
    "the",
    "ward",
    "and",
    "asked",
    "for",
    "a",
    "meeting",
    "with",
    "the",
    "charge",
    "nurse",
    "who",
    "explained",
    "the",
    "evening",
    "round",
    "was",
    "short",
    "staffed",
    "pharmacy",
    "dispensed",
    "on",
    "time",
    "but",
    "two",
    "doses",
    "were",
    "held",
    "without",
    "a",
    "reason",
    "recorded",
]


# -- the case


def _body(rng: random.Random) -> str:
    """Markdown of 0 to 2,000 characters: paragraphs, now and then bold words and a list."""
    size = rng.choice([0, 0, rng.randint(20, 200), rng.randint(200, 2_000)])
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        words = rng.choices(WORDS, k=rng.randint(8, 40))
        if rng.random() < 0.2:
            words[0] = f"**{words[0]}**"
        if rng.random() < 0.15:
            parts.append("\n".join(f"- {' '.join(rng.choices(WORDS, k=5))}" for _ in range(3)))
        else:
            parts.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(parts)[:size]


def _files(rng: random.Random) -> list[NewAttachment]:
    """Small real files (PDF letters, PNG photos, text notes); some appear twice."""
    made: list[NewAttachment] = []
    for number in range(DISTINCT_FILES):
        kind = number % 3
        if kind == 0:
            buffer = io.BytesIO()
            canvas = Canvas(buffer, pagesize=letter)
            canvas.drawString(72, 720, f"Statement {number}: " + " ".join(rng.choices(WORDS, k=8)))
            canvas.save()
            made.append(NewAttachment(f"statement-{number}.pdf", buffer.getvalue()))
        elif kind == 1:
            image = QImage(160, 120, QImage.Format.Format_RGB32)
            image.fill(QColor(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
            painter = QPainter(image)
            painter.drawText(10, 60, f"Photo {number}")
            painter.end()
            data = QBuffer()
            data.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(data, "PNG")  # type: ignore[call-overload]  # the stubs want bytes, Qt a str
            made.append(NewAttachment(f"photo-{number}.png", bytes(data.data().data())))
        else:
            text = " ".join(rng.choices(WORDS, k=60)).encode()
            made.append(NewAttachment(f"note-{number}.txt", text))
    # The same statement sent twice, the same photo dropped again.
    return made + rng.choices(made, k=FILES - DISTINCT_FILES)


def build_case(db: Database, seed: int = 1) -> tuple[int, UserInfo]:
    """The benchmark's case (made on the first run, found on later ones) and a coordinator."""
    rng = random.Random(seed)
    with db.transaction() as session:
        staff = []
        for name, shown, role in STAFF:
            users.resolve_actor(session, name, shown)
            user = session.scalars(select(models.User).where(models.User.username == name)).one()
            user.role = role
            session.flush()
            staff.append(user_info(user))
        department_ids = [organisation.ensure_department(session, name) for name in DEPARTMENTS]
        found = session.scalar(select(models.Case.id).where(models.Case.description == MARKER))
    if found is not None:
        return found, staff[0]
    files = _files(rng)
    start = datetime.now(UTC) - timedelta(days=400)
    moments = sorted(
        start + timedelta(minutes=rng.randint(0, 399 * 24 * 60)) for _ in range(ENTRIES)
    )
    # One entry in twenty brings two files; one in fifty is PR Desk's record of a
    # status change; the rest are people's own steps.
    file_entries = set(rng.sample(range(ENTRIES), FILES // 2))
    print(f"Building a case of {ENTRIES:,} entries and {FILES} files ...", flush=True)
    steps: list[tuple[UserInfo, NewTimelineEntry]] = []
    for number, moment in enumerate(moments):
        author = rng.choice(staff)
        if number in file_entries:
            new = NewTimelineEntry(
                kind=TimelineKind.ATTACHMENT,
                summary=f"Files from the family, part {number}",
                occurred_at=moment,
                attachments=(files.pop(), files.pop()),
            )
        elif number % 50 == 0:
            new = NewTimelineEntry(
                kind=TimelineKind.STATUS_CHANGE,
                summary="Status changed from Investigating to Waiting on department",
                occurred_at=moment,
            )
        else:
            kind = rng.choice(KINDS)
            email = kind in (TimelineKind.EMAIL_RECEIVED, TimelineKind.EMAIL_SENT)
            new = NewTimelineEntry(
                kind=kind,
                summary=" ".join(rng.choices(WORDS, k=rng.randint(3, 12))).capitalize(),
                body=_body(rng),
                occurred_at=moment,
                patient_facing=rng.random() < 0.3,
                people=tuple(rng.sample(PEOPLE, rng.choice([0, 0, 1, 2, 3]))),
                department_ids=tuple(rng.sample(department_ids, rng.choice([0, 0, 1, 2]))),
                sender="mai.nguyen@example.org" if email else "",
                recipients="patient.relations@example.org" if email else "",
            )
        steps.append((author, new))
    # One transaction: a run stopped half-way leaves no half-built case behind.
    with db.transaction() as session:
        detail = cases.open_case(
            session,
            staff[0],
            NewCase(
                kind=CaseKind.COMPLAINT,
                channel=Channel.EMAIL,
                patient=PersonInput("Nguyễn Văn An", city="Springfield", region="IL"),
                description=MARKER,
            ),
        )
        for author in staff:
            mine = [new for who, new in steps if who == author]
            for new in mine:
                if new.kind is TimelineKind.STATUS_CHANGE:
                    timeline.record_entry(session, author, detail.id, new, system=True)
            added = [new for new in mine if new.kind is not TimelineKind.STATUS_CHANGE]
            for first in range(0, len(added), 200):
                timeline.add_entries(session, author, detail.id, added[first : first + 200])
    return detail.id, staff[0]


# -- timing


class Took(NamedTuple):
    """How long something took on the clock, and in processor time of this process.

    On a busy machine the two part: the clock includes waiting for a processor.
    """

    wall: float
    cpu: float


class _Stopwatch:
    def __init__(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def took(self) -> Took:
        return Took(time.perf_counter() - self._wall, time.process_time() - self._cpu)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def _summary(label: str, took: list[Took]) -> None:
    walls, cpus = [t.wall for t in took], [t.cpu for t in took]
    print(
        f"  {label:44} median {_ms(statistics.median(walls))} "
        f"(processor {_ms(statistics.median(cpus))}), worst {_ms(max(walls))}",
        flush=True,
    )


def _percentile(seconds: list[float], share: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


class Bench:
    def __init__(self, app: QApplication, ctx: AppContext, case_id: int) -> None:
        self.app, self.ctx, self.case_id = app, ctx, case_id

    def load(self) -> tuple[Took, CaseDetail]:
        watch = _Stopwatch()
        with self.ctx.db.transaction() as session:
            detail = cases.view_case(session, self.ctx.actor, self.case_id)
        return watch.took(), detail

    def show(self, detail: CaseDetail) -> tuple[Took, Took, CaseView]:
        """From a loaded case to the case view painted, its first cards included, and
        on until every card is measured (the scroll bar at its full length)."""
        watch = _Stopwatch()
        view = CaseView(self.ctx, self.case_id, detail)
        view.resize(1280, 800)
        view.show()
        view.grab()
        painted = watch.took()
        # The list measures the rest of its cards in batches between events and sets
        # its scroll bar's full length when done.
        bar = view.timeline.list_view.verticalScrollBar()
        first, given_up = bar.maximum(), time.perf_counter() + 5
        while bar.maximum() == first and time.perf_counter() < given_up:
            self.app.processEvents()
        return painted, watch.took(), view

    def open(self) -> Took:
        """As a user opens a case: loaded on the worker, then shown and painted."""
        watch = _Stopwatch()
        view = CaseView(self.ctx, self.case_id)
        view.resize(1280, 800)
        view.show()
        while view.detail is None:
            self.app.processEvents()
            time.sleep(0.0002)
        view.grab()
        took = watch.took()
        self.close(view)
        return took

    def close(self, view: CaseView) -> None:
        view.close()
        view.deleteLater()
        while pending():
            self.app.processEvents()
        self.app.processEvents()

    def scroll(self, view: CaseView, steps: int = 200) -> list[float]:
        """Frame times from the top: the list moved a page down and painted, `steps` times."""
        panel = view.timeline
        bar = panel.list_view.verticalScrollBar()
        viewport = panel.list_view.viewport()
        bar.setValue(0)
        frames = []
        for _ in range(steps):
            started = time.perf_counter()
            bar.setValue(bar.value() + bar.pageStep())
            viewport.grab()
            frames.append(time.perf_counter() - started)
        return frames


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a database URL; default: a new temporary SQLite file")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    with tempfile.TemporaryDirectory(prefix="prdesk-bench-") as folder:
        db = Database(args.database or f"sqlite:///{Path(folder, 'timeline.db')}")
        try:
            ensure_ready(db)
            started = time.perf_counter()
            case_id, actor = build_case(db)
            with db.transaction(read_only=True) as session:
                entries = session.scalar(
                    select(func.count(models.TimelineEntry.id)).where(
                        models.TimelineEntry.case_id == case_id
                    )
                )
                files = session.scalar(
                    select(func.count(models.Attachment.id)).where(
                        models.Attachment.case_id == case_id
                    )
                )
                blobs = session.scalar(select(func.count(models.Blob.sha256)))
            print(
                f"case of {entries:,} entries and {files} files ({blobs} distinct) ready "
                f"in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            bench = Bench(app, AppContext(db, actor, ChangeHub()), case_id)
            print(f"\ntimeline of one case ({db.dialect}), {args.runs} runs", flush=True)
            loads, details = zip(*(bench.load() for _ in range(args.runs)), strict=True)
            _summary("cases.view_case (domain load)", list(loads))
            shows, whole = [], []
            for detail in details:
                painted, laid_out, view = bench.show(detail)
                shows.append(painted)
                whole.append(laid_out)
                bench.close(view)
            _summary("case view, loaded case to first paint", shows)
            _summary("  ... and until every card is measured", whole)
            opened = [bench.open() for _ in range(args.runs)]
            _summary("opening the case (worker load, then paint)", opened)
            *_took, view = bench.show(details[-1])
            for label in ("new cards", "same cards again"):
                frames = bench.scroll(view)
                print(
                    f"  scrolling a page at a time, 200 frames ({label}): median "
                    f"{_ms(statistics.median(frames))}, 95th percentile "
                    f"{_ms(_percentile(frames, 0.95))}, worst {_ms(max(frames))}",
                    flush=True,
                )
            bench.close(view)
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
