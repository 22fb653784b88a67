"""The merge fields a template may use, by group, to find and insert without typing their names."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.merge_fields import FIELDS, GROUPS, MergeField

_PATH = Qt.ItemDataRole.UserRole


class MergeFieldPicker(QWidget):
    """A search box over a tree of groups and their fields; double-click or Insert.

    Signals:
        chosen: the path of the field to insert ("patient.full_name").
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a merge field…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find a merge field")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Merge field", "Example"])
        self.tree.setAccessibleName("Merge fields")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.insert_button = QPushButton("&Insert field")
        self.insert_button.setAutoDefault(False)
        self.insert_button.setToolTip("Put the chosen field where the cursor is in the text")
        self.insert_button.setEnabled(False)
        self.about = QLabel()
        self.about.setProperty("role", "hint")
        self.about.setTextFormat(Qt.TextFormat.PlainText)
        self.about.setWordWrap(True)
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._fields: dict[str, QTreeWidgetItem] = {}
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.insert_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.about)
        self._fill()
        self.search.textChanged.connect(self.filter)
        # Type a few letters, press Enter: the first field found goes in.
        self.search.returnPressed.connect(self.insert_selected)
        self.tree.itemDoubleClicked.connect(self._on_double_clicked)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.insert_button.clicked.connect(self.insert_selected)
        # Enter on a field inserts it, as a double-click does.
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(
                QKeySequence(key),
                self.tree,
                self.insert_selected,
                context=Qt.ShortcutContext.WidgetShortcut,
            )

    def _fill(self) -> None:
        groups = self._groups
        for group in GROUPS:
            item = QTreeWidgetItem([group])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            self.tree.addTopLevelItem(item)
            groups[group] = item
        for field in FIELDS:
            item = self._field_item(field)
            groups[field.group].addChild(item)
            self._fields[field.path] = item
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)

    @staticmethod
    def _field_item(field: MergeField) -> QTreeWidgetItem:
        item = QTreeWidgetItem([field.label, " ".join(field.sample.split())])
        item.setData(0, _PATH, field.path)
        tip = f"{{{{ {field.path} }}}}" + (f"\n{field.description}" if field.description else "")
        item.setToolTip(0, tip)
        item.setToolTip(1, field.sample)
        return item

    def filter(self, text: str) -> None:
        """Shows the fields whose name, group, description or example contain the text."""
        words = text.casefold().split()
        shown: set[str] = set()
        for field in FIELDS:
            item = self._fields[field.path]
            haystack = " ".join((field.group, item.text(0), item.text(1), item.toolTip(0)))
            hidden = not all(word in haystack.casefold() for word in words)
            item.setHidden(hidden)
            if not hidden:
                shown.add(field.group)
        for group, group_item in self._groups.items():
            group_item.setHidden(group not in shown)
        self.tree.expandAll()
        current = self.tree.currentItem()
        if current is None or current.isHidden():
            self._select_first_visible()

    def select(self, path: str) -> None:
        """Makes the field of that path the current one (tests and keyboard users)."""
        item = self._fields.get(path)
        if item is not None:
            self.tree.setCurrentItem(item)

    def selected_path(self) -> str | None:
        item = self.tree.currentItem()
        path = item.data(0, _PATH) if item is not None and not item.isHidden() else None
        return str(path) if path else None

    def visible_paths(self) -> list[str]:
        return [field.path for field in FIELDS if not self._fields[field.path].isHidden()]

    def insert_selected(self) -> None:
        path = self.selected_path()
        if path:
            self.chosen.emit(path)

    def _select_first_visible(self) -> None:
        visible = self.visible_paths()
        if visible:
            self.tree.setCurrentItem(self._fields[visible[0]])
        else:
            self._on_current_changed(None)

    def _on_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, _PATH):
            self.tree.setCurrentItem(item)
            self.insert_selected()

    def _on_current_changed(self, current: QTreeWidgetItem | None) -> None:
        path = current.data(0, _PATH) if current is not None and not current.isHidden() else None
        self.insert_button.setEnabled(bool(path))
        self.about.setText(current.toolTip(0).replace("\n", " — ") if path and current else "")
