"""Demo data: realistic, varied, reproducible, and a database the application keeps working on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.dialects import sqlite

from prdesk.domain import letter_templates, models, schema
from prdesk.domain.case_numbers import format_case_number
from prdesk.domain.database import Database
from prdesk.domain.demo import _sqlite_instant, generate_demo_data
from prdesk.domain.enums import CaseKind, CaseStatus, Channel, LetterStatus, TimelineKind
from prdesk.domain.merge_fields import MergeSources, merge_values
from prdesk.domain.queries import CaseFilter, count_cases
from prdesk.domain.services import users
from prdesk.domain.services.cases import open_case
from prdesk.domain.services.mapping import case_detail, load_case, user_info
from prdesk.domain.services.organisation import letterhead
from prdesk.domain.services.policy import deadline_policy
from tests.support.builders import phone_complaint

CASES = 200
WORKING = {
    CaseStatus.INVESTIGATING,
    CaseStatus.WAITING_ON_DEPARTMENT,
    CaseStatus.WAITING_ON_PATIENT,
}


def _new_database(path: Path) -> Database:
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db)
    return db


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database with 200 demo cases, shared by the read-only tests below."""
    db = _new_database(tmp_path_factory.mktemp("demo") / "demo.db")
    generate_demo_data(db, CASES, seed=7)
    yield db
    db.dispose()


def test_every_kind_channel_and_status_appears(demo_db: Database) -> None:
    with demo_db.transaction(read_only=True) as session:
        kinds = set(session.scalars(select(models.Case.kind)))
        channels = set(session.scalars(select(models.Case.channel)))
        statuses = set(session.scalars(select(models.Case.status)))
    assert kinds == set(CaseKind)
    assert channels == set(Channel)
    assert statuses == set(CaseStatus)


def test_names_come_from_many_cultures_and_scripts(demo_db: Database) -> None:
    with demo_db.transaction(read_only=True) as session:
        everyone = " ".join(session.scalars(select(models.Person.full_name)))
    scripts = {
        "Han": r"[\u4e00-\u9fff]",
        "Hangul": r"[\uac00-\ud7af]",
        "Cyrillic": r"[\u0400-\u04ff]",
        "Greek": r"[\u0370-\u03ff]",
        "Arabic": r"[\u0600-\u06ff]",
        "Vietnamese": r"[ễệịọớờủứừạảấầẩậắằặẹẽếềểỉốồổộợụ]",
        "Latin with diacritics": r"[ŁłéíñóúüëöäçÑÓ]",
    }
    missing = [name for name, pattern in scripts.items() if not re.search(pattern, everyone)]
    assert not missing


def test_people_look_like_real_records(demo_db: Database) -> None:
    today = datetime.now(UTC).date()
    with demo_db.transaction(read_only=True) as session:
        patients = list(
            session.scalars(
                select(models.Person).join(models.Case, models.Case.patient_id == models.Person.id)
            )
        )
        raised = list(
            session.scalars(select(models.Case).where(models.Case.complainant_id.is_not(None)))
        )
    assert all(re.fullmatch(r"MRN\d{8}", p.medical_record_number or "") for p in patients)
    assert all(p.date_of_birth is not None and p.date_of_birth < today for p in patients)
    assert all(p.address_line1 and p.city and p.region and p.postal_code for p in patients)
    assert {p.preferred_language for p in patients} >= {"en", "es", "vi", "zh", "ko", "ru", "ar"}
    assert 0.2 < len(raised) / CASES < 0.4
    assert all(case.complainant_relationship and case.disclosure_basis for case in raised)


def test_demo_cases_are_found_by_name_without_accents(demo_db: Database) -> None:
    with demo_db.transaction(read_only=True) as session:
        found = count_cases(session, CaseFilter(search="nguyen"))
        nguyens = session.scalar(
            select(func.count(models.Case.id.distinct()))
            .join(
                models.Person,
                (models.Person.id == models.Case.patient_id)
                | (models.Person.id == models.Case.complainant_id),
            )
            .where(models.Person.full_name.contains("Nguyễn"))
        )
        mrn = session.scalar(select(models.Person.medical_record_number).limit(1))
        by_mrn = count_cases(session, CaseFilter(search=mrn or "-"))
    assert found == nguyens > 0
    assert by_mrn >= 1


def test_workflow_states_are_consistent(demo_db: Database) -> None:
    with demo_db.transaction(read_only=True) as session:
        cases = list(session.scalars(select(models.Case)))
    for case in cases:
        if case.status is CaseStatus.NEW:
            assert case.assignee_id is None, case.number
        else:
            assert case.assignee_id is not None, case.number
        assert (case.closed_at is not None) == (case.status is CaseStatus.CLOSED), case.number
        if case.kind is not CaseKind.COMPLAINT:
            assert not case.is_grievance, case.number
        elif case.channel.is_written:  # always a grievance, unless only about a bill
            assert case.is_grievance or "billing" in case.grievance_reason.lower(), case.number
        assert case.grievance_reason, case.number


def test_timeline_stays_within_each_case_lifetime(demo_db: Database) -> None:
    now = datetime.now(UTC)
    with demo_db.transaction(read_only=True) as session:
        rows = session.execute(
            select(models.TimelineEntry, models.Case.received_at).join(
                models.Case, models.Case.id == models.TimelineEntry.case_id
            )
        ).all()
        per_case = dict(
            session.execute(
                select(models.TimelineEntry.case_id, func.count()).group_by(
                    models.TimelineEntry.case_id
                )
            ).all()
        )
    assert len(per_case) == CASES
    for entry, received_at in rows:
        assert received_at <= entry.occurred_at <= entry.recorded_at <= now
        assert not (entry.patient_facing and entry.internal)
        assert entry.kind not in (TimelineKind.LETTER_SENT, TimelineKind.ATTACHMENT)
        if entry.kind is TimelineKind.STATUS_CHANGE:
            assert entry.internal
    assert {entry.kind for entry, _ in rows} >= set(TimelineKind) - {
        TimelineKind.LETTER_SENT,
        TimelineKind.ATTACHMENT,
    }


def test_categories_fit_each_kind(demo_db: Database) -> None:
    with demo_db.transaction(read_only=True) as session:
        parent = models.Category.__table__.alias("parent")
        pairs = session.execute(
            select(models.Case.kind, parent.c.name)
            .join(models.case_categories, models.case_categories.c.case_id == models.Case.id)
            .join(models.Category, models.Category.id == models.case_categories.c.category_id)
            .join(parent, parent.c.id == models.Category.parent_id)
        ).all()
    parents = {kind: {name for k, name in pairs if k is kind} for kind in CaseKind}
    assert parents[CaseKind.COMPLIMENT] == {"Staff recognition"}
    assert parents[CaseKind.LOST_BELONGINGS] == {"Property"}
    assert "Staff recognition" not in parents[CaseKind.COMPLAINT]


def test_every_case_has_a_create_event_in_the_audit_log(demo_db: Database) -> None:
    with demo_db.transaction(read_only=True) as session:
        events = session.execute(
            select(models.AuditEvent, models.User.username)
            .join(models.Case, models.Case.id == models.AuditEvent.case_id)
            .join(models.User, models.User.id == models.Case.created_by_id)
            .where(models.AuditEvent.action == "create")
        ).all()
    assert len(events) == CASES
    assert all(event.username == creator for event, creator in events)


def test_acknowledgements_read_as_draft_letter_would_write_them(demo_db: Database) -> None:
    with demo_db.transaction(read_only=True) as session:
        drafts = list(session.scalars(select(models.Letter).order_by(models.Letter.id)))
        head = letterhead(session)
        expected = []
        for letter in drafts:
            case_row = load_case(session, letter.case_id)
            assert case_row is not None
            case = case_detail(session, case_row)
            sources = MergeSources(
                case=case,
                signatory=case.assignee or case.created_by,
                coordinator=None,
                letterhead=head,
                language=letter.language,
                steps=(),
                today=date.today(),
                preset=deadline_policy(session).preset,
            )
            source = letter_templates.shipped_source("acknowledgement", letter.language)
            rendered = letter_templates.render_source(source, merge_values(sources), name="ack")
            expected.append((rendered, case))
    assert 0.3 < len(drafts) / CASES < 0.5
    assert {letter.language for letter in drafts} == {"en", "es"}
    for letter, (rendered, case) in zip(drafts, expected, strict=True):
        assert letter.status is LetterStatus.DRAFT
        assert (letter.subject, letter.body) == (rendered.subject, rendered.body)
        assert letter.recipient_name == case.addressee.full_name
        assert letter.recipient_address == "\n".join(case.addressee.address_lines)
        assert case.received_at <= letter.created_at


def test_sqlite_instants_are_stored_as_sqlalchemy_stores_them() -> None:
    bind = models.Case.__table__.c.received_at.type.dialect_impl(sqlite.dialect()).bind_processor(
        sqlite.dialect()
    )
    for value in (datetime(2025, 3, 9, 7, 5, 3, tzinfo=UTC), datetime.now().astimezone()):
        assert _sqlite_instant(value) == bind(value)


def test_the_same_seed_gives_the_same_cases(tmp_path: Path) -> None:
    seen = []
    for name in ("first.db", "second.db"):
        db = _new_database(tmp_path / name)
        generate_demo_data(db, 40, seed=3)
        with db.transaction(read_only=True) as session:
            seen.append(
                session.execute(
                    select(models.Case.number, models.Person.full_name, models.Case.description)
                    .join(models.Person, models.Person.id == models.Case.patient_id)
                    .order_by(models.Case.id)
                ).all()
            )
        db.dispose()
    assert seen[0] == seen[1]
    assert len(seen[0]) == 40


def test_a_second_run_continues_and_reuses_the_organisation(tmp_path: Path) -> None:
    db = _new_database(tmp_path / "twice.db")
    reports: list[tuple[int, int]] = []
    first = generate_demo_data(db, 30, seed=5)
    second = generate_demo_data(db, 30, seed=5, progress=lambda *report: reports.append(report))
    with db.transaction(read_only=True) as session:
        numbers = list(session.scalars(select(models.Case.number)))
        counter = models.CaseNumberCounter
        counters = dict(session.execute(select(counter.year, counter.last_value)).all())
        patients = list(session.scalars(select(models.Person.full_name)))
        departments = session.scalar(select(func.count(models.Department.id)))
        user_count = session.scalar(select(func.count(models.User.id)))
    db.dispose()
    assert len(numbers) == len(set(numbers)) == 60
    for year, last in counters.items():
        assert max(n for n in numbers if n.startswith(f"PR-{year}-")) == format_case_number(
            year, last
        )
    assert reports[-1] == (30, 30)
    assert (first.users, first.departments, first.categories) == (9, 12, 20)
    assert (departments, user_count) == (second.departments, second.users) == (12, 9)
    # A second run on the same seed does not clone the first run's patients.
    assert len(set(patients)) > 0.8 * len(patients)


def test_cases_can_still_be_opened_after_demo_data(db: Database) -> None:
    generate_demo_data(db, 25)
    with db.transaction() as session:
        coordinator = user_info(
            session.scalars(select(models.User).where(models.User.username == "moconnell")).one()
        )
        year = datetime.now().astimezone().year
        last = session.scalar(
            select(models.CaseNumberCounter.last_value).where(models.CaseNumberCounter.year == year)
        )
        highest = session.scalar(select(func.max(models.Case.id)))
    with db.transaction() as session:
        opened = open_case(session, coordinator, phone_complaint("Zoë Brontë"))
        again = open_case(session, users.resolve_actor(session, "moconnell"), phone_complaint())
    assert opened.number == format_case_number(year, (last or 0) + 1)
    assert again.number == format_case_number(year, (last or 0) + 2)
    assert opened.id > (highest or 0)
    with db.transaction(read_only=True) as session:
        assert count_cases(session, CaseFilter(search="zoe bronte")) >= 1


def test_demo_deadlines_follow_the_policy_and_the_workflow(demo_db: Database) -> None:
    from prdesk.domain import deadlines
    from prdesk.domain.deadline_policy import DEFAULT_POLICY
    from prdesk.domain.workflow import ALLOWED

    labels = {status.label: status for status in CaseStatus}
    with demo_db.transaction(read_only=True) as session:
        cases = list(session.scalars(select(models.Case)))
        moves = session.execute(
            select(models.TimelineEntry.case_id, models.TimelineEntry.summary)
            .where(models.TimelineEntry.summary.startswith("Status changed from "))
            .order_by(models.TimelineEntry.occurred_at, models.TimelineEntry.id)
        ).all()
    for case in cases:
        opened = deadlines.opened(
            DEFAULT_POLICY,
            deadlines.received_on(case.received_at),
            kind=case.kind,
            is_grievance=case.is_grievance,
        )
        if case.status is not CaseStatus.REOPENED:
            assert case.response_due_on == opened.response_due_on, case.number
        assert case.acknowledge_due_on == opened.acknowledge_due_on, case.number
        clock = deadlines.CaseClock(
            case.acknowledge_due_on,
            case.acknowledged_on,
            case.response_due_on,
            case.clock_paused_on,
        )
        assert case.due_on == deadlines.running_due(case.status, clock, DEFAULT_POLICY)
        assert (case.clock_paused_on is not None) == (
            case.status is CaseStatus.WAITING_ON_PATIENT
        ), case.number
    assert sum(case.acknowledged_on is not None for case in cases) > 0.5 * sum(
        case.acknowledge_due_on is not None for case in cases
    )
    # Every recorded move, reopening and withdrawal included, is one the workflow allows.
    for _case_id, summary in moves:
        before, after = summary.removeprefix("Status changed from ").split(" to ")
        assert labels[after] in ALLOWED[labels[before]], summary
    assert {case.status for case in cases if case.due_on is None} <= {
        CaseStatus.RESOLVED,
        CaseStatus.CLOSED,
        CaseStatus.WITHDRAWN,
        CaseStatus.WAITING_ON_PATIENT,
    }
