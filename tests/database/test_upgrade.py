"""A database made by an earlier release keeps its cases and their timelines through the upgrade."""

from __future__ import annotations

from sqlalchemy import select, text

from prdesk.domain import schema
from prdesk.domain.database import Database
from prdesk.domain.enums import TimelineKind
from prdesk.domain.models import Case
from prdesk.domain.queries import CaseFilter, list_cases
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.rich_text import to_plain
from prdesk.domain.services import cases, timeline
from prdesk.domain.services.timeline import NewTimelineEntry
from tests.support.builders import log_case, phone_complaint


def test_cases_from_before_the_upgrade_get_deadlines_and_are_found_by_search(
    db: Database, coordinator: UserInfo
) -> None:
    written_answer = phone_complaint(
        "Łukasz Nowak", grievance_override=True, override_reason="Asked for a written answer"
    )
    grievance = log_case(db, coordinator, written_answer)
    with db.transaction() as session:
        timeline.add_entry(
            session, coordinator, grievance.id,
            NewTimelineEntry(kind=TimelineKind.NOTE, summary="Called the pharmacy about the refill"),
        )  # fmt: skip
    with db.transaction(read_only=True) as session:
        before = cases.view_case(session, coordinator, grievance.id, record_view=False)
    schema.downgrade(db, "0001")  # as the foundation's release left it
    assert not schema.schema_state(db).up_to_date

    schema.upgrade(db)

    with db.transaction(read_only=True) as session:
        by_name = list_cases(session, CaseFilter(search="lukasz"))
        by_timeline = list_cases(session, CaseFilter(search="pharmacy"))
        detail = cases.view_case(session, coordinator, grievance.id, record_view=False)
    # Rebuilding the cases table on SQLite must not cascade to what points at it.
    assert [e.summary for e in detail.timeline] == [e.summary for e in before.timeline]
    assert [row.number for row in by_name] == [grievance.number]
    assert [row.number for row in by_timeline] == [grievance.number]
    # The CMS defaults: acknowledge a grievance within 7 days, answer within 30.
    received = detail.received_at.astimezone().date()
    assert detail.acknowledge_due_on is not None and detail.response_due_on is not None
    assert (detail.acknowledge_due_on - received).days == 7
    assert (detail.response_due_on - received).days == 30
    assert detail.due_on == detail.acknowledge_due_on
    assert by_name[0].due_on == detail.due_on and not by_name[0].clock_paused
    with db.transaction(read_only=True) as session:
        sort_name = session.scalar(select(Case.patient_sort_name).where(Case.id == grievance.id))
    assert sort_name == "łukasz nowak"


def test_timeline_text_typed_before_bodies_were_markdown_reads_the_same(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, phone_complaint("Grace Okafor"))
    typed = "Spoke to the ward sister\n# 4 West *urgent* [bed 12]\n1. not a list"
    with db.transaction() as session:
        entry = timeline.add_entry(
            session, coordinator, case.id,
            NewTimelineEntry(kind=TimelineKind.PHONE_CALL, summary="Ward call"),
        )  # fmt: skip
    schema.downgrade(db, "0002")
    with db.transaction() as session:
        session.execute(
            text("UPDATE timeline_entries SET body = :body WHERE id = :id"),
            {"body": typed, "id": entry.id},
        )

    schema.upgrade(db)

    with db.transaction(read_only=True) as session:
        detail = cases.view_case(session, coordinator, case.id, record_view=False)
        found = list_cases(session, CaseFilter(search="ward call"))
    (after,) = detail.timeline
    assert to_plain(after.body) == typed
    assert [row.number for row in found] == [case.number]
