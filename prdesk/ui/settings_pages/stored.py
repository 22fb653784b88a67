"""The common part of the pages whose settings are rows of the organisation's settings table."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import UserInfo
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.settings_page import Scope, SettingsPage

Values = Mapping[str, object]


class StoredSettingsPage(SettingsPage):
    """Reads its settings in the background, and writes back only those changed, in one go.

    A subclass lays out its fields under `self.column`, and implements `read`,
    `show_values`, `values`, `check` and `write`, each keyed by its setting keys.

    Attributes:
        banner: messages no single field can show.
        errors: the messages under the fields.
        column: the page's layout, the banner at its top.
    """

    scope = Scope.ORGANISATION

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.banner = InfoBar()
        self.errors = FieldErrors()
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(self.banner)
        self._stored: dict[str, object] | None = None

    @classmethod
    def applies_to(cls, ctx: AppContext | None) -> bool:
        # Everyone signed in may read the organisation's settings (README: who may do what).
        return ctx is not None

    def may_change(self) -> bool:
        return self.ctx is not None and self.ctx.may(Action.MANAGE_ORGANISATION)

    @staticmethod
    def read(session: Session) -> dict[str, object]:
        """The stored values by key (runs on a worker)."""
        raise NotImplementedError

    def show_values(self, values: Values) -> None:
        """Fills the fields with stored values; not an edit."""
        raise NotImplementedError

    def values(self) -> dict[str, object]:
        """What the fields hold, by key."""
        raise NotImplementedError

    def check(self, changed: Values) -> None:
        """Raises ValidationError for what can be told before writing."""

    @staticmethod
    def write(session: Session, actor: UserInfo, changed: Values) -> None:
        """Stores the changed values (runs on a worker, in one transaction)."""
        raise NotImplementedError

    def load(self) -> None:
        if self.ctx is None:
            return
        (
            self.ctx.operation(self, self.read, read_only=True)
            .success(self._on_loaded)
            .failure(self._show_error)
            .run()
        )

    def is_modified(self) -> bool:
        return self._stored is not None and bool(self._changed())

    def save(self) -> None:
        changed = self._changed()
        if self.ctx is None or not changed:
            self.saved.emit()
            return
        try:
            self.check(changed)
        except ValidationError as error:
            self._show_error(error)
            return
        actor, write = self.ctx.actor, self.write

        def store(session: Session) -> dict[str, object]:
            write(session, actor, changed)
            return changed

        self.banner.hide()
        (
            self.ctx.operation(self, store)
            # Other workstations hear of a settings change as "everything": so does this one.
            .changes(Change.everything())
            .success(self._on_saved)
            .failure(self._show_error)
            .run()
        )

    def _changed(self) -> dict[str, object]:
        stored = self._stored or {}
        return {key: value for key, value in self.values().items() if stored.get(key) != value}

    def _on_loaded(self, values: dict[str, object]) -> None:
        self._stored = dict(values)
        self.show_values(values)

    def _on_saved(self, changed: dict[str, object]) -> None:
        if self._stored is not None:
            self._stored.update(changed)
        self.errors.clear()
        self.saved.emit()

    def _show_error(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        if unplaced or not fields:
            self.banner.show_message(error.message, kind="error")
        self.failed.emit(error.message)
