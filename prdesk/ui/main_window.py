"""The main window: composes the screens and wires their signals, nothing more."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QToolBar, QWidget

from prdesk.domain.permissions import Action
from prdesk.ui.about import show_about
from prdesk.ui.actions import Actions
from prdesk.ui.case_list import CaseListWidget
from prdesk.ui.case_tabs import CaseTabs
from prdesk.ui.context import AppContext
from prdesk.ui.new_case_dialog import NewCaseDialog
from prdesk.ui.settings import ui_settings
from prdesk.ui.status_bar import StatusBar
from prdesk.ui.style import STYLESHEET

_GEOMETRY = "main_window/geometry"


class MainWindow(QMainWindow):
    """The case list tab, a tab per open case, the menus, the toolbar and the status bar."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("PR Desk")
        self.setStyleSheet(STYLESHEET)
        self.commands = Actions(self)
        self.case_list = CaseListWidget(ctx)
        self.tabs = CaseTabs(ctx, self.case_list)
        self.setCentralWidget(self.tabs)
        self.setStatusBar(StatusBar(ctx))
        self.commands.fill_menus(self.menuBar())
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.commands.fill_toolbar(toolbar)
        self.addToolBar(toolbar)
        self.commands["new_case"].setEnabled(ctx.may(Action.OPEN_CASE))
        self._connect_signals()
        self._restore_state()

    def _connect_signals(self) -> None:
        actions = self.commands
        # File
        actions["new_case"].triggered.connect(self.new_case)
        actions["close_tab"].triggered.connect(self.tabs.close_current)
        actions["quit"].triggered.connect(self.close)
        # View
        actions["refresh"].triggered.connect(self.tabs.refresh_all)
        actions["find"].triggered.connect(self.tabs.show_list)
        actions["find"].triggered.connect(self.case_list.focus_search)
        # Help
        actions["about"].triggered.connect(lambda: show_about(self, self.ctx))
        # Screens
        self.case_list.case_activated.connect(self.tabs.open_case)
        self.ctx.hub.changed.connect(self.case_list.on_changed)

    def new_case(self) -> NewCaseDialog:
        dialog = NewCaseDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.tabs.open_new_case)
        dialog.open()
        return dialog

    def _restore_state(self) -> None:
        settings = ui_settings()
        geometry = settings.value(_GEOMETRY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(1280, 800)
        self.case_list.restore_state(settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.tabs.may_close_all():
            event.ignore()
            return
        settings = ui_settings()
        settings.setValue(_GEOMETRY, self.saveGeometry())
        self.case_list.save_state(settings)
        super().closeEvent(event)
