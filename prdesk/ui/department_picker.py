"""A compact drop-down of the organisation's departments, several of which can be ticked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import (
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget

from prdesk.domain.readmodels import Reference
from prdesk.domain.services import organisation
from prdesk.ui.context import AppContext

_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NONE_TEXT = "No department"


class DepartmentPicker(QComboBox):
    """Ticks stay while the list is open (click or Space); the closed box names the ticked.

    The active departments are read once, in the background, when the picker is made.

    Signals:
        changed: the ticked departments changed.
    """

    changed = Signal()

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Departments involved")
        self.setToolTip("Departments involved: open the list (Alt+Down) and tick with Space")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self._items = QStandardItemModel(self)
        self.setModel(self._items)
        # Ticks asked for before the departments arrived, and retired departments an
        # entry still names (they are shown so that saving does not drop them).
        self._wanted: dict[int, Reference] = {}
        self._loaded = False
        self.view().viewport().installEventFilter(self)
        self.view().installEventFilter(self)
        self._items.itemChanged.connect(self._on_item_changed)
        if ctx is not None:
            (
                ctx.operation(self, organisation.departments, read_only=True)
                .success(self.set_departments)
                .run()
            )

    def set_departments(self, departments: Sequence[Reference]) -> None:
        """Fills the list, keeping what is ticked."""
        wanted = {ref.id: ref for ref in self.checked()} | self._wanted
        self._loaded = True
        self._wanted = {}
        self._items.blockSignals(True)
        self._items.clear()
        known = {ref.id for ref in departments}
        retired = [ref for ref in wanted.values() if ref.id not in known]
        for ref in [*departments, *retired]:
            item = QStandardItem(ref.name)
            item.setData(ref.id, _ID_ROLE)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            checked = ref.id in wanted
            item.setData(
                Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked,
                Qt.ItemDataRole.CheckStateRole,
            )
            self._items.appendRow(item)
        self._items.blockSignals(False)
        self._refresh()

    def checked(self) -> tuple[Reference, ...]:
        found = []
        for row in range(self._items.rowCount()):
            item = self._items.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(Reference(int(item.data(_ID_ROLE)), item.text()))
        if not self._loaded:
            found.extend(self._wanted.values())
        return tuple(found)

    def checked_ids(self) -> tuple[int, ...]:
        return tuple(ref.id for ref in self.checked())

    def set_checked(self, departments: Iterable[Reference]) -> None:
        """Ticks exactly these (adding any the list lacks, such as a retired department)."""
        wanted = {ref.id: ref for ref in departments}
        if not self._loaded:
            self._wanted = wanted
            self._refresh()
            return
        listed = {
            int(self._items.item(row).data(_ID_ROLE)) for row in range(self._items.rowCount())
        }
        self._items.blockSignals(True)
        for ref in wanted.values():
            if ref.id not in listed:
                item = QStandardItem(ref.name)
                item.setData(ref.id, _ID_ROLE)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                self._items.appendRow(item)
        for row in range(self._items.rowCount()):
            item = self._items.item(row)
            ticked = int(item.data(_ID_ROLE)) in wanted
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self._items.blockSignals(False)
        self._refresh()
        self.changed.emit()

    def set_checked_ids(self, ids: Iterable[int], known: Iterable[Reference] = ()) -> None:
        """Ticks exactly these; `known` names any the list may lack (an entry's own)."""
        names = {ref.id: ref.name for ref in known}
        for row in range(self._items.rowCount()):
            item = self._items.item(row)
            names[int(item.data(_ID_ROLE))] = item.text()
        self.set_checked(Reference(i, names.get(i, "")) for i in dict.fromkeys(ids))

    def names(self) -> list[str]:
        """Every department offered, in order (what the open list shows)."""
        return [self._items.item(row).text() for row in range(self._items.rowCount())]

    def summary(self) -> str:
        """What the closed box shows: the ticked departments, or that there are none."""
        names = [ref.name for ref in self.checked()]
        return ", ".join(names) if names else NONE_TEXT

    def toggle(self, row: int) -> None:
        item: QStandardItem | None = self._items.item(row)
        if item is None:
            return
        ticked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)

    def _on_item_changed(self, _item: QStandardItem) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        summary = self.summary()
        self.setToolTip(f"Departments involved: {summary}")
        self.setAccessibleDescription(summary)
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A click or Space ticks the department under it and leaves the list open.
        if watched is self.view().viewport() and event.type() == QEvent.Type.MouseButtonRelease:
            assert isinstance(event, QMouseEvent)
            index: QModelIndex = self.view().indexAt(event.position().toPoint())
            if index.isValid():
                self.toggle(index.row())
            return True
        if watched is self.view() and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Space:
                self.toggle(self.view().currentIndex().row())
                return True
        return super().eventFilter(watched, event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        option.currentText = self.fontMetrics().elidedText(
            self.summary(), Qt.TextElideMode.ElideRight, field.width()
        )
        option.currentIcon = QIcon()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
