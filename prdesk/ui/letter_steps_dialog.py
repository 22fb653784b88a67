"""Choosing which of the case's patient-facing steps a letter lists as the steps taken."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain import merge_fields
from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.ui.formatting import local_date


class LetterStepsDialog(QDialog):
    """The case's patient-facing entries with check boxes, date and summary; all ticked.

    Internal entries are never offered (the caller passes `letters.offered_steps`, and
    any internal entry given anyway is left out): what they say is not for the patient.
    """

    def __init__(
        self,
        entries: Sequence[TimelineEntryInfo],
        language: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Steps taken — PR Desk")
        self._language = language
        self._entries = [entry for entry in entries if entry.patient_facing and not entry.internal]
        intro = QLabel(
            "Tick the steps to list in the letter. Only steps marked patient-facing on the "
            "case's timeline are offered."
            if self._entries
            else "No step on this case's timeline is marked patient-facing yet. Mark the "
            "steps the patient may read about as patient-facing, then choose them here."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Steps taken")
        self.list.setWordWrap(True)
        for entry in self._entries:
            when = local_date(entry.occurred_at.astimezone().date())
            item = QListWidgetItem(f"{when} — {' '.join(entry.summary.split())}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip(f"By {entry.author_name}")
            self.list.addItem(item)
        if self._entries:
            self.list.setCurrentRow(0)

        self.all_button = QPushButton("Tick &all")
        self.none_button = QPushButton("Tick &none")
        for button in (self.all_button, self.none_button):
            button.setAutoDefault(False)
        self.all_button.clicked.connect(lambda: self._tick_all(Qt.CheckState.Checked))
        self.none_button.clicked.connect(lambda: self._tick_all(Qt.CheckState.Unchecked))
        ticks = QHBoxLayout()
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        ticks.addStretch(1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.insert_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.insert_button.setText("&Insert in the letter")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemChanged.connect(self._update_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(ticks)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self._update_button()

    def offered(self) -> list[TimelineEntryInfo]:
        return list(self._entries)

    def set_chosen(self, entry_ids: Sequence[int]) -> None:
        """Ticks exactly these entries (what a click on each box does)."""
        for row, entry in enumerate(self._entries):
            state = Qt.CheckState.Checked if entry.id in entry_ids else Qt.CheckState.Unchecked
            self.list.item(row).setCheckState(state)

    def chosen(self) -> tuple[TimelineEntryInfo, ...]:
        return tuple(
            entry
            for row, entry in enumerate(self._entries)
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        )

    def markdown(self) -> str:
        """The chosen steps as the letter lists them, one dated item each."""
        return str(merge_fields.steps_markdown(self.chosen(), self._language))

    def _tick_all(self, state: Qt.CheckState) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(state)

    def _update_button(self) -> None:
        self.insert_button.setEnabled(bool(self.chosen()))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        entries: Sequence[TimelineEntryInfo],
        language: str,
    ) -> str | None:
        """The Markdown to insert, or None when the writer cancelled."""
        dialog = cls(entries, language, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
            return None
        return dialog.markdown()
