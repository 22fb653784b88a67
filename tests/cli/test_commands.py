"""The prdesk command line, as a coordinator or an administrator's script uses it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from prdesk import config
from prdesk.cli import main
from prdesk.commands.context import acting_username
from prdesk.config import embedded_database_path
from prdesk.domain.database import Database
from prdesk.domain.enums import Role, TimelineKind
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import timeline
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.domain.services.users import active_users
from tests.support.builders import log_case, phone_complaint, raised_by_daughter


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def url_of(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def render_letter(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    number: str,
    out: Path,
    template: str = "acknowledgement",
) -> tuple[int, str, str]:
    """`prdesk --database URL letter render NUMBER --template T --out FILE`."""
    return run(
        capsys, "--database", url_of(db), "letter", "render", number,
        "--template", template, "--out", str(out),
    )  # fmt: skip


def test_the_embedded_database_is_created_on_first_use(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "case", "list", "--json")
    assert (code, json.loads(out)) == (0, [])
    assert embedded_database_path().exists()
    code, out, _ = run(capsys, "db", "current")
    assert code == 0
    assert "chosen by: embedded" in out and "up to date" in out


def test_case_list_prints_json_newest_first(
    db: Database, coordinator: UserInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    first = log_case(db, coordinator, phone_complaint("Łukasz Wójcik"))
    second = log_case(db, coordinator, raised_by_daughter("王秀英", "Anna Wang"))
    code, out, err = run(capsys, "--database", url_of(db), "case", "list", "--json", "--limit", "5")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert [r["number"] for r in rows] == [second.number, first.number]
    assert rows[0]["patient_name"] == "王秀英" and rows[0]["complainant_name"] == "Anna Wang"
    assert rows[1]["status"] == "new" and rows[1]["kind"] == "complaint"

    code, out, _ = run(
        capsys, "case", "list", "--search", "lukasz", "--json", "--database", url_of(db)
    )
    assert [r["number"] for r in json.loads(out)] == [first.number]


def test_case_show_prints_people_timeline_and_letters(
    db: Database, coordinator: UserInfo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = log_case(db, coordinator, raised_by_daughter("Nguyễn Văn An", "Nguyễn Thị Mai"))
    with db.transaction() as session:
        timeline.add_entry(
            session, coordinator, case.id, NewTimelineEntry(TimelineKind.PHONE_CALL, "Called Mai")
        )
    assert render_letter(capsys, db, case.number, tmp_path / "a.pdf")[0] == 0
    code, out, _ = run(capsys, "--database", url_of(db), "case", "show", case.number, "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["number"] == case.number
    assert shown["patient"]["full_name"] == "Nguyễn Văn An"
    assert shown["complainant"]["full_name"] == "Nguyễn Thị Mai"
    assert shown["complainant_relationship"] == "child"
    assert [e["summary"] for e in shown["timeline"]] == ["Called Mai"]
    assert [letter["template_key"] for letter in shown["letters"]] == ["acknowledgement"]


def test_letter_render_writes_a_pdf_addressed_in_the_right_script(
    db: Database, coordinator: UserInfo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = log_case(db, coordinator, raised_by_daughter("王秀英", "Γιώργος Παπαδόπουλος"))
    out_file = tmp_path / "ack.pdf"
    code, out, err = render_letter(capsys, db, case.number, out_file)
    assert (code, err) == (0, "")
    assert str(out_file) in out
    text = "\n".join(page.extract_text() for page in PdfReader(out_file).pages)
    assert case.number in text
    assert "Γιώργος Παπαδόπουλος" in text
    assert "王秀英" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["case", "show", "PR-1999-000001"], "No case numbered PR-1999-000001"),
        (["--database", "mysql://x/y", "case", "list"], "Unsupported database 'mysql'"),
        (["--database", "not a url", "case", "list"], "Not a database URL"),
        (
            ["--database", "postgresql+psycopg://nobody@127.0.0.1:1/x", "case", "list"],
            "Cannot reach the database",
        ),
        (
            [
                "letter",
                "render",
                "PR-1999-000001",
                "--template",
                "acknowledgement",
                "--out",
                "/no/such/dir/a.pdf",
            ],
            "does not exist",
        ),
    ],
)
def test_user_errors_give_one_line_and_status_1(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("prdesk: error: ")
    assert message in err


def test_an_unknown_template_is_a_user_error(
    db: Database, coordinator: UserInfo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = log_case(db, coordinator)
    code, _, err = render_letter(capsys, db, case.number, tmp_path / "x.pdf", template="apology")
    assert code == 1 and "No letter template 'apology'" in err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    "args", [["case", "list", "--limit", "0"], ["case", "frobnicate"], ["--bogus"]]
)
def test_wrong_usage_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_the_installed_command_reports_its_version_and_errors_without_traceback() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "prdesk", "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and version.stdout.startswith("PR Desk ")
    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "prdesk",
            "--database",
            "postgresql+psycopg://u:secret@127.0.0.1:1/x",
            "case",
            "list",
        ],
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert "secret" not in failed.stderr


def test_a_saved_profile_keeps_the_password_out_of_the_file(
    capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    url = "postgresql+psycopg://pr_user:s3cret@db.hospital.example:5432/prdesk"
    code, out, _ = run(capsys, "profile", "set", url, "--no-check")
    assert code == 0 and "s3cret" not in out
    assert "s3cret" not in (isolated_home / "connection.json").read_text()
    assert "password stored: yes" in run(capsys, "profile", "show")[1]

    choice = config.choose_database()
    assert choice.source == "connection profile"
    assert choice.url.password is None
    assert config.open_database(choice).url.password == "s3cret"  # from the credential store

    assert run(capsys, "profile", "clear")[0] == 0
    assert config.choose_database().embedded
    assert config.saved_password(choice.url) is None


def test_demo_data_fills_the_embedded_database_and_its_user_still_administers_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "demo-data", "--cases", "30", "--seed", "2")
    assert code == 0 and out.startswith("Added 30 cases")
    code, out, _ = run(capsys, "case", "list", "--json", "--limit", "100")
    assert len(json.loads(out)) == 30
    number = json.loads(out)[0]["number"]
    assert run(capsys, "case", "show", number)[0] == 0  # acts as the workstation's user

    choice = config.choose_database()
    db = config.open_database(choice)
    with db.transaction(read_only=True) as session:
        roles = {user.username: user.role for user in active_users(session)}
    db.dispose()
    assert roles[acting_username(choice)] is Role.ADMINISTRATOR


def test_a_mistyped_database_file_is_not_quietly_created(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "typo.sqlite3"
    code, _, err = run(capsys, "--database", f"sqlite:///{missing}", "case", "list")
    assert code == 1 and "There is no database file at" in err
    assert not missing.exists()
    assert run(capsys, "--database", f"sqlite:///{missing}", "db", "upgrade")[0] == 0
    assert run(capsys, "--database", f"sqlite:///{missing}", "case", "list", "--json")[1] == "[]\n"


def test_demo_data_never_mixes_with_real_cases_on_a_shared_database(
    db: Database, coordinator: UserInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    log_case(db, coordinator)
    code, _, err = run(capsys, "--database", url_of(db), "demo-data", "--cases", "5")
    assert code == 1 and "already holds 1 case;" in err
    code, out, _ = run(capsys, "--database", url_of(db), "case", "list", "--json")
    assert len(json.loads(out)) == 1
