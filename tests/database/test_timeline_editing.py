"""Correcting, deleting and restoring timeline entries, on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select

from prdesk.domain.database import Database
from prdesk.domain.enums import Role, TimelineKind
from prdesk.domain.errors import ConflictError, PermissionDenied, ValidationError
from prdesk.domain.models import AuditEvent, DepartmentRequest, TimelineEntry
from prdesk.domain.queries import CaseFilter, list_cases
from prdesk.domain.readmodels import TimelineEntryInfo, UserInfo
from prdesk.domain.services import cases, timeline
from prdesk.domain.services.attachments import NewAttachment
from prdesk.domain.services.timeline import EntryChanges, EntryConflict, NewTimelineEntry
from prdesk.domain.services.timeline_reading import case_requests, case_timeline, entry_info
from tests.support.builders import colleague, departments, log_case, phone_complaint
from tests.support.concurrency import at_once

MORNING = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)


def add(db: Database, actor: UserInfo, case_id: int, new: NewTimelineEntry) -> TimelineEntryInfo:
    with db.transaction() as session:
        return timeline.add_entry(session, actor, case_id, new)


def edit(
    db: Database, actor: UserInfo, entry: TimelineEntryInfo, **changes: Any
) -> TimelineEntryInfo:
    with db.transaction() as session:
        return timeline.edit_entry(
            session, actor, entry.id, entry.version, replace(EntryChanges.of(entry), **changes)
        )


def shown(db: Database, case_id: int) -> list[str]:
    with db.transaction(read_only=True) as session:
        return [entry.summary for entry in case_timeline(session, case_id)]


def cases_found(db: Database, words: str) -> int:
    with db.transaction(read_only=True) as session:
        return len(list_cases(session, CaseFilter(search=words)))


def audit_events(db: Database, action: str) -> list[AuditEvent]:
    with db.transaction(read_only=True) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity == "timeline_entry", AuditEvent.action == action)
                .order_by(AuditEvent.id)
            )
        )


def test_a_coordinator_records_who_was_involved_and_which_departments(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    wards = departments(db, "Emergency", "Pharmacy")

    entry = add(
        db,
        coordinator,
        case.id,
        NewTimelineEntry(
            TimelineKind.STAFF_INTERVIEW,
            "Interviewed the charge nurse",
            body="She confirms the **six-hour** wait.",
            occurred_at=MORNING,
            people=("  Sr. Okafor ", "", "Dr. Lindqvist", "Sr. Okafor"),
            department_ids=(wards["Pharmacy"], wards["Emergency"]),
        ),
    )

    with db.transaction(read_only=True) as session:
        (saved,) = case_timeline(session, case.id)
    assert saved == entry
    assert saved.people == ("Sr. Okafor", "Dr. Lindqvist")
    assert [department.name for department in saved.departments] == ["Emergency", "Pharmacy"]
    assert saved.occurred_at == MORNING
    assert saved.author_id == coordinator.id and saved.editable


def test_entries_that_cannot_be_kept_are_refused_field_by_field(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        timeline.add_entry(
            session,
            coordinator,
            case.id,
            NewTimelineEntry(
                TimelineKind.NOTE,
                "x" * 301,
                patient_facing=True,
                internal=True,
                people=("A" * 201,),
                department_ids=(987_654,),
            ),
        )
    assert caught.value.fields.keys() == {"summary", "internal", "people", "department_ids"}
    assert shown(db, case.id) == []


def test_half_a_character_pasted_into_an_entry_is_refused_where_it_is(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        timeline.add_entry(
            session,
            coordinator,
            case.id,
            NewTimelineEntry(TimelineKind.PHONE_CALL, "Called \ud83d back", body="Fine"),
        )
    assert set(caught.value.fields) == {"summary"}
    assert "broken character" in caught.value.fields["summary"]
    assert shown(db, case.id) == []


def test_correcting_an_entry_keeps_the_change_in_the_audit_log_and_search(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    wards = departments(db, "Radiology")
    entry = add(db, coordinator, case.id, NewTimelineEntry(TimelineKind.NOTE, "Spoke to radiolgy"))

    edited = edit(
        db,
        coordinator,
        entry,
        kind=TimelineKind.PHONE_CALL,
        summary="Spoke to radiology about the scan",
        body="They will *re-read* the film.",
        people=("Dr. Ahn",),
        department_ids=(wards["Radiology"],),
    )

    assert edited.summary == "Spoke to radiology about the scan"
    assert edited.kind is TimelineKind.PHONE_CALL
    assert edited.edited_by_name == "María García" and edited.edited_at is not None
    assert edited.version > entry.version
    assert [d.name for d in edited.departments] == ["Radiology"]
    (event,) = audit_events(db, "update")
    assert event.entity_id == entry.id and event.case_id == case.id
    assert event.details["before"] == {
        "kind": "note",
        "summary": "Spoke to radiolgy",
        "body": "",
        "people": [],
        "departments": [],
    }
    assert event.details["after"]["summary"] == "Spoke to radiology about the scan"
    assert cases_found(db, "radiology scan") == 1
    assert cases_found(db, "radiolgy") == 0


def test_saving_an_unchanged_entry_writes_nothing(db: Database, coordinator: UserInfo) -> None:
    case = log_case(db, coordinator)
    entry = add(db, coordinator, case.id, NewTimelineEntry(TimelineKind.NOTE, "Left a voicemail"))

    again = edit(db, coordinator, entry)

    assert again.version == entry.version and again.edited_at is None
    assert audit_events(db, "update") == []


def test_the_second_of_two_editors_is_shown_the_first_ones_text_and_overwrites_nothing(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    ana = colleague(db, "aperez", "Ana Pérez", Role.COORDINATOR)
    entry = add(db, coordinator, case.id, NewTimelineEntry(TimelineKind.NOTE, "Called family"))
    # Both open the entry; Ana saves first.
    edit(db, ana, entry, summary="Called the daughter, Mai")

    with pytest.raises(EntryConflict) as caught:
        edit(db, coordinator, entry, summary="Called the son")

    assert isinstance(caught.value, ConflictError)
    assert "Ana Pérez changed this entry" in caught.value.message
    assert caught.value.current is not None
    assert caught.value.current.summary == "Called the daughter, Mai"
    assert shown(db, case.id) == ["Called the daughter, Mai"]
    # Making the change again on top of what is saved now succeeds.
    fresh = caught.value.current
    assert (
        edit(db, coordinator, fresh, summary="Called the son too").summary == "Called the son too"
    )


def test_two_editors_saving_at_the_same_moment_lose_nothing(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    ana = colleague(db, "aperez", "Ana Pérez", Role.COORDINATOR)
    entry = add(db, coordinator, case.id, NewTimelineEntry(TimelineKind.NOTE, "Called family"))
    saved: list[str] = []

    def save(actor: UserInfo, summary: str) -> None:
        edit(db, actor, entry, summary=summary)
        saved.append(summary)

    raised = at_once(
        lambda: save(coordinator, "María's version"), lambda: save(ana, "Ana's version")
    )
    conflicts = [error for error in raised if isinstance(error, EntryConflict)]
    assert raised == conflicts
    assert len(saved) == 1 and len(conflicts) == 1
    assert conflicts[0].current is not None and conflicts[0].current.summary == saved[0]
    assert shown(db, case.id) == saved


def test_two_people_adding_to_one_case_at_once_both_keep_their_entries(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    ana = colleague(db, "aperez", "Ana Pérez")

    def add_several(actor: UserInfo, word: str) -> None:
        for n in range(5):
            add(db, actor, case.id, NewTimelineEntry(TimelineKind.NOTE, f"{word} {n}"))

    assert (
        at_once(lambda: add_several(coordinator, "pharmacist"), lambda: add_several(ana, "porter"))
        == []
    )
    assert sorted(shown(db, case.id)) == sorted(
        [f"pharmacist {n}" for n in range(5)] + [f"porter {n}" for n in range(5)]
    )
    # The search index holds both people's words, not only the last writer's.
    assert cases_found(db, "pharmacist") == 1 and cases_found(db, "porter") == 1


def test_a_deleted_entry_leaves_the_timeline_but_its_text_stays_in_the_audit_log(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    entry = add(
        db,
        coordinator,
        case.id,
        NewTimelineEntry(
            TimelineKind.MEETING,
            "Met the family by mistake in the wrong case",
            body="Discussed the **wrong** patient.",
            occurred_at=MORNING,
            people=("Mr. Oduya",),
        ),
    )

    with db.transaction() as session:
        deleted = timeline.delete_entry(session, coordinator, entry.id, entry.version)

    assert deleted.version > entry.version
    assert shown(db, case.id) == []
    assert cases_found(db, "wrong patient") == 0
    (event,) = audit_events(db, "delete")
    assert event.details["summary"] == "Met the family by mistake in the wrong case"
    assert event.details["body"] == "Discussed the **wrong** patient."
    assert event.details["kind"] == "meeting"
    assert event.details["people"] == ["Mr. Oduya"]
    assert event.details["occurred_at"] == MORNING.isoformat()

    with pytest.raises(EntryConflict) as caught:
        edit(db, coordinator, entry, summary="Too late")
    assert caught.value.current is None
    assert "María García deleted this entry" in caught.value.message


def test_a_deleted_entry_can_be_restored_once(db: Database, coordinator: UserInfo) -> None:
    case = log_case(db, coordinator)
    entry = add(db, coordinator, case.id, NewTimelineEntry(TimelineKind.NOTE, "Ward visit"))
    with db.transaction() as session:
        timeline.delete_entry(session, coordinator, entry.id, entry.version)

    with db.transaction() as session:
        restored = timeline.restore_entry(session, coordinator, entry.id)

    assert restored.summary == "Ward visit"
    assert shown(db, case.id) == ["Ward visit"]
    assert cases_found(db, "ward visit") == 1
    assert [event.entity_id for event in audit_events(db, "restore")] == [entry.id]
    with (
        pytest.raises(ValidationError, match="not deleted"),
        db.transaction() as session,
    ):
        timeline.restore_entry(session, coordinator, entry.id)


def test_a_representative_undoes_and_redoes_their_own_entry_but_not_a_colleagues(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    jiwoo = colleague(db, "jkim", "Ji-woo Kim")
    own = add(db, jiwoo, case.id, NewTimelineEntry(TimelineKind.NOTE, "Jiwoo's note"))
    others = add(db, coordinator, case.id, NewTimelineEntry(TimelineKind.NOTE, "María's note"))

    with db.transaction() as session:
        undone = timeline.delete_entry(session, jiwoo, own.id, own.version)
    assert shown(db, case.id) == ["María's note"]
    with db.transaction() as session:
        timeline.restore_entry(session, jiwoo, undone.id)
    assert shown(db, case.id) == ["Jiwoo's note", "María's note"]

    with pytest.raises(PermissionDenied, match="Only María García"):
        edit(db, jiwoo, others, summary="Changed by Jiwoo")
    with pytest.raises(PermissionDenied), db.transaction() as session:
        timeline.delete_entry(session, jiwoo, others.id, others.version)
    # The coordinator corrects anyone's entry.
    with db.transaction(read_only=True) as session:
        jiwoos = entry_info(session, own.id)
    assert edit(db, coordinator, jiwoos, summary="Jiwoo's note, corrected").summary == (
        "Jiwoo's note, corrected"
    )
    with db.transaction(read_only=True) as session:
        assert timeline.may_edit(jiwoo, entry_info(session, own.id))
        assert not timeline.may_edit(jiwoo, entry_info(session, others.id))
    auditor = colleague(db, "audit", "Sam Auditor", Role.AUDITOR)
    assert not timeline.may_edit(auditor, jiwoos)


def test_pr_desks_own_records_are_not_edited_and_no_entry_becomes_one(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    entry = add(db, coordinator, case.id, NewTimelineEntry(TimelineKind.NOTE, "Note"))
    with db.transaction() as session:
        system = timeline.record_entry(
            session,
            coordinator,
            case.id,
            NewTimelineEntry(TimelineKind.LETTER_SENT, "Acknowledgement sent"),
            system=True,
        )
        session.flush()
        letter = entry_info(session, system.id)

    assert not timeline.may_edit(coordinator, letter)
    with pytest.raises(ValidationError, match="PR Desk's own record"):
        edit(db, coordinator, letter, summary="Rewritten")
    with pytest.raises(ValidationError) as caught:
        edit(db, coordinator, entry, kind=TimelineKind.STATUS_CHANGE)
    assert set(caught.value.fields) == {"kind"}
    assert shown(db, case.id) == ["Note", "Acknowledgement sent"]


def test_deleting_a_departments_response_reopens_the_request_until_restored(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    pharmacy = departments(db, "Pharmacy")["Pharmacy"]
    asked = add(
        db,
        coordinator,
        case.id,
        NewTimelineEntry(TimelineKind.DEPARTMENT_REQUEST, "Asked pharmacy"),
    )
    answer = add(
        db,
        coordinator,
        case.id,
        NewTimelineEntry(
            TimelineKind.DEPARTMENT_RESPONSE, "Pharmacy's statement", occurred_at=MORNING
        ),
    )
    with db.transaction() as session:
        session.add(
            DepartmentRequest(
                case_id=case.id,
                department_id=pharmacy,
                request_entry_id=asked.id,
                addressed_to="Pharmacy manager",
                due_on=date.today() + timedelta(days=5),
                response_entry_id=answer.id,
                answered_at=answer.occurred_at,
            )
        )

    with db.transaction() as session:
        timeline.delete_entry(session, coordinator, answer.id, answer.version)
        (request,) = case_requests(session, case.id)
    assert request.outstanding
    assert request.response_entry_id == answer.id  # the link stays, for a restore

    with db.transaction() as session:
        timeline.restore_entry(session, coordinator, answer.id)
        (request,) = case_requests(session, case.id)
    # Answered when the statement came, not when it was written down or restored.
    assert not request.outstanding
    assert request.answered_at == MORNING


def test_a_file_attached_to_the_wrong_case_can_be_deleted_but_not_edited(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, phone_complaint("Grace Okafor"))
    letter = NewAttachment("other-patient.pdf", b"%PDF-1.4 another patient's letter")
    with db.transaction() as session:
        (entry,) = timeline.add_entries(
            session, coordinator, case.id,
            [NewTimelineEntry(kind=TimelineKind.ATTACHMENT, summary="Attached other-patient.pdf",
                              attachments=(letter,))],
        )  # fmt: skip
    assert timeline.may_delete(coordinator, entry) and not timeline.may_edit(coordinator, entry)

    with db.transaction() as session:
        timeline.delete_entry(session, coordinator, entry.id, entry.version)
    with db.transaction(read_only=True) as session:
        shown = cases.view_case(session, coordinator, case.id, record_view=False).timeline
    assert all(e.id != entry.id for e in shown)


def test_saving_an_entry_for_several_departments_unchanged_writes_nothing(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    # Set up in this order, so the departments' ids and names sort differently.
    wards = departments(db, "Pharmacy", "Emergency")
    entry = add(
        db,
        coordinator,
        case.id,
        NewTimelineEntry(
            TimelineKind.MEETING,
            "Met both department heads",
            department_ids=(wards["Pharmacy"], wards["Emergency"]),
        ),
    )

    again = edit(db, coordinator, entry)

    assert again.version == entry.version and again.edited_at is None
    assert audit_events(db, "update") == []


def test_a_long_timeline_is_read_in_a_handful_of_queries(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    wards = departments(db, "Emergency", "Pharmacy")
    with db.transaction() as session:
        session.add_all(
            TimelineEntry(
                case_id=case.id,
                kind=TimelineKind.NOTE,
                occurred_at=MORNING + timedelta(seconds=n),
                author_id=coordinator.id,
                summary=f"Call {n}",
            )
            for n in range(1_500)
        )
    with db.transaction() as session:
        first = case_timeline(session, case.id)[0]
    edit(db, coordinator, first, department_ids=tuple(wards.values()))
    statements: list[str] = []

    def count(*args: Any) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):
            statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.transaction(read_only=True) as session:
            shown = case_timeline(session, case.id)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    assert len(shown) == 1_500
    assert [d.name for d in shown[0].departments] == ["Emergency", "Pharmacy"]
    # The entries, then their departments, files and requests: never one per entry
    # nor one per batch of entries.
    assert len(statements) <= 4


def test_a_step_dated_by_a_clock_running_a_little_fast_is_kept_as_happening_now(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    fast = datetime.now(UTC) + timedelta(minutes=3)

    entry = add(
        db, coordinator, case.id, NewTimelineEntry(TimelineKind.NOTE, "Call", occurred_at=fast)
    )

    assert entry.occurred_at <= datetime.now(UTC)
    with pytest.raises(ValidationError, match="cannot happen in the future"):
        edit(db, coordinator, entry, occurred_at=datetime.now(UTC) + timedelta(hours=1))
