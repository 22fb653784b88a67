"""The dialogs and windows the File, Administration and Help menus open, wired in one place.

None of them needs the main window's own parts, only its context and a parent, so
they are connected here rather than each getting a method on the main window. Each
module is imported when its command is first used: most sessions never open them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from prdesk.ui.actions import Actions
from prdesk.ui.context import AppContext


def connect_menu_dialogs(actions: Actions, window: QWidget, ctx: AppContext) -> None:
    """Connects each command to the screen it opens, parented to `window`."""
    openers: dict[str, Callable[[], object]] = {
        # File
        "signature": lambda: _edit_signature(ctx, window),
        "settings": lambda: _open_settings(ctx, window),
        # Administration
        "users": lambda: _manage_users(ctx, window),
        "deadline_policy": lambda: _edit_deadline_policy(ctx, window),
        "mrn_format": lambda: _open_settings(ctx, window, "intake"),
        "attachment_limit": lambda: _open_settings(ctx, window, "intake"),
        "department_contacts": lambda: _edit_department_contacts(ctx, window),
        "letter_templates": lambda: _edit_letter_templates(ctx, window),
        "letterhead": lambda: _edit_letterhead(ctx, window),
        # Help
        "user_guide": lambda: _open_user_guide(window),
        "shortcuts": lambda: _show_shortcuts(window, actions),
        "log_folder": lambda: _open_log_folder(window),
        "test_error": _raise_test_error,
        "about": lambda: _show_about(ctx, window),
    }
    for key, open_it in openers.items():
        # `triggered` passes `checked`; the openers take nothing.
        actions[key].triggered.connect(lambda _checked=False, run=open_it: run())


def _opened(dialog: QDialog) -> QDialog:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _open_settings(ctx: AppContext, parent: QWidget, page: str | None = None) -> QDialog:
    from prdesk.ui.settings_dialog import open_settings

    return open_settings(ctx, parent, page=page)


def _edit_signature(ctx: AppContext, parent: QWidget) -> None:
    from prdesk.ui.signature_dialog import edit_signature

    edit_signature(ctx, parent)


def _manage_users(ctx: AppContext, parent: QWidget) -> QDialog:
    from prdesk.ui.users_dialog import UsersDialog

    return _opened(UsersDialog(ctx, parent))


def _edit_deadline_policy(ctx: AppContext, parent: QWidget) -> QDialog:
    from prdesk.ui.policy_dialog import PolicyDialog

    return _opened(PolicyDialog(ctx, parent))


def _edit_department_contacts(ctx: AppContext, parent: QWidget) -> QDialog:
    from prdesk.ui.department_contacts_dialog import DepartmentContactsDialog

    return _opened(DepartmentContactsDialog(ctx, parent))


def _edit_letter_templates(ctx: AppContext, parent: QWidget) -> QWidget:
    from prdesk.ui.letter_template_editor import open_template_editor

    return open_template_editor(ctx, parent)


def _edit_letterhead(ctx: AppContext, parent: QWidget) -> None:
    from prdesk.ui.letterhead_dialog import edit_letterhead

    edit_letterhead(ctx, parent)


def _open_user_guide(parent: QWidget) -> QWidget:
    from prdesk.ui.help_window import open_user_guide

    return open_user_guide(parent)


def _show_shortcuts(parent: QWidget, actions: Actions) -> QWidget:
    from prdesk.ui.shortcuts_dialog import show_shortcuts

    return show_shortcuts(parent, actions)


def _open_log_folder(parent: QWidget) -> None:
    from prdesk.ui.error_dialog import open_log_folder

    open_log_folder(parent)


def _raise_test_error() -> None:
    """A harmless error, so IT can see the report and check the log is written."""
    from prdesk.ui.error_dialog import raise_test_error

    raise_test_error()


def _show_about(ctx: AppContext, parent: QWidget) -> QWidget:
    from prdesk.ui.about import show_about

    return show_about(parent, ctx)
