"""Every saved version of a letter template: who, when, why, its text, and restoring it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.services.letter_template_store import TemplateVersionInfo
from prdesk.ui.formatting import local_datetime
from prdesk.ui.letter_template_source import TemplateSourceEdit
from prdesk.ui.template_list import TwoLineDelegate


class TemplateHistory(QWidget):
    """The versions, newest first; the chosen one's text is shown read-only.

    Signals:
        restored: the TemplateVersionInfo whose text should go back into the editor.
    """

    restored = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._versions: tuple[TemplateVersionInfo, ...] = ()
        self._may_restore = True
        self.versions = QListWidget()
        self.versions.setAccessibleName("Versions of the template")
        self.versions.setItemDelegate(TwoLineDelegate(self.versions))
        self.text = TemplateSourceEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Text of the chosen version")
        self.restore_button = QPushButton("&Restore this version")
        self.restore_button.setAutoDefault(False)
        self.restore_button.setToolTip(
            "Put this version's text in the editor; saving it makes it the newest version"
        )
        self.restore_button.setEnabled(False)
        hint = QLabel("Letters keep the version they were drafted from; restoring changes none.")
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.versions)
        split.addWidget(self.text)
        split.setStretchFactor(1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.versions.currentRowChanged.connect(self._on_version_chosen)
        self.restore_button.clicked.connect(self.restore_chosen)

    def show_history(self, versions: tuple[TemplateVersionInfo, ...]) -> None:
        """Lists the versions (newest first, as the store gives them) and shows the newest."""
        self._versions = versions
        self.versions.blockSignals(True)
        self.versions.clear()
        for info in versions:
            title = "Version 0 · as shipped" if info.shipped else f"Version {info.version}"
            lines = [title]
            if not info.shipped:
                lines.append(f"{info.created_by_name} · {local_datetime(info.created_at)}")
            if info.note:
                lines.append(f"“{info.note}”")
            item = QListWidgetItem("\n".join(lines))
            item.setToolTip("\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, info.version)
            self.versions.addItem(item)
        self.versions.blockSignals(False)
        self.versions.setCurrentRow(0 if versions else -1)
        self._on_version_chosen(self.versions.currentRow())

    def allow_restoring(self, allowed: bool) -> None:
        """Whether the reader may put an earlier version back (those who may edit templates)."""
        self._may_restore = allowed
        self._on_version_chosen(self.versions.currentRow())

    def versions_shown(self) -> tuple[TemplateVersionInfo, ...]:
        return self._versions

    def select_version(self, number: int) -> None:
        for row, info in enumerate(self._versions):
            if info.version == number:
                self.versions.setCurrentRow(row)

    def chosen(self) -> TemplateVersionInfo | None:
        row = self.versions.currentRow()
        return self._versions[row] if 0 <= row < len(self._versions) else None

    def restore_chosen(self) -> None:
        info = self.chosen()
        if info is not None and self.restore_button.isEnabled():
            self.restored.emit(info)

    def _on_version_chosen(self, row: int) -> None:
        info = self.chosen()
        self.text.setPlainText(info.source if info is not None else "")
        # The newest version is what the editor opened: there is nothing to restore.
        self.restore_button.setEnabled(self._may_restore and info is not None and row > 0)
