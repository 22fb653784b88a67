"""The case list's column headings: chosen from a context menu, moved, resized, and kept across restarts."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QWidget

from prdesk.ui.case_list_columns import COLUMNS, KEYS

_STATE = "case_list/header"
_KEYS = "case_list/columns"


class CaseListHeader(QHeaderView):
    """A horizontal header whose right-click menu shows and hides columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setSectionsMovable(True)
        self.setHighlightSections(False)
        self.setStretchLastSection(True)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.setAccessibleName("Columns")

    def apply_defaults(self) -> None:
        """Every column back in its place, at its width, shown as a new user sees it."""
        for logical, column in enumerate(COLUMNS):
            visual = self.visualIndex(logical)
            if visual != logical:
                self.moveSection(visual, logical)
            self.resizeSection(logical, column.width)
            self.setSectionHidden(logical, not column.shown)

    def column_menu(self) -> QMenu:
        menu = QMenu("Columns", self)
        shown = [i for i in range(len(COLUMNS)) if not self.isSectionHidden(i)]
        for visual in range(self.count()):
            logical = self.logicalIndex(visual)
            action = menu.addAction(COLUMNS[logical].title)
            action.setCheckable(True)
            action.setChecked(logical in shown)
            # The last column shown stays: a table without columns shows nothing to bring them back.
            action.setEnabled(shown != [logical])
            action.toggled.connect(lambda on, i=logical: self.setSectionHidden(i, not on))
        menu.addSeparator()
        menu.addAction("&Reset columns").triggered.connect(self.apply_defaults)
        return menu

    def _show_menu(self, position: QPoint) -> None:
        menu = self.column_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.mapToGlobal(position))

    def shown_columns(self) -> list[tuple[str, str]]:
        """(heading, column key) of the shown columns, in the order they are shown."""
        logical = (self.logicalIndex(visual) for visual in range(self.count()))
        return [(COLUMNS[i].title, COLUMNS[i].key) for i in logical if not self.isSectionHidden(i)]

    def save(self, settings: QSettings) -> None:
        settings.setValue(_STATE, self.saveState())
        settings.setValue(_KEYS, list(KEYS))

    def restore(self, settings: QSettings) -> bool:
        """Back as it was left; not when the columns have changed since (a newer PR Desk)."""
        state, keys = settings.value(_STATE), settings.value(_KEYS)
        if not isinstance(state, QByteArray) or not isinstance(keys, list):
            return False
        if tuple(keys) != KEYS or not self.restoreState(state):
            return False
        if all(self.isSectionHidden(i) for i in range(self.count())):
            self.apply_defaults()
        return True
