"""The people table of Administration ▸ Users: name, login, role, departments, active."""

from __future__ import annotations

from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import Qt

from prdesk.domain.services.user_admin import UserAccount
from prdesk.ui import theme
from prdesk.ui.style import LIST_MUTED_TEXT
from prdesk.ui.table_model import Index, ReadOnlyTableModel

NAME, LOGIN, ROLE, DEPARTMENTS, ACTIVE = range(5)
# The current scheme's muted text, readable on the list (see style.follow_palette).
DISABLED_COLOR = LIST_MUTED_TEXT


class UsersModel(ReadOnlyTableModel[UserAccount]):
    """One line per person, as list_users orders them (active first, by name)."""

    headers = ("Name", "Login", "Role", "Departments", "Active")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        theme.follow(self.on_theme_changed)

    def on_theme_changed(self) -> None:
        theme.recolour(self)

    def set_accounts(self, accounts: list[UserAccount]) -> None:
        self._replace_rows(list(accounts))

    def account(self, row: int) -> UserAccount | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, user_id: int) -> int:
        """The line showing that person, or -1."""
        return next((row for row, a in enumerate(self._rows) if a.id == user_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        account = self._row_of(index)
        if account is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self._text(account, column)
            if role == Qt.ItemDataRole.AccessibleTextRole and column != NAME:
                return f"{self.headers[column]}: {text or 'none'}"
            return text
        if role == Qt.ItemDataRole.ForegroundRole and not account.active:
            return DISABLED_COLOR
        if role == Qt.ItemDataRole.ToolTipRole and column == DEPARTMENTS:
            # Names typed by an administrator: never read them as HTML.
            return QtGui.Qt.convertFromPlainText(account.department_names)
        return None

    def _text(self, account: UserAccount, column: int) -> str:
        if column == NAME:
            return account.display_name
        if column == LOGIN:
            return account.username
        if column == ROLE:
            return account.role.label
        if column == DEPARTMENTS:
            return account.department_names
        return "Yes" if account.active else "No (disabled)"
