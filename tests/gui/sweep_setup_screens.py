"""The screens around the work the accessibility sweep opens: settings, first start, help."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing

from PySide6.QtWidgets import QWidget
from sqlalchemy.engine import URL

from prdesk import config
from prdesk.domain.database import Database
from prdesk.domain.enums import Role
from prdesk.domain.services import users
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.first_run.wizard import FirstRunWizard, Step
from prdesk.ui.settings_pages import PAGES
from prdesk.ui.settings_pages.organisation import OrganisationPage
from tests.gui.conftest import shown_window, wait_idle
from tests.gui.sweep_screens import Where, shown
from tests.gui.test_first_run import wait_for_step


def _representative(ctx: AppContext) -> AppContext:
    """A second person on the same database: a representative, who only reads the
    organisation's settings."""
    with ctx.db.transaction() as session:
        actor = users.resolve_actor(session, "jlee", "Jordan Lee")
    assert actor.role is Role.REPRESENTATIVE
    return AppContext(ctx.db, actor, ctx.hub)


def _settings(page: str, role: Role) -> Callable[[Where], QWidget]:
    """File ▸ Settings… at one page, with every page's settings read."""

    def build(where: Where) -> QWidget:
        from prdesk.ui.settings_dialog import SettingsDialog

        ctx = where.ctx if role is Role.ADMINISTRATOR else _representative(where.ctx)
        dialog = SettingsDialog(ctx)
        dialog.show_page(page)
        return shown(where, dialog)

    return build


def _first_run(step: Step) -> Callable[[Where], QWidget]:
    """The assistant of a first start, walked on this computer's own database up to `step`."""

    def build(where: Where) -> QWidget:
        wizard = FirstRunWizard("mgarcia", ChangeHub())
        wizard.ask_stop = lambda _consequence: True  # type: ignore[method-assign,assignment]
        where.qtbot.addWidget(wizard, before_close_func=lambda _: _stop(where, wizard))
        wizard.show()
        # In front, as for a coordinator going through it: where focus goes on each page counts.
        wizard.activateWindow()
        where.qtbot.waitUntil(wizard.isActiveWindow)
        if step == Step.CONNECTION:
            wizard.where.where.shared.setChecked(True)
            wizard.next()
        elif step == Step.PREPARE:
            # Where the database file should be is taken by a folder: it cannot be made,
            # and the page stays, saying so, with Try again.
            config.embedded_database_path().mkdir(parents=True)
            wizard.where.where.embedded.setChecked(True)
            wizard.next()
            where.qtbot.waitUntil(wizard.prepare.retry.isVisible, timeout=20_000)
        elif step != Step.WHERE:
            wizard.where.where.embedded.setChecked(True)
            wizard.next()
            wait_for_step(where.qtbot, wizard, Step.ORGANISATION)
            letterhead = wizard.organisation.page
            assert isinstance(letterhead, OrganisationPage)
            letterhead.form.organisation.setText("Riverside General Hospital")
            while wizard.currentId() != step:
                following = wizard.nextId()
                wizard.next()
                wait_for_step(where.qtbot, wizard, Step(following))
        wait_idle(where.qtbot)
        # The wizard settles the focus once the page is shown.
        where.qtbot.wait(1)
        return wizard

    return build


def _stop(where: Where, wizard: FirstRunWizard) -> None:
    """Cancel, then wait while the assistant puts away what it had begun."""
    wizard.reject()
    where.qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=20_000)
    wait_idle(where.qtbot)


def _user_guide(where: Where) -> QWidget:
    from prdesk.ui.guide_pages import INDEX
    from prdesk.ui.help_window import HelpWindow

    window = HelpWindow()
    window.show_page(INDEX)
    return shown(where, window)


def _shortcuts(where: Where) -> QWidget:
    from prdesk.ui.shortcuts_dialog import ShortcutsDialog

    window = shown_window(where.ctx, where.qtbot)
    return shown(where, ShortcutsDialog(window.commands, window))


def _about(tab: int) -> Callable[[Where], QWidget]:
    def build(where: Where) -> QWidget:
        from prdesk.ui.about import AboutDialog

        dialog = AboutDialog(where.ctx)
        dialog.load()
        dialog.tabs.setCurrentIndex(tab)
        return shown(where, dialog)

    return build


def _unexpected_error(where: Where) -> QWidget:
    from prdesk.logs import build_report
    from prdesk.ui.error_dialog import ErrorDialog

    dialog = ErrorDialog()
    templates: dict[str, str] = {}
    try:
        templates["acknowledgement"]
    except KeyError as error:
        dialog.add(error, "4F2A-91C0", build_report(error, "4F2A-91C0"))
    return shown(where, dialog)


def _practice_window(where: Where) -> QWidget:
    """The main window on the practice database; it holds a case already, so it is not
    filled with made-up ones first."""
    path = config.practice_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(str(where.ctx.db.url.database))) as source,
        closing(sqlite3.connect(path)) as copy,
    ):
        source.backup(copy)
    practice = Database(URL.create("sqlite", database=str(path)))

    def put_away() -> None:
        wait_idle(where.qtbot, timeout=30_000)
        practice.dispose()

    where.request.addfinalizer(put_away)
    with practice.transaction() as session:
        actor = users.resolve_actor(session, "mgarcia", "María García")
    window = shown_window(AppContext(practice, actor, ChangeHub()), where.qtbot)
    assert window.practice_bar is not None and window.practice_bar.isVisible()
    return window


def _settings_screens() -> dict[str, Callable[[Where], QWidget]]:
    screens = {}
    for role, who in (
        (Role.ADMINISTRATOR, "administrator"),
        (Role.REPRESENTATIVE, "representative"),
    ):
        for page in PAGES:
            name = page.__module__.rpartition(".")[2]
            screens[f"settings: {page.title} ({who})"] = _settings(name, role)
    return screens


SETUP_SCREENS: dict[str, Callable[[Where], QWidget]] = {
    **_settings_screens(),
    **{f"first run: {step.name.lower()}": _first_run(step) for step in Step},
    "user guide": _user_guide,
    "keyboard shortcuts": _shortcuts,
    "about: versions": _about(0),
    "about: licences": _about(1),
    "unexpected error": _unexpected_error,
    "practice main window": _practice_window,
}
