"""The inline "Add to timeline" form of a case: kind, when, summary, details, audience."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from prdesk.domain.enums import TimelineKind
from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.domain.services.timeline import NewTimelineEntry, add_entry
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.date_fields import DateTimeField
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.field_errors import FieldErrors


class TimelineEntryForm(QWidget):
    """Adds a step to the case's timeline; on an error the text stays for correction.

    Signals:
        added: the TimelineEntryInfo that was saved.
        failed: a message that belongs to no single field.
    """

    added = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._case_id: int | None = None
        self._saving = False
        self.errors = FieldErrors()

        # System kinds (status changes, letters sent) are written by PR Desk itself.
        self.kind = EnumCombo(TimelineKind, members=[k for k in TimelineKind if not k.is_system])
        self.kind.setAccessibleName("Kind of step")
        self.when = DateTimeField()
        self.when.setAccessibleName("When it happened")
        self.when.setToolTip("Now, unless you change it; it may be earlier but not later.")
        self.summary = QLineEdit()
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("One line: what was done or learnt")
        self.body = QPlainTextEdit()
        self.body.setTabChangesFocus(True)
        self.body.setAccessibleName("Details")
        self.body.setPlaceholderText("Details (optional)")
        self.body.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.patient_facing = QCheckBox("&Patient-facing")
        self.patient_facing.setToolTip("Contact with the patient or family")
        self.internal = QCheckBox("I&nternal only")
        self.add_button = QPushButton("&Add to timeline")
        self.add_button.setToolTip("Add this step (Ctrl+Enter)")
        self.add_button.setAutoDefault(False)
        self.add_button.setShortcut("Ctrl+Return")

        # Extra height goes to the entries below, not into gaps between these fields.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self._label("&Kind", self.kind), 0, 0, top)
        grid.addWidget(self.errors.wrap("kind", self.kind), 0, 1, top)
        grid.addWidget(self._label("&When", self.when), 0, 2, top)
        grid.addWidget(self.errors.wrap("occurred_at", self.when), 0, 3, top)
        grid.addWidget(self._label("&Summary", self.summary), 1, 0, top)
        grid.addWidget(self.errors.wrap("summary", self.summary), 1, 1, 1, 3)
        grid.addWidget(self._label("&Details", self.body), 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.errors.wrap("body", self.body), 2, 1, 1, 3)
        row = QHBoxLayout()
        row.addWidget(self.errors.wrap("patient_facing", self.patient_facing))
        row.addWidget(self.errors.wrap("internal", self.internal))
        row.addStretch(1)
        row.addWidget(self.add_button)
        grid.addLayout(row, 3, 1, 1, 3)

        # An entry is one or the other (the domain refuses both): ticking one clears the other.
        self.patient_facing.toggled.connect(self._on_patient_facing)
        self.internal.toggled.connect(self._on_internal)
        self.add_button.clicked.connect(self.add)
        self.setEnabled(ctx.may(Action.ADD_TIMELINE_ENTRY))

    def _on_patient_facing(self, checked: bool) -> None:
        if checked:
            self.internal.setChecked(False)

    def _on_internal(self, checked: bool) -> None:
        if checked:
            self.patient_facing.setChecked(False)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        # As tall as the field's first line, so the label sits level with its text.
        label.setMinimumHeight(min(buddy.sizeHint().height(), QLineEdit().sizeHint().height()))
        return label

    def set_case(self, case_id: int) -> None:
        self._case_id = case_id

    def values(self) -> NewTimelineEntry:
        return NewTimelineEntry(
            kind=self.kind.value() or TimelineKind.NOTE,
            summary=self.summary.text(),
            body=self.body.toPlainText(),
            occurred_at=self.when.value(),
            patient_facing=self.patient_facing.isChecked(),
            internal=self.internal.isChecked(),
        )

    def has_input(self) -> bool:
        """Whether a summary or details have been typed and not yet added."""
        return bool(self.summary.text().strip() or self.body.toPlainText().strip())

    def add(self) -> None:
        if self._case_id is None or self._saving or not self.add_button.isEnabled():
            return
        case_id, actor, new = self._case_id, self._ctx.actor, self.values()
        self._set_saving(True)
        (
            self._ctx.operation(self, lambda session: add_entry(session, actor, case_id, new))
            .changes(Change.to_case(case_id, Change.TIMELINE))
            .success(self._on_added)
            .failure(self._on_failed)
            .done(lambda: self._set_saving(False))
            .run()
        )

    def _set_saving(self, saving: bool) -> None:
        """While a step is being saved, what it says cannot change (it is cleared after)."""
        self._saving = saving
        self.summary.setReadOnly(saving)
        self.body.setReadOnly(saving)
        for widget in (self.kind, self.when, self.patient_facing, self.internal, self.add_button):
            widget.setEnabled(not saving)

    def _on_added(self, entry: TimelineEntryInfo) -> None:
        self.errors.clear()
        self.summary.clear()
        self.body.clear()
        self.patient_facing.setChecked(False)
        self.internal.setChecked(False)
        self.when.reset_to_now()
        self.summary.setFocus(Qt.FocusReason.OtherFocusReason)
        self.added.emit(entry)

    def _on_failed(self, error: DomainError) -> None:
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        if not fields or unplaced:
            self.failed.emit(" ".join(unplaced.values()) or error.message)
        first = self.errors.first_invalid()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_for(self, field: str) -> str:
        return self.errors.message(field)
