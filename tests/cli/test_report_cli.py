"""`prdesk report`, as a coordinator's script writes the month's reports to files."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest

from prdesk import config
from prdesk.commands.context import acting_username
from prdesk.commands.reports import default_dates
from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import Role
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports.catalogue import REPORTS, run_report
from prdesk.domain.reports.model import Granularity, Grouping, ReportRequest
from tests.cli.test_commands import run, url_of
from tests.support.builders import colleague

Capture = pytest.CaptureFixture[str]


def as_role(db: Database, role: Role) -> UserInfo:
    """Whoever runs `prdesk` on this database gets the role."""
    login = acting_username(config.choose_database(url_of(db)))
    return colleague(db, login, "Casey Morgan", role)


@pytest.fixture
def coordinator_login(db: Database) -> UserInfo:
    """A department with a year of fictional cases, and its coordinator at the keyboard."""
    generate_demo_data(db, 150, seed=6)
    return as_role(db, Role.COORDINATOR)


def _pdf_text(path: Path) -> tuple[int, str]:
    document = pdfium.PdfDocument(path)
    try:
        pages = len(document)
        return pages, "\n".join(document[i].get_textpage().get_text_range() for i in range(pages))
    finally:
        document.close()


@pytest.mark.parametrize("name", [spec.name for spec in REPORTS])
def test_each_report_is_written_as_pdf_csv_and_excel(
    capsys: Capture, db: Database, coordinator_login: UserInfo, tmp_path: Path, name: str
) -> None:
    url = url_of(db)
    days = ("--from", "2025-12-01", "--to", "2026-05-31")
    expected = run_report(
        db, coordinator_login, name, ReportRequest(date(2025, 12, 1), date(2026, 5, 31))
    )
    labels = [str(row[0]) for s in expected.sections if s.table is not None for row in s.table.rows]

    code, out, err = run(
        capsys, "--database", url, "report", name, *days, "--out", str(tmp_path / "r.pdf")
    )
    assert (code, err) == (0, "")
    pages, text = _pdf_text(tmp_path / "r.pdf")
    assert expected.title in text
    assert out.startswith(f"{tmp_path / 'r.pdf'}: {expected.title}, {expected.subtitle}")
    assert f"{pages} page" in out

    # The format given outright: the file name alone does not say it.
    code, out, err = run(
        capsys, "--database", url, "report", name, *days, "--format", "csv",
        "--out", str(tmp_path / "r.txt"),
    )  # fmt: skip
    assert (code, err) == (0, "")
    with (tmp_path / "r.txt").open(encoding="utf-8-sig", newline="") as stream:
        cells = {cell for row in csv.reader(stream) for cell in row}
    assert set(labels) <= cells

    code, out, err = run(
        capsys, "--database", url, "report", name, *days, "--out", str(tmp_path / "r.xlsx")
    )
    assert (code, err) == (0, "")
    workbook = openpyxl.load_workbook(tmp_path / "r.xlsx")
    values = {
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    }
    assert set(labels) <= values


def test_the_choices_a_report_uses_change_its_figures(
    capsys: Capture, db: Database, coordinator_login: UserInfo, tmp_path: Path
) -> None:
    out_file = tmp_path / "compliance.csv"
    code, out, err = run(
        capsys, "--database", url_of(db), "report", "compliance", "--from", "2026-01-01",
        "--to", "2026-06-30", "--by", "quarter", "--group", "department", "--out", str(out_file),
    )  # fmt: skip
    assert (code, err) == (0, "")
    expected = run_report(
        db,
        coordinator_login,
        "compliance",
        ReportRequest(
            date(2026, 1, 1),
            date(2026, 6, 30),
            granularity=Granularity.QUARTER,
            grouping=Grouping.DEPARTMENT,
        ),
    )
    assert expected.subtitle in out
    with out_file.open(encoding="utf-8-sig", newline="") as stream:
        cells = {cell for row in csv.reader(stream) for cell in row}
    assert {"Q1 2026", "Q2 2026"} <= cells
    headings = {s.heading for s in expected.sections if s.table is not None}
    assert len(headings) > 1  # the whole department, then each department


def test_the_committee_meets_about_the_last_whole_quarter(
    capsys: Capture, db: Database, coordinator_login: UserInfo, tmp_path: Path
) -> None:
    today = date.today()
    start, end = default_dates("committee", None, None, today)
    code, out, err = run(
        capsys, "--database", url_of(db), "report", "committee", "--out", str(tmp_path / "c.pdf")
    )
    assert (code, err) == (0, "")
    expected = run_report(db, coordinator_login, "committee", ReportRequest(start, end))
    assert expected.subtitle in out
    assert start.day == 1 and start.month in (1, 4, 7, 10) and end < today


def test_default_days() -> None:
    assert default_dates("committee", None, None, date(2026, 11, 27)) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
    )
    assert default_dates("committee", None, None, date(2026, 2, 3)) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    assert default_dates("trends", None, None, date(2026, 11, 27)) == (
        date(2025, 12, 1),
        date(2026, 11, 27),
    )
    assert default_dates("trends", None, date(2026, 3, 31), date(2026, 11, 27)) == (
        date(2025, 4, 1),
        date(2026, 3, 31),
    )
    assert default_dates("committee", date(2026, 1, 1), None, date(2026, 11, 27)) == (
        date(2026, 1, 1),
        date(2026, 11, 27),
    )


def test_the_list_names_each_report_and_what_it_shows(capsys: Capture) -> None:
    for args in (("report", "list"), ("report", "--list")):
        code, out, err = run(capsys, *args)
        assert (code, err) == (0, "")
        for spec in REPORTS:
            assert spec.title in out and spec.description in out
        assert "compliance  Grievance compliance (options: --by --group)" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("report", "complaints", "--out", "x.pdf"), "there is no report called 'complaints'"),
        (("report", "--out", "x.pdf"), "name a report"),
        (("report", "trends", "--from", "2026-02-30", "--out", "x.pdf"), "expected a date as YYYY-MM-DD, got '2026-02-30'"),
        (("report", "trends", "--from", "2026-06-01", "--to", "2026-05-01", "--out", "x.pdf"), "--from 2026-06-01 comes after --to 2026-05-01"),
        (("report", "trends", "--from", "2999-01-01", "--out", "x.pdf"), "--from 2999-01-01 comes after today (give --to)"),
        (("report", "trends", "--group", "department", "--out", "x.pdf"), "the trends report does not use --group (it takes --from, --to, --by, --dimension)"),
        (("report", "dashboard", "--by", "quarter", "--out", "x.pdf"), "the dashboard report does not use --by"),
        (("report", "trends"), "give --out FILE"),
        (("report", "trends", "--out", "x.docx"), "name a .pdf, .csv or .xlsx file, or give --format"),
        (("report", "trends", "--format", "pdf", "--out", "x.csv"), "is a .csv file name but --format is pdf"),
    ],
)  # fmt: skip
def test_wrong_usage_is_one_line_and_status_2(
    capsys: Capture, args: tuple[str, ...], said: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(capsys, *args)
    assert exited.value.code == 2
    _out, err = capsys.readouterr()
    last = err.strip().splitlines()[-1]
    assert last.startswith("prdesk report: error: ") and said in last


def test_a_file_that_cannot_be_written_is_refused_before_any_work(
    capsys: Capture, sqlite_db: Database, tmp_path: Path
) -> None:
    url = url_of(sqlite_db)
    missing = tmp_path / "no such folder" / "r.pdf"
    code, out, err = run(capsys, "--database", url, "report", "trends", "--out", str(missing))
    assert (code, out) == (1, "")
    assert err == f"prdesk: error: The folder {missing.parent} does not exist.\n"

    code, out, err = run(
        capsys, "--database", url, "report", "trends", "--out", str(tmp_path), "--format", "pdf"
    )
    assert code == 1 and err.startswith(f"prdesk: error: {tmp_path} is a folder")


def test_who_may_not_see_reports_is_told_so(
    capsys: Capture, sqlite_db: Database, tmp_path: Path
) -> None:
    # (On PostgreSQL the role comes from the login's group: tests/database covers it.)
    as_role(sqlite_db, Role.CLERK)
    code, out, err = run(
        capsys,
        "--database",
        url_of(sqlite_db),
        "report",
        "trends",
        "--out",
        str(tmp_path / "t.pdf"),
    )
    assert (code, out) == (1, "")
    assert err.startswith("prdesk: error: ") and len(err.splitlines()) == 1
    assert not (tmp_path / "t.pdf").exists()
