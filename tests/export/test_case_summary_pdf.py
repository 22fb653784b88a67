"""The case summary the grievance committee reads on paper: what it holds, and what it leaves out."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    ContactPreference,
    LetterStatus,
    Role,
    Severity,
    TimelineKind,
)
from prdesk.domain.errors import PermissionDenied
from prdesk.domain.models import AuditEvent, Letter
from prdesk.domain.readmodels import (
    CaseDetail,
    Letterhead,
    PersonInfo,
    TimelineEntryInfo,
    UserInfo,
)
from prdesk.domain.services import cases, organisation, timeline
from prdesk.domain.services.attachments import NewAttachment
from prdesk.domain.services.case_outcome import record_outcome
from prdesk.domain.services.case_summary import CaseSummary, SummaryOptions, case_summary
from prdesk.domain.services.department_requests import NewRequest, request_statement
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.export.case_summary_pdf import render_case_summary, save_case_summary
from prdesk.export.letter_files import SaveFailed
from tests.export.test_letter_pdf import fonts_of, text_of
from tests.support.builders import colleague, departments, log_case, raised_by_daughter

SHOTS = Path("/tmp/shots")
SHARED = "Called the daughter about the wait"
INTERNAL = "Charge nurse admits the rota was short"
FOUND = "Triage was delayed by a surge of ambulance arrivals."
DONE = "All emergency staff were re-briefed on updating families."


def words(reader: PdfReader, page: int | None = None) -> str:
    """The text of the pages with line breaks and runs of spaces as single spaces."""
    return " ".join(text_of(reader, page).split())


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


# -- made from a case in the database


def _letter(
    case_id: int, author: UserInfo, subject: str, status: LetterStatus, **sent: Any
) -> Letter:
    return Letter(
        case_id=case_id, template_key=sent.pop("template", "grievance_determination"),
        language="en", status=status, subject=subject, recipient_name="Nguyễn Thị Mai",
        salutation="Ms Nguyễn", body="…", signatory_name="María García",
        created_by_id=author.id, **sent,
    )  # fmt: skip


@pytest.fixture
def investigated(db: Database, coordinator: UserInfo) -> CaseDetail:
    """A grievance worked to its resolution: entries shared and internal, a request to the
    emergency department, letters in every state, and the outcome written down."""
    with db.transaction() as session:
        organisation.set_letterhead(
            session, coordinator, Letterhead(organisation="Riverside General Hospital")
        )
    nurse = colleague(db, "jkim", "김민준")
    emergency = departments(db, "Emergency Department")["Emergency Department"]
    case = log_case(db, coordinator, raised_by_daughter("王秀英", "Nguyễn Thị Mai"))
    earlier = datetime.now(UTC) - timedelta(days=3)
    with db.transaction() as session:
        case = cases.assign_case(session, coordinator, case.id, case.version, nurse.id)
        add = timeline.add_entry
        add(session, nurse, case.id, NewTimelineEntry(
            TimelineKind.PHONE_CALL, SHARED, "She was **not told** anything for six hours.",
            occurred_at=earlier, people=("محمد علي",),
            attachments=(NewAttachment("triage-notes.pdf", b"%PDF-1.4 notes"),),
        ))  # fmt: skip
        add(session, nurse, case.id, NewTimelineEntry(
            TimelineKind.STAFF_INTERVIEW, INTERNAL, occurred_at=earlier, internal=True
        ))  # fmt: skip
        request_statement(session, coordinator, case.id, NewRequest(
            emergency, "Statement from the night triage nurse", date.today() + timedelta(days=5),
            addressed_to="Dr. Sarah Park",
        ))  # fmt: skip
        sent_at = datetime.now(UTC) - timedelta(days=1)
        session.add_all([
            _letter(case.id, coordinator, "We have received your concerns", LetterStatus.SENT,
                    template="acknowledgement", sent_at=earlier, sent_via="mail",
                    pdf_sha256="ab12cd34ef56" + "0" * 52),
            _letter(case.id, coordinator, "Our response to your concerns", LetterStatus.SENT,
                    sent_at=sent_at, sent_via="email", pdf_sha256="9f8e7d6c5b4a" + "1" * 52),
            _letter(case.id, coordinator, "A draft nobody sent", LetterStatus.DRAFT),
            _letter(case.id, coordinator, "Finalised, waiting to go", LetterStatus.FINALISED),
        ])  # fmt: skip
        session.flush()
        case = cases.view_case(session, coordinator, case.id, record_view=False)
        case = record_outcome(session, coordinator, case.id, case.version, FOUND, DONE)
        for status in (CaseStatus.INVESTIGATING, CaseStatus.RESOLVED):
            case = cases.change_status(session, coordinator, case.id, case.version, status)
    return case


def _summary(db: Database, actor: UserInfo, case: CaseDetail, **options: bool) -> CaseSummary:
    with db.transaction() as session:
        return case_summary(session, actor, case.number, SummaryOptions(**options))


def test_the_committee_reads_the_facts_people_timeline_letters_and_outcome(
    db: Database, coordinator: UserInfo, investigated: CaseDetail
) -> None:
    summary = _summary(db, coordinator, investigated)
    reader = read(render_case_summary(summary))
    text = words(reader)
    first_page = words(reader, 0)
    assert "Riverside General Hospital CONFIDENTIAL" in first_page
    assert "Case summary for the grievance committee" in first_page
    assert f"{investigated.number} · Complaint" in first_page
    assert f"Prepared {date.today():%b} " in first_page and "by María García" in first_page
    assert "Status Resolved" in text and "Received" in text and "by phone" in text
    assert "Grievance Yes" in text if investigated.is_grievance else "Grievance No" in text
    # People
    assert "Patient 王秀英, MRN MRN00012345" in text
    assert "Raised by Nguyễn Thị Mai (child)" in text
    assert "Assigned to 김민준" in text
    # What was raised
    assert investigated.description in text and investigated.desired_outcome in text
    # The timeline: shared entries, PR Desk's status changes, never the internal note.
    assert SHARED in text and "She was not told anything for six hours." in text
    assert "Attached: triage-notes.pdf" in text
    assert "Status changed from Investigating to Resolved" in text
    assert "Statement from the night triage nurse" in text
    assert INTERNAL not in text
    assert "Internal entries are left out (1)." in text
    # Requests, letters sent (not drafted or finalised), the outcome
    assert "Dr. Sarah Park" in text and "Outstanding" in text
    assert "We have received your concerns" in text and "Our response to your concerns" in text
    assert "ab12cd34ef56" in text and "9f8e7d6c5b4a" in text
    assert "A draft nobody sent" not in text and "Finalised, waiting to go" not in text
    assert f"Response Sent {date.today() - timedelta(days=1):%b} " in text
    assert FOUND in text and DONE in text
    assert f"Finished {date.today():%b} " in text
    pages = len(reader.pages)
    for number in range(pages):
        page = words(reader, number)
        assert f"Page {number + 1} of {pages}" in page
        assert "Confidential: contains protected health information." in page
    assert any("NotoSansArabic" in name for name in fonts_of(reader))
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "summary-from-database.pdf").write_bytes(render_case_summary(summary))


def test_internal_entries_are_printed_and_marked_when_asked_for(
    db: Database, coordinator: UserInfo, investigated: CaseDetail
) -> None:
    summary = _summary(db, coordinator, investigated, include_internal=True)
    text = words(read(render_case_summary(summary)))
    assert f"Staff interview Internal 김민준 {INTERNAL}" in text
    assert "Internal entries are included and marked “Internal”." in text
    assert SHARED in text


def test_making_a_summary_is_recorded_as_an_export_of_the_case(
    db: Database, coordinator: UserInfo, investigated: CaseDetail
) -> None:
    _summary(db, coordinator, investigated)
    _summary(db, coordinator, investigated, include_internal=True)
    with db.transaction(read_only=True) as session:
        exports = session.execute(
            select(AuditEvent.username, AuditEvent.entity_id, AuditEvent.details)
            .where(AuditEvent.action == "export", AuditEvent.case_id == investigated.id)
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(row) for row in exports] == [
        ("mgarcia", investigated.id, {"what": "committee summary", "internal": False}),
        ("mgarcia", investigated.id, {"what": "committee summary", "internal": True}),
    ]


def test_an_auditor_may_print_a_summary_and_a_clerk_may_not(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    auditor = colleague(db, "audit", "Sam Auditor", Role.AUDITOR)
    clerk = colleague(db, "desk", "Pat Clerk", Role.CLERK)
    assert _summary(db, auditor, case).generated_by == "Sam Auditor"
    with pytest.raises(PermissionDenied):
        _summary(db, clerk, case)


# -- made from read models, for what any case can hold

T0 = datetime(2026, 2, 3, 14, 30, tzinfo=UTC)
COORDINATOR = UserInfo(1, "mgarcia", "María García", Role.COORDINATOR)


def _person(name: str) -> PersonInfo:
    return PersonInfo(1, name, name, None, None, "", "", (), "en", ContactPreference.LETTER, 1)


def _entry(number: int, summary: str | None = None, **changes: Any) -> TimelineEntryInfo:
    entry = TimelineEntryInfo(
        id=number, kind=TimelineKind.NOTE, occurred_at=T0 + timedelta(hours=number),
        recorded_at=T0, author_name="María García", summary=summary or f"Step {number}",
        body="", patient_facing=False, internal=False, version=1,
    )  # fmt: skip
    return dataclasses.replace(entry, **changes)


def make_summary(entries: tuple[TimelineEntryInfo, ...] = (), **changes: Any) -> CaseSummary:
    case = CaseDetail(
        id=7, number="PR-2026-000123", kind=CaseKind.COMPLAINT, channel=Channel.LETTER,
        status=CaseStatus.INVESTIGATING, severity=Severity.MODERATE, received_at=T0,
        patient=_person("Łukasz Wójcik"), complainant=None, complainant_relationship=None,
        disclosure_basis=None, description="", desired_outcome="", location="",
        staff_involved="", safety_concern=False, behavioural_alert=False, is_grievance=True,
        grievance_reason="", grievance_overridden=False, departments=(), categories=(),
        assignee=None, created_by=COORDINATOR, created_at=T0, updated_at=T0,
        timeline=entries, letters=(), version=1,
    )  # fmt: skip
    return CaseSummary(
        case=dataclasses.replace(case, **changes), entries=entries, requests=(), letters_sent=(),
        organisation="Riverside General Hospital", generated_at=T0 + timedelta(days=30),
        generated_by="María García",
    )  # fmt: skip


@pytest.mark.parametrize(
    "name", ["王秀英", "김민준", "Nguyễn Thị Hương", "Łukasz Wójcik", "Анна Кузнецова"]
)
def test_names_in_any_script_print_as_text(name: str) -> None:
    entry = _entry(1, f"Met {name} and her son", author_name=name, people=(name,))
    summary = make_summary((entry,), patient=_person(name), description=f"{name} waited.")
    text = words(read(render_case_summary(summary)))
    assert f"Patient {name}" in text
    assert f"{name} waited." in text
    assert f"{name} Met {name} and her son" in text
    assert f"People: {name}" in text


def test_pages_are_numbered_and_headed_with_the_case_from_page_two() -> None:
    entries = tuple(_entry(n, f"Step {n} of the investigation") for n in range(1, 121))
    reader = read(render_case_summary(make_summary(entries)))
    pages = len(reader.pages)
    assert pages > 3
    assert "PR-2026-000123 · Case summary" not in words(reader, 0)
    for number in range(1, pages):
        page = words(reader, number)
        assert "PR-2026-000123 · Case summary Riverside General Hospital" in page
        assert f"Page {number + 1} of {pages}" in page
    text = words(reader)
    assert all(f"Step {n} of the investigation" in text for n in range(1, 121))


def test_two_thousand_entries_all_print() -> None:
    entries = tuple(
        _entry(n, f"Entry {n:04d}", body="Spoke with the *family*." if n % 2 else "")
        for n in range(1, 2001)
    )
    reader = read(render_case_summary(make_summary(entries)))
    text = words(reader)
    assert all(f"Entry {n:04d}" in text for n in range(1, 2001))
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text


def test_a_body_longer_than_a_page_flows_on_and_an_empty_case_still_prints() -> None:
    paragraph = "The patient's daughter described the night in detail. " * 12
    body = "\n\n".join(f"{n}. {paragraph}" for n in range(1, 121))
    long_list = "\n".join(f"- point {n}" for n in range(1, 301))
    entries = (_entry(1, body=body), _entry(2, body=long_list), _entry(3, "After the long ones"))
    summary = make_summary(entries, findings=paragraph * 40)
    reader = read(render_case_summary(summary))
    text = words(reader)
    assert len(reader.pages) > 10
    assert "120. The patient's daughter" in text and "point 300" in text
    assert "After the long ones" in text

    empty = read(render_case_summary(make_summary()))
    text = words(empty)
    assert "No entries." in text and "No letters sent." in text
    assert "What the investigation found Not recorded." in text
    assert "Page 1 of " in text


def test_what_looks_like_markup_prints_literally() -> None:
    entry = _entry(1, "<b>Shouted</b> & left", body="Wrote <script>alert(1)</script> & ran")
    text = words(read(render_case_summary(make_summary((entry,), findings="5 < 6 & 7 > 3"))))
    assert "<b>Shouted</b> & left" in text
    assert "<script>alert(1)</script> & ran" in text
    assert "5 < 6 & 7 > 3" in text


def test_the_same_summary_gives_the_same_bytes() -> None:
    summary = make_summary((_entry(1), _entry(2)))
    assert render_case_summary(summary) == render_case_summary(summary)


def test_saving_writes_the_whole_file_or_explains_why_not(tmp_path: Path) -> None:
    summary = make_summary((_entry(1, "Saved to disk"),))
    saved = save_case_summary(tmp_path / "summary.pdf", summary)
    assert "Saved to disk" in words(PdfReader(saved))
    gone = tmp_path / "usb-stick" / "summary.pdf"
    with pytest.raises(SaveFailed) as failed:
        save_case_summary(gone, summary)
    assert failed.value.message == (
        f"The summary could not be saved as {gone}: the folder {gone.parent} does not exist."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.pdf"]
