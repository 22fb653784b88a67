"""Help ▸ Keyboard shortcuts: every shortcut this person can use, grouped by where it works."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from prdesk.ui.actions import SPECS, Actions
from prdesk.ui.shortcut_list import SCREEN_SHORTCUTS, key_text


@dataclass(frozen=True)
class ShortcutRow:
    where: str
    keys: str
    does: str

    def matches(self, query: str) -> bool:
        text = f"{self.where} {self.keys} {self.does}".lower()
        return all(word in text for word in query.lower().split())


def shortcut_rows(actions: Actions) -> list[ShortcutRow]:
    """The menus' shortcuts this person is shown, then the screens' they can reach."""
    rows = []
    for spec in SPECS:
        action = actions[spec.key]
        if spec.shortcut and action.isVisible():
            menu = spec.menu.replace("&", "")
            rows.append(ShortcutRow(f"{menu} menu", key_text(spec.shortcut), _plain(spec.text)))
    for group in SCREEN_SHORTCUTS:
        if group.shown_with:
            command = actions[group.shown_with]
            if not (command.isVisible() and command.isEnabled()):
                continue
        grouped = [
            ShortcutRow(group.where, ", ".join(dict.fromkeys(map(key_text, s.keys))), s.does)
            for s in group.shortcuts
        ]
        # The Edit menu sits after File in the menu bar, and so in the list.
        after = max((i + 1 for i, r in enumerate(rows) if r.where == "File menu"), default=0)
        place = after if group.where == "Edit menu" else len(rows)
        rows[place:place] = grouped
    return rows


def _plain(menu_text: str) -> str:
    return menu_text.replace("&&", "\0").replace("&", "").replace("\0", "&")


class ShortcutsDialog(QDialog):
    """A list to read, filter by typing, and copy. Not modal: it can stay open beside the work.

    Attributes:
        rows: every shortcut listed, before filtering.
    """

    def __init__(self, actions: Actions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts – PR Desk")
        self.rows = shortcut_rows(actions)
        self._items: list[tuple[QTreeWidgetItem, list[tuple[QTreeWidgetItem, ShortcutRow]]]] = []
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type a key or a command to find its shortcut")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter shortcuts")
        label = QLabel("&Find:")
        label.setBuddy(self.filter)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "What they do"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        self.no_match = QLabel()
        self.no_match.setTextFormat(Qt.TextFormat.PlainText)
        self.no_match.hide()
        self.copy_button = QPushButton("&Copy list")
        self.copy_button.setToolTip("Put the shortcuts listed on the clipboard, to paste or print")
        self.copy_button.setAutoDefault(False)
        buttons = QDialogButtonBox()
        # Added first so that Tab meets it first, as it stands left of Close.
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        top = QVBoxLayout()
        top.addWidget(label)
        top.addWidget(self.filter)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.no_match)
        layout.addWidget(buttons)
        self._fill()
        self.filter.textChanged.connect(self.apply_filter)
        self.copy_button.clicked.connect(self.copy)
        self.resize(640, 720)

    def _fill(self) -> None:
        bold = self.tree.font()
        bold.setBold(True)
        groups: dict[str, QTreeWidgetItem] = {}
        for row in self.rows:
            group = groups.get(row.where)
            if group is None:
                group = groups[row.where] = QTreeWidgetItem(self.tree, [row.where])
                group.setFirstColumnSpanned(True)
                group.setFont(0, bold)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self._items.append((group, []))
            item = QTreeWidgetItem(group, [row.keys, row.does])
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{row.keys}: {row.does}")
            self._items[-1][1].append((item, row))
        self.tree.expandAll()
        # Room between the longest keys and their meaning, whatever the text size.
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(
            0, self.tree.columnWidth(0) + self.fontMetrics().averageCharWidth() * 3
        )

    def apply_filter(self, query: str) -> None:
        """Shows only the shortcuts with every word typed, in their keys, text or place."""
        shown = 0
        for group, children in self._items:
            visible = 0
            for item, row in children:
                item.setHidden(not row.matches(query))
                visible += not item.isHidden()
            group.setHidden(visible == 0)
            shown += visible
        self.no_match.setText(f"No shortcut matches “{query.strip()}”." if not shown else "")
        self.no_match.setVisible(not shown)

    def visible_rows(self) -> list[ShortcutRow]:
        return [
            row for _group, children in self._items for item, row in children if not item.isHidden()
        ]

    def as_text(self) -> str:
        """The shortcuts shown, as plain text under their headings."""
        rows = self.visible_rows()
        width = max((len(row.keys) for row in rows), default=0) + 3
        lines: list[str] = ["PR Desk keyboard shortcuts"]
        where = ""
        for row in rows:
            if row.where != where:
                where = row.where
                lines += ["", where]
            lines.append(f"  {row.keys.ljust(width)}{row.does}")
        return "\n".join(lines) + "\n"

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())


def show_shortcuts(parent: QWidget | None, actions: Actions) -> ShortcutsDialog:
    """The list of shortcuts, beside the window; the filter has the keyboard."""
    dialog = ShortcutsDialog(actions, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.filter.setFocus(Qt.FocusReason.OtherFocusReason)
    return dialog
