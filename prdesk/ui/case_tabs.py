"""The tabs of the main window: the dashboard and the case list for good, then one tab per open case."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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

    Signals:
        reopened: how many of the cases asked for in `reopen` could not be opened
            (deleted since, or no longer visible to this person), once all were tried.
    """

    reopened = Signal(int)

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
        # Cases still to open again at start, one at a time, and the one to bring forward.
        self._to_reopen: list[int] = []
        self._reopening: int | None = None
        self._front: int | None = None
        self._missing = 0

    def case_views(self) -> list[CaseView]:
        return [w for i in range(self.count()) if isinstance(w := self.widget(i), CaseView)]

    def view_of(self, case_id: int) -> CaseView | None:
        return next((view for view in self.case_views() if view.case_id == case_id), None)

    def open_case(
        self, case_id: int, detail: CaseDetail | None = None, *, forward: bool = True
    ) -> CaseView:
        """The case's tab, opened if need be; `forward` brings it in front."""
        view = self.view_of(case_id)
        if view is None:
            view = CaseView(self._ctx, case_id, detail)
            self.addTab(view, detail.number if detail else "Opening…")
            self._join_tab_order(view)
            view.title_changed.connect(lambda title, v=view: self._set_title(v, title))
            view.unavailable.connect(lambda message, v=view: self._on_unavailable(v, message))
            view.load_settled.connect(lambda v=view: self._on_settled(v))
            # Its controls made as it loaded join the order last too.
            view.load_settled.connect(lambda v=view: self._join_tab_order(v))
            self._ctx.hub.changed.connect(view.on_changed)
        if forward:
            self.setCurrentWidget(view)
        return view

    def _join_tab_order(self, view: QWidget) -> None:
        """Tab reaches a tab's controls after those of the tabs before it, before the status
        bar's: a widget added to a window on screen otherwise comes last in its order, and
        moving a widget in the order leaves its children where they were."""
        window = self.window()
        chain: list[QWidget] = []
        widget = window.nextInFocusChain()
        while widget is not None and widget is not window:
            # Qt moves only widgets that take focus, and orders after them only.
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                chain.append(widget)
            widget = widget.nextInFocusChain()
        earlier: list[QWidget] = [self.tabBar()]
        earlier += [page for i in range(self.indexOf(view)) if (page := self.widget(i)) is not None]
        previous = next(
            (w for w in reversed(chain) if any(w is e or e.isAncestorOf(w) for e in earlier)),
            None,
        )
        if previous is None:
            return
        for widget in [widget for widget in chain if view.isAncestorOf(widget)]:
            QWidget.setTabOrder(previous, widget)
            previous = widget

    def open_ids(self) -> list[int]:
        """The cases open in tabs, in tab order."""
        return [view.case_id for view in self.case_views()]

    def front_id(self) -> int | None:
        """The case in front, or None when the list or the dashboard is."""
        view = self.currentWidget()
        return view.case_id if isinstance(view, CaseView) else None

    def reopen(self, case_ids: list[int], front: int | None) -> None:
        """Opens these cases again, in this order, each once the one before has loaded;
        `front` comes in front as soon as its tab is there (unless the person has moved on)."""
        self._to_reopen = [case_id for case_id in case_ids if self.view_of(case_id) is None]
        self._front = front
        self._missing = 0
        self._reopen_next()

    def _reopen_next(self) -> None:
        if not self._to_reopen:
            self._reopening = None
            self.reopened.emit(self._missing)
            return
        case_id = self._to_reopen.pop(0)
        self._reopening = case_id
        in_front = case_id == self._front and self.currentWidget() is self._list
        self.open_case(case_id, forward=in_front)

    def _on_settled(self, view: CaseView) -> None:
        if self._reopening is not None and view.case_id == self._reopening:
            self._reopen_next()

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
        if view.case_id == self._reopening:
            # Opened again only because it was open last time: no need for a message box.
            self._missing += 1
            return
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
