"""Signing in to the shared database: a refused password, remembering it, TLS settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import URL, make_url

from prdesk import config
from prdesk.domain import schema
from prdesk.domain.database import Database, without_password
from prdesk.domain.errors import LoginRequired
from prdesk.ui.changes import ChangeHub
from prdesk.ui.login_dialog import Login, LoginDialog, remember_login
from prdesk.ui.startup import Startup
from prdesk.ui.startup_window import StartupWindow
from tests.gui.conftest import wait_idle

SERVER = make_url("postgresql+psycopg://mgarcia@db.hospital.example:5432/prdesk")
RIGHT = "correct horse"


def shown_dialog(
    qtbot: QtBot, url: URL = SERVER, message: str = "", **kwargs: object
) -> LoginDialog:
    dialog = LoginDialog(url, message, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def only_the_right_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server as it answers over a password login: 127.0.0.1 trusts every login."""
    real = schema.ensure_ready

    def ensure_ready(db: Database, **options: bool) -> object:
        if db.url.password is None:
            raise LoginRequired("The database needs your password to sign you in.")
        if db.url.password != RIGHT:
            raise LoginRequired("The database refused the user name or password.")
        return real(db, **options)

    monkeypatch.setattr(schema, "ensure_ready", ensure_ready)


@pytest.mark.postgresql
def test_a_wrong_password_is_asked_again_and_the_right_one_is_remembered(
    qtbot: QtBot, postgres_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_the_right_password(monkeypatch)
    db = Database(postgres_db.url)
    window = StartupWindow(db.display_name)
    qtbot.addWidget(window)
    startup = Startup(db, "postgres", None, ChangeHub(), window, profile_in_use=True)
    messages: list[str] = []
    typed = iter(["wrong", RIGHT])

    def ask_login(message: str) -> Login | None:
        messages.append(message)
        dialog = shown_dialog(qtbot, without_password(postgres_db.url), message)
        assert dialog.banner.text() == message
        assert dialog.user.text() == "postgres" and dialog.password.text() == ""
        dialog.password.setText(next(typed))
        dialog.remember.setChecked(True)
        dialog.sign_in.click()
        return dialog.accepted_login

    startup.ask_login = ask_login  # type: ignore[method-assign]
    with qtbot.waitSignal(startup.ready, timeout=30_000) as ready:
        startup.start()
    wait_idle(qtbot)
    assert messages == [
        "The database needs your password to sign you in.",
        "The database refused the user name or password.",
    ]
    ctx = ready.args[0]
    assert ctx.db.url.password == RIGHT
    # Remembered in the credential store, and the connection saved without it.
    assert config.saved_password(without_password(postgres_db.url)) == RIGHT
    profile = config.load_profile()
    assert profile is not None and profile.password is None
    assert profile.database == postgres_db.url.database
    ctx.db.dispose()


@pytest.mark.postgresql
def test_quitting_the_login_ends_start_up(
    qtbot: QtBot, postgres_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_the_right_password(monkeypatch)
    window = StartupWindow(postgres_db.display_name)
    qtbot.addWidget(window)
    startup = Startup(postgres_db, "postgres", None, ChangeHub(), window)
    startup.ask_login = lambda _message: None  # type: ignore[method-assign]
    with qtbot.waitSignal(startup.gave_up, timeout=30_000) as gave_up:
        startup.start()
    assert gave_up.args == [1]
    wait_idle(qtbot)


@pytest.mark.postgresql
def test_a_server_that_needs_no_password_never_shows_the_dialog(
    qtbot: QtBot, postgres_db: Database
) -> None:
    """Single sign-on (here: trust) connects as it is."""
    window = StartupWindow(postgres_db.display_name)
    qtbot.addWidget(window)
    startup = Startup(postgres_db, "postgres", None, ChangeHub(), window)
    asked: list[str] = []
    startup.ask_login = lambda message: asked.append(message)  # type: ignore[method-assign,func-returns-value]
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        startup.start()
    wait_idle(qtbot)
    assert asked == []


def test_signing_in_without_remember_forgets_the_saved_password(qtbot: QtBot) -> None:
    config.save_password(SERVER, "old secret")
    dialog = shown_dialog(qtbot)
    dialog.password.setText("new secret")
    assert not dialog.remember.isChecked()
    dialog.sign_in.click()
    login = dialog.accepted_login
    assert login is not None and login.password == "new secret"
    remember_login(login)
    assert config.saved_password(SERVER) is None


def test_tls_settings_typed_at_login_are_saved_to_the_profile(qtbot: QtBot, tmp_path: Path) -> None:
    ca = tmp_path / "hospital-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    dialog = shown_dialog(qtbot)
    assert dialog.advanced.isHidden()
    dialog.advanced_toggle.click()
    assert not dialog.advanced.isHidden()
    dialog.sslmode.setCurrentIndex(dialog.sslmode.findText("verify-full"))
    dialog.ca_cert.setText(str(ca))
    dialog.password.setText(RIGHT)
    dialog.remember.setChecked(True)
    dialog.sign_in.click()
    login = dialog.accepted_login
    assert login is not None
    remember_login(login, profile=True)

    saved = config.load_profile()
    assert saved is not None
    assert config.tls_settings(saved) == config.TlsSettings("verify-full", ca)
    assert RIGHT not in (config.config_dir() / "connection.json").read_text()
    assert config.saved_password(saved) == RIGHT
    # Opening the dialog again shows what was saved, the encryption settings open.
    again = shown_dialog(qtbot, saved)
    assert again.sslmode.currentText() == "verify-full"
    assert again.ca_cert.text() == str(ca)
    assert not again.advanced.isHidden()


def test_a_missing_ca_certificate_is_marked_and_nothing_is_signed_in(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = shown_dialog(qtbot)
    dialog.sslmode.setCurrentIndex(dialog.sslmode.findText("verify-ca"))
    dialog.ca_cert.setText(str(tmp_path / "missing.pem"))
    dialog.sign_in.click()
    assert dialog.accepted_login is None
    assert not dialog.advanced.isHidden()  # the field in question is shown
    assert dialog.errors.message("ca_cert").startswith("There is no CA certificate file at")


def test_an_empty_user_name_is_marked(qtbot: QtBot) -> None:
    dialog = shown_dialog(qtbot)
    dialog.user.clear()
    dialog.sign_in.click()
    assert dialog.accepted_login is None
    assert dialog.errors.message("user") == "Give your user name."


def test_test_connection_reports_the_reason_then_success(qtbot: QtBot) -> None:
    answers: list[Exception | None] = [
        LoginRequired("The database refused the user name or password."),
        None,
    ]

    def check(login: Login) -> None:
        assert login.password == "typed"
        answer = answers.pop(0)
        if answer is not None:
            raise answer

    dialog = shown_dialog(qtbot, check=check)
    dialog.password.setText("typed")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Not connected"))
    assert "refused the user name or password" in dialog.test_result.text()
    qtbot.waitUntil(dialog.test_button.isEnabled)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_result.text() == "Connected: the login works.")
    wait_idle(qtbot)


def test_test_connection_reaches_a_real_server_or_says_why_not(qtbot: QtBot) -> None:
    dialog = shown_dialog(qtbot, make_url("postgresql+psycopg://mgarcia@127.0.0.1:1/prdesk"))
    dialog.password.setText("typed")
    dialog.test_button.click()
    qtbot.waitUntil(
        lambda: dialog.test_result.text().startswith("Not connected: Cannot reach the database"),
        timeout=20_000,
    )
    assert "typed" not in dialog.test_result.text()
    wait_idle(qtbot)
