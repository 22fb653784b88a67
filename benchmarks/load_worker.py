"""One workstation of the load test: a person working cases as fast as PR Desk lets them.

Run by benchmarks/load_test.py in its own process (spawned, so nothing is shared but
what is passed in). Every operation goes through PR Desk's own services, each in its
own unit of work as the window would run it; the worker counts what succeeded, what
was refused as a conflict (someone else saved first, as expected on the shared cases)
and anything else, by type, and times each operation.
"""

from __future__ import annotations

import random
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prdesk.domain import queries
from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, Channel, LetterStatus, Role, TimelineKind
from prdesk.domain.errors import ConflictError
from prdesk.domain.models import User
from prdesk.domain.readmodels import LetterInfo, UserInfo
from prdesk.domain.services import cases, organisation, timeline, users
from prdesk.domain.services.case_input import NewCase, PersonInput
from prdesk.domain.services.mapping import user_info
from prdesk.domain.workflow import WORKING, next_statuses
from prdesk.export.letter_files import draft_letter_pdf, page_count
from prdesk.export.letter_pdf import render_letter_pdf

# How often each person does each thing, in a working mix. Coordinators also hand
# the shared cases from one person to another; representatives cannot.
MIX: dict[Role, dict[str, int]] = {
    Role.COORDINATOR: {
        "new case": 15,
        "add timeline entry": 25,
        "change status (shared case)": 15,
        "reassign (shared case)": 15,
        "draft letter + PDF": 10,
        "open a case": 10,
        "search the case list": 10,
    },
    Role.REPRESENTATIVE: {
        "new case": 20,
        "add timeline entry": 30,
        "change status (shared case)": 20,
        "draft letter + PDF": 10,
        "open a case": 10,
        "search the case list": 10,
    },
}
SEARCHES = ("nguyen", "maria gar", "garcia", "PR-", "555", "wait", "o'brien", "ma")
NOTE_PREFIX = "Load check"


@dataclass(frozen=True)
class WorkerPlan:
    """What one worker is told: where, as whom, on which cases, for how long."""

    index: int
    url: str
    role: Role
    user_id: int  # the users row of this person (found again by login with as_login)
    as_login: bool
    shared_case_ids: tuple[int, ...]
    department_id: int
    caseworker_ids: tuple[int, ...]
    seconds: float
    seed: int


@dataclass
class WorkerResult:
    """What one worker did; plain data, sent back to the coordinating process."""

    index: int
    succeeded: Counter[str] = field(default_factory=Counter)
    conflicts: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: dict[str, str] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    cases_opened: list[int] = field(default_factory=list)
    case_numbers: list[str] = field(default_factory=list)
    entries_added: list[int] = field(default_factory=list)
    letters_drafted: list[int] = field(default_factory=list)
    pdf_pages: int = 0


def run_worker(plan: WorkerPlan, ready: Any, start: Any, results: Any) -> None:
    """Connects, waits for the common start, works until the time is up, reports."""
    result = WorkerResult(plan.index)
    try:
        work = _Work(plan, result)
        work.warm_up()
        ready.put(plan.index)
        start.wait()
        work.run()
    except BaseException:  # setup failed: the report shows why instead of hanging
        result.errors["worker failed to start"] += 1
        result.error_samples["worker failed to start"] = traceback.format_exc(limit=3)[-600:]
        ready.put(plan.index)
    results.put(_plain(result))


def _plain(result: WorkerResult) -> dict[str, Any]:
    return {
        "index": result.index,
        "succeeded": dict(result.succeeded),
        "conflicts": dict(result.conflicts),
        "errors": dict(result.errors),
        "error_samples": result.error_samples,
        "latencies": dict(result.latencies),
        "cases_opened": result.cases_opened,
        "case_numbers": result.case_numbers,
        "entries_added": result.entries_added,
        "letters_drafted": result.letters_drafted,
        "pdf_pages": result.pdf_pages,
    }


class _Work:
    def __init__(self, plan: WorkerPlan, result: WorkerResult) -> None:
        self.plan = plan
        self.result = result
        self.random = random.Random(plan.seed)
        self.db = Database(plan.url)
        self.actor = self._actor()
        mix = MIX[plan.role]
        self.operations: list[tuple[str, Callable[[], None]]] = [
            ("new case", self.open_case),
            ("add timeline entry", self.add_entry),
            ("change status (shared case)", self.change_status),
            ("reassign (shared case)", self.reassign),
            ("draft letter + PDF", self.draft_letter),
            ("open a case", self.view_case),
            ("search the case list", self.search),
        ]
        self.operations = [(name, call) for name, call in self.operations if name in mix]
        self.weights = [mix[name] for name, _ in self.operations]
        self.sequence = 0
        self.paused = 0.0  # seconds of the current operation spent deciding, not waiting

    def _actor(self) -> UserInfo:
        with self.db.transaction() as session:
            if self.plan.as_login:
                # As PR Desk starts on a login: the database says who this is.
                return users.resolve_actor(session, self.db.url.username or "")
            user = session.get(User, self.plan.user_id)
            assert user is not None
            return user_info(user)

    def warm_up(self) -> None:
        """What a workstation has done once before anyone times it: fonts loaded for the
        first PDF, statements compiled, a connection open."""
        with self.db.transaction(read_only=True) as session:
            cases.view_case(session, self.actor, self.plan.shared_case_ids[0], record_view=False)
            queries.list_cases(session, queries.CaseFilter(search="warm"), limit=10)
            head = organisation.letterhead(session)
        sample = LetterInfo(
            id=0, case_id=0, case_number="PR-0000-000000", template_key="acknowledgement",
            language="en", status=LetterStatus.DRAFT, subject="Warming up", recipient_name="A",
            recipient_address=("1 Main Street",), salutation="A", body="Text.",
            signatory_name="B", signatory_title="", created_at=datetime.now(UTC),
            created_by_name="B", version=1,
        )  # fmt: skip
        render_letter_pdf(sample, head)

    def run(self) -> None:
        deadline = time.monotonic() + self.plan.seconds
        while time.monotonic() < deadline:
            ((name, call),) = self.random.choices(self.operations, self.weights)
            self.paused = 0.0
            started = time.perf_counter()
            try:
                call()
            except ConflictError:
                self.result.conflicts[name] += 1
            except Exception as error:
                kind = f"{name}: {type(error).__name__}"
                self.result.errors[kind] += 1
                self.result.error_samples.setdefault(kind, str(error)[:300])
            else:
                self.result.succeeded[name] += 1
            # The person's moment of thought is not the application's time.
            self.result.latencies[name].append(time.perf_counter() - started - self.paused)
        self.db.dispose()

    # ------------------------------------------------------------------ operations

    def _any_case(self) -> int:
        mine = self.result.cases_opened[-20:]
        return self.random.choice([*self.plan.shared_case_ids, *mine])

    def open_case(self) -> None:
        self.sequence += 1
        new = NewCase(
            kind=self.random.choice(
                (CaseKind.COMPLAINT, CaseKind.INFORMATION_REQUEST, CaseKind.COMPLIMENT)
            ),
            channel=self.random.choice((Channel.PHONE, Channel.EMAIL, Channel.LETTER)),
            patient=PersonInput(
                f"Load Patient {self.plan.index}-{self.sequence}",
                phone="(555) 010-2000",
                address_line1="12 Elm Street",
                city="Springfield",
                region="IL",
                postal_code="62704",
            ),
            description="Waited in the emergency department without an update.",
            department_ids=(self.plan.department_id,),
        )
        with self.db.transaction() as session:
            case = cases.open_case(session, self.actor, new)
        self.result.cases_opened.append(case.id)
        self.result.case_numbers.append(case.number)

    def add_entry(self) -> None:
        self.sequence += 1
        entry = timeline.NewTimelineEntry(
            kind=TimelineKind.PHONE_CALL,
            summary=f"{NOTE_PREFIX} {self.plan.index}-{self.sequence}",
            body="Called the patient back; **they will send** the discharge papers.",
            patient_facing=True,
        )
        with self.db.transaction() as session:
            added = timeline.add_entry(session, self.actor, self._any_case(), entry)
        self.result.entries_added.append(added.id)

    def _read_shared(self) -> tuple[int, Any]:
        """A shared case as the person's screen shows it, then a moment to decide."""
        case_id = self.random.choice(self.plan.shared_case_ids)
        with self.db.transaction(read_only=True) as session:
            case = cases.view_case(session, self.actor, case_id, record_view=False)
        pause = self.random.uniform(0, 0.05)
        time.sleep(pause)
        self.paused += pause
        return case_id, case

    def change_status(self) -> None:
        case_id, case = self._read_shared()
        choices = [
            status
            for status in next_statuses(case.status, has_assignee=case.assignee is not None)
            if status in WORKING
        ]
        with self.db.transaction() as session:
            cases.change_status(
                session, self.actor, case_id, case.version, self.random.choice(choices)
            )

    def reassign(self) -> None:
        case_id, case = self._read_shared()
        current = case.assignee.id if case.assignee else None
        others = [user_id for user_id in self.plan.caseworker_ids if user_id != current]
        with self.db.transaction() as session:
            cases.assign_case(
                session, self.actor, case_id, case.version, self.random.choice(others)
            )

    def draft_letter(self) -> None:
        letter, pdf = draft_letter_pdf(self.db, self.actor, self._any_case(), "acknowledgement")
        self.result.letters_drafted.append(letter.id)
        self.result.pdf_pages += page_count(pdf)

    def view_case(self) -> None:
        with self.db.transaction() as session:
            cases.view_case(session, self.actor, self._any_case())

    def search(self) -> None:
        search = queries.CaseFilter(search=self.random.choice(SEARCHES))
        view = queries.Viewpoint(viewer_id=self.actor.id)
        with self.db.transaction(read_only=True) as session:
            queries.list_cases(session, search, limit=100, view=view)
