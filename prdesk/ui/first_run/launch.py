"""Showing the assistant at PR Desk's first start, and what follows its Finish or Cancel."""

from __future__ import annotations

from collections.abc import Callable

from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from prdesk.ui.first_run.wizard import FirstRunWizard
from prdesk.ui.settings_pages.database import relaunch


def show_assistant(
    username: str,
    hub: ChangeHub,
    open_window: Callable[[AppContext], None],
    quit_app: Callable[[int], None],
) -> FirstRunWizard:
    """Shows the assistant; Finish opens the main window on what it prepared (or the
    practice database, when asked for and it starts), Cancel ends PR Desk."""
    wizard = FirstRunWizard(username, hub)

    def on_completed(ctx: AppContext, practice: bool) -> None:
        if practice and relaunch(practice=True):
            ctx.db.dispose()
            return
        open_window(ctx)

    wizard.completed.connect(on_completed)
    wizard.rejected.connect(lambda: quit_app(0))
    wizard.show()
    return wizard
