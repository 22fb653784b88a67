"""Reports saved as CSV, Excel and PDF files: opened again as the user's spreadsheet would."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import Role
from prdesk.domain.errors import PermissionDenied
from prdesk.domain.models import AuditEvent
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports.catalogue import run_report
from prdesk.domain.reports.model import (
    Report,
    ReportColumn,
    ReportRequest,
    ReportTable,
    Section,
    Unit,
)
from prdesk.domain.services import users
from prdesk.export.report_files import (
    ReportFormat,
    save_report,
    save_report_file,
    sheet_names,
)
from prdesk.export.spreadsheet_files import ExportFailed
from tests.support.builders import colleague

COLUMNS = (
    ReportColumn("Category"),
    ReportColumn("Received", Unit.COUNT),
    ReportColumn("Acknowledged in time", Unit.PERCENT),
    ReportColumn("Median days to close", Unit.DAYS),
    ReportColumn("Change", Unit.CHANGE, "Against the quarter before."),
)
ROWS = (
    ("Communication > Rudeness", 1204, 0.925, 12.25, -0.24),
    ('=HYPERLINK("http://example.com","Click")', 3, None, None, None),
    ("-Billing", 0, 0.0, 3.5, 1.5),
    ("All categories", 1207, 0.9, 12.0, -0.2),
)


def figures_report() -> Report:
    return Report(
        "trends",
        "Trends",
        "Q3 2026 (1 July – 30 September 2026)",
        (
            Section("How the figures are counted", ("=1+1 is not a formula here.", "Second.")),
            Section(
                "By category", ("Cases by category.",), ReportTable(COLUMNS, ROWS, total_row=True)
            ),
            Section("By category", (), ReportTable(COLUMNS[:2], (("Care", 5),))),
        ),
        datetime(2026, 10, 2, 14, 30, tzinfo=UTC),
        "Riverside General Hospital",
    )


def csv_lines(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def csv_tables(path: Path) -> dict[str, list[list[str]]]:
    """Each table in the file under its heading: the header row, then the rows (the
    section's sentences, one cell a line, come between the heading and the table)."""
    tables: dict[str, list[list[str]]] = {}
    heading, block = "", None
    lines = csv_lines(path)
    for index, line in enumerate(lines):
        if not line:
            if heading and block:
                tables.setdefault(heading, block)
            heading, block = "", None
        elif index > 0 and not lines[index - 1] and len(line) == 1:
            heading, block = line[0], None
        elif heading and (block is not None or len(line) > 1):
            block = (block or []) + [line]
    if heading and block:
        tables.setdefault(heading, block)
    return tables


def test_csv_holds_each_table_under_its_heading_with_plain_numbers(tmp_path: Path) -> None:
    path = save_report_file(tmp_path / "trends.csv", figures_report())

    tables = csv_tables(path)
    header, *rows = tables["By category"]
    assert header == [
        "Category",
        "Received",
        "Acknowledged in time (%)",
        "Median days to close",
        "Change (%)",
    ]
    first, injected, dashed, total = rows
    assert first == ["Communication > Rudeness", "1204", "92.5", "12.25", "-24"]
    assert float(first[2]) == pytest.approx(92.5)
    assert injected[0].startswith("'=HYPERLINK")
    assert injected[1:] == ["3", "", "", ""]
    assert dashed[0] == "'-Billing" and dashed[4] == "150"
    assert total[:2] == ["All categories", "1207"]
    lines = csv_lines(path)
    heading = lines.index(["By category"])
    assert lines[heading + 1] == ["Cases by category."]  # the sentences go with their table
    assert lines[heading + 2] == header
    text = path.read_text(encoding="utf-8-sig")
    assert text.startswith("Trends,Q3 2026 (1 July – 30 September 2026)")
    assert "'=1+1 is not a formula here." in text


def test_excel_has_an_about_sheet_and_a_sheet_per_table_with_real_numbers(
    tmp_path: Path,
) -> None:
    path = save_report_file(tmp_path / "trends.xlsx", figures_report())

    book = load_workbook(path)
    assert book.sheetnames == ["About", "By category", "By category (2)"]
    about = [row[0] for row in book["About"].iter_rows(values_only=True)]
    assert about[:3] == [
        "Trends",
        "Q3 2026 (1 July – 30 September 2026)",
        "Riverside General Hospital",
    ]
    assert "=1+1 is not a formula here." in about
    assert "Change: Against the quarter before." in about
    sheet = book["By category"]
    assert sheet["A1"].value == "By category"
    assert [c.value for c in sheet[2]] == [c.title for c in COLUMNS]
    assert all(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "B3"
    received, share, days, change = sheet["B3"], sheet["C3"], sheet["D3"], sheet["E3"]
    assert received.value == 1204 and received.data_type == "n"
    assert share.value == pytest.approx(0.925) and share.number_format == "0.0%"
    assert days.value == pytest.approx(12.25) and days.data_type == "n"
    assert change.value == pytest.approx(-0.24)
    assert sheet["A4"].value.startswith("=HYPERLINK") and sheet["A4"].data_type == "s"
    assert sheet["C4"].value is None
    assert sheet["A6"].font.bold and sheet["B6"].value == 1207
    assert sheet.column_dimensions["A"].width >= len("Communication > Rudeness")


def test_sheet_names_keep_to_excels_rules() -> None:
    long = "Compliance: acknowledged in time [per department] / quarter"

    names = sheet_names([long, long, "About", "History", "a?b*c"])

    assert all(len(name) <= 31 for name in names)
    assert len({name.lower() for name in names}) == len(names)
    assert not any(ch in name for name in names for ch in "[]:*?/\\")
    assert names[1].endswith("(2)")
    assert "About" not in names and "History" not in names


def test_a_file_that_cannot_be_written_says_why_and_leaves_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "trends.xlsx"

    with pytest.raises(ExportFailed, match="does not exist"):
        save_report_file(missing, figures_report())

    assert not list(tmp_path.rglob("*"))


def test_the_format_follows_the_file_name_and_a_pdf_is_a_pdf(tmp_path: Path) -> None:
    assert ReportFormat.of(Path("q3.XLSX")) is ReportFormat.XLSX
    assert ReportFormat.of(Path("q3.txt")) is None

    path = save_report_file(tmp_path / "q3.pdf", figures_report())

    document = pypdfium2.PdfDocument(path.read_bytes())
    assert "Communication > Rudeness" in document[0].get_textpage().get_text_range()


# --- From a department's cases, logged ------------------------------------------------


@pytest.fixture
def coordinator_on_sqlite(sqlite_db: Database) -> UserInfo:
    sqlite_db.acting_user = "mgarcia"
    with sqlite_db.transaction() as session:
        return users.resolve_actor(session, "mgarcia", "María García")


def test_the_committee_report_saved_as_csv_and_excel_gives_back_its_figures(
    sqlite_db: Database, coordinator_on_sqlite: UserInfo, tmp_path: Path
) -> None:
    generate_demo_data(sqlite_db, 200, seed=4)
    today = date.today()
    request = ReportRequest(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    committee = run_report(sqlite_db, coordinator_on_sqlite, "committee", request)
    (lines,) = [s.table for s in committee.sections if s.heading == "Grievances received"]
    assert lines is not None and lines.rows

    csv_path = save_report(sqlite_db, coordinator_on_sqlite, committee, tmp_path / "c.csv")
    xlsx_path = save_report(sqlite_db, coordinator_on_sqlite, committee, tmp_path / "c.xlsx")

    _, *rows = csv_tables(csv_path)["Grievances received"]
    days = [c.title for c in lines.columns].index("Days to resolve")
    assert [row[0] for row in rows] == [line[0] for line in lines.rows]
    for row, line in zip(rows, lines.rows, strict=True):
        assert (float(row[days]) if row[days] else None) == line[days]
    sheet = load_workbook(xlsx_path)["Grievances received"]
    shown = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [row[0] for row in shown] == [line[0] for line in lines.rows]
    assert [row[days] for row in shown] == [line[days] for line in lines.rows]
    with sqlite_db.transaction(read_only=True) as session:
        logged = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "report").order_by(AuditEvent.id)
        ).all()
    assert [(e.action, e.username, e.details["format"], e.details["file"]) for e in logged] == [
        ("export", "mgarcia", "csv", "c.csv"),
        ("export", "mgarcia", "xlsx", "c.xlsx"),
    ]
    assert logged[0].details["report"] == "committee"


def test_only_those_who_may_see_reports_can_save_one(
    sqlite_db: Database, coordinator_on_sqlite: UserInfo, tmp_path: Path
) -> None:
    clerk = colleague(sqlite_db, "tclerk", "Tom Clerk", Role.CLERK)

    with pytest.raises(PermissionDenied):
        save_report(sqlite_db, clerk, figures_report(), tmp_path / "t.pdf")

    assert not (tmp_path / "t.pdf").exists()


def test_a_report_whose_export_cannot_be_recorded_is_not_left_on_disk(
    sqlite_db: Database,
    coordinator_on_sqlite: UserInfo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(*_args: object, **_kwargs: object) -> None:
        raise ExportFailed("The audit trail could not be written.")

    monkeypatch.setattr("prdesk.export.report_files.audit.record", refused)

    with pytest.raises(ExportFailed):
        save_report(sqlite_db, coordinator_on_sqlite, figures_report(), tmp_path / "t.csv")

    assert not (tmp_path / "t.csv").exists()
