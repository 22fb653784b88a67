"""The tabs of the main window: the dashboard and the case list for good, then one tab per open case."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTabBar, QTabWidget, QWidget

from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail
from prdesk.ui.case_view import CaseView
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.dashboard_view import DashboardView
from prdesk.ui.error_reports import show_message
from prdesk.ui.questions import ask_discard


class CaseTabs(QTabWidget):
    """Opens each case once: asking for an open case again brings its tab forward.

    Attributes:
        dashboard: the department's figures, first, for those who may see reports
            (None for the others); the case list stays in front when the window opens.
    """

    def __init__(self, ctx: AppContext, case_list: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.setMovable(True)
        self.dashboard: DashboardView | None = None
        if ctx.may(Action.VIEW_REPORTS):
            self.dashboard = DashboardView(ctx)
            self.addTab(self.dashboard, "Dashboard")
        self.addTab(case_list, "Cases")
        # These tabs are permanent: no close button (on either side, for macOS).
        for index in range(self.count()):
            for side in (QTabBar.ButtonPosition.LeftSide, QTabBar.ButtonPosition.RightSide):
                self.tabBar().setTabButton(index, side, None)
        self._list = case_list
        self.setCurrentWidget(case_list)
        self.tabCloseRequested.connect(self.close_tab)

    def case_views(self) -> list[CaseView]:
        return [w for i in range(self.count()) if isinstance(w := self.widget(i), CaseView)]

    def view_of(self, case_id: int) -> CaseView | None:
        return next((view for view in self.case_views() if view.case_id == case_id), None)

    def open_case(self, case_id: int, detail: CaseDetail | None = None) -> CaseView:
        view = self.view_of(case_id)
        if view is None:
            view = CaseView(self._ctx, case_id, detail)
            self.addTab(view, detail.number if detail else "Opening…")
            view.title_changed.connect(lambda title, v=view: self._set_title(v, title))
            view.unavailable.connect(lambda message, v=view: self._on_unavailable(v, message))
            self._ctx.hub.changed.connect(view.on_changed)
        self.setCurrentWidget(view)
        return view

    def open_new_case(self, detail: CaseDetail) -> None:
        self.open_case(detail.id, detail)

    def _set_title(self, view: CaseView, title: str) -> None:
        index = self.indexOf(view)
        if index >= 0:
            self.setTabText(index, title)
            if view.detail is not None:
                self.setTabToolTip(index, f"{title}: {view.detail.kind.label}")

    def _on_unavailable(self, view: CaseView, message: str) -> None:
        # The case is gone (or hidden from this user): nothing typed in it can be saved.
        self._remove(view)
        show_message(self, message, icon=QMessageBox.Icon.Information)

    def close_tab(self, index: int) -> None:
        view = self.widget(index)
        if isinstance(view, CaseView) and self._may_discard([view]):
            self._remove(view)

    def _remove(self, view: CaseView) -> None:
        index = self.indexOf(view)
        if index >= 0:
            self.removeTab(index)
            view.deleteLater()

    def may_close_all(self) -> bool:
        """Whether the window may close: True unless typed text would be lost and the user
        chose to keep it."""
        return self._may_discard(self.case_views())

    def _may_discard(self, views: list[CaseView]) -> bool:
        unsaved = [view for view in views if view.has_unsaved_input()]
        if not unsaved:
            return True
        # Show the text in question before asking about it.
        self.setCurrentWidget(unsaved[0])
        return self.confirm_discard()

    def confirm_discard(self) -> bool:
        """Asks before throwing away a typed timeline step; tests replace this."""
        return ask_discard(
            self,
            "Discard the unsaved timeline entry?",
            "What you typed under “Add to timeline” has not been added to the case. Discard it?",
        )

    def close_current(self) -> None:
        self.close_tab(self.currentIndex())

    def show_list(self) -> None:
        self.setCurrentWidget(self._list)

    def show_dashboard(self) -> None:
        if self.dashboard is not None:
            self.setCurrentWidget(self.dashboard)
            self.dashboard.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def refresh_all(self) -> None:
        self._ctx.hub.announce(Change.everything())
