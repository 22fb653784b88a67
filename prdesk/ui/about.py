"""The About box: version and the database in use."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QMessageBox, QWidget

import prdesk
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message


def show_about(parent: QWidget, ctx: AppContext) -> QMessageBox:
    box = show_message(
        parent,
        f"<h3>PR Desk {escape(prdesk.__version__)}</h3>"
        "<p>Case management and correspondence for patient relations departments.</p>"
        f"<p>Database: {escape(ctx.db.display_name)}<br>"
        f"Signed in as: {escape(ctx.actor.display_name)} ({escape(ctx.actor.role.label)})</p>",
        title="About PR Desk",
        icon=QMessageBox.Icon.Information,
    )
    return box
