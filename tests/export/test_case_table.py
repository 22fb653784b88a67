"""The case list as CSV and XLSX files: what a coordinator finds when Excel opens them."""

from __future__ import annotations

import csv
import errno
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select, update

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, CaseStatus, Channel, Severity
from prdesk.domain.models import AuditEvent, Case
from prdesk.domain.queries import CaseFilter, SortKey
from prdesk.domain.readmodels import CaseRow, UserInfo
from prdesk.domain.services import cases, users
from prdesk.export.case_table import (
    case_rows,
    export_cases,
    save_case_table,
)
from prdesk.export.spreadsheet_files import ExportFailed
from tests.support.builders import log_case, phone_complaint

COLUMNS = ("number", "received", "patient", "raised_by", "status", "grievance", "due")


def _row(number: int, patient: str = "Nguyễn Thị Hương", **changes: Any) -> CaseRow:
    fields: dict[str, Any] = {
        "id": number,
        "number": f"PR-2026-{number:06d}",
        "kind": CaseKind.COMPLAINT,
        "channel": Channel.PHONE,
        "status": CaseStatus.INVESTIGATING,
        "severity": Severity.MODERATE,
        "received_at": datetime(2026, 11, 2, 14, 30, tzinfo=UTC),
        "patient_name": patient,
        "complainant_name": None,
        "assignee_name": "Ji-woo Kim",
        "assignee_id": 2,
        "is_grievance": True,
        "safety_concern": False,
        "due_on": date(2026, 12, 2),
    }
    fields.update(changes)
    return CaseRow(**fields)


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def _local(instant: datetime) -> datetime:
    return instant.astimezone().replace(tzinfo=None)


def test_csv_opens_in_excel_with_accents_and_real_columns(tmp_path: Path) -> None:
    out = tmp_path / "cases.csv"
    rows = [_row(1), _row(2, "王秀英", complainant_name="Łukasz Wójcik", is_grievance=False)]
    assert save_case_table(out, iter(rows), COLUMNS) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    header, first, second = _read_csv(out)
    assert header == ["Number", "Received", "Patient", "Raised by", "Status", "Grievance", "Due"]
    received = _local(datetime(2026, 11, 2, 14, 30, tzinfo=UTC)).strftime("%Y-%m-%d %H:%M")
    assert first == [
        "PR-2026-000001", received, "Nguyễn Thị Hương", "", "Investigating", "Yes", "2026-12-02"
    ]  # fmt: skip
    assert second[2:4] == ["王秀英", "Łukasz Wójcik"] and second[5] == ""


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://evil.example","Click")', "+1 555 0100", "-2+3", "@SUM(A1:A9)"],
)
def test_csv_cells_that_look_like_formulas_stay_text(tmp_path: Path, typed: str) -> None:
    out = tmp_path / "cases.csv"
    save_case_table(out, [_row(1, typed, complainant_name="Anna O'Brien")], COLUMNS)
    row = _read_csv(out)[1]
    assert row[2] == "'" + typed
    assert row[3] == "Anna O'Brien"  # an apostrophe inside a name is left alone


def test_xlsx_has_a_bold_frozen_filterable_header_and_real_dates(tmp_path: Path) -> None:
    out = tmp_path / "cases.xlsx"
    rows = [
        _row(1),
        _row(2, "=1+1", due_on=None, clock_paused=True, status=CaseStatus.WAITING_ON_PATIENT),
        _row(3, "Γιώργος Παπαδόπουλος", complainant_name="Bell\x07 Ringer"),
    ]
    assert save_case_table(out, iter(rows), COLUMNS) == 3
    sheet = openpyxl.load_workbook(out)["Cases"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["Number", "Received", "Patient", "Raised by", "Status", "Grievance", "Due"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G4"
    assert sheet["B2"].value == _local(datetime(2026, 11, 2, 14, 30, tzinfo=UTC))
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["G2"].value == datetime(2026, 12, 2)  # a date cell, not the text "2026-12-02"
    assert sheet["G2"].is_date
    # A name that starts like a formula is stored as the text it is, never evaluated.
    assert (sheet["C3"].value, sheet["C3"].data_type) == ("=1+1", "s")
    assert sheet["G3"].value == "Paused"  # the clock waits on the patient
    assert sheet["C4"].value == "Γιώργος Παπαδόπουλος"
    assert sheet["D4"].value == "Bell Ringer"  # a control character XLSX cannot hold
    assert sheet.column_dimensions["C"].width >= 25


def test_a_long_list_streams_from_a_generator(tmp_path: Path) -> None:
    out = tmp_path / "cases.xlsx"
    rows = (_row(number) for number in range(1, 5001))
    assert save_case_table(out, rows, COLUMNS) == 5000
    book = openpyxl.load_workbook(out, read_only=True)
    last = next(iter(book["Cases"].iter_rows(min_row=5001, max_row=5001, values_only=True)))
    book.close()
    assert last[0] == "PR-2026-005000"


def _failing_rows(error: OSError) -> Iterator[CaseRow]:
    yield _row(1)
    raise error


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_full_disk_leaves_the_old_file_and_no_fragment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    scratch = tmp_path / "temp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / f"cases.{suffix}"
    out.write_bytes(b"last week's export")
    full = OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(ExportFailed, match="the disk is full"):
        save_case_table(out, _failing_rows(full), COLUMNS)
    assert out.read_bytes() == b"last week's export"
    assert sorted(p.name for p in folder.iterdir()) == [out.name]
    # Nor anything with patients' names in the temporary folder.
    assert list(scratch.iterdir()) == []


def test_a_file_open_in_another_program_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(self: Path, target: Path) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "replace", locked)
    with pytest.raises(ExportFailed, match="not allowed to write there"):
        save_case_table(tmp_path / "cases.xlsx", [_row(1)], COLUMNS)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ExportFailed, match="does not exist"):
        save_case_table(tmp_path / "nowhere" / "cases.csv", [_row(1)], COLUMNS)


def test_exporting_a_view_writes_every_matching_case_and_is_audited(
    db: Database, coordinator: UserInfo, tmp_path: Path
) -> None:
    logged = [log_case(db, coordinator, phone_complaint(f"Patient {n:02d}")) for n in range(7)]
    with db.transaction() as session:
        session.execute(
            update(Case).where(Case.id == logged[3].id).values(status=CaseStatus.CLOSED)
        )
    out = tmp_path / "open.xlsx"
    count = export_cases(
        db,
        coordinator,
        out,
        CaseFilter(open_only=True),
        sort=SortKey.PATIENT,
        descending=False,
        columns=("number", "patient", "status"),
        page_size=2,
    )
    assert count == 6
    sheet = openpyxl.load_workbook(out)["Cases"]
    patients = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert patients == [f"Patient {n:02d}" for n in (0, 1, 2, 4, 5, 6)]
    with db.transaction(read_only=True) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.username == "mgarcia"
    assert event.details["cases"] == 6 and event.details["format"] == "xlsx"


def test_a_case_reassigned_while_the_list_is_exported_is_still_written(
    db: Database, coordinator: UserInfo
) -> None:
    with db.transaction() as session:
        aaron = users.resolve_actor(session, "aable", "Aaron Able")
    numbers = [log_case(db, coordinator, phone_complaint(f"Patient {n}")).id for n in range(6)]
    written = []
    with db.transaction(snapshot=True) as session:
        pages = case_rows(
            session, CaseFilter(), sort=SortKey.ASSIGNEE, descending=False, page_size=2
        )
        for position, row in enumerate(pages):
            written.append(row.id)
            if position == 1:  # another workstation moves the last case to the front
                with db.transaction() as other:
                    last = cases.view_case(other, coordinator, numbers[-1], record_view=False)
                    cases.assign_case(other, coordinator, last.id, last.version, aaron.id)
    assert sorted(written) == sorted(numbers)
