"""`prdesk case list` with filters, and its CSV and Excel output, as a coordinator's script uses it."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select, update

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseStatus, Role
from prdesk.domain.models import AuditEvent, Case
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases, users
from tests.cli.test_commands import run, url_of
from tests.support.builders import log_case, phone_complaint
from tests.support.pg_roles import running_as


def _case(
    db: Database,
    coordinator: UserInfo,
    patient: str,
    *,
    due_in: int | None = None,
    assignee: UserInfo | None = None,
    **changes: Any,
) -> str:
    """A logged case whose running deadline falls `due_in` days from today."""
    case = log_case(db, coordinator, phone_complaint(patient))
    with db.transaction() as session:
        if assignee is not None:
            cases.assign_case(session, coordinator, case.id, case.version, assignee.id)
        due_on = None if due_in is None else date.today() + timedelta(days=due_in)
        session.execute(update(Case).where(Case.id == case.id).values(due_on=due_on, **changes))
    return case.number


@pytest.fixture
def desk(db: Database, coordinator: UserInfo) -> dict[str, str]:
    """Ji-woo holds a late case and one due tomorrow; the rest are with nobody."""
    with db.transaction() as session:
        jiwoo = users.resolve_actor(session, "jkim", "Ji-woo Kim")
    return {
        "late": _case(db, coordinator, "Łukasz Wójcik", due_in=-2, assignee=jiwoo),
        "soon": _case(db, coordinator, "Nguyễn Văn An", due_in=1, assignee=jiwoo),
        "later": _case(db, coordinator, "Anna Wang", due_in=20, is_grievance=False),
        "closed": _case(db, coordinator, "Robert O'Brien", status=CaseStatus.CLOSED),
    }


def _listed(capsys: pytest.CaptureFixture[str], db: Database, *args: str) -> set[str]:
    code, out, err = run(capsys, "--database", url_of(db), "case", "list", "--json", *args)
    assert (code, err) == (0, "")
    return {row["number"] for row in json.loads(out)}


def test_filters_pick_the_cases_a_coordinator_asks_for(
    db: Database, desk: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _listed(capsys, db, "--overdue") == {desk["late"]}
    assert _listed(capsys, db, "--due-soon") == {desk["soon"]}
    assert _listed(capsys, db, "--overdue", "--due-soon") == {desk["late"], desk["soon"]}
    assert _listed(capsys, db, "--open") == {desk["late"], desk["soon"], desk["later"]}
    assert _listed(capsys, db, "--not-grievance") == {desk["later"]}
    assert _listed(capsys, db, "--grievance", "--open") == {desk["late"], desk["soon"]}
    assert _listed(capsys, db, "--assignee", "jkim") == {desk["late"], desk["soon"]}
    assert _listed(capsys, db, "--assignee", "ji-woo kim", "--overdue") == {desk["late"]}
    assert _listed(capsys, db, "--unassigned", "--open") == {desk["later"]}
    assert _listed(capsys, db, "--status", "closed") == {desk["closed"]}


def test_the_screen_shows_the_due_date(
    db: Database, desk: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--database", url_of(db), "case", "list", "--overdue")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith(desk["late"]))
    assert "Łukasz Wójcik" in line and "Ji-woo Kim" in line
    assert (date.today() - timedelta(days=2)).isoformat() in line


def test_an_excel_file_gets_every_matching_case_not_just_a_screenful(
    db: Database, coordinator: UserInfo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for n in range(55):
        _case(db, coordinator, f"Patient {n:02d}")
    out_file = tmp_path / "all.xlsx"
    code, out, err = run(
        capsys, "--database", url_of(db), "case", "list", "--sort", "patient", "--ascending",
        "--out", str(out_file),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.strip() == f"{out_file}: 55 cases"
    sheet = openpyxl.load_workbook(out_file)["Cases"]
    assert [c.value for c in sheet[1]][:5] == ["Number", "Received", "Kind", "Status", "Patient"]
    patients = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert patients == [f"Patient {n:02d}" for n in range(55)]
    with db.transaction(read_only=True) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.details["cases"] == 55


def test_a_csv_file_with_chosen_columns(
    db: Database, desk: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "mine.csv"
    code, _, err = run(
        capsys, "--database", url_of(db), "case", "list", "--assignee", "jkim",
        "--sort", "due", "--ascending", "--columns", "number,patient,due", "--out", str(out_file),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out_file.read_bytes().startswith(b"\xef\xbb\xbf")
    with out_file.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows == [
        ["Number", "Patient", "Due"],
        [desk["late"], "Łukasz Wójcik", (date.today() - timedelta(days=2)).isoformat()],
        [desk["soon"], "Nguyễn Văn An", (date.today() + timedelta(days=1)).isoformat()],
    ]


def test_csv_on_the_screen_for_a_pipe(
    db: Database, desk: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "--database", url_of(db), "case", "list", "--format", "csv", "--overdue"
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == "Number" and [row[0] for row in rows[1:]] == [desk["late"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "--format xlsx needs --out"),
        (["--out", "cases.txt"], "name a .csv or .xlsx file"),
        (["--json", "--out", "cases.csv"], "--json cannot be combined"),
        (["--grievance", "--not-grievance"], "not allowed with argument"),
        (["--columns", "number,shoe_size", "--format", "csv"], "unknown column 'shoe_size'"),
        (["--kind", "praise"], "unknown kind 'praise'"),
        (["--sort", "colour"], "invalid choice"),
    ],
)
def test_wrong_options_exit_2_with_a_usage_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        run(capsys, "case", "list", *args)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and message in err


def test_an_unknown_user_or_folder_is_a_user_error(
    db: Database, coordinator: UserInfo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--database", url_of(db), "case", "list", "--assignee", "zz")
    assert (code, out) == (1, "")
    assert err.startswith("prdesk: error: No user 'zz'")
    missing = tmp_path / "no" / "cases.xlsx"
    code, out, err = run(capsys, "--database", url_of(db), "case", "list", "--out", str(missing))
    assert (code, out) == (1, "")
    assert "does not exist" in err and err.count("\n") == 1
    assert not missing.parent.exists()


def test_cases_streamed_as_csv_are_recorded_as_an_export(
    capsys: pytest.CaptureFixture[str], db: Database, desk: dict[str, str]
) -> None:
    code, out, _err = run(capsys, "--database", url_of(db), "case", "list", "--format", "csv")
    assert code == 0 and desk["late"] in out
    with db.transaction(read_only=True) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.details["destination"] == "standard output"
    assert event.details["count"] == 4


def test_a_clerk_cannot_list_cases_from_the_command_line(
    capsys: pytest.CaptureFixture[str], db: Database, coordinator: UserInfo, desk: dict[str, str]
) -> None:
    assert run(capsys, "--database", url_of(db), "case", "list")[0] == 0
    with running_as(db, Role.CLERK) as clerk:
        code, out, err = run(capsys, "--database", url_of(clerk), "case", "list", "--json")
    assert code == 1
    assert "clerk" in err and desk["late"] not in out
