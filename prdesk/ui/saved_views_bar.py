"""Choosing a saved view of the case list, and saving, renaming or deleting one's own views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QToolButton,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError
from prdesk.domain.queries import CaseFilter
from prdesk.domain.services import saved_views
from prdesk.domain.services.saved_views import SavedViewInfo
from prdesk.ui.context import AppContext


class SavedViewsBar(QWidget):
    """ "View: [My open cases ▾] [Views ▾]". The combo says "Custom filter" when no view matches.

    Signals:
        view_chosen: the CaseFilter of the view the user picked.
        problem: a message to show when saving, renaming or deleting did not work.
    """

    view_chosen = Signal(object)
    problem = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._views: list[SavedViewInfo] = list(saved_views.BUILT_IN_VIEWS)
        self._criteria = CaseFilter()
        self._wanted_key: str | None = None
        self.combo = QComboBox()
        self.combo.setAccessibleName("Saved view")
        self.combo.setPlaceholderText("Custom filter")
        self.combo.setMinimumContentsLength(22)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        label = QLabel("Vie&w")
        label.setBuddy(self.combo)
        self.manage = QToolButton()
        self.manage.setText("Views")
        self.manage.setAccessibleName("Manage saved views")
        self.manage.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.manage)
        self.save_action = menu.addAction("&Save the current filters as a view…")
        self.rename_action = menu.addAction("&Rename this view…")
        self.delete_action = menu.addAction("&Delete this view")
        self.manage.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.manage)
        self.combo.activated.connect(self._on_activated)
        self.save_action.triggered.connect(self._ask_save)
        self.rename_action.triggered.connect(self._ask_rename)
        self.delete_action.triggered.connect(self._ask_delete)
        self._fill()

    # -- what the list tells it

    def load(self) -> None:
        actor = self._ctx.actor
        (
            self._ctx.operation(self, lambda s: saved_views.views(s, actor), read_only=True)
            .success(self.set_views)
            .failure(lambda error: self.problem.emit(error.message))
            .run()
        )

    def set_views(self, views: list[SavedViewInfo]) -> None:
        self._views = views
        self._fill()

    def show_filter(self, criteria: CaseFilter) -> None:
        """Selects the view these criteria are, or none ("Custom filter")."""
        self._criteria = replace(criteria, search="")
        self._select_matching()

    def views(self) -> list[SavedViewInfo]:
        return list(self._views)

    def current_view(self) -> SavedViewInfo | None:
        key = self.combo.currentData()
        return next((view for view in self._views if view.key == key), None)

    def choose(self, name: str) -> None:
        """Shows the view with this name, as picking it in the combo does."""
        index = self.combo.findText(name)
        if index < 0:
            raise KeyError(name)
        self.combo.setCurrentIndex(index)
        self._on_activated(index)

    # -- the user's own views

    def save_as(self, name: str) -> None:
        criteria = self._criteria
        actor = self._ctx.actor
        self._write(lambda s: saved_views.save_view(s, actor, name, criteria).key)

    def rename(self, name: str) -> None:
        view = self.current_view()
        if view is None or view.view_id is None or view.version is None:
            return
        view_id, version, actor = view.view_id, view.version, self._ctx.actor
        self._write(lambda s: saved_views.rename_view(s, actor, view_id, version, name).key)

    def delete(self) -> None:
        view = self.current_view()
        if view is None or view.view_id is None or view.version is None:
            return
        view_id, version, actor = view.view_id, view.version, self._ctx.actor

        def work(session: Session) -> None:
            saved_views.delete_view(session, actor, view_id, version)

        self._write(work)

    def _write(self, work: Callable[[Session], str | None]) -> None:
        """Runs the change, then lists the views again with `work`'s view (if any) chosen."""

        def done(key: str | None) -> None:
            self._wanted_key = key
            self.load()

        (self._ctx.operation(self, work).success(done).failure(self._on_failed).run())

    def _on_failed(self, error: DomainError) -> None:
        self.problem.emit(error.message)
        self.load()  # a view renamed or deleted elsewhere: show the list as it is now

    # -- internals

    def _fill(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        own_started = False
        for view in self._views:
            if not view.built_in and not own_started:
                self.combo.insertSeparator(self.combo.count())
                own_started = True
            self.combo.addItem(view.name, view.key)
        self.combo.blockSignals(False)
        if self._wanted_key is not None:
            chosen = next((v for v in self._views if v.key == self._wanted_key), None)
            self._wanted_key = None
            if chosen is not None:
                self.combo.setCurrentIndex(self.combo.findData(chosen.key))
                self.view_chosen.emit(chosen.criteria)
                self._update_actions()
                return
        self._select_matching()

    def _select_matching(self) -> None:
        current = self.current_view()
        if current is not None and current.criteria == self._criteria:
            self._update_actions()
            return
        match = next((view for view in self._views if view.criteria == self._criteria), None)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(self.combo.findData(match.key) if match else -1)
        self.combo.blockSignals(False)
        self._update_actions()

    def _update_actions(self) -> None:
        view = self.current_view()
        own = view is not None and not view.built_in
        self.rename_action.setEnabled(own)
        self.delete_action.setEnabled(own)
        self.save_action.setEnabled(view is None)

    def _on_activated(self, index: int) -> None:
        key = self.combo.itemData(index)
        view = next((v for v in self._views if v.key == key), None)
        if view is not None:
            self._criteria = view.criteria
            self._update_actions()
            self.view_chosen.emit(view.criteria)

    def _ask_save(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Save view", "Name of the new view:", QLineEdit.EchoMode.Normal
        )
        if ok:
            self.save_as(name)

    def _ask_rename(self) -> None:
        view = self.current_view()
        if view is None:
            return
        name, ok = QInputDialog.getText(
            self, "Rename view", "New name of the view:", QLineEdit.EchoMode.Normal, view.name
        )
        if ok:
            self.rename(name)

    def _ask_delete(self) -> None:
        view = self.current_view()
        if view is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete view",
            f"Delete the view “{view.name}”? The cases in it are not affected.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete()
