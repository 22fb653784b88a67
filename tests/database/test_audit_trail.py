"""The audit trail the database writes itself, and that nobody can change afterwards."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseStatus, Role, TimelineKind
from prdesk.domain.errors import PermissionDenied
from prdesk.domain.models import AuditEvent
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.security.roles import group_role
from prdesk.domain.services import cases, letter_workflow, letters, signatures, timeline, users
from prdesk.domain.services.case_input import CaseUpdate
from prdesk.domain.services.letter_workflow import LetterChanges
from prdesk.domain.services.timeline_input import EntryChanges, NewTimelineEntry
from tests.support.builders import colleague, departments, log_case, phone_complaint

REFUSAL = "The audit log cannot be changed or deleted."
# The smallest PNG there is: a signature picture for the test.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def trail(db: Database, entity: str, **where: Any) -> list[AuditEvent]:
    """The rows the database's triggers wrote about one table, oldest first."""
    query = select(AuditEvent).where(
        AuditEvent.entity == entity, AuditEvent.action.in_(("insert", "update", "delete"))
    )
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    with db.transaction(read_only=True) as session:
        return list(session.scalars(query.order_by(AuditEvent.id)))


def first_user(db: Database) -> UserInfo:
    """The coordinator, for tests on one backend only."""
    db.acting_user = "mgarcia"
    with db.transaction() as session:
        return users.resolve_actor(session, "mgarcia", "María García")


def acting(db: Database) -> str:
    """Who the database says acts: the login role, or on SQLite the workstation's user."""
    return db.acting_user if db.dialect == "sqlite" else str(db.url.username)


def test_logging_a_case_leaves_the_database_s_own_record_of_it(
    db: Database, coordinator: UserInfo
) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    case = log_case(db, coordinator, phone_complaint("Łukasz Nowak"))

    (inserted,) = trail(db, "cases")
    assert inserted.action == "insert"
    assert (inserted.entity_id, inserted.case_id) == (case.id, case.id)
    assert inserted.username == acting(db) and inserted.client == db.client
    assert before <= inserted.at <= datetime.now(UTC) + timedelta(seconds=5)
    new = inserted.details["new"]
    assert new["number"] == case.number and new["status"] == "new"
    assert new["description"] == case.description
    assert new["safety_concern"] is False
    assert "old" not in inserted.details
    (patient,) = trail(db, "people")
    assert patient.details["new"]["full_name"] == "Łukasz Nowak"
    assert patient.entity_id == case.patient.id


def test_a_status_change_records_only_what_changed_with_its_old_and_new_value(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        working = cases.assign_case(session, coordinator, case.id, case.version, coordinator.id)
        working = cases.update_case(
            session, coordinator, case.id, working.version,
            CaseUpdate(status=CaseStatus.INVESTIGATING),
        )  # fmt: skip
    with db.transaction() as session:
        cases.change_status(
            session, coordinator, case.id, working.version, CaseStatus.RESOLVED,
            override_reason="Resolved on the phone with the patient",
        )  # fmt: skip

    changes = [e.details for e in trail(db, "cases", action="update")]
    statuses = [(d["old"]["status"], d["new"]["status"]) for d in changes if "status" in d["old"]]
    assert statuses == [("new", "assigned"), ("assigned", "investigating"),
                        ("investigating", "resolved")]  # fmt: skip
    resolved = next(d for d in changes if d["new"].get("status") == "resolved")
    # The record holds the change, never the rest of the case.
    assert "description" not in resolved["old"] and "number" not in resolved["new"]
    assert resolved["new"]["version"] == resolved["old"]["version"] + 1
    assigned = next(d for d in changes if "assignee_id" in d["new"])
    assert (assigned["old"]["assignee_id"], assigned["new"]["assignee_id"]) == (
        None,
        coordinator.id,
    )


def test_an_assignment_names_the_representative_who_takes_the_case(
    db: Database, coordinator: UserInfo
) -> None:
    representative = colleague(db, "jkim", "Ji-woo Kim")
    case = log_case(db, coordinator)
    with db.transaction() as session:
        cases.assign_case(session, coordinator, case.id, case.version, representative.id)

    (assigned,) = [
        e for e in trail(db, "cases", action="update") if "assignee_id" in e.details["new"]
    ]
    assert assigned.details["new"]["assignee_id"] == representative.id
    assert assigned.details["old"]["assignee_id"] is None
    assert assigned.case_id == case.id and assigned.username == acting(db)
    written = trail(db, "timeline_entries", case_id=case.id, action="insert")
    assert "Assigned to Ji-woo Kim" in [e.details["new"]["summary"] for e in written]


def test_adding_correcting_and_deleting_a_timeline_entry_is_each_recorded(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    pharmacy = departments(db, "Pharmacy")["Pharmacy"]
    with db.transaction() as session:
        entry = timeline.add_entry(
            session, coordinator, case.id,
            NewTimelineEntry(
                kind=TimelineKind.PHONE_CALL, summary="Called the pharmacy",
                body="Refill was *delayed*", department_ids=(pharmacy,),
            ),
        )  # fmt: skip
    with db.transaction() as session:
        changes = EntryChanges.of(entry)
        corrected = timeline.edit_entry(
            session, coordinator, entry.id, entry.version,
            EntryChanges(**(vars(changes) | {"summary": "Called the pharmacy manager"})),
        )  # fmt: skip
    with db.transaction() as session:
        timeline.delete_entry(session, coordinator, entry.id, corrected.version)

    rows = trail(db, "timeline_entries", entity_id=entry.id)
    assert [r.action for r in rows] == ["insert", "update", "update"]
    added, edited, deleted = rows
    assert added.case_id == case.id
    assert added.details["new"]["summary"] == "Called the pharmacy"
    assert added.details["new"]["body"] == "Refill was *delayed*"
    assert edited.details["old"]["summary"] == "Called the pharmacy"
    assert edited.details["new"]["summary"] == "Called the pharmacy manager"
    assert "body" not in edited.details["new"]  # unchanged, so not repeated
    # Deleting hides the entry: the database records the moment it was hidden.
    assert deleted.details["old"]["deleted_at"] is None
    assert deleted.details["new"]["deleted_at"] is not None
    (linked,) = trail(db, "timeline_entry_departments")
    # The association row has no id of its own; its case is found through the entry.
    assert linked.entity_id is None and linked.case_id == case.id
    assert linked.details["new"] == {"entry_id": entry.id, "department_id": pharmacy}


def test_a_row_removed_from_the_database_keeps_its_last_values_in_the_trail(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        entry = timeline.add_entry(
            session, coordinator, case.id,
            NewTimelineEntry(kind=TimelineKind.NOTE, summary="Spoke to the ward sister"),
        )  # fmt: skip
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM timeline_entries WHERE id = :id"), {"id": entry.id})

    (removed,) = trail(db, "timeline_entries", action="delete")
    assert removed.entity_id == entry.id and removed.case_id == case.id
    assert removed.details["old"]["summary"] == "Spoke to the ward sister"
    assert "new" not in removed.details


def test_changing_a_letter_records_the_old_and_new_text(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        letter = letters.draft_letter(session, coordinator, case.id, "acknowledgement")
        letter_workflow.save_draft(
            session, coordinator, letter.id, letter.version,
            LetterChanges(
                subject=letter.subject, salutation="Dear Ms Nguyễn",
                recipient_name=letter.recipient_name, recipient_address=("12 Elm Street",),
                body="We are looking into what happened.",
            ),
        )  # fmt: skip

    drafted, saved = trail(db, "letters", entity_id=letter.id)
    assert drafted.action == "insert" and drafted.case_id == case.id
    assert drafted.details["new"]["status"] == "draft"
    assert "pdf" not in drafted.details["new"]  # the bytes are kept by their SHA-256
    assert saved.details["old"]["body"] == letter.body
    assert saved.details["new"]["body"] == "We are looking into what happened.\n"
    assert saved.details["new"]["salutation"] == "Dear Ms Nguyễn"


def test_a_signature_picture_is_recorded_by_its_fingerprint_never_its_bytes(
    db: Database, coordinator: UserInfo
) -> None:
    with db.transaction() as session:
        signatures.set_signature(session, coordinator, coordinator.id, PNG)

    (signed,) = trail(db, "signatures")
    assert signed.entity_id == coordinator.id
    assert signed.details["new"]["image"] == {
        "sha256": hashlib.sha256(PNG).hexdigest(),
        "bytes": len(PNG),
    }


def test_saving_what_is_already_saved_leaves_no_record(db: Database, coordinator: UserInfo) -> None:
    case = log_case(db, coordinator)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE cases SET status = status WHERE id = :id"), {"id": case.id})

    assert trail(db, "cases", action="update") == []


def test_rows_pr_desk_writes_itself_name_the_workstation_too(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        cases.view_case(session, coordinator, case.id)
    with db.transaction(read_only=True) as session:
        (opened,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "view"))
    assert opened.client == db.client and db.client.startswith("PR Desk ")
    assert len(db.client) <= 63


def test_the_audit_log_refuses_changes_through_pr_desk(db: Database, coordinator: UserInfo) -> None:
    log_case(db, coordinator)
    for statement in (
        "UPDATE audit_log SET username = 'someone else'",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(PermissionDenied, match=REFUSAL), db.transaction() as session:
            session.execute(text(statement))
    with db.transaction(read_only=True) as session:
        names = set(session.scalars(select(AuditEvent.username)))
    assert "someone else" not in names and names


def test_the_embedded_audit_log_refuses_changes_even_through_a_plain_connection(
    sqlite_db: Database,
) -> None:
    log_case(sqlite_db, first_user(sqlite_db))
    sqlite_db.engine.dispose()
    plain = sqlite3.connect(str(sqlite_db.url.database))
    try:
        count = plain.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        for statement in (
            "UPDATE audit_log SET details = '{}'",
            "DELETE FROM audit_log",
            "DELETE FROM audit_log WHERE id = 1",
        ):
            with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
                plain.execute(statement)
            plain.rollback()
        # Nor can another program change case data without it being recorded.
        with pytest.raises(sqlite3.OperationalError, match="prdesk_user"):
            plain.execute("UPDATE cases SET description = 'changed behind its back'")
        plain.rollback()
        assert plain.execute("SELECT count(*) FROM audit_log").fetchone()[0] == count
    finally:
        plain.close()


@pytest.fixture
def login_role(postgres_db: Database) -> Iterator[tuple[str, str]]:
    """An ordinary login role (not the owner, not a superuser) and its URL; dropped after."""
    name = f"prdesk_t_{uuid.uuid4().hex[:10]}"
    password = uuid.uuid4().hex
    with postgres_db.engine.begin() as connection:
        connection.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'"))
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {name}"))
    url = postgres_db.url.set(username=name, password=password).render_as_string(
        hide_password=False
    )
    try:
        yield name, url
    finally:
        with postgres_db.engine.begin() as connection:
            connection.execute(text(f"DROP OWNED BY {name}"))
            connection.execute(text(f"DROP ROLE {name}"))


@pytest.mark.postgresql
def test_a_login_granted_every_right_on_the_log_still_cannot_change_or_delete_it(
    postgres_db: Database, login_role: tuple[str, str]
) -> None:
    name, url = login_role
    log_case(postgres_db, first_user(postgres_db))
    with postgres_db.engine.begin() as connection:
        # Every right there is on the log, and past row security too: only the
        # triggers stand in the way.
        connection.execute(text(f"ALTER ROLE {name} BYPASSRLS"))
        connection.execute(text(f"GRANT SELECT, UPDATE, DELETE, TRUNCATE ON audit_log TO {name}"))
        before = connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()

    engine = create_engine(url)
    try:
        for statement in (
            "UPDATE audit_log SET username = 'someone else'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
        ):
            with pytest.raises(DBAPIError, match=REFUSAL), engine.begin() as connection:
                connection.execute(text(statement))
        as_role = Database(url)
        try:
            with pytest.raises(PermissionDenied, match=REFUSAL), as_role.transaction() as session:
                session.execute(text("DELETE FROM audit_log"))
        finally:
            as_role.dispose()
    finally:
        engine.dispose()
    with postgres_db.engine.connect() as connection:
        after = connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        names = set(connection.execute(text("SELECT username FROM audit_log")).scalars())
    assert after == before and "someone else" not in names


@pytest.mark.postgresql
def test_a_login_cannot_write_an_audit_row_in_someone_else_s_name(
    postgres_db: Database, login_role: tuple[str, str]
) -> None:
    name, url = login_role
    with postgres_db.engine.begin() as connection:
        # A representative's rights: writing audit rows, in one's own name only.
        connection.execute(text(f"GRANT {group_role(Role.REPRESENTATIVE)} TO {name}"))
    forger = Database(url)
    try:
        with forger.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO audit_log (at, username, action, entity, details, client) "
                    "VALUES ('2001-01-01', 'mgarcia', 'view', 'case', '{}', 'PR Desk elsewhere')"
                )
            )
    finally:
        forger.dispose()
    with postgres_db.engine.connect() as connection:
        row = connection.execute(
            text("SELECT username, at, client FROM audit_log WHERE action = 'view'")
        ).one()
    assert row.username == name
    assert row.at > datetime.now(UTC) - timedelta(minutes=5)
    assert row.client == forger.client


@pytest.mark.postgresql
def test_every_change_is_announced_to_the_other_workstations(postgres_db: Database) -> None:
    coordinator = first_user(postgres_db)
    url = postgres_db.url.set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as listener:
        listener.execute("LISTEN prdesk_changes")
        case = log_case(postgres_db, coordinator)
        with postgres_db.transaction() as session:
            cases.view_case(session, coordinator, case.id)  # an opening changes nothing
        # The notices of one commit are delivered together; the timeout only guards a hang.
        notices = [
            json.loads(notice.payload) for notice in listener.notifies(timeout=10, stop_after=3)
        ]
    assert {"table": "cases", "case_id": case.id, "client": postgres_db.client} in notices
    assert {"table": "people", "case_id": None, "client": postgres_db.client} in notices
    assert all(notice["table"] != "audit_log" for notice in notices)
