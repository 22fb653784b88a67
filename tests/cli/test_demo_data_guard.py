"""`prdesk demo-data`: made-up patients never join real ones, and their letters say so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prdesk import cli, config
from prdesk.domain.database import Database
from prdesk.domain.services import organisation, users
from tests.support.builders import log_case


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def marked_practice(path: Path) -> bool:
    """Whether letters printed from this database file say they are not real."""
    db = Database(f"sqlite:///{path}")
    try:
        with db.transaction(read_only=True) as session:
            return organisation.letterhead(session).practice
    finally:
        db.dispose()


def cases_in(capsys: pytest.CaptureFixture[str], *args: str) -> int:
    code, out, _ = run(capsys, *args, "case", "list", "--json", "--limit", "1000")
    assert code == 0
    return len(json.loads(out))


def test_the_own_database_with_real_cases_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "db", "upgrade")[0] == 0
    own = config.embedded_database_path()
    db = Database(f"sqlite:///{own}")
    with db.transaction() as session:
        coordinator = users.resolve_actor(session, "mgarcia", "María García")
    log_case(db, coordinator)
    db.dispose()

    code, out, err = run(capsys, "demo-data", "--cases", "5")

    assert code == 1 and out == ""
    assert "already holds 1 case; demo data goes only into an empty database" in err
    assert "prdesk --practice demo-data" in err
    assert cases_in(capsys) == 1
    assert not marked_practice(own)


def test_an_empty_database_given_demo_data_becomes_a_practice_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "demo-data", "--cases", "5")
    assert code == 0 and out.startswith("Added 5 cases")
    assert "marked as practice" in out
    assert marked_practice(config.embedded_database_path())

    # Being the practice database now, it may be given more.
    code, out, _ = run(capsys, "demo-data", "--cases", "3", "--seed", "2")
    assert code == 0 and out.startswith("Added 3 cases")
    assert cases_in(capsys) == 8


def test_the_practice_database_takes_more_demo_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--practice", "demo-data", "--cases", "4")[0] == 0
    assert run(capsys, "--practice", "demo-data", "--cases", "2")[0] == 0

    assert cases_in(capsys, "--practice") == 6
    assert marked_practice(config.practice_database_path())
    assert not config.embedded_database_path().exists()


def test_a_shared_database_with_cases_is_refused_and_left_unmarked(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.transaction() as session:
        coordinator = users.resolve_actor(session, "mgarcia", "María García")
    log_case(db, coordinator)
    url = db.url.render_as_string(hide_password=False)

    code, _, err = run(capsys, "--database", url, "demo-data", "--cases", "5")

    assert code == 1 and "already holds 1 case;" in err
    assert cases_in(capsys, "--database", url) == 1
    with db.transaction(read_only=True) as session:
        assert not organisation.letterhead(session).practice
