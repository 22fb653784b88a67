"""Administration ▸ Users: who works in PR Desk, their roles, and what representatives see."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain.errors import ConflictError, DomainError, NotFound
from prdesk.domain.readmodels import Reference
from prdesk.domain.security.roles import RepresentativeScope
from prdesk.domain.services import organisation, user_admin
from prdesk.domain.services.user_admin import UserAccount
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.user_edit_dialog import UserEditDialog
from prdesk.ui.users_model import DEPARTMENTS, NAME, UsersModel


@dataclass(frozen=True)
class _Loaded:
    accounts: list[UserAccount]
    departments: list[Reference]
    scope: RepresentativeScope


def _load(session: Session) -> _Loaded:
    return _Loaded(
        user_admin.list_users(session),
        organisation.departments(session),
        user_admin.representative_scope(session),
    )


class UsersDialog(QDialog):
    """The people table with Add…, Edit… and Disable / Enable, and the representatives' scope.

    Every change is saved at once, in the background; errors show in the dialog.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._departments: list[Reference] = []
        self._shown_scope: RepresentativeScope | None = None
        self.setWindowTitle("Users — PR Desk")
        self.banner = InfoBar()
        self.model = UsersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("People who work in PR Desk")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DEPARTMENTS, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton("&Add…")
        self.add_button.setAccessibleName("Add a person")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setAccessibleName("Change the chosen person")
        self.active_button = QPushButton("&Disable")
        self.active_button.setAccessibleName("Disable or enable the chosen person")
        side = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.active_button):
            button.setAutoDefault(False)
            side.addWidget(button)
        side.addStretch(1)
        self.add_button.clicked.connect(self.add_person)
        self.edit_button.clicked.connect(self.edit_selected)
        self.active_button.clicked.connect(self.toggle_active)

        self.scope_box = QGroupBox("Representatives see")
        self.scope_buttons = QButtonGroup(self)
        scope_layout = QVBoxLayout(self.scope_box)
        self.scope_radios: dict[RepresentativeScope, QRadioButton] = {}
        # Where each label's mnemonic goes (Alt+G, Alt+P): letters no other control here uses.
        mnemonics = {
            RepresentativeScope.ASSIGNED_AND_UNASSIGNED: "gned",
            RepresentativeScope.DEPARTMENTS: "partments",
        }
        for scope in (RepresentativeScope.ASSIGNED_AND_UNASSIGNED, RepresentativeScope.DEPARTMENTS):
            radio = QRadioButton(_with_mnemonic(scope.label, mnemonics[scope]))
            radio.setAccessibleName(f"Representatives see: {scope.label}")
            self.scope_buttons.addButton(radio)
            self.scope_radios[scope] = radio
            scope_layout.addWidget(radio)
            radio.toggled.connect(partial(self._on_scope_toggled, scope))

        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(side)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        layout.addWidget(self.scope_box)
        layout.addWidget(buttons)
        self.setTabOrder(self.table, self.add_button)
        self.setTabOrder(self.add_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.active_button)
        self.resize(820, 480)
        self._update_buttons()
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        (
            self._ctx.operation(self, _load, read_only=True)
            .success(
                lambda loaded: self.load(
                    loaded.accounts, loaded.departments, loaded.scope, select_id
                )
            )
            .failure(self._show_error)
            .run()
        )

    def load(
        self,
        accounts: list[UserAccount],
        departments: list[Reference],
        scope: RepresentativeScope,
        select_id: int | None = None,
    ) -> None:
        chosen = select_id if select_id is not None else self._selected_id()
        self._departments = departments
        self.model.set_accounts(accounts)
        self._shown_scope = scope
        self.scope_radios[scope].setChecked(True)
        row = self.model.row_of(chosen) if chosen is not None else -1
        if row >= 0:
            self.select_row(row)
        self._update_buttons()

    def select_row(self, row: int) -> None:
        self.table.selectionModel().select(
            self.model.index(row, NAME),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(self.model.index(row, NAME))

    def selected(self) -> UserAccount | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.account(rows[0].row()) if rows else None

    def add_person(self) -> UserEditDialog:
        return self._open_editor(None)

    def edit_selected(self) -> UserEditDialog | None:
        account = self.selected()
        return self._open_editor(account) if account is not None else None

    def toggle_active(self) -> None:
        account = self.selected()
        if account is None:
            return
        actor, user_id, version = self._ctx.actor, account.id, account.version
        enable = not account.active
        action = user_admin.enable_user if enable else user_admin.disable_user
        self.active_button.setEnabled(False)
        (
            self._ctx.operation(
                self, lambda session: action(session, actor, user_id, version=version)
            )
            .changes(Change.everything())
            .success(lambda changed: self._on_changed(changed, "enabled" if enable else "disabled"))
            .failure(self._show_error)
            .done(self._update_buttons)
            .run()
        )

    def _on_scope_toggled(self, scope: RepresentativeScope, checked: bool) -> None:
        if checked:
            self.set_scope(scope)

    def set_scope(self, scope: RepresentativeScope) -> None:
        if scope is self._shown_scope:
            return
        actor = self._ctx.actor
        (
            self._ctx.operation(
                self, lambda session: user_admin.set_representative_scope(session, actor, scope)
            )
            .changes(Change.everything())
            .success(self._on_scope_saved)
            .failure(self._on_scope_refused)
            .run()
        )

    def _on_scope_saved(self, scope: RepresentativeScope) -> None:
        self._shown_scope = scope
        self.banner.show_message(f"Representatives now see {scope.label.lower()}.")

    def _on_scope_refused(self, error: DomainError) -> None:
        if self._shown_scope is not None:
            self.scope_radios[self._shown_scope].setChecked(True)
        self._show_error(error)

    def _open_editor(self, account: UserAccount | None) -> UserEditDialog:
        editor = UserEditDialog(self._ctx, self._departments, account, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        what = "added" if account is None else "saved"
        editor.saved.connect(lambda changed: self._on_changed(changed, what))
        editor.open()
        return editor

    def _on_changed(self, account: UserAccount, what: str) -> None:
        self.banner.show_message(f"{account.display_name} {what}.")
        self.reload(select_id=account.id)

    def _selected_id(self) -> int | None:
        account = self.selected()
        return account.id if account is not None else None

    def _update_buttons(self) -> None:
        account = self.selected()
        self.edit_button.setEnabled(account is not None)
        self.active_button.setEnabled(account is not None)
        self.active_button.setText(
            "E&nable" if account is not None and not account.active else "&Disable"
        )

    def _show_error(self, error: DomainError) -> None:
        self.banner.show_message(error.message, kind="error")
        if isinstance(error, ConflictError | NotFound):
            self.reload()


def _with_mnemonic(label: str, before: str) -> str:
    """The label with `&` in front of the first occurrence of `before`."""
    at = label.find(before)
    return label if at < 0 else f"{label[:at]}&{label[at:]}"
