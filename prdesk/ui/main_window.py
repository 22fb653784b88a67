"""The main window: composes the screens and wires their signals, nothing more."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMenu,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from prdesk.config import is_practice_url
from prdesk.domain.permissions import Action
from prdesk.domain.queries import CaseFilter
from prdesk.domain.services.notifications import NotificationInfo
from prdesk.ui.actions import Actions
from prdesk.ui.case_list import CaseListWidget
from prdesk.ui.case_tabs import CaseTabs
from prdesk.ui.case_view import CaseView
from prdesk.ui.change_listener import ChangeListener
from prdesk.ui.changes import Change
from prdesk.ui.connection_monitor import ConnectionMonitor
from prdesk.ui.context import AppContext
from prdesk.ui.email_drop import EmailDrop
from prdesk.ui.error_reports import show_message
from prdesk.ui.idle_lock import install_idle_lock
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.menu_dialogs import connect_menu_dialogs
from prdesk.ui.new_case_dialog import NewCaseDialog
from prdesk.ui.notification_watcher import NotificationWatcher
from prdesk.ui.open_cases import save_open_cases, saved_open_cases
from prdesk.ui.practice_bar import PRACTICE_TITLE, PracticeBar, practice_action_text
from prdesk.ui.presence_banner import PresenceTracker
from prdesk.ui.print_queue import PrintQueue
from prdesk.ui.safety_banner import SafetyBanner
from prdesk.ui.settings import REOPEN_CASES, ui_settings
from prdesk.ui.status_bar import StatusBar
from prdesk.ui.waiting_on_departments import WaitingOnDepartments
from prdesk.ui.workload_view import WorkloadView

if TYPE_CHECKING:
    from prdesk.ui.reports_window import ReportsWindow

_GEOMETRY = "main_window/geometry"
_STATE = "main_window/state"


class MainWindow(QMainWindow):
    """The case list tab, a tab per open case, the menus, the toolbar and the status bar.

    Someone who may not see cases (a clerk) gets the print queue in their place.
    On the practice database a bar across the top and the title say so, all the time.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("PR Desk")
        self.commands = Actions(self)
        self.safety_banner = SafetyBanner()
        self.connection_banner = InfoBar()
        self.connection = ConnectionMonitor(ctx, self.connection_banner, self)
        # Other workstations' changes, heard within a second or two.
        self.listener = ChangeListener(ctx.db, ctx.hub, self)
        self.print_queue = PrintQueue(ctx)
        self.print_queue_dock: QDockWidget | None = None
        self.reports_window: ReportsWindow | None = None
        self.case_list: CaseListWidget | None = None
        self.tabs: CaseTabs | None = None
        self._close_confirmed = False
        self.practice_bar = PracticeBar() if is_practice_url(ctx.db.url) else None
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        if self.practice_bar is not None:
            column.addWidget(self.practice_bar)
        column.addWidget(self.safety_banner)
        column.addWidget(self.connection_banner)
        if ctx.may(Action.VIEW_CASE):
            self.case_list = CaseListWidget(ctx)
            self.tabs = CaseTabs(ctx, self.case_list)
            column.addWidget(self.tabs, 1)
            self.print_queue_dock = QDockWidget("Print queue", self)
            self.print_queue_dock.setObjectName("printQueueDock")
            self.print_queue_dock.setWidget(self.print_queue)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.print_queue_dock)
            self.print_queue_dock.hide()
        else:
            # Minimum necessary: printing and posting needs no case list.
            column.addWidget(self.print_queue, 1)
        self.setCentralWidget(central)
        self.status = StatusBar(ctx)
        self.setStatusBar(self.status)
        self.workload = WorkloadView(ctx)
        self.workload_dock = QDockWidget("Workload", self)
        self.workload_dock.setObjectName("workloadDock")
        self.workload_dock.setWidget(self.workload)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.workload_dock)
        self.workload_dock.hide()
        self.waiting = WaitingOnDepartments(ctx)
        self.waiting_dock = QDockWidget("Waiting on departments", self)
        self.waiting_dock.setObjectName("waitingDock")
        self.waiting_dock.setWidget(self.waiting)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.waiting_dock)
        self.waiting_dock.hide()
        self.notifications = NotificationWatcher(ctx, self)
        self.email_drop = EmailDrop(self)
        self.commands.fill_menus(self.menuBar())
        self.undo_group = QUndoGroup(self)
        self._add_edit_menu()
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.commands.fill_toolbar(toolbar)
        self.addToolBar(toolbar)
        self._enable_commands()
        self._connect_signals()
        self._show_practice_mode()
        self._restore_state()
        # Automatic logoff (HIPAA): every window covered after the organisation's idle time.
        self.idle_lock = install_idle_lock(
            self, ctx, self.commands["lock"], self.commands["idle_lock"]
        )
        self.notifications.start()
        self.listener.start()

    def _enable_commands(self) -> None:
        self.commands.allow(self.ctx.may)
        if self.tabs is None or self.tabs.dashboard is None:
            self.commands["dashboard"].setVisible(False)

    def _connect_signals(self) -> None:
        actions = self.commands
        # File
        actions["new_case"].triggered.connect(self.new_case)
        actions["quit"].triggered.connect(self.close)
        # View
        actions["refresh"].triggered.connect(self.refresh_all)
        actions["find"].triggered.connect(self.search_in_front)
        actions["dashboard"].triggered.connect(self.show_dashboard)
        actions["reports"].triggered.connect(self.show_reports)
        actions["workload"].triggered.connect(self.show_workload)
        actions["waiting_on_departments"].triggered.connect(self.show_waiting_on_departments)
        actions["print_queue"].triggered.connect(self.show_print_queue)
        actions["audit_trail"].triggered.connect(self.show_audit_trail)
        actions["case_audit_trail"].triggered.connect(self.show_case_audit_trail)
        actions["practice"].triggered.connect(self.switch_practice)
        if self.practice_bar is not None:
            self.practice_bar.return_requested.connect(self.switch_practice)
        # Settings, Administration and Help: each opens a screen of its own
        connect_menu_dialogs(actions, self, self.ctx)
        # Emails dropped on the window
        self.email_drop.dropped.connect(self.new_case_from_email)
        self.email_drop.failed.connect(self._show_problem)
        # Letters waiting to be printed and posted
        self.ctx.hub.changed.connect(self.print_queue.on_changed)
        if self.tabs is not None and self.case_list is not None:
            self._connect_case_screens(self.tabs, self.case_list)
        # Notifications
        watcher, bell, banner = self.notifications, self.status.notifications, self.safety_banner
        self.ctx.hub.changed.connect(watcher.on_changed)
        watcher.updated.connect(bell.show_unread)
        watcher.updated.connect(banner.on_unread)
        watcher.arrived.connect(banner.announce)
        banner.open_requested.connect(self.open_notification)
        banner.read_requested.connect(watcher.mark_one_read)
        bell.open_requested.connect(self._open_notification_by_id)
        bell.mark_all_read_requested.connect(watcher.mark_read)
        actions["notifications"].triggered.connect(bell.showMenu)
        # Other workstations, and the connection to the database
        self.listener.notifications_changed.connect(watcher.poll)
        self.listener.presence_changed.connect(PresenceTracker.of(self.ctx).on_presence_changed)
        self.listener.lost.connect(self.connection.report)
        self.connection.reconnected.connect(self.listener.retry_now)
        self.connection.state_changed.connect(self.status.show_connection)
        actions["refresh"].triggered.connect(self.connection.retry_now)

    def _connect_case_screens(self, tabs: CaseTabs, case_list: CaseListWidget) -> None:
        self.commands["close_tab"].triggered.connect(tabs.close_current)
        tabs.reopened.connect(self._on_reopened)
        case_list.case_activated.connect(tabs.open_case)
        tabs.currentChanged.connect(self._on_tab_changed)
        self.ctx.hub.changed.connect(case_list.on_changed)
        # The department's figures and charts, each a click away from its cases
        if tabs.dashboard is not None:
            self.ctx.hub.changed.connect(tabs.dashboard.on_changed)
            tabs.dashboard.filter_requested.connect(self.show_cases)
            tabs.dashboard.report_requested.connect(self.show_dashboard_report)
        # Deadline figures, each a click away from its cases
        self.ctx.hub.changed.connect(self.workload.on_changed)
        self.workload.filter_requested.connect(self.show_cases)
        # Statements owed by departments, each a click away from its case
        self.ctx.hub.changed.connect(self.waiting.on_changed)
        self.waiting.open_case.connect(tabs.open_case)
        if self.status.deadlines is not None:
            self.ctx.hub.changed.connect(self.status.deadlines.on_changed)
            self.status.deadlines.filter_requested.connect(self.show_cases)

    def _add_edit_menu(self) -> None:
        """Undo and redo act on the timeline of the case in front (one history per case)."""
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        menu = QMenu("&Edit", self)
        menu.addAction(undo)
        menu.addAction(redo)
        view_menu = next(a for a in self.menuBar().actions() if a.text() == "&View")
        self.menuBar().insertMenu(view_menu, menu)
        self.edit_menu = menu

    def _on_tab_changed(self, index: int) -> None:
        view = self.tabs.widget(index) if self.tabs is not None else None
        stack = view.undo.stack if isinstance(view, CaseView) else None
        if stack is not None and stack not in self.undo_group.stacks():
            self.undo_group.addStack(stack)
        # None (the case list in front) leaves nothing to undo; the stubs do not say so.
        self.undo_group.setActiveStack(stack)  # type: ignore[arg-type]

    def switch_practice(self) -> None:
        """Between the practice database's made-up cases and the real ones."""
        from prdesk.ui.practice import switch_practice

        switch_practice(self)

    def _show_practice_mode(self) -> None:
        self.commands["practice"].setText(practice_action_text(self.practice_bar is not None))
        if self.practice_bar is not None:
            # Imported here: it brings the made-up case generator, needed only in practice.
            from prdesk.ui.practice import fill_practice

            self.setWindowTitle(PRACTICE_TITLE)
            fill_practice(self.ctx, self.practice_bar)

    def new_case(self) -> NewCaseDialog:
        dialog = NewCaseDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.tabs is not None:
            dialog.saved.connect(self.tabs.open_new_case)
            dialog.contact_added.connect(self.tabs.open_new_case)
        dialog.open()
        return dialog

    def refresh_all(self) -> None:
        self.ctx.hub.announce(Change.everything())

    def show_print_queue(self) -> None:
        if self.print_queue_dock is not None:
            self.print_queue_dock.show()
            self.print_queue_dock.raise_()
        self.print_queue.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_audit_trail(self) -> QWidget:
        """The audit trail across cases, in a window of its own."""
        from prdesk.ui.audit_log_view import open_audit_trail

        return open_audit_trail(self.ctx, self)

    def show_case_audit_trail(self) -> QWidget:
        """The audit trail of the case in front; the whole trail when no case is in front."""
        from prdesk.ui.audit_log_view import open_audit_trail

        view = self.tabs.currentWidget() if self.tabs is not None else None
        if not isinstance(view, CaseView):
            return self.show_audit_trail()
        number = str(getattr(getattr(view, "detail", None), "number", ""))
        return open_audit_trail(self.ctx, self, (view.case_id, number))

    def show_dashboard(self) -> None:
        if self.tabs is not None:
            self.tabs.show_dashboard()

    def show_dashboard_report(self) -> ReportsWindow:
        """The dashboard's figures in the reports window, to print or save."""
        window = self.show_reports()
        window.choose("dashboard")
        window.show_report()
        return window

    def show_reports(self) -> ReportsWindow:
        """The reports window; its figures and bars list their cases here."""
        from prdesk.ui.reports_window import open_reports

        window = open_reports(self.ctx, self)
        if window is not self.reports_window:  # the one already open is wired already
            window.filter_requested.connect(self.show_cases)
            self.reports_window = window
        return window

    def show_workload(self) -> None:
        self.workload_dock.show()
        self.workload_dock.raise_()
        self.workload.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def search_in_front(self) -> None:
        """Ctrl+F searches what is in front: an open case's timeline, else the case list."""
        if self.tabs is None or self.case_list is None:
            return
        view = self.tabs.currentWidget()
        if isinstance(view, CaseView):
            view.work.setCurrentWidget(view.timeline)
            view.timeline.filter_bar.focus_search()
        else:
            self.tabs.show_list()
            self.case_list.focus_search()

    def show_waiting_on_departments(self) -> None:
        self.waiting_dock.show()
        self.waiting_dock.raise_()
        self.waiting.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_cases(self, case_filter: CaseFilter) -> None:
        """The case list showing exactly these cases, whatever was searched for before."""
        if self.tabs is None or self.case_list is None:
            return
        self.tabs.show_list()
        self.case_list.search.clear()
        self.case_list.set_criteria(case_filter)

    def new_case_from_email(self, data: bytes, file_name: str = "") -> NewCaseDialog:
        """A new case filled from a dropped .eml file (or its error shown in the dialog)."""
        dialog = self.new_case()
        dialog.fill_from_eml(data, file_name)
        return dialog

    def _show_problem(self, message: str) -> None:
        show_message(self, message)

    def open_notification(self, note: NotificationInfo) -> None:
        """Opens the notification's case and marks it read: it has been seen."""
        if note.case_id is not None and self.tabs is not None:
            self.tabs.open_case(note.case_id)
        self.notifications.mark_read([note.id])

    def _open_notification_by_id(self, notification_id: int) -> None:
        for note in self.notifications.unread.newest:
            if note.id == notification_id:
                self.open_notification(note)

    def _restore_state(self) -> None:
        """The layout as it was left; anything unusable in the settings file is ignored."""
        settings = ui_settings()
        geometry = settings.value(_GEOMETRY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(1280, 800)
        state = settings.value(_STATE)
        if isinstance(state, QByteArray):
            self.restoreState(state)  # the workload dock, where it was left
        if self.case_list is not None:
            self.case_list.restore_state(settings)
        if self.tabs is not None and REOPEN_CASES.get(settings):
            case_ids, front = saved_open_cases(settings, self.ctx.db)
            if case_ids:
                # After the list's first page, which was asked for first.
                self.tabs.reopen(case_ids, front)

    def _on_reopened(self, missing: int) -> None:
        if missing:
            text = (
                "1 case you had open is no longer available."
                if missing == 1
                else f"{missing} cases you had open are no longer available."
            )
            self.status.showMessage(text, 15_000)

    def save_layout(self) -> None:
        """Geometry, docks, the list's columns and filter, and the cases open in tabs."""
        settings = ui_settings()
        settings.setValue(_GEOMETRY, self.saveGeometry())
        settings.setValue(_STATE, self.saveState())
        if self.case_list is not None:
            self.case_list.save_state(settings)
        if self.tabs is not None:
            save_open_cases(settings, self.ctx.db, self.tabs.open_ids(), self.tabs.front_id())
        settings.sync()

    def close_confirmed(self) -> bool:
        """Closes without asking again about unsaved typing: the person was just asked."""
        self._close_confirmed = True
        return self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._close_confirmed and self.tabs is not None and not self.tabs.may_close_all():
            event.ignore()
            return
        self.save_layout()
        self.listener.stop()
        PresenceTracker.of(self.ctx).leave_all()
        super().closeEvent(event)
