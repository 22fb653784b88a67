"""`prdesk audit`, as an auditor's script reads and exports the audit trail."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from prdesk import config
from prdesk.commands.context import acting_username
from prdesk.domain.database import Database
from prdesk.domain.enums import Role
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases
from tests.cli.test_commands import run, url_of
from tests.support.builders import colleague, log_case, phone_complaint
from tests.support.pg_roles import running_as


def as_role(db: Database, role: Role) -> None:
    """Whoever runs `prdesk` on this database gets the role."""
    login = acting_username(config.choose_database(url_of(db)))
    colleague(db, login, "Quinn Auditor", role)


@pytest.fixture
def opened(db: Database, coordinator: UserInfo) -> str:
    """A case the coordinator logged and then opened."""
    case = log_case(db, coordinator, phone_complaint("Łukasz Wójcik"))
    with db.transaction() as session:
        cases.view_case(session, coordinator, case.id)
    return case.number


def test_a_case_s_entries_as_json(
    capsys: pytest.CaptureFixture[str], db: Database, opened: str
) -> None:
    as_role(db, Role.AUDITOR)

    code, out, err = run(capsys, "--database", url_of(db), "audit", "--case", opened, "--json")

    assert (code, err) == (0, "")
    entries = json.loads(out)
    assert {entry["case"] for entry in entries} == {opened}
    said = [entry["description"] for entry in entries]
    assert said[0] == "Opened the case"
    assert "Added the case (Complaint, Phone)" in said
    inserted = next(e for e in entries if e["action"] == "insert" and e["table"] == "cases")
    assert inserted["new"]["number"] == opened


def test_openings_only_on_screen_and_the_reading_recorded(
    capsys: pytest.CaptureFixture[str], db: Database, opened: str
) -> None:
    as_role(db, Role.AUDITOR)
    url = url_of(db)

    code, out, err = run(capsys, "--database", url, "audit", "--kind", "views")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["When", "Who", "Case", "Action", "Description"]
    assert len(lines) == 3
    assert lines[2].endswith("Opened the case")
    assert opened in lines[2]

    code, out, err = run(capsys, "--database", url, "audit", "--table", "exports", "--json")
    assert code == 0
    assert json.loads(out)[0]["description"] == "Read the audit trail (kind: views)"


def test_written_to_csv_and_excel(
    capsys: pytest.CaptureFixture[str], db: Database, opened: str, tmp_path: Path
) -> None:
    as_role(db, Role.AUDITOR)
    url = url_of(db)

    code, out, err = run(
        capsys, "--database", url, "audit", "--case", opened, "--out", str(tmp_path / "a.csv")
    )
    assert (code, err) == (0, "")
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    assert out == f"{len(lines) - 1} entries written to {tmp_path / 'a.csv'}\n"
    assert {line[3] for line in lines[1:]} == {opened}

    code, out, err = run(
        capsys, "--database", url, "audit", "--user", "mgarcia", "--out", str(tmp_path / "a.xlsx")
    )
    assert (code, err) == (0, "")
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["Audit trail"]
    who = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert who == {"María García (mgarcia)"}


def test_a_representative_may_not_read_it(
    capsys: pytest.CaptureFixture[str], db: Database, opened: str
) -> None:
    with running_as(db, Role.REPRESENTATIVE) as representative:
        code, out, err = run(capsys, "--database", url_of(representative), "audit")

    assert code == 1
    assert out == ""
    assert err == "prdesk: error: Your role (representative) may not read the audit trail.\n"


def test_wrong_usage_is_refused(
    capsys: pytest.CaptureFixture[str], sqlite_db: Database, tmp_path: Path
) -> None:
    url = url_of(sqlite_db)

    with pytest.raises(SystemExit) as bad_day:
        run(capsys, "--database", url, "audit", "--from", "31/31/2026")
    assert bad_day.value.code == 2
    assert "expected a date as YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad_file:
        run(capsys, "--database", url, "audit", "--out", str(tmp_path / "a.pdf"))
    assert bad_file.value.code == 2
    assert "name a .csv or .xlsx file" in capsys.readouterr().err
    code, _, err = run(capsys, "--database", url, "audit", "--case", "PR-2020-999999")
    assert (code, err) == (1, "prdesk: error: There is no case PR-2020-999999.\n")
