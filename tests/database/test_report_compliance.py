"""The grievance compliance report: every figure, recounted grievance by grievance."""

from __future__ import annotations

import random
import statistics
import time as clock
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    Table,
    func,
    insert,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from prdesk.domain.database import Database
from prdesk.domain.deadlines import AcknowledgementMethod
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import CaseStatus
from prdesk.domain.models.base import UtcDateTime
from prdesk.domain.queries import count_cases
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.reports.compliance import compliance_report
from prdesk.domain.reports.model import Granularity, Grouping, Report, ReportRequest, Section
from prdesk.domain.reports.sql import days_between, percentiles, plus_days
from prdesk.domain.services import cases, letter_workflow, letters, organisation
from prdesk.domain.services.case_decisions import record_acknowledgement
from prdesk.export.letter_files import finalise
from tests.support.builders import departments, log_case, phone_complaint

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- recounting, in the test's own way ----------------------------------------------------


def _instant(value: Any) -> datetime | None:
    """A stored instant as an aware UTC datetime (SQLite hands back text)."""
    if value is None:
        return None
    instant: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _label(local: date, granularity: Granularity) -> str:
    if granularity is Granularity.QUARTER:
        return f"Q{(local.month - 1) // 3 + 1} {local.year}"
    return f"{MONTHS[local.month - 1]} {local.year}"


def _percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks, as percentile_cont does."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=10, method="inclusive")[int(fraction * 10) - 1]


@dataclass
class Tally:
    received: int = 0
    withdrawn: int = 0
    acknowledgement: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seven: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    thirty: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    days: list[float] = field(default_factory=list)
    letters: int = 0
    overridden: int = 0

    def row(self, label: str) -> tuple[Any, ...]:
        def share(counts: dict[str, int]) -> float | None:
            measured = counts["in"] + counts["out"]
            return counts["in"] / measured if measured else None

        return (
            label, self.received, self.withdrawn, share(self.acknowledgement),
            self.acknowledgement["out"], self.acknowledgement["pending"], share(self.seven),
            self.seven["pending"], share(self.thirty), self.thirty["pending"],
            statistics.median(self.days) if self.days else None,
            _percentile(self.days, 0.9) if self.days else None, self.letters, self.overridden,
        )  # fmt: skip


def _recount(
    session: Session, request: ReportRequest, today: date, as_of: datetime
) -> dict[str, dict[str, tuple[Any, ...]]]:
    """Rows of the report by section heading, then by period label, counted case by case."""
    grievances = session.execute(
        text(
            "SELECT id, received_at, status, acknowledge_due_on, acknowledged_on, resolved_at "
            "FROM cases WHERE is_grievance"
        )
    ).all()
    response_letters = session.execute(
        text(
            "SELECT l.case_id, l.finalised_at, l.compliance_override FROM letters l "
            "JOIN cases c ON c.id = l.case_id "
            "WHERE l.status IN ('finalised', 'sent', 'withdrawn') "
            "AND (l.template_key = 'determination' "
            "     OR (l.template_key = 'closure' AND c.is_grievance))"
        )
    ).all()
    if request.grouping is Grouping.DEPARTMENT:
        pairs = session.execute(
            text(
                "SELECT cd.case_id, 'Department: ' || d.name FROM case_departments cd "
                "JOIN departments d ON d.id = cd.department_id"
            )
        ).all()
    elif request.grouping is Grouping.CATEGORY:
        pairs = session.execute(
            text(
                "SELECT DISTINCT cc.case_id, 'Category: ' || coalesce(p.name, c.name) "
                "FROM case_categories cc JOIN categories c ON c.id = cc.category_id "
                "LEFT JOIN categories p ON p.id = c.parent_id"
            )
        ).all()
    else:
        pairs = []
    headings: dict[int, list[str]] = defaultdict(list)
    for case_id, heading in pairs:
        headings[case_id].append(heading)

    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))

    def places(case_id: int, instant: datetime) -> Iterator[Tally]:
        local = instant.astimezone().date()
        if not request.start <= local <= request.end:
            return
        for heading in ["All grievances", *headings[case_id]]:
            yield tallies[heading][_label(local, request.granularity)]
            yield tallies[heading]["All"]

    for case_id, received_raw, status, due_raw, on_raw, resolved_raw in grievances:
        received, resolved = _instant(received_raw), _instant(resolved_raw)
        due, on = _day(due_raw), _day(on_raw)
        assert received is not None
        for tally in places(case_id, received):
            tally.received += 1
            if due is not None:
                if on is not None:
                    tally.acknowledgement["in" if on <= due else "out"] += 1
                elif status != "withdrawn":
                    tally.acknowledgement["out" if today > due else "pending"] += 1
            if status == "withdrawn":
                tally.withdrawn += 1
                continue
            for days, counts in ((7, tally.seven), (30, tally.thirty)):
                if resolved is not None:
                    counts["in" if resolved - received <= timedelta(days=days) else "out"] += 1
                else:
                    counts["out" if as_of - received > timedelta(days=days) else "pending"] += 1
            if resolved is not None:
                tally.days.append((resolved - received).total_seconds() / 86400)
    for case_id, finalised_raw, override in response_letters:
        finalised = _instant(finalised_raw)
        assert finalised is not None
        for tally in places(case_id, finalised):
            tally.letters += 1
            tally.overridden += 1 if override else 0
    return {
        heading: {label: tally.row(label) for label, tally in rows.items()}
        for heading, rows in tallies.items()
    }


def _assert_same_row(shown: tuple[Any, ...], expected: tuple[Any, ...]) -> None:
    assert shown[0] == expected[0]
    for got, wanted in zip(shown[1:], expected[1:], strict=True):
        if isinstance(wanted, float):
            assert got == pytest.approx(wanted, abs=1e-6), (shown, expected)
        else:
            assert got == wanted, (shown, expected)


def _finalise_some_letters(
    db: Database, seed: int, *, share: float = 0.6, key: str | None = None
) -> None:
    """Demo letters are drafts: some are made finalised, sent or withdrawn, a few with a
    reason (all of them finalised responses `key`, with `share` 1 and a key)."""
    rng = random.Random(seed)
    with db.transaction() as session:
        sqlite = session.get_bind().dialect.name == "sqlite"
        rows = session.execute(text("SELECT id, created_at FROM letters ORDER BY id")).all()
        for letter_id, created in rows:
            if rng.random() >= share:
                continue
            drafted = _instant(created)
            assert drafted is not None
            later = timedelta(hours=rng.uniform(1, 24 * 40)) if key is None else timedelta()
            finalised = drafted + later
            session.execute(
                text(
                    "UPDATE letters SET status = :status, finalised_at = :at, "
                    "compliance_override = :reason, template_key = :key WHERE id = :id"
                ),
                {
                    "status": "finalised"
                    if key
                    else rng.choice(["finalised", "sent", "withdrawn", "approved"]),
                    "at": finalised.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else finalised,
                    "reason": "Details given by phone" if rng.random() < 0.2 else "",
                    "key": key or rng.choice(["determination", "closure", "acknowledgement"]),
                    "id": letter_id,
                },
            )


def _withdraw_some_unacknowledged(db: Database) -> None:
    """Demo grievances are withdrawn only once acknowledged: a few are withdrawn before."""
    with db.transaction() as session:
        session.execute(
            text(
                "UPDATE cases SET status = 'withdrawn', resolved_at = NULL, due_on = NULL "
                "WHERE is_grievance AND acknowledged_on IS NULL AND id % 3 = 0"
            )
        )


@pytest.fixture
def demo_db(db: Database) -> Database:
    generate_demo_data(db, 400, seed=11)
    _finalise_some_letters(db, seed=11)
    _withdraw_some_unacknowledged(db)
    return db


def test_every_figure_matches_the_grievances_counted_one_by_one(demo_db: Database) -> None:
    # Judged as of yesterday's end: no grievance crosses a deadline while the test runs.
    today = date.today() - timedelta(days=1)
    as_of = datetime.combine(date.today(), time()).astimezone(UTC)
    start = today - timedelta(days=400)
    with demo_db.transaction(read_only=True) as session:
        owed_nothing = session.execute(
            text(
                "SELECT COUNT(*) FROM cases WHERE is_grievance AND status = 'withdrawn' "
                "AND acknowledged_on IS NULL AND acknowledge_due_on < :today"
            ),
            {"today": today},
        ).scalar_one()
    assert owed_nothing > 0
    for granularity in Granularity:
        for grouping in Grouping:
            request = ReportRequest(start, today, granularity, grouping)
            with demo_db.transaction(read_only=True, snapshot=True) as session:
                report = compliance_report(session, request, today=today)
                expected = _recount(session, request, today, as_of)
                tables = {s.heading: s for s in report.sections if s.table is not None}
                whole = tables["All grievances"].table
                assert whole is not None
                # Enough of everything that a wrong count would show.
                assert all(whole.rows[-1][column] for column in (1, 2, 4, 12, 13))
                assert set(tables) == set(expected)
                for heading, section in tables.items():
                    _check_table(session, section, expected[heading])


def _check_table(session: Session, section: Section, expected: dict[str, tuple[Any, ...]]) -> None:
    assert section.table is not None
    rows = section.table.rows
    assert rows[-1][0] == "All" and section.table.total_row
    for index, row in enumerate(rows):
        wanted = expected.get(str(row[0]), Tally().row(str(row[0])))
        _assert_same_row(row, wanted)
        # The case list shows exactly the grievances received and withdrawn.
        assert count_cases(session, section.table.drill[index, 1]) == row[1]
        assert count_cases(session, section.table.drill[index, 2]) == row[2]
    assert set(expected) <= {row[0] for row in rows}


# --- grievances a coordinator logs and works by hand ---------------------------------------


def _column(report: Report, heading: str, label: str) -> dict[str, Any]:
    """The row `label` of the section `heading`, by column title."""
    section = next(s for s in report.sections if s.heading == heading)
    assert section.table is not None
    row = next(row for row in section.table.rows if row[0] == label)
    return {column.title: cell for column, cell in zip(section.table.columns, row, strict=True)}


def _grievance(
    db: Database, actor: UserInfo, received: datetime, *department_ids: int
) -> CaseDetail:
    return log_case(
        db,
        actor,
        phone_complaint(
            received_at=received,
            grievance_override=True,
            override_reason="Asked for a written answer",
            department_ids=department_ids,
        ),
    )


def _move(db: Database, actor: UserInfo, case: CaseDetail, *statuses: CaseStatus) -> CaseDetail:
    for status in statuses:
        with db.transaction() as session:
            case = cases.change_status(
                session, actor, case.id, case.version, status,
                override_reason="Answered in person at the bedside",
            )  # fmt: skip
    return case


def _acknowledge(db: Database, actor: UserInfo, case: CaseDetail, on: date) -> CaseDetail:
    with db.transaction() as session:
        return record_acknowledgement(
            session, actor, case.id, case.version, on, AcknowledgementMethod.PHONE
        )


def _report(db: Database, request: ReportRequest) -> Report:
    with db.transaction(read_only=True, snapshot=True) as session:
        return compliance_report(session, request)


def test_late_pending_reopened_and_withdrawn_grievances_count_where_the_policy_says(
    db: Database, coordinator: UserInfo
) -> None:
    now = datetime.now(UTC)
    local = now.astimezone().date()
    prompt = _grievance(db, coordinator, now - timedelta(days=3))
    prompt = _acknowledge(db, coordinator, prompt, local - timedelta(days=2))
    _move(db, coordinator, prompt, CaseStatus.RESOLVED)
    slow = _grievance(db, coordinator, now - timedelta(days=10))
    slow = _acknowledge(db, coordinator, slow, local)  # three days after it was due
    _move(db, coordinator, slow, CaseStatus.RESOLVED)
    _grievance(db, coordinator, now - timedelta(days=40))  # never acknowledged, still open
    _grievance(db, coordinator, now - timedelta(days=2))  # nothing due yet
    # Its acknowledgement is due today: not late until the day is over. A week has gone by.
    _grievance(db, coordinator, now - timedelta(days=7))
    reopened = _grievance(db, coordinator, now - timedelta(days=10))
    reopened = _acknowledge(db, coordinator, reopened, local - timedelta(days=9))
    _move(db, coordinator, reopened, CaseStatus.RESOLVED, CaseStatus.REOPENED)
    withdrawn = _grievance(db, coordinator, now - timedelta(days=5))
    _move(db, coordinator, withdrawn, CaseStatus.WITHDRAWN)
    complaint = phone_complaint(grievance_override=False, override_reason="Sorted at the desk")
    _move(db, coordinator, log_case(db, coordinator, complaint), CaseStatus.RESOLVED)

    first = local - timedelta(days=60)
    report = _report(db, ReportRequest(first, local, Granularity.QUARTER))
    assert report.title == "Grievance compliance"
    assert report.subtitle == (
        f"Grievances received {first.day} {first:%B %Y} to {local.day} {local:%B %Y}, by quarter"
    )
    shown = _column(report, "All grievances", "All")

    assert shown["Grievances received"] == 7 and shown["Withdrawn"] == 1
    # In time: the prompt one and the reopened one; late: the slow one and the forgotten one.
    assert shown["Acknowledged in time"] == 0.5 and shown["Acknowledged late"] == 2
    # Not yet due: the two received this week; the withdrawn one is owed nothing.
    assert shown["Acknowledgement not yet due"] == 2
    # The withdrawn one is left out; the reopened one has been open ten days.
    assert shown["Resolved within 7 days"] == pytest.approx(1 / 5)
    assert shown["Still within 7 days"] == 1
    assert shown["Resolved within 30 days"] == pytest.approx(2 / 3)
    assert shown["Still within 30 days"] == 3
    assert shown["Median days to close"] == pytest.approx(6.5, abs=0.01)
    assert shown["90th percentile days to close"] == pytest.approx(3 + 0.9 * 7, abs=0.01)


def test_a_grievance_withdrawn_before_it_was_acknowledged_is_owed_no_acknowledgement(
    db: Database, coordinator: UserInfo
) -> None:
    now = datetime.now(UTC)
    local = now.astimezone().date()
    withdrawn = _grievance(db, coordinator, now - timedelta(days=1))
    _move(db, coordinator, withdrawn, CaseStatus.WITHDRAWN)  # before its acknowledgement is due
    answered = _grievance(db, coordinator, now - timedelta(days=1))
    answered = _acknowledge(db, coordinator, answered, local)
    _move(db, coordinator, answered, CaseStatus.WITHDRAWN)
    _grievance(db, coordinator, now - timedelta(days=1))  # open, never acknowledged
    request = ReportRequest(local - timedelta(days=1), local, Granularity.MONTH)

    # Judged today: only the open one is still owed an acknowledgement.
    shown = _column(_report(db, request), "All grievances", "All")
    assert shown["Grievances received"] == 3 and shown["Withdrawn"] == 2
    assert shown["Acknowledged in time"] == 1.0 and shown["Acknowledged late"] == 0
    assert shown["Acknowledgement not yet due"] == 1

    # Judged a month on, every acknowledgement day has passed: the open one is late, the one
    # acknowledged before it was withdrawn counts in time, the other is neither.
    with db.transaction(read_only=True, snapshot=True) as session:
        later = compliance_report(session, request, today=local + timedelta(days=30))
    shown = _column(later, "All grievances", "All")
    assert shown["Acknowledged in time"] == 0.5 and shown["Acknowledged late"] == 1
    assert shown["Acknowledgement not yet due"] == 0


@pytest.fixture
def chicago(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The workstation's clock set to Chicago, five or six hours behind UTC."""
    monkeypatch.setenv("TZ", "America/Chicago")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


def test_a_grievance_received_late_on_the_last_evening_of_a_month_counts_in_that_month(
    db: Database, coordinator: UserInfo, chicago: None
) -> None:
    this_month = date.today().replace(day=1)
    last_day = this_month - timedelta(days=1)
    evening = datetime.combine(last_day, time(23, 30)).astimezone()
    assert evening.astimezone(UTC).date() == this_month  # already the next day in UTC
    _grievance(db, coordinator, evening)
    _grievance(db, coordinator, datetime.combine(this_month, time(0, 30)).astimezone())

    request = ReportRequest(last_day.replace(day=1), date.today(), Granularity.MONTH)
    report = _report(db, request)

    before = MONTHS[last_day.month - 1] + f" {last_day.year}"
    after = MONTHS[this_month.month - 1] + f" {this_month.year}"
    assert _column(report, "All grievances", before)["Grievances received"] == 1
    assert _column(report, "All grievances", after)["Grievances received"] == 1
    section = next(s for s in report.sections if s.heading == "All grievances")
    assert section.table is not None
    with db.transaction(read_only=True) as session:
        assert count_cases(session, section.table.drill[0, 1]) == 1


def test_a_response_let_go_without_an_element_is_counted_once_under_each_department(
    db: Database, coordinator: UserInfo
) -> None:
    units = departments(db, "Emergency Department", "Radiology")
    case = _grievance(db, coordinator, datetime.now(UTC) - timedelta(days=4), *units.values())
    with db.transaction() as session:
        response = letters.draft_letter(
            session, coordinator, case.id, "determination", language="en"
        )
        response = letter_workflow.save_draft(
            session, coordinator, response.id, response.version,
            _changes(response, "We looked into your concerns and the matter is closed."),
        )  # fmt: skip
        response = letter_workflow.approve_letter(
            session, coordinator, response.id, response.version,
            override_reason="Patient asked for a short letter; details given by phone.",
        )  # fmt: skip
        acknowledgement = letters.draft_letter(
            session, coordinator, case.id, "acknowledgement", language="en"
        )
        acknowledgement = letter_workflow.save_draft(
            session, coordinator, acknowledgement.id, acknowledgement.version,
            _changes(acknowledgement, acknowledgement.body),
        )  # fmt: skip
        acknowledgement = letter_workflow.approve_letter(
            session, coordinator, acknowledgement.id, acknowledgement.version
        )
    finalise(db, coordinator, response.id, response.version)
    finalise(db, coordinator, acknowledgement.id, acknowledgement.version)

    today = date.today()
    report = _report(db, ReportRequest(today, today, grouping=Grouping.DEPARTMENT))

    for heading in (
        "All grievances",
        "Department: Emergency Department",
        "Department: Radiology",
    ):
        shown = _column(report, heading, "All")
        assert shown["Response letters finalised"] == 1, heading
        assert shown["Finalised without every required element"] == 1, heading


def _changes(letter: Any, body: str) -> letter_workflow.LetterChanges:
    return letter_workflow.LetterChanges(
        subject=letter.subject,
        salutation=letter.salutation,
        recipient_name=letter.recipient_name,
        recipient_address=letter.recipient_address or ("1 Main Street", "Springfield"),
        body=body,
        copies_to=letter.copies_to,
    )


# --- the SQL the report is made of, on both databases --------------------------------------

_measures = MetaData()
_durations = Table(
    "report_durations",
    _measures,
    Column("id", Integer, primary_key=True),
    Column("bucket", Integer),
    Column("days", Float),
    Column("received_at", UtcDateTime()),
)


def test_percentiles_are_interpolated_as_percentile_cont_does(db: Database) -> None:
    values = {
        1: [4.0],  # one value: every percentile is that value
        2: [1.0, 2.0],
        3: [3.0, 3.0, 3.0, 9.0, 1.5, 30.25],  # ties, unsorted
        4: [float(n % 17) / 3 for n in range(101)],
    }
    _measures.create_all(db.engine)
    with db.transaction() as session:
        session.execute(
            insert(_durations),
            [{"bucket": bucket, "days": v} for bucket, numbers in values.items() for v in numbers],
        )
        found = {
            bucket: (p50, p90)
            for group, bucket, p50, p90 in session.execute(
                percentiles(
                    select(
                        literal_column("7").label("team"), _durations.c.bucket, _durations.c.days
                    ),
                    (0.5, 0.9),
                    keys=2,
                    overall=-1,
                )
            )
            if group == 7
        }
        if session.get_bind().dialect.name == "postgresql":
            native = session.execute(
                text(
                    "SELECT bucket, percentile_cont(0.5) WITHIN GROUP (ORDER BY days), "
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY days) "
                    "FROM report_durations GROUP BY bucket"
                )
            ).all()
            assert {b: pytest.approx((p, q)) for b, p, q in native} == {
                bucket: found[bucket] for bucket in values
            }
    assert found[1] == (4.0, 4.0)
    assert found[2] == pytest.approx((1.5, 1.9))
    values[-1] = [v for numbers in list(values.values()) for v in numbers]
    assert set(found) == set(values)
    for bucket, numbers in values.items():
        assert found[bucket] == pytest.approx(
            (statistics.median(numbers), _percentile(numbers, 0.9))
        )


def test_days_are_counted_in_24_hours_across_the_clock_change(db: Database) -> None:
    # Chicago moved its clocks forward on 8 March 2026.
    received = datetime(2026, 3, 5, 16, 45, 30, 123456, tzinfo=UTC)
    _measures.create_all(db.engine)
    with db.transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET TIME ZONE 'America/Chicago'"))
        session.execute(insert(_durations), [{"bucket": 1, "received_at": received}])
        later, elapsed = session.execute(
            select(
                plus_days(_durations.c.received_at, 7),
                days_between(_durations.c.received_at, plus_days(_durations.c.received_at, 30)),
            )
        ).one()
        exactly = session.scalar(
            select(func.count()).where(
                plus_days(_durations.c.received_at, 7) == received + timedelta(days=7)
            )
        )
    assert _instant(later) == received + timedelta(hours=168)
    assert elapsed == pytest.approx(30.0, abs=1e-6)
    assert exactly == 1


def test_two_responses_of_one_grievance_count_twice_under_its_category_too(
    db: Database, coordinator: UserInfo
) -> None:
    with db.transaction() as session:
        filed = (
            organisation.ensure_category(session, "Care", "Delay in treatment"),
            organisation.ensure_category(session, "Care", "Discharge"),
        )
    case = log_case(
        db,
        coordinator,
        phone_complaint(
            received_at=datetime.now(UTC) - timedelta(days=3),
            grievance_override=True,
            override_reason="Asked for a written answer",
            category_ids=filed,
        ),
    )
    with db.transaction() as session:
        for _ in range(2):
            letters.draft_letter(session, coordinator, case.id, "determination", language="en")
    _finalise_some_letters(db, seed=0, share=1.0, key="determination")

    today = date.today()
    report = _report(db, ReportRequest(today, today, grouping=Grouping.CATEGORY))

    for heading in ("All grievances", "Category: Care"):
        assert _column(report, heading, "All")["Response letters finalised"] == 2, heading
