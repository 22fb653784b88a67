"""File ▸ Settings…: every settings page of the catalogue, grouped by where its settings are kept."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.permissions import Action
from prdesk.ui.context import AppContext
from prdesk.ui.settings import ui_settings
from prdesk.ui.settings_page import Scope, SettingsPage
from prdesk.ui.settings_pages import PAGES

_GEOMETRY = "settings_dialog/geometry"
# The list's groups, nearest first: what touches only this computer, then only
# the person, then everyone.
_SCOPE_ORDER = (Scope.WORKSTATION, Scope.PERSONAL, Scope.ORGANISATION)
READ_ONLY_NOTE = "Only an administrator can change these."
_PAGE_ROLE = Qt.ItemDataRole.UserRole

_current: SettingsDialog | None = None


def open_settings(ctx: AppContext, parent: QWidget | None, page: str | None = None) -> QDialog:
    """Shows the Settings dialog, at `page` (a page's module name, "intake") if given.

    There is only ever one: asked again, the open one comes to the front.
    """
    global _current
    dialog = _current
    if dialog is None or not shiboken6.isValid(dialog) or not dialog.isVisible():
        dialog = _current = SettingsDialog(ctx, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
    else:
        dialog.raise_()
        dialog.activateWindow()
    if page is not None:
        dialog.show_page(page)
    return dialog


class SettingsDialog(QDialog):
    """The list of pages on the left, the chosen page on the right, OK / Apply / Cancel.

    Only modified pages are saved; a page that fails keeps the dialog open on it,
    with its message, and nothing typed on any page is lost.

    Attributes:
        pages: the pages shown, in the list's order.
        page_list: the list of pages, under their group headings.
        stack: the page panels (title, summary, page).
        buttons: OK, Apply and Cancel.
        question: the "save changes?" box while it is asked, else None.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Settings — PR Desk")
        self.page_list = QListWidget()
        self.page_list.setAccessibleName("Settings pages")
        self.page_list.setMinimumWidth(200)
        self.page_list.setMaximumWidth(260)
        self.stack = QStackedWidget()
        self.pages: list[SettingsPage] = []
        self._panels: dict[int, int] = {}  # list row -> stack index
        self._saving: set[SettingsPage] = set()
        self._failed: list[SettingsPage] = []
        self._close_after_saving = False
        self._closing = False
        self.question: QMessageBox | None = None
        self._fill()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.page_list)
        row.addWidget(self.stack, 1)
        layout.addLayout(row, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.apply)
        self.page_list.currentRowChanged.connect(self._on_row_changed)
        self._add_page_shortcuts()
        QWidget.setTabOrder(self.page_list, self.stack)
        self.page_list.setCurrentRow(self._first_page_row())
        # Wide enough that no page needs scrolling sideways.
        widest = max((page.minimumSizeHint().width() for page in self.pages), default=0)
        self.resize(max(980, self.page_list.maximumWidth() + widest + 60), 640)
        geometry = ui_settings().value(_GEOMETRY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for page in self.pages:
            page.load()

    @property
    def apply_button(self) -> QAbstractButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Apply)

    @property
    def ok_button(self) -> QAbstractButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _fill(self) -> None:
        classes = [page for page in PAGES if page.applies_to(self.ctx)]
        for scope in _SCOPE_ORDER:
            in_scope = [page for page in classes if page.scope is scope]
            if not in_scope:
                continue
            heading = QListWidgetItem(scope.value)
            heading.setFlags(Qt.ItemFlag.NoItemFlags)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            self.page_list.addItem(heading)
            for page_class in in_scope:
                page = page_class(self.ctx)
                self.pages.append(page)
                item = QListWidgetItem(f"    {page.title}")  # indented under its heading
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{page.title} ({scope.value})")
                item.setData(_PAGE_ROLE, len(self.pages) - 1)
                item.setToolTip(page.summary)
                self.page_list.addItem(item)
                self._panels[self.page_list.count() - 1] = self.stack.addWidget(self._panel(page))
                page.saved.connect(lambda page=page: self._on_page_saved(page))
                page.failed.connect(lambda _message, page=page: self._on_page_failed(page))

    def _panel(self, page: SettingsPage) -> QWidget:
        """The page under its title and summary, scrolling when taller than the dialog."""
        title = QLabel(page.title)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        summary = QLabel(page.summary)
        summary.setWordWrap(True)
        for own in page.findChildren(QLabel):
            # Pages shown alone (in the first-run assistant) may carry their own summary.
            if own.text() in (page.title, page.summary):
                own.hide()
        panel = QWidget()
        panel.setAccessibleName(page.title)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(summary)
        if not self.may_change(page):
            note = QLabel(READ_ONLY_NOTE)
            note.setObjectName("readOnlyNote")
            note.setProperty("role", "hint")
            layout.addWidget(note)
            # Children the page enables later stay disabled with it.
            page.setEnabled(False)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(page)
        layout.addWidget(scroll, 1)
        return panel

    def may_change(self, page: SettingsPage) -> bool:
        """Organisation pages are an administrator's; the rest are whoever's here."""
        return page.scope is not Scope.ORGANISATION or self.ctx.may(Action.MANAGE_ORGANISATION)

    def _add_page_shortcuts(self) -> None:
        for keys, step in (
            ("Ctrl+Tab", 1),
            ("Ctrl+PgDown", 1),
            ("Ctrl+Shift+Tab", -1),
            ("Ctrl+Backtab", -1),
            ("Ctrl+PgUp", -1),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda step=step: self.step_page(step))

    def _page_rows(self) -> list[int]:
        return sorted(self._panels)

    def _first_page_row(self) -> int:
        rows = self._page_rows()
        return rows[0] if rows else -1

    def current_page(self) -> SettingsPage | None:
        item = self.page_list.currentItem()
        index = item.data(_PAGE_ROLE) if item is not None else None
        return self.pages[index] if isinstance(index, int) else None

    def step_page(self, step: int) -> None:
        """The next (1) or previous (-1) page, round from the last to the first."""
        rows = self._page_rows()
        if not rows:
            return
        current = self.page_list.currentRow()
        at = rows.index(current) if current in rows else 0
        self.page_list.setCurrentRow(rows[(at + step) % len(rows)])

    def show_page(self, name: str) -> None:
        """By the page's module name ("intake"), class name or title."""
        for row in self._page_rows():
            page = self.pages[self.page_list.item(row).data(_PAGE_ROLE)]
            cls = type(page)
            if name in (cls.__module__.rpartition(".")[2], cls.__name__, cls.title):
                self.page_list.setCurrentRow(row)
                return
        raise KeyError(name)

    def _on_row_changed(self, row: int) -> None:
        if row in self._panels:
            self.stack.setCurrentIndex(self._panels[row])

    def modified_pages(self) -> list[SettingsPage]:
        return [page for page in self.pages if self.may_change(page) and page.is_modified()]

    def apply(self) -> None:
        self._save(close_after=False)

    def accept(self) -> None:
        self._save(close_after=True)

    def _save(self, *, close_after: bool) -> None:
        if self._saving:
            return
        pending = self.modified_pages()
        if not pending:
            if close_after:
                self._close(QDialog.DialogCode.Accepted)
            return
        self._close_after_saving = close_after
        self._failed = []
        # All of them before any is asked: a page may report back at once.
        self._saving = set(pending)
        self._set_busy(True)
        for page in pending:
            page.save()

    def _on_page_saved(self, page: SettingsPage) -> None:
        self._saving.discard(page)
        self._after_page()

    def _on_page_failed(self, page: SettingsPage) -> None:
        if page in self._saving:
            self._saving.discard(page)
            self._failed.append(page)
            self._after_page()

    def _after_page(self) -> None:
        if self._saving:
            return
        self._set_busy(False)
        if self._failed:
            first = min(self._failed, key=self.pages.index)
            self._failed = []
            self._select(first)
        elif self._close_after_saving:
            self._close(QDialog.DialogCode.Accepted)

    def _select(self, page: SettingsPage) -> None:
        index = self.pages.index(page)
        for row in self._page_rows():
            if self.page_list.item(row).data(_PAGE_ROLE) == index:
                self.page_list.setCurrentRow(row)
                return

    def _set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        self.apply_button.setEnabled(not busy)

    def reject(self) -> None:
        if self.modified_pages():
            self._ask_about_changes()
        else:
            self._close(QDialog.DialogCode.Rejected)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing or not self.modified_pages():
            self._remember_size()
            super().closeEvent(event)
            return
        event.ignore()
        self._ask_about_changes()

    def _ask_about_changes(self) -> None:
        """Save / Discard / Cancel, asked without blocking (the answer arrives in a slot)."""
        if self.question is not None:
            self.question.raise_()
            return
        titles = ", ".join(page.title for page in self.modified_pages())
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Settings — PR Desk",
            f"Save your changes to {titles}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._on_answer)
        self.question = box
        box.open()

    def _on_answer(self, answer: int) -> None:
        self.question = None
        if answer == QMessageBox.StandardButton.Save:
            self._save(close_after=True)
        elif answer == QMessageBox.StandardButton.Discard:
            self._close(QDialog.DialogCode.Rejected)

    def _close(self, code: QDialog.DialogCode) -> None:
        self._closing = True
        self._remember_size()
        self.done(code)

    def _remember_size(self) -> None:
        settings = ui_settings()
        settings.setValue(_GEOMETRY, self.saveGeometry())
        settings.sync()
