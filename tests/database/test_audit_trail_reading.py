"""An auditor reads the audit trail of a case and across cases, after real work on them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseStatus, Role, TimelineKind
from prdesk.domain.errors import NotFound, PermissionDenied
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.reports.catalogue import run_report
from prdesk.domain.reports.model import Granularity, ReportRequest
from prdesk.domain.services import cases, letters, timeline, users
from prdesk.domain.services.audit_trail import (
    AuditFilter,
    AuditKind,
    AuditRow,
    all_entries,
    count_entries,
    entries_page,
    record_reading,
)
from prdesk.domain.services.timeline_input import NewTimelineEntry
from prdesk.export.letter_files import letter_pdf
from prdesk.export.report_files import save_report
from tests.support.builders import colleague, log_case, phone_complaint
from tests.support.pg_roles import login_as, signed_in


def investigated(db: Database, coordinator: UserInfo, patient: str = "Nguyễn Thị Hương") -> str:
    """A case logged, opened, assigned, moved to investigating, with a phone call added."""
    case = log_case(db, coordinator, phone_complaint(patient))
    with db.transaction() as session:
        detail: CaseDetail = cases.view_case(session, coordinator, case.id)
        detail = cases.assign_case(session, coordinator, case.id, detail.version, coordinator.id)
        cases.change_status(session, coordinator, case.id, detail.version, CaseStatus.INVESTIGATING)
        timeline.add_entry(
            session,
            coordinator,
            case.id,
            NewTimelineEntry(TimelineKind.PHONE_CALL, "Called the patient back about the wait"),
        )
    return case.number


def trail(db: Database, actor: UserInfo, wanted: AuditFilter) -> list[AuditRow]:
    with db.transaction(read_only=True) as session:
        return list(all_entries(session, actor, wanted))


def descriptions(rows: list[AuditRow]) -> list[str]:
    return [row.description for row in rows]


@pytest.fixture
def auditor(db: Database) -> UserInfo:
    return colleague(db, "qaudit", "Quinn Auditor", Role.AUDITOR)


def test_a_case_s_trail_tells_what_was_done_to_it_newest_first(
    db: Database, coordinator: UserInfo, auditor: UserInfo
) -> None:
    number = investigated(db, coordinator)
    investigated(db, coordinator, "Łukasz Wójcik")

    rows = trail(db, auditor, AuditFilter(case_number=number.lower()))

    assert {row.case_number for row in rows} == {number}
    assert [row.id for row in rows] == sorted((row.id for row in rows), reverse=True)
    said = descriptions(rows)
    assert "Opened the case" in said
    assert "Added the case (Complaint, Phone)" in said
    assert "Changed status: Assigned → Investigating" in said
    assert "Changed status: New → Assigned; assignee: (none) → María García" in said
    assert "Added a timeline entry (Phone call): Called the patient back about the wait" in said
    # The newest thing done was the phone call; the oldest, the case's creation.
    assert "Phone call" in said[0] or "Phone call" in said[1]
    opened = next(row for row in rows if row.description == "Opened the case")
    assert opened.who == "María García (mgarcia)"
    assert opened.action == "view"


def test_an_update_shows_old_and_new_values_by_label(
    db: Database, coordinator: UserInfo, auditor: UserInfo
) -> None:
    number = investigated(db, coordinator)

    rows = trail(db, auditor, AuditFilter(case_number=number, subject="cases"))
    change = next(
        row for row in rows if row.action == "update" and row.entity == "cases" and
        ("status", "Investigating") in row.new_values
    )  # fmt: skip

    assert ("status", "Assigned") in change.old_values
    assert ("status", "Investigating") in change.new_values
    assert change.table == "case"
    added = next(row for row in rows if row.action == "insert")
    assert ("number", number) in added.new_values
    # Derived search text is noise to an auditor, and never shown.
    assert all(label != "search text" for label, _ in added.new_values)


def test_kinds_separate_changes_openings_and_exports(
    db: Database, coordinator: UserInfo, auditor: UserInfo
) -> None:
    number = investigated(db, coordinator)
    with db.transaction() as session:
        record_reading(session, auditor, AuditFilter(case_number=number), "export", entries=3)

    views = trail(db, auditor, AuditFilter(case_number=number, kind=AuditKind.VIEWS))
    changes = trail(db, auditor, AuditFilter(case_number=number, kind=AuditKind.CHANGES))
    exports = trail(db, auditor, AuditFilter(kind=AuditKind.EXPORTS))

    assert descriptions(views) == ["Opened the case"]
    assert changes and all(row.action != "view" for row in changes)
    assert [row.description for row in exports] == [
        f"Exported 3 entries of the audit trail (case: {number})"
    ]
    assert exports[0].who == "Quinn Auditor (qaudit)"


def test_entries_narrowed_to_a_person_and_to_days(
    db: Database, coordinator: UserInfo, auditor: UserInfo
) -> None:
    number = investigated(db, coordinator)
    with db.transaction() as session:
        cases.view_case(session, auditor, number)
    today = date.today()

    by_auditor = trail(db, auditor, AuditFilter(user="Quinn Auditor"))
    today_only = trail(db, auditor, AuditFilter(from_day=today, to_day=today))
    tomorrow_on = trail(db, auditor, AuditFilter(from_day=today + timedelta(days=1)))
    until_yesterday = trail(db, auditor, AuditFilter(to_day=today - timedelta(days=1)))

    assert [(row.username, row.description) for row in by_auditor] == [
        ("qaudit", "Opened the case")
    ]
    assert len(today_only) == len(trail(db, auditor, AuditFilter())) > 5
    assert tomorrow_on == []
    assert until_yesterday == []


def test_pages_follow_each_other_without_gaps_or_repeats(
    db: Database, coordinator: UserInfo, auditor: UserInfo
) -> None:
    investigated(db, coordinator)
    investigated(db, coordinator, "Anna Wang")
    everything = trail(db, auditor, AuditFilter())

    paged: list[AuditRow] = []
    before: int | None = None
    with db.transaction(read_only=True) as session:
        total = count_entries(session, auditor, AuditFilter())
        while True:
            page = entries_page(session, auditor, AuditFilter(), before_id=before, limit=4)
            paged.extend(page.rows)
            if page.next_before is None:
                break
            before = page.next_before

    assert [row.id for row in paged] == [row.id for row in everything]
    assert total == len(everything) > 8


def test_letters_printed_and_entries_deleted_read_plainly(
    db: Database, coordinator: UserInfo, auditor: UserInfo
) -> None:
    number = investigated(db, coordinator)
    with db.transaction() as session:
        case_id = cases.view_case(session, coordinator, number, record_view=False).id
        letter = letters.draft_letter(session, coordinator, case_id, "acknowledgement")
        call = next(
            entry
            for entry in cases.view_case(session, coordinator, case_id, record_view=False).timeline
            if entry.kind is TimelineKind.PHONE_CALL
        )
        timeline.delete_entry(session, coordinator, call.id, call.version)
    letter_pdf(db, coordinator, letter.id, purpose="print")

    outward = trail(db, auditor, AuditFilter(case_number=number, kind=AuditKind.EXPORTS))
    entries = trail(db, auditor, AuditFilter(case_number=number, subject="timeline_entries"))
    drafted = trail(db, auditor, AuditFilter(case_number=number, subject="letters"))

    assert descriptions(outward) == [f"Printed letter {letter.id}"]
    assert f"Deleted (hid) timeline entry {call.id}" in descriptions(entries)
    assert f"Added letter {letter.id}: {letter.subject}" in descriptions(drafted)


def test_reading_the_trail_is_itself_recorded(
    db: Database, coordinator: UserInfo, auditor: UserInfo
) -> None:
    number = investigated(db, coordinator)
    with db.transaction() as session:
        record_reading(session, auditor, AuditFilter(case_number=number, kind=AuditKind.VIEWS))

    newest = trail(db, auditor, AuditFilter(subject="exports"))[0]

    assert newest.description == f"Read the audit trail (case: {number}; kind: views)"
    assert newest.who == "Quinn Auditor (qaudit)"


def test_only_auditors_and_administrators_read_the_trail(
    db: Database, coordinator: UserInfo, auditor: UserInfo
) -> None:
    representative = colleague(db, "rrep", "Rita Rep", Role.REPRESENTATIVE)
    investigated(db, coordinator)

    assert trail(db, coordinator, AuditFilter())
    with pytest.raises(PermissionDenied), db.transaction(read_only=True) as session:
        entries_page(session, representative, AuditFilter())


def test_an_unknown_case_number_is_said_so(db: Database, auditor: UserInfo) -> None:
    with pytest.raises(NotFound, match="PR-2020-999999"), db.transaction() as session:
        entries_page(session, auditor, AuditFilter(case_number="PR-2020-999999"))


@pytest.mark.postgresql
def test_an_auditor_s_own_login_reads_everyone_s_entries_and_is_recorded(
    postgres_db: Database,
) -> None:
    with postgres_db.transaction() as session:
        owner = users.resolve_actor(session, "mgarcia", "María García")
    number = investigated(postgres_db, owner)

    with login_as(postgres_db, Role.AUDITOR) as auditor_db:
        auditor = signed_in(auditor_db, "Quinn Auditor")
        wanted = AuditFilter(case_number=number, kind=AuditKind.VIEWS)
        with auditor_db.transaction() as session:
            rows = list(all_entries(session, auditor, wanted))
            record_reading(session, auditor, wanted)
        with auditor_db.transaction() as session:
            readings = list(all_entries(session, auditor, AuditFilter(user=auditor.username)))

    assert [(row.username, row.description) for row in rows] == [("mgarcia", "Opened the case")]
    # Signing in added the login's own user row, in its own name, before the reading.
    assert [row.description for row in readings] == [
        f"Read the audit trail (case: {number}; kind: views)",
        f"Added the user {auditor.username} (Quinn Auditor)",
    ]


def test_a_report_taken_out_of_pr_desk_reads_as_which_report_for_which_dates(
    db: Database, coordinator: UserInfo, auditor: UserInfo, tmp_path: Path
) -> None:
    request = ReportRequest(date(2026, 7, 1), date(2026, 9, 30), Granularity.QUARTER)
    report = run_report(db, coordinator, "compliance", request)
    save_report(db, coordinator, report, tmp_path / "compliance.xlsx")

    outward = trail(db, auditor, AuditFilter(kind=AuditKind.EXPORTS))

    assert descriptions(outward) == [
        "Exported the report \u201cGrievance compliance\u201d (Grievances received 1 July 2026 "
        "to 30 September 2026, by quarter) to XLSX compliance.xlsx"
    ]
