"""The audit trail's filters: case, person, days, kind of entry and table."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from prdesk.domain.services.audit_trail import SUBJECT_LABELS, AuditFilter, AuditKind
from prdesk.ui.date_fields import DateField
from prdesk.ui.formatting import local_date


class AuditFilterBar(QWidget):
    """Emits the whole filter whenever a choice changes or a typed field is confirmed.

    Signals:
        changed: the new AuditFilter.
        invalid: a message saying what in the typed text is not understood.
    """

    changed = Signal(object)
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case_id: int | None = None
        self._emitting = True
        self.case = QLineEdit()
        self.case.setPlaceholderText("PR-2026-000123")
        self.case.setClearButtonEnabled(True)
        self.case.setAccessibleName("Case number")
        self.user = QComboBox()
        self.user.setAccessibleName("Who")
        self.user.addItem("Anyone", "")
        self.user.setMinimumContentsLength(18)
        self.from_day = DateField()
        self.from_day.setAccessibleName("From day")
        self.to_day = DateField()
        self.to_day.setAccessibleName("To day")
        for edit in (self.case, self.from_day, self.to_day):
            width = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
            edit.setMinimumWidth(width + 40)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of entry")
        for kind in AuditKind:
            self.kind.addItem(kind.label, kind.value)
        self.subject = QComboBox()
        self.subject.setAccessibleName("Table")
        self.subject.addItem("All tables", "")
        for key, title in SUBJECT_LABELS.items():
            self.subject.addItem(title, key)
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setAutoDefault(False)
        self.clear_button.setAccessibleName("Clear filters")

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, (caption, field) in enumerate(
            (
                ("&Case:", self.case),
                ("&Who:", self.user),
                ("&From:", self.from_day),
                ("&To:", self.to_day),
                ("&Kind:", self.kind),
                ("T&able:", self.subject),
            )
        ):
            label = QLabel(caption)
            label.setBuddy(field)
            grid.addWidget(label, 0, column)
            grid.addWidget(field, 1, column)
        grid.addWidget(self.clear_button, 1, 6)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(5, 1)
        for first, second in (
            (self.case, self.user),
            (self.user, self.from_day),
            (self.from_day, self.to_day),
            (self.to_day, self.kind),
            (self.kind, self.subject),
            (self.subject, self.clear_button),
        ):
            QWidget.setTabOrder(first, second)

        self.case.textEdited.connect(self._forget_case)
        self.case.editingFinished.connect(self._emit)
        self.from_day.editingFinished.connect(self._emit)
        self.to_day.editingFinished.connect(self._emit)
        for combo in (self.user, self.kind, self.subject):
            combo.currentIndexChanged.connect(self._emit)
        self.clear_button.clicked.connect(self.clear)
        self._last: AuditFilter | None = None

    def set_users(self, people: list[tuple[str, str]]) -> None:
        """Fills "Who" with (login, name) pairs, keeping the current choice."""
        chosen = self.user.currentData()
        self._emitting = False
        self.user.clear()
        self.user.addItem("Anyone", "")
        for login, name in people:
            self.user.addItem(f"{name} ({login})", login)
        index = self.user.findData(chosen)
        self.user.setCurrentIndex(max(index, 0))
        self._emitting = True

    def set_filter(self, wanted: AuditFilter) -> None:
        """Shows `wanted` in the fields and applies it (a case's own trail, opened from it)."""
        self._emitting = False
        self._case_id = wanted.case_id
        self.case.setText(wanted.case_number)
        self.user.setCurrentIndex(max(self.user.findData(wanted.user), 0))
        self.from_day.set_date_value(wanted.from_day)
        self.to_day.set_date_value(wanted.to_day)
        self.kind.setCurrentIndex(max(self.kind.findData(wanted.kind.value), 0))
        self.subject.setCurrentIndex(max(self.subject.findData(wanted.subject), 0))
        self._emitting = True
        self._last = None
        self._emit()

    def current(self) -> AuditFilter:
        """The filter as the fields stand; raises ValueError for a date that is not one."""
        number = self.case.text().strip()
        return AuditFilter(
            case_number=number,
            case_id=self._case_id,
            user=str(self.user.currentData() or ""),
            from_day=self.from_day.date_value(),
            to_day=self.to_day.date_value(),
            kind=AuditKind(self.kind.currentData()),
            subject=str(self.subject.currentData() or ""),
        )

    def clear(self) -> None:
        self._emitting = False
        self._case_id = None
        self.case.clear()
        for combo in (self.user, self.kind, self.subject):
            combo.setCurrentIndex(0)
        self.from_day.clear()
        self.to_day.clear()
        self._emitting = True
        self._emit()

    def _forget_case(self) -> None:
        # A number typed by hand is looked up by number, not by the case shown before.
        self._case_id = None

    def _emit(self) -> None:
        if not self._emitting:
            return
        try:
            wanted = self.current()
        except ValueError as error:
            self.invalid.emit(str(error))
            return
        if wanted == self._last:
            return
        self._last = wanted
        # Typed dates are shown back in the locale's form, so what was understood is visible.
        for field, value in ((self.from_day, wanted.from_day), (self.to_day, wanted.to_day)):
            if value is not None:
                field.setText(local_date(value))
        self.changed.emit(wanted)
