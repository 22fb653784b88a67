"""The audit trail exported to CSV and Excel, read back as an auditor's spreadsheet would."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseStatus, Role
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases
from prdesk.domain.services.audit_trail import AuditFilter, AuditKind, all_entries
from prdesk.export.audit_export import export_audit_trail
from prdesk.export.spreadsheet_files import ExportFailed
from tests.support.builders import colleague, log_case, phone_complaint

HEADER = [
    "When",
    "Who",
    "Workstation",
    "Case",
    "Action",
    "Table",
    "Row",
    "Description",
    "Old values",
    "New values",
]


@pytest.fixture
def worked_case(sqlite_db: Database) -> tuple[UserInfo, UserInfo, str]:
    """A coordinator's case, opened and assigned; and an auditor to export its trail."""
    from prdesk.domain.services import users

    with sqlite_db.transaction() as session:
        coordinator = users.resolve_actor(session, "mgarcia", "María García")
    auditor = colleague(sqlite_db, "qaudit", "Quinn Auditor", Role.AUDITOR)
    case = log_case(sqlite_db, coordinator, phone_complaint("Nguyễn Thị Hương"))
    with sqlite_db.transaction() as session:
        detail = cases.view_case(session, coordinator, case.id)
        detail = cases.assign_case(session, coordinator, case.id, detail.version, coordinator.id)
        cases.change_status(session, coordinator, case.id, detail.version, CaseStatus.INVESTIGATING)
    return coordinator, auditor, case.number


def test_a_case_s_trail_as_csv(
    sqlite_db: Database, worked_case: tuple[UserInfo, UserInfo, str], tmp_path: Path
) -> None:
    _, auditor, number = worked_case
    path = tmp_path / "trail.csv"

    count = export_audit_trail(sqlite_db, auditor, path, AuditFilter(case_number=number))

    with path.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    assert lines[0] == HEADER
    assert len(lines) == count + 1 > 5
    rows = [dict(zip(HEADER, line, strict=True)) for line in lines[1:]]
    assert {row["Case"] for row in rows} == {number}
    opened = next(row for row in rows if row["Description"] == "Opened the case")
    assert (opened["Who"], opened["Action"], opened["Table"]) == (
        "María García (mgarcia)",
        "view",
        "case",
    )
    change = next(
        row for row in rows
        if row["Table"] == "cases" and "Investigating" in row["New values"]
    )  # fmt: skip
    assert "status: Assigned" in change["Old values"].splitlines()
    assert "status: Investigating" in change["New values"].splitlines()


def test_the_whole_trail_as_a_workbook(
    sqlite_db: Database, worked_case: tuple[UserInfo, UserInfo, str], tmp_path: Path
) -> None:
    _, auditor, number = worked_case
    path = tmp_path / "trail.xlsx"

    count = export_audit_trail(sqlite_db, auditor, path, AuditFilter(kind=AuditKind.VIEWS))

    sheet = openpyxl.load_workbook(path)["Audit trail"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADER
    assert count == len(values) - 1 == 1
    assert values[1][3:8] == [number, "view", "case", values[1][6], "Opened the case"]
    assert sheet.freeze_panes == "A2"


def test_a_name_that_looks_like_a_formula_stays_text(
    sqlite_db: Database, worked_case: tuple[UserInfo, UserInfo, str], tmp_path: Path
) -> None:
    _, auditor, number = worked_case
    prankster = colleague(sqlite_db, "prank", "=2+3", Role.REPRESENTATIVE)
    with sqlite_db.transaction() as session:
        cases.view_case(session, prankster, number)
    wanted = AuditFilter(user="prank")

    export_audit_trail(sqlite_db, auditor, tmp_path / "trail.csv", wanted)
    export_audit_trail(sqlite_db, auditor, tmp_path / "trail.xlsx", wanted)

    with (tmp_path / "trail.csv").open(encoding="utf-8-sig", newline="") as stream:
        line = list(csv.reader(stream))[1]
    assert line[1] == "'=2+3 (prank)"
    cell = openpyxl.load_workbook(tmp_path / "trail.xlsx")["Audit trail"]["B2"]
    assert (cell.value, cell.data_type) == ("=2+3 (prank)", "s")


def test_an_export_is_recorded_with_what_was_asked_for(
    sqlite_db: Database, worked_case: tuple[UserInfo, UserInfo, str], tmp_path: Path
) -> None:
    _, auditor, number = worked_case

    count = export_audit_trail(
        sqlite_db, auditor, tmp_path / "trail.csv", AuditFilter(case_number=number)
    )

    with sqlite_db.transaction(read_only=True) as session:
        newest = next(all_entries(session, auditor, AuditFilter(kind=AuditKind.EXPORTS)))
    assert newest.description == f"Exported {count} entries of the audit trail (case: {number})"
    assert ("file", "trail.csv") in newest.new_values


def test_a_folder_that_does_not_exist_is_named_in_the_message(
    sqlite_db: Database, worked_case: tuple[UserInfo, UserInfo, str], tmp_path: Path
) -> None:
    _, auditor, _ = worked_case
    missing = tmp_path / "gone" / "trail.csv"

    with pytest.raises(ExportFailed, match="The audit trail could not be saved"):
        export_audit_trail(sqlite_db, auditor, missing, AuditFilter())

    assert not list(tmp_path.rglob("*trail.csv*"))
