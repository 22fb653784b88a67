"""A workstation left alone locks: nothing of a case shows, nothing typed is lost, the password unlocks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from prdesk.domain.database import Database
from prdesk.domain.enums import Role
from prdesk.domain.errors import DatabaseUnavailable, PermissionDenied, ValidationError
from prdesk.domain.services import users, workstation_settings
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.idle_lock import IdleLock
from prdesk.ui.lock_screen import LOCKED_TITLE, LockCover
from prdesk.ui.password_check import DatabaseLoginCheck, OperatingSystemCheck
from prdesk.ui.settings_dialog import SettingsDialog
from prdesk.ui.settings_pages.security import SecurityPage
from tests.conftest import POSTGRES_ADMIN_URL
from tests.gui.conftest import CaseMaker, shown_window, wait_idle

PATIENT = "Nguyễn Thị Hương"
PASSWORD = "correct horse"


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def right_password(password: str) -> bool:
    return password == PASSWORD


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def lock(qtbot: QtBot, clock: Clock) -> Iterator[IdleLock]:
    idle = IdleLock(right_password, "María García", minutes=1, clock=clock)
    yield idle
    if idle.is_locked:
        idle.unlock()
    idle.deleteLater()
    wait_idle(qtbot)


def letter_window(qtbot: QtBot, body: str = f"Dear {PATIENT}, thank you") -> QDialog:
    dialog = QDialog()
    dialog.setWindowTitle(f"Letter to {PATIENT} — PR Desk")
    dialog.editor = QLineEdit(body)  # type: ignore[attr-defined]
    QVBoxLayout(dialog).addWidget(dialog.editor)  # type: ignore[attr-defined]
    dialog.resize(400, 200)
    qtbot.addWidget(dialog)
    return dialog


def shows_only_the_cover(window: QWidget) -> bool:
    """Every sampled point of the window is the cover's colour: nothing beneath shows."""
    image = window.grab().toImage()
    colour = QColor("#2b3440")
    width, height = image.width() - 1, image.height() - 1
    # The "locked" text runs across the middle; above and below it must be the cover.
    points = [QPoint(x * width // 4, y * height // 4) for x in range(5) for y in (0, 1, 3, 4)]
    return all(image.pixelColor(point) == colour for point in points)


def go_idle(lock: IdleLock, clock: Clock, seconds: float = 61) -> None:
    clock.advance(seconds)
    lock.check_idle()


def unlock_with(qtbot: QtBot, lock: IdleLock, password: str) -> None:
    prompt = lock.prompt
    assert prompt is not None
    prompt.password.setText(password)
    prompt.unlock_button.click()
    qtbot.waitUntil(lambda: lock.prompt is None or prompt.unlock_button.isEnabled())


def test_idle_time_covers_every_window_and_only_the_password_uncovers_it(
    qtbot: QtBot, ctx: AppContext, make_case: CaseMaker, lock: IdleLock, clock: Clock
) -> None:
    case = make_case(PATIENT)
    window = shown_window(ctx, qtbot)
    assert window.tabs is not None
    window.tabs.open_case(case.id)
    wait_idle(qtbot)
    letter = letter_window(qtbot)
    letter.show()
    seen: dict[str, object] = {}

    def while_the_letter_is_open_modally() -> None:
        go_idle(lock, clock, 59)
        seen["before the time"] = lock.is_locked
        go_idle(lock, clock, 2)
        seen["titles"] = {window.windowTitle(), letter.windowTitle()}
        seen["covered"] = shows_only_the_cover(window) and shows_only_the_cover(letter)
        prompt = lock.prompt
        assert prompt is not None
        seen["prompt"] = (prompt.isVisible(), prompt.isModal(), prompt.windowTitle())
        unlock_with(qtbot, lock, "wrong")
        seen["refused"] = (lock.is_locked, prompt.problem.text())
        unlock_with(qtbot, lock, PASSWORD)
        qtbot.waitUntil(lambda: not lock.is_locked)
        seen["after"] = (
            letter.isVisible(),
            letter.windowTitle(),
            letter.editor.text(),  # type: ignore[attr-defined]
            [cover for cover in window.findChildren(LockCover) if cover.isVisible()],
        )
        letter.accept()

    QTimer.singleShot(0, while_the_letter_is_open_modally)
    # A modal dialog running its own event loop, as a question box or the composer's do.
    result = letter.exec()

    assert seen["before the time"] is False
    assert seen["titles"] == {LOCKED_TITLE}
    assert seen["covered"] is True
    assert seen["prompt"] == (True, True, LOCKED_TITLE)
    assert seen["refused"] == (True, "That is not the password. Try again.")
    # The dialog went on running under the cover, with every word still in it.
    assert seen["after"] == (
        True,
        f"Letter to {PATIENT} — PR Desk",
        f"Dear {PATIENT}, thank you",
        [],
    )
    assert result == QDialog.DialogCode.Accepted
    assert window.windowTitle() == "PR Desk"


def test_input_puts_the_lock_off(qtbot: QtBot, lock: IdleLock, clock: Clock) -> None:
    letter = letter_window(qtbot)
    letter.show()
    qtbot.waitExposed(letter)
    go_idle(lock, clock, 50)
    qtbot.keyClicks(letter.editor, " and goodbye")  # type: ignore[attr-defined]
    go_idle(lock, clock, 30)
    assert not lock.is_locked  # 80 seconds since start, but 30 since the last key
    go_idle(lock, clock, 31)
    assert lock.is_locked


def test_a_window_that_opens_or_is_renamed_while_locked_shows_nothing(
    qtbot: QtBot, lock: IdleLock, clock: Clock
) -> None:
    letter = letter_window(qtbot)
    letter.show()
    go_idle(lock, clock)
    box = QMessageBox(QMessageBox.Icon.Warning, f"{PATIENT}'s letter", f"{PATIENT} was saved.")
    qtbot.addWidget(box)
    box.show()
    assert box.windowTitle() == LOCKED_TITLE
    assert shows_only_the_cover(box)
    letter.setWindowTitle(f"Letter to {PATIENT} (sent) — PR Desk")
    assert letter.windowTitle() == LOCKED_TITLE
    unlock_with(qtbot, lock, PASSWORD)
    qtbot.waitUntil(lambda: not lock.is_locked)
    assert letter.windowTitle() == f"Letter to {PATIENT} (sent) — PR Desk"
    assert box.windowTitle() == f"{PATIENT}'s letter"


def test_the_timer_locks_by_itself(qtbot: QtBot) -> None:
    idle = IdleLock(right_password, "María García")
    idle.set_timeout_seconds(0.3)
    qtbot.waitUntil(lambda: idle.is_locked, timeout=10_000)
    idle.unlock()
    idle.deleteLater()


def test_lock_now_and_the_organisation_setting_from_the_main_window(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window = shown_window(ctx, qtbot)
    assert window.idle_lock.timeout_seconds == 15 * 60  # the default
    window.commands["idle_lock"].trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog))
    wait_idle(qtbot)
    page = dialog.current_page()
    assert isinstance(page, SecurityPage)
    assert page.idle_lock.number.value() == 15
    page.idle_lock.number.setValue(5)
    dialog.ok_button.click()
    wait_idle(qtbot)
    assert not any(isinstance(w, SettingsDialog) for w in QApplication.topLevelWidgets())
    with ctx.db.transaction(read_only=True) as session:
        assert workstation_settings.idle_lock_minutes(session) == 5
    assert window.idle_lock.timeout_seconds == 5 * 60

    # Another workstation's administrator changes it: this one follows.
    with ctx.db.transaction() as session:
        workstation_settings.set_idle_lock_minutes(session, ctx.actor, 30)
    ctx.hub.announce(Change.everything())
    wait_idle(qtbot)
    assert window.idle_lock.timeout_seconds == 30 * 60

    window.commands["lock"].trigger()
    assert window.idle_lock.is_locked
    assert window.windowTitle() == LOCKED_TITLE
    window.idle_lock.unlock()


def test_only_an_administrator_sets_the_idle_time_and_within_limits(
    qtbot: QtBot, ctx: AppContext
) -> None:
    with ctx.db.transaction() as session:
        with pytest.raises(ValidationError, match="from 1 to 240 minutes"):
            workstation_settings.set_idle_lock_minutes(session, ctx.actor, 241)
        rep = users.resolve_actor(session, "jlee", "Jordan Lee")
        assert rep.role is Role.REPRESENTATIVE
        with pytest.raises(PermissionDenied):
            workstation_settings.set_idle_lock_minutes(session, rep, 5)
    window = shown_window(AppContext(ctx.db, rep, ctx.hub), qtbot)
    assert not window.commands["idle_lock"].isEnabled()
    assert window.commands["lock"].isEnabled()


def test_the_only_way_past_the_lock_is_the_password(
    qtbot: QtBot, lock: IdleLock, clock: Clock
) -> None:
    """Quitting while locked would lose what is typed in the main window: there is no
    sign-out; quitting is done unlocked, where File ▸ Quit asks about unsaved work."""
    go_idle(lock, clock)
    prompt = lock.prompt
    assert prompt is not None
    assert [button.text() for button in prompt.findChildren(QPushButton)] == ["&Unlock"]
    assert any("File ▸ Quit" in label.text() for label in prompt.findChildren(QLabel))
    qtbot.keyClick(prompt, Qt.Key.Key_Escape)
    prompt.close()
    assert lock.is_locked and prompt.isVisible()


def test_a_dialog_that_opens_while_locked_gets_neither_the_keys_nor_the_clicks(
    qtbot: QtBot, lock: IdleLock, clock: Clock
) -> None:
    go_idle(lock, clock)
    prompt = lock.prompt
    assert prompt is not None
    conflict = QDialog()
    conflict.setWindowTitle(f"{PATIENT}'s case changed")
    note = QLineEdit()
    keep_mine = QPushButton("&Keep mine")
    keep_mine.setDefault(True)
    pressed: list[bool] = []
    keep_mine.clicked.connect(lambda: pressed.append(True))
    layout = QVBoxLayout(conflict)
    layout.addWidget(note)
    layout.addWidget(keep_mine)
    qtbot.addWidget(conflict)
    # Application-modal, as exec() makes it: it would block every window under it.
    conflict.setModal(True)
    conflict.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is prompt)
    assert QApplication.activeModalWidget() is prompt

    # The person types at whatever has the keyboard: the prompt's password field.
    qtbot.keyClicks(QApplication.focusWidget(), PASSWORD)
    # Whatever still reaches the dialog goes nowhere.
    qtbot.keyClicks(note, "keep mine")
    qtbot.keyClick(conflict, Qt.Key.Key_Return)
    qtbot.keyClick(note, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.mouseClick(keep_mine, Qt.MouseButton.LeftButton)
    assert (note.text(), pressed) == ("", [])
    assert prompt.password.text() == PASSWORD

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not lock.is_locked)
    assert pressed == [] and conflict.isVisible()
    assert conflict.windowTitle() == f"{PATIENT}'s case changed"


def test_the_computer_account_check_refuses_a_wrong_or_empty_password() -> None:
    check = OperatingSystemCheck(service="other")
    assert check("") is False
    assert check(f"not-the-password-{uuid.uuid4().hex}") is False


@pytest.mark.postgresql
def test_the_database_check_does_not_take_a_server_that_trusts_us_for_a_yes(
    postgres_db: Database,
) -> None:
    """127.0.0.1 trusts every login without asking for its password: then the password
    typed is judged as on the embedded database (by the computer account), never
    accepted because the connection succeeded."""
    role = f"prdesk_unlock_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'"))
    asked: list[str] = []

    def computer_account(password: str) -> bool:
        asked.append(password)
        return password == "the computer's own"

    try:
        url = postgres_db.url.set(username=role)
        check = DatabaseLoginCheck(url, fallback=computer_account)
        assert check("") is False
        assert check("a wrong one") is False
        assert check(PASSWORD) is False, "the server never asked for it"
        assert check("the computer's own") is True
        assert asked == ["a wrong one", PASSWORD, "the computer's own"]
        assert DatabaseLoginCheck(url)(f"not-the-password-{uuid.uuid4().hex}") is False
        with pytest.raises(DatabaseUnavailable):
            DatabaseLoginCheck(make_url("postgresql+psycopg://nobody@127.0.0.1:1/x"))(PASSWORD)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()
