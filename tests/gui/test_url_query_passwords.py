"""A password given in a database URL's query (?password=...) goes nowhere a URL is kept or shown."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import pytest
from pytestqt.qtbot import QtBot

from prdesk import config
from prdesk.domain.database import Database, describe, parse_url, without_password
from prdesk.domain.enums import Role
from prdesk.domain.readmodels import UserInfo
from prdesk.ui import practice
from prdesk.ui.about import AboutDialog
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext

GIVEN = (
    "postgresql+psycopg://mgarcia@dbhost/prdesk?password=s3cret&sslpassword=k3ypass"
    "&passfile=/home/mgarcia/.pgpass&sslmode=verify-full"
)
SECRETS = ("s3cret", "k3ypass", ".pgpass", "password")
KEPT = "postgresql+psycopg://mgarcia@dbhost/prdesk?sslmode=verify-full"


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_the_url_without_its_password_keeps_everything_else() -> None:
    url = parse_url(GIVEN.replace("mgarcia@", "mgarcia:t0p@"))

    plain = without_password(url)

    assert plain.render_as_string(hide_password=False) == KEPT
    assert describe(url) == KEPT.replace("mgarcia@", "mgarcia:***@")


def test_pr_desk_restarted_on_the_practice_database_is_given_no_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[list[str]] = []

    def record(program: str, arguments: Sequence[str]) -> bool:
        started.append(list(arguments))
        return True

    monkeypatch.setattr(practice, "start_process", record)
    monkeypatch.setattr(sys, "argv", ["prdesk", f"--database={GIVEN}"])

    assert practice.relaunch(True)

    assert started == [["-m", "prdesk", "--database", KEPT, "--practice"]]


def test_the_about_box_copies_the_database_without_its_password(qtbot: QtBot) -> None:
    db = Database(GIVEN)
    actor = UserInfo(1, "mgarcia", "María García", Role.COORDINATOR)
    dialog = AboutDialog(AppContext(db, actor, ChangeHub()))
    qtbot.addWidget(dialog)

    copied = dialog.text()

    assert f"PostgreSQL, {KEPT}" in copied
    assert_no_secret(copied)
    db.dispose()


def test_the_saved_connection_and_its_identity_hold_no_password() -> None:
    url = parse_url(GIVEN)

    config.save_profile(url)

    saved = (config.config_dir() / "connection.json").read_text(encoding="utf-8")
    assert_no_secret(saved)
    assert config.load_profile() == parse_url(KEPT)
    # What names this database in remembered settings and in the credential store.
    assert_no_secret(config.database_identity(url))
