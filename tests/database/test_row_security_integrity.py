"""What an ordinary login cannot do with psql either: reach others' patients, rewrite
colleagues' entries, plant files, forge the audit trail or stop case numbering."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, ProgrammingError

from prdesk.domain.database import Database
from prdesk.domain.enums import Role, TimelineKind
from prdesk.domain.errors import PermissionDenied
from prdesk.domain.models import AuditEvent, Case, CaseNumberCounter
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.security.access_rules import REPRESENTATIVE_CASE_UPDATES
from prdesk.domain.services import cases, timeline, users
from prdesk.domain.services.attachments import NewAttachment
from prdesk.domain.services.timeline import NewTimelineEntry
from tests.support.builders import log_case, phone_complaint
from tests.support.pg_roles import login_as, signed_in

pytestmark = pytest.mark.postgresql


@dataclass(frozen=True)
class Desk:
    db: Database  # the database administrator's
    coordinator: UserInfo
    rep_db: Database
    rep: UserInfo
    other_db: Database  # another representative's login
    other: UserInfo
    hidden: CaseDetail  # assigned to the other representative: not the representative's


@pytest.fixture
def desk(postgres_db: Database) -> Iterator[Desk]:
    db = postgres_db
    with db.transaction() as session:
        coordinator = users.resolve_actor(session, "mgarcia", "María García")
    with (
        login_as(db, Role.REPRESENTATIVE) as rep_db,
        login_as(db, Role.REPRESENTATIVE) as other_db,
    ):
        rep = signed_in(rep_db, "Ji-woo Kim")
        other = signed_in(other_db, "Li Chen")
        hidden = log_case(db, coordinator, phone_complaint("Ben Okafor"))
        with db.transaction() as session:
            hidden = cases.assign_case(session, coordinator, hidden.id, hidden.version, other.id)
        yield Desk(db, coordinator, rep_db, rep, other_db, other, hidden)


def people_seen(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        return set(connection.execute(text("SELECT full_name FROM people")).scalars())


def patient_of(desk: Desk, case: CaseDetail) -> int:
    with desk.db.transaction(read_only=True) as session:
        return session.execute(select(Case.patient_id).where(Case.id == case.id)).scalar_one()


def test_a_representative_cannot_point_a_case_at_someone_elses_patient(desk: Desk) -> None:
    own = log_case(desk.rep_db, desk.rep, phone_complaint("Ana Torres"))
    stranger = patient_of(desk, desk.hidden)
    with pytest.raises(PermissionDenied), desk.rep_db.transaction() as session:
        session.execute(
            text("UPDATE cases SET patient_id = :p WHERE id = :id"), {"p": stranger, "id": own.id}
        )
    with pytest.raises(PermissionDenied), desk.rep_db.transaction() as session:
        session.execute(
            text("UPDATE cases SET complainant_id = :p WHERE id = :id"),
            {"p": stranger, "id": own.id},
        )
    assert "Ben Okafor" not in people_seen(desk.rep_db)
    assert patient_of(desk, own) != stranger


def test_a_representative_may_change_every_case_column_but_whom_it_is_about() -> None:
    granted = {column.strip() for column in REPRESENTATIVE_CASE_UPDATES.split(",")}
    expected = {c.name for c in Case.__table__.columns} - {"id", "patient_id", "complainant_id"}
    assert granted == expected


def test_a_representative_cannot_log_a_case_about_someone_elses_patient(desk: Desk) -> None:
    own = log_case(desk.rep_db, desk.rep, phone_complaint("Ana Torres"))
    stranger = patient_of(desk, desk.hidden)
    columns = [c.name for c in Case.__table__.columns if c.name not in ("id", "number")]
    copied = ", ".join(
        {"patient_id": ":patient", "complainant_id": ":complainant"}.get(c, c) for c in columns
    )
    copy = (
        f"INSERT INTO cases (number, {', '.join(columns)})"
        f" SELECT :number, {copied} FROM cases WHERE id = :id"
    )
    with pytest.raises(PermissionDenied), desk.rep_db.transaction() as session:
        session.execute(
            text(copy), {"number": "X-1", "patient": stranger, "complainant": None, "id": own.id}
        )
    with pytest.raises(PermissionDenied), desk.rep_db.transaction() as session:
        session.execute(
            text(copy),
            {
                "number": "X-2",
                "patient": patient_of(desk, own),
                "complainant": stranger,
                "id": own.id,
            },
        )
    assert "Ben Okafor" not in people_seen(desk.rep_db)
    # Intake itself stores new people just before their case, and still works.
    again = log_case(desk.rep_db, desk.rep, phone_complaint("Cara Smith"))
    assert {"Ana Torres", "Cara Smith"} <= people_seen(desk.rep_db)
    with desk.rep_db.transaction() as session:
        logged = cases.view_case(session, desk.rep, again.id)
    assert logged.patient.full_name == "Cara Smith"


def test_a_representative_changes_only_the_timeline_entries_they_wrote(desk: Desk) -> None:
    shared = log_case(desk.db, desk.coordinator, phone_complaint("Dev Patel"))  # unassigned
    note = NewTimelineEntry(kind=TimelineKind.PHONE_CALL, summary="Called the ward", body="")
    with desk.other_db.transaction() as session:
        theirs = timeline.add_entry(session, desk.other, shared.id, note)
    with desk.rep_db.transaction() as session:
        mine = timeline.add_entry(session, desk.rep, shared.id, note)
    with desk.rep_db.engine.begin() as connection:
        rewritten = connection.execute(
            text("UPDATE timeline_entries SET summary = 'rewritten' WHERE id = :id"),
            {"id": theirs.id},
        ).rowcount
        deleted = connection.execute(
            text("UPDATE timeline_entries SET deleted_at = now() WHERE id = :id"),
            {"id": theirs.id},
        ).rowcount
        corrected = connection.execute(
            text("UPDATE timeline_entries SET summary = 'Called the ward twice' WHERE id = :id"),
            {"id": mine.id},
        ).rowcount
    assert (rewritten, deleted, corrected) == (0, 0, 1)
    # Nor may they pass their own entry off as the colleague's.
    with pytest.raises(PermissionDenied), desk.rep_db.transaction() as session:
        session.execute(
            text("UPDATE timeline_entries SET author_id = :other WHERE id = :id"),
            {"other": desk.other.id, "id": mine.id},
        )
    with desk.db.engine.connect() as connection:
        summary, gone = connection.execute(
            text("SELECT summary, deleted_at FROM timeline_entries WHERE id = :id"),
            {"id": theirs.id},
        ).one()
    assert (summary, gone) == ("Called the ward", None)


def test_a_representative_tags_departments_only_on_entries_they_wrote(desk: Desk) -> None:
    shared = log_case(desk.db, desk.coordinator, phone_complaint("Dev Patel"))  # unassigned
    with desk.db.engine.begin() as connection:
        ward = connection.execute(
            text(
                "INSERT INTO departments (name, active, manager_name, manager_email,"
                " backup_name, backup_email, version) VALUES ('Ward 7', true, '', '', '', '', 1)"
                " RETURNING id"
            )
        ).scalar_one()
    note = NewTimelineEntry(kind=TimelineKind.PHONE_CALL, summary="Called the ward", body="")
    with desk.other_db.transaction() as session:
        theirs = timeline.add_entry(session, desk.other, shared.id, note)
    with desk.rep_db.transaction() as session:
        mine = timeline.add_entry(session, desk.rep, shared.id, note)
    tag = text("INSERT INTO timeline_entry_departments (entry_id, department_id) VALUES (:e, :d)")
    with pytest.raises(PermissionDenied), desk.rep_db.transaction() as session:
        session.execute(tag, {"e": theirs.id, "d": ward})
    with desk.rep_db.transaction() as session:
        session.execute(tag, {"e": mine.id, "d": ward})
    with desk.other_db.transaction() as session:
        session.execute(tag, {"e": theirs.id, "d": ward})
    with desk.rep_db.engine.begin() as connection:
        untagged = connection.execute(
            text("DELETE FROM timeline_entry_departments WHERE entry_id = :e"), {"e": theirs.id}
        ).rowcount
        seen = connection.execute(
            text("SELECT count(*) FROM timeline_entry_departments WHERE entry_id = :e"),
            {"e": theirs.id},
        ).scalar_one()
    assert (untagged, seen) == (0, 1)


def test_a_file_is_stored_only_under_its_own_content_hash(desk: Desk) -> None:
    genuine = b"%PDF-1.4 the real letter"
    planted = b"%PDF-1.4 something else"
    name = hashlib.sha256(genuine).hexdigest()
    store = text("INSERT INTO blobs (sha256, size, content) VALUES (:sha, :size, :content)")
    with pytest.raises(IntegrityError), desk.rep_db.engine.begin() as connection:
        connection.execute(store, {"sha": name, "size": len(planted), "content": planted})
    with pytest.raises(IntegrityError), desk.rep_db.engine.begin() as connection:
        connection.execute(store, {"sha": name, "size": 1, "content": genuine})
    with desk.rep_db.engine.begin() as connection:
        connection.execute(store, {"sha": name, "size": len(genuine), "content": genuine})
    with desk.db.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT content FROM blobs WHERE sha256 = :sha"), {"sha": name}
        ).scalar_one()
    assert bytes(stored) == genuine


def test_a_kept_file_cannot_be_renamed_or_moved_by_a_caseworker(desk: Desk) -> None:
    with desk.db.transaction() as session:
        entry = timeline.add_entry(
            session,
            desk.coordinator,
            desk.hidden.id,
            NewTimelineEntry(
                TimelineKind.NOTE,
                "Statement from the ward",
                attachments=(NewAttachment("statement.pdf", b"%PDF-1.4 statement"),),
            ),
        )
    # Unassigned, so the representative sees the case and its file.
    with desk.db.transaction() as session:
        cases.assign_case(session, desk.coordinator, desk.hidden.id, desk.hidden.version, None)
    with desk.rep_db.engine.connect() as connection:
        seen = connection.execute(text("SELECT filename FROM attachments")).scalars()
        assert list(seen) == ["statement.pdf"]
    rename = text("UPDATE attachments SET filename = 'nothing.pdf' WHERE timeline_entry_id = :e")
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        desk.rep_db.engine.begin() as connection,
    ):
        connection.execute(rename, {"e": entry.id})
    with desk.db.engine.connect() as connection:
        names = connection.execute(
            text("SELECT filename FROM attachments WHERE timeline_entry_id = :e"), {"e": entry.id}
        ).scalars()
        assert list(names) == ["statement.pdf"]


def test_a_login_cannot_write_a_change_the_database_did_not_record(desk: Desk) -> None:
    forge = text(
        "INSERT INTO audit_log (at, username, action, entity, entity_id, case_id, details, client)"
        " VALUES (now(), session_user, :action, :entity, :id, :id, CAST(:details AS json), '')"
    )
    forgeries = (
        ("update", "cases", '{"old": {"status": "open"}, "new": {"status": "closed"}}'),
        ("delete", "timeline_entries", "{}"),
        ("insert", "case", "{}"),
        ("update", "case", '{"old": {"status": "open"}, "new": {"status": "closed"}}'),
    )
    for action, entity, details in forgeries:
        with pytest.raises(PermissionDenied), desk.rep_db.transaction() as session:
            session.execute(
                forge,
                {"action": action, "entity": entity, "id": desk.hidden.id, "details": details},
            )
    # What PR Desk itself writes still goes in, and the database's own record of a change.
    with desk.rep_db.transaction() as session:
        session.execute(
            forge,
            {"action": "update", "entity": "saved_view", "id": None, "details": '{"before": 1}'},
        )
    own = log_case(desk.rep_db, desk.rep, phone_complaint("Ana Torres"))
    with desk.db.transaction(read_only=True) as session:
        written = session.execute(
            select(AuditEvent.entity_id, AuditEvent.action).where(
                AuditEvent.username == desk.rep.username, AuditEvent.entity == "cases"
            )
        ).all()
    assert (own.id, "insert") in written
    assert all(case_id == own.id for case_id, _ in written)


def test_a_login_only_takes_the_next_case_number(desk: Desk) -> None:
    first = log_case(desk.rep_db, desk.rep, phone_complaint("Ana Torres"))
    year = int(first.number.split("-")[-2])
    for sql in (
        "UPDATE case_number_counters SET last_value = 0",
        "UPDATE case_number_counters SET last_value = 2147483647",
        "DELETE FROM case_number_counters",
        "INSERT INTO case_number_counters (year, last_value) VALUES (:next, 2147483647)",
    ):
        with pytest.raises(PermissionDenied), desk.rep_db.transaction() as session:
            session.execute(text(sql), {"next": year + 1})
    second = log_case(desk.rep_db, desk.rep, phone_complaint("Cara Smith"))
    with desk.db.transaction(read_only=True) as session:
        counter = session.get(CaseNumberCounter, year)
        assert counter is not None
        assert counter.last_value == int(second.number.split("-")[-1])
    assert int(second.number.split("-")[-1]) == int(first.number.split("-")[-1]) + 1
