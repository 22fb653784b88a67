"""`prdesk --practice`: the practice database, chosen over every other, and nothing else touched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from prdesk import cli
from prdesk.config import embedded_database_path, practice_database_path, save_profile
from prdesk.domain.database import Database, parse_url
from prdesk.domain.services import organisation


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_practice_chooses_the_practice_file_and_creates_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--practice", "db", "current")
    assert code == 0
    assert "chosen by: practice" in out
    assert str(practice_database_path()) in out
    code, out, _ = run(capsys, "--practice", "case", "list", "--json")
    assert (code, json.loads(out)) == (0, [])
    assert practice_database_path().exists()
    # The person's own database is not created for it.
    assert not embedded_database_path().exists()


def test_practice_wins_over_the_database_given_and_the_profile(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    save_profile(parse_url("postgresql+psycopg://mgarcia@dbhost/prdesk"))
    monkeypatch.setenv("PRDESK_DATABASE_URL", "postgresql+psycopg://jokafor@dbhost/prdesk")
    own = tmp_path / "own.sqlite3"
    code, out, _ = run(capsys, "db", "current", "--database", f"sqlite:///{own}", "--practice")
    assert code == 0 and "chosen by: practice" in out
    assert not own.exists()


def test_demo_data_goes_into_the_practice_database_but_never_into_the_own_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, _ = run(capsys, "--practice", "demo-data", "--cases", "5")
    assert code == 0
    code, out, _ = run(capsys, "--practice", "case", "list", "--json")
    assert len(json.loads(out)) == 5
    assert not embedded_database_path().exists()
    # Its letters say they are not real, printed from the window or the command line.
    db = Database(f"sqlite:///{practice_database_path()}")
    try:
        with db.transaction() as session:
            assert organisation.letterhead(session).practice
    finally:
        db.dispose()


def test_the_window_opens_on_the_practice_database_created_if_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: dict[str, Any] = {}

    def fake_run_gui(db: Database, username: str, **options: Any) -> int:
        started.update(options, path=db.url.database)
        return 0

    monkeypatch.setattr("prdesk.ui.app.run_gui", fake_run_gui)
    assert cli.main(["--practice"]) == 0
    assert started["path"] == str(practice_database_path())
    assert started["create_if_empty"] is True
    assert started["profile_in_use"] is False
    assert not embedded_database_path().exists()
