"""The first-run assistant on this computer: from the first start to the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from prdesk import config
from prdesk.domain.database import Database
from prdesk.domain.deadline_policy import Preset
from prdesk.domain.services import organisation, signatures, users
from prdesk.domain.services.policy import load_policy
from prdesk.ui.app import run_gui
from prdesk.ui.changes import ChangeHub
from prdesk.ui.first_run import launch
from prdesk.ui.first_run.detection import needs_assistant
from prdesk.ui.first_run.wizard import FirstRunWizard, Step
from prdesk.ui.letter_template_preview import PREVIEW_DELAY_MS
from prdesk.ui.main_window import MainWindow
from prdesk.ui.practice_bar import practice_action_text
from prdesk.ui.settings_pages.deadlines import DeadlinePresetPage
from prdesk.ui.settings_pages.organisation import OrganisationPage
from prdesk.ui.settings_pages.signature import SignaturePage
from tests.gui.conftest import wait_idle
from tests.support.screenshots import save_screenshot


def picture(path: Path, colour: str, size: tuple[int, int] = (240, 80)) -> Path:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))  # the format from the name
    return path


def shown_wizard(qtbot: QtBot) -> FirstRunWizard:
    wizard = FirstRunWizard("mgarcia", ChangeHub())
    # Closed at the end of the test: stopping is not asked then.
    wizard.ask_stop = lambda _consequence: True  # type: ignore[method-assign,assignment]
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def answering_stop(wizard: FirstRunWizard, *answers: bool) -> list[str]:
    """ "Stop setting up?" answered in turn (Yes once answers run out); what each said is kept."""
    asked: list[str] = []
    left = list(answers)

    def ask_stop(consequence: str) -> bool:
        asked.append(consequence)
        return left.pop(0) if left else True

    wizard.ask_stop = ask_stop  # type: ignore[method-assign]
    return asked


def wait_for_step(qtbot: QtBot, wizard: FirstRunWizard, step: Step) -> None:
    qtbot.waitUntil(lambda: wizard.currentId() == step, timeout=20_000)
    wait_idle(qtbot)


def save_shot(widget: QWidget, name: str) -> None:
    save_screenshot(widget, f"first-run-{name}")


def set_up_on_this_computer(qtbot: QtBot, wizard: FirstRunWizard, tmp_path: Path) -> None:
    """What a coordinator does in the assistant, from the first page to the last."""
    save_shot(wizard, "where")
    wizard.where.where.embedded.click()
    wizard.next()
    wait_for_step(qtbot, wizard, Step.ORGANISATION)
    letterhead = wizard.organisation.page
    assert isinstance(letterhead, OrganisationPage)
    # Nothing set yet: the name is asked for, not the stand-in letters print meanwhile.
    assert letterhead.form.organisation.text() == ""
    letterhead.form.organisation.setText("Riverside General Hospital")
    letterhead.form.department.setText("Patient Relations")
    letterhead.form.address.setPlainText("1200 River Road\nSpringfield, IL 62701")
    letterhead.form.phone.setText("(555) 010-3000")
    letterhead.form.email.setText("patientrelations@riverside.example")
    assert letterhead.form.use_logo_file(picture(tmp_path / "logo.png", "#1a67c9"))
    qtbot.wait(PREVIEW_DELAY_MS + 50)
    wait_idle(qtbot)
    save_shot(wizard, "organisation")
    wizard.next()
    wait_for_step(qtbot, wizard, Step.SIGNATURE)
    signature = wizard.signature.page
    assert isinstance(signature, SignaturePage)
    assert signature.printed_name.text().startswith("mgarcia")
    assert signature.signature.use_image_file(picture(tmp_path / "signature.png", "#ffffff"))
    save_shot(wizard, "signature")
    wizard.next()
    wait_for_step(qtbot, wizard, Step.DEADLINES)
    deadlines = wizard.deadlines.page
    assert isinstance(deadlines, DeadlinePresetPage)
    assert deadlines.presets[Preset.CMS].isChecked()
    deadlines.presets[Preset.NHS].click()
    assert deadlines.holidays.region() == ("GB", "ENG")
    save_shot(wizard, "deadlines")
    wizard.next()
    wait_for_step(qtbot, wizard, Step.TRY)
    save_shot(wizard, "try")
    wizard.next()
    wait_for_step(qtbot, wizard, Step.DONE)
    save_shot(wizard, "done")


@pytest.fixture
def practice_available(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """PR Desk able to start itself again on the practice database; the starts recorded."""
    started: list[bool] = []

    def relaunch(*, practice: bool) -> bool:
        started.append(practice)
        return True

    monkeypatch.setattr(launch, "relaunch", relaunch)
    return started


def test_set_up_on_this_computer_then_the_main_window_opens_and_the_next_start_goes_straight_in(
    qtbot: QtBot, tmp_path: Path, practice_available: list[bool]
) -> None:
    assert needs_assistant(config.choose_database())
    seen: list[str] = []
    failures: list[BaseException] = []

    def coordinator() -> None:
        try:
            wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, FirstRunWizard)]
            wizard = wizards[0]
            wizard.ask_stop = lambda _consequence: True  # type: ignore[method-assign,assignment]
            assert wizard.isVisible() and wizard.windowTitle() == "PR Desk — Getting started"
            set_up_on_this_computer(qtbot, wizard, tmp_path)
            seen.append(wizard.done_page.summary.text())
            wizard.button(QWizard.WizardButton.FinishButton).click()
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
            assert windows and windows[0].isVisible()
            wait_idle(qtbot)
            seen.append(windows[0].windowTitle())
            windows[0].close()
            windows[0].deleteLater()
        except BaseException as error:  # inside the event loop: end it, report it below
            failures.append(error)
            for window in QApplication.topLevelWidgets():
                window.close()
            QApplication.exit(1)

    QTimer.singleShot(0, coordinator)
    exit_code = run_gui(None, "mgarcia")
    if failures:
        raise failures[0]
    assert exit_code == 0
    summary, title = seen
    assert "only on this computer" in summary
    assert "Letters are headed Riverside General Hospital." in summary
    assert "Your signature prints on your letters." in summary
    assert "New cases get the UK NHS deadlines." in summary
    assert title == "PR Desk"
    assert practice_available == []  # not asked for

    path = config.embedded_database_path()
    assert path.exists()
    assert not needs_assistant(config.choose_database())
    db = Database(f"sqlite:///{path}")
    with db.transaction(read_only=True) as session:
        letterhead = organisation.letterhead(session)
        policy = load_policy(session)
        me = users.active_users(session)[0]
        signature = signatures.signature_image(session, me.id)
    db.dispose()
    assert letterhead.organisation == "Riverside General Hospital"
    assert letterhead.address_lines == ("1200 River Road", "Springfield, IL 62701")
    assert letterhead.logo is not None and letterhead.logo.startswith(b"\x89PNG")
    assert (policy.policy.preset, policy.policy.country, policy.version) == (
        Preset.NHS,
        "GB",
        1,
    )
    assert signature is not None and signature.startswith(b"\x89PNG")


def test_ticking_practice_starts_the_practice_database_instead_of_the_window(
    qtbot: QtBot, tmp_path: Path, practice_available: list[bool]
) -> None:
    opened: list[object] = []
    ended: list[int] = []
    wizard = launch.show_assistant("mgarcia", ChangeHub(), opened.append, ended.append)
    wizard.ask_stop = lambda _consequence: True  # type: ignore[method-assign,assignment]
    qtbot.addWidget(wizard)
    set_up_on_this_computer(qtbot, wizard, tmp_path)
    wizard.back()
    wizard.try_out.practice.setChecked(True)
    wizard.next()
    summary = wizard.done_page.summary.text()
    # The File menu's own item, as it reads in the practice database and out of it.
    home, practice = (practice_action_text(p).replace("&", "") for p in (True, False))
    assert f"The practice database opens first; File ▸ {home}" in summary
    assert f"File ▸ {practice}" in summary
    assert any(
        f"File ▸ {practice}" in label.text() for label in wizard.try_out.findChildren(QLabel)
    )
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert practice_available == [True]
    assert opened == [] and ended == []
    # The person's own database is made and set up all the same, and stays empty.
    assert not needs_assistant(config.choose_database())


def press(qtbot: QtBot, wizard: FirstRunWizard, key: Qt.Key) -> None:
    """Alt and a letter; a button so pressed clicks itself a moment later."""
    qtbot.keyClick(wizard, key, Qt.KeyboardModifier.AltModifier)


def _unnamed(page: QWidget) -> list[str]:
    """The controls on the page a screen reader could not name."""
    missing = []
    for child in page.findChildren(QWidget):
        # A spin box's own line edit is named by the spin box.
        if not child.isVisibleTo(page) or isinstance(child.parent(), QAbstractSpinBox):
            continue
        editor = isinstance(child, (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox))
        button = (
            isinstance(child, QAbstractButton) and child.focusPolicy() != Qt.FocusPolicy.NoFocus
        )
        text = child.text().replace("&", "").strip() if isinstance(child, QAbstractButton) else ""
        if (editor or button) and not (child.accessibleName() or text):
            missing.append(type(child).__name__)
    return missing


def test_every_step_is_reached_from_the_keyboard_and_every_field_is_named(
    qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = shown_wizard(qtbot)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    for button in (QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton):
        assert "&" in wizard.buttonText(button)
    assert _unnamed(wizard.where) == []
    # Alt+S chooses the shared database, Alt+N goes on: no mouse needed.
    wizard.where.where.embedded.setChecked(True)
    press(qtbot, wizard, Qt.Key.Key_S)
    qtbot.waitUntil(wizard.where.shared)
    press(qtbot, wizard, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: wizard.currentId() == Step.CONNECTION)
    assert _unnamed(wizard.connection) == []
    save_shot(wizard, "connection")
    # Alt+B goes back, and the arrow keys choose between the two places.
    press(qtbot, wizard, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: wizard.currentId() == Step.WHERE)
    wizard.where.where.shared.setFocus()
    qtbot.keyClick(wizard.where.where.shared, Qt.Key.Key_Up)
    assert not wizard.where.shared()
    # Enter is Next.
    qtbot.keyClick(wizard.where.where.embedded, Qt.Key.Key_Return)
    wait_for_step(qtbot, wizard, Step.ORGANISATION)
    for step in (Step.ORGANISATION, Step.SIGNATURE, Step.DEADLINES, Step.TRY):
        assert wizard.currentId() == step
        assert _unnamed(wizard.currentPage()) == [], step.name
        if step == Step.ORGANISATION:
            page = wizard.organisation.page
            assert isinstance(page, OrganisationPage)
            page.form.organisation.setText("Riverside General Hospital")
        press(qtbot, wizard, Qt.Key.Key_N)
        qtbot.waitUntil(lambda: wizard.currentId() > step, timeout=10_000)  # noqa: B023
        wait_idle(qtbot)
    assert wizard.currentId() == Step.DONE
    with qtbot.waitSignal(wizard.completed):
        press(qtbot, wizard, Qt.Key.Key_O)
    assert not wizard.isVisible()
    ctx = wizard.ctx
    assert ctx is not None
    wait_idle(qtbot)
    ctx.db.dispose()


def test_cancel_on_the_first_page_quits_and_creates_nothing(qtbot: QtBot) -> None:
    wizard = shown_wizard(qtbot)
    asked = answering_stop(wizard)
    with qtbot.waitSignal(wizard.rejected):
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert asked == []
    assert not config.embedded_database_path().exists()
    assert config.load_profile() is None
    assert needs_assistant(config.choose_database())


def test_cancel_once_the_database_is_ready_keeps_it_and_says_so(
    qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = shown_wizard(qtbot)
    wizard.where.where.embedded.click()
    wizard.next()
    wait_for_step(qtbot, wizard, Step.ORGANISATION)
    asked = answering_stop(wizard, False, True)
    wizard.reject()
    assert wizard.isVisible()  # "No": setting up goes on
    with qtbot.waitSignal(wizard.rejected):
        wizard.reject()
    assert asked[0].startswith("Nothing more is saved. The database is ready and is kept")
    assert not needs_assistant(config.choose_database())
    ctx = wizard.ctx
    assert ctx is not None
    wait_idle(qtbot)
    ctx.db.dispose()


def test_cancel_before_the_database_is_ready_keeps_no_connection(qtbot: QtBot) -> None:
    wizard = shown_wizard(qtbot)
    asked = answering_stop(wizard)
    wizard.where.where.shared.click()
    wizard.next()
    assert wizard.currentId() == Step.CONNECTION
    with qtbot.waitSignal(wizard.rejected):
        wizard.reject()
    assert asked == [
        "Nothing is saved: no database is made and no connection is kept. The next time "
        "PR Desk starts, this assistant opens again."
    ]
    assert config.load_profile() is None
    assert needs_assistant(config.choose_database())
