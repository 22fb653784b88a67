"""A list of things to tick (departments, categories); Space ticks the current one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from prdesk.domain.readmodels import Reference

_ID_ROLE = Qt.ItemDataRole.UserRole


class Checklist(QListWidget):
    """Checkable references; `checked_ids()` keeps the order of the list."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setUniformItemSizes(True)
        self._placeholder: QListWidgetItem | None = None
        # Ticks asked for before the references arrived from the database.
        self._wanted: set[int] = set()
        self.set_placeholder("Loading…")

    def set_placeholder(self, text: str) -> None:
        self.clear()
        self._placeholder = QListWidgetItem(text)
        self._placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
        self.addItem(self._placeholder)

    def set_references(self, references: Sequence[Reference], empty_text: str) -> None:
        """Fills the list, keeping ticks on ids that are still there."""
        keep = set(self.checked_ids()) | self._wanted
        self._wanted = set()
        self.clear()
        self._placeholder = None
        if not references:
            self.set_placeholder(empty_text)
            return
        for reference in references:
            item = QListWidgetItem(reference.name)
            item.setData(_ID_ROLE, reference.id)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            checked = reference.id in keep
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.addItem(item)

    def checked_ids(self) -> tuple[int, ...]:
        ids: list[int] = []
        for row in range(self.count()):
            item = self.item(row)
            if item is not self._placeholder and item.checkState() == Qt.CheckState.Checked:
                ids.append(int(item.data(_ID_ROLE)))
        return tuple(ids)

    def set_checked_ids(self, ids: Iterable[int]) -> None:
        wanted = set(ids)
        self._wanted = wanted
        for row in range(self.count()):
            item = self.item(row)
            if item is self._placeholder:
                continue
            checked = item.data(_ID_ROLE) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def names(self) -> list[str]:
        """The text of every entry, in order (what the user sees)."""
        return [self.item(row).text() for row in range(self.count())]
