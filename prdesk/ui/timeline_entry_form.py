"""The inline "Add to timeline" form of a case: kind, when, summary, people, details, audience."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from prdesk.domain.enums import TimelineKind
from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.ui.context import AppContext
from prdesk.ui.date_fields import DateTimeField
from prdesk.ui.department_picker import DepartmentPicker
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.people_field import PeopleField
from prdesk.ui.rich_text_edit import RichTextEdit
from prdesk.ui.timeline_undo import TimelineUndo

# The details start small, so the entries below stay in view, and grow as they are typed.
BODY_LINES = (2, 8)


class TimelineEntryForm(QWidget):
    """Adds a step to the case's timeline; on an error the text stays for correction.

    Adding is a step of `undo` (made here unless the case view shares its own), so
    Ctrl+Z takes back what was just added.

    Signals:
        added: the TimelineEntryInfo that was saved.
        failed: a message that belongs to no single field.
    """

    added = Signal(object)
    failed = Signal(str)

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, undo: TimelineUndo | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._case_id: int | None = None
        self._saving = False
        self.errors = FieldErrors()
        self.undo = undo if undo is not None else TimelineUndo(ctx, self)

        # System kinds (status changes, letters sent) are written by PR Desk itself.
        self.kind = EnumCombo(TimelineKind, members=[k for k in TimelineKind if not k.is_system])
        self.kind.setAccessibleName("Kind of step")
        self.when = DateTimeField()
        self.when.setAccessibleName("When it happened")
        self.when.setToolTip("Now, unless you change it; it may be earlier but not later.")
        self.summary = QLineEdit()
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("One line: what was done or learnt")
        self.people = PeopleField()
        self.departments = DepartmentPicker(ctx)
        self.body = RichTextEdit("Details")
        self.body.setPlaceholderText("Details (optional): Ctrl+B bold, Ctrl+I italic")
        self.body.grow_with_text(*BODY_LINES)
        self.patient_facing = QCheckBox("&Patient-facing")
        self.patient_facing.setToolTip("Contact with the patient or family")
        self.internal = QCheckBox("Interna&l only")
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
        grid.addWidget(self._label("Pe&ople", self.people), 2, 0, top)
        grid.addWidget(self.errors.wrap("people", self.people), 2, 1, top)
        grid.addWidget(self._label("Departme&nts", self.departments), 2, 2, top)
        grid.addWidget(self.errors.wrap("department_ids", self.departments), 2, 3, top)
        grid.addWidget(self._label("&Details", self.body), 3, 0, top)
        grid.addWidget(self.errors.wrap("body", self.body), 3, 1, 1, 3)
        # The audience and the button share the format bar's line: the entries get it.
        self.body.add_to_bar(self.errors.wrap("patient_facing", self.patient_facing))
        self.body.add_to_bar(self.errors.wrap("internal", self.internal))
        self.body.add_to_bar(self.add_button)
        self.setTabOrder(self.body.editor, self.patient_facing)
        self.setTabOrder(self.patient_facing, self.internal)
        self.setTabOrder(self.internal, self.add_button)

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
        self.undo.set_case(case_id)

    def set_suggestions(self, names: Sequence[str]) -> None:
        """Names the People field offers (see people_field.case_people)."""
        self.people.set_suggestions(names)
        self.undo.set_suggestions(self.people.suggestions())

    def values(self) -> NewTimelineEntry:
        return NewTimelineEntry(
            kind=self.kind.value() or TimelineKind.NOTE,
            summary=self.summary.text(),
            body=self.body.markdown(),
            occurred_at=self.when.value(),
            patient_facing=self.patient_facing.isChecked(),
            internal=self.internal.isChecked(),
            people=self.people.people(),
            department_ids=self.departments.checked_ids(),
        )

    def has_input(self) -> bool:
        """Whether a summary, people or details have been typed and not yet added."""
        return bool(
            self.summary.text().strip()
            or self.body.toPlainText().strip()
            or self.people.text().strip()
        )

    def add(self) -> None:
        if self._case_id is None or self._saving or not self.add_button.isEnabled():
            return
        self._set_saving(True)
        self.undo.add(self.values(), on_added=self._on_added, on_failed=self._on_failed)

    def _set_saving(self, saving: bool) -> None:
        """While a step is being saved, what it says cannot change (it is cleared after)."""
        self._saving = saving
        for field in (self.summary, self.people):
            field.setReadOnly(saving)
        self.body.setReadOnly(saving)
        for widget in (
            self.kind,
            self.when,
            self.departments,
            self.patient_facing,
            self.internal,
            self.add_button,
        ):
            widget.setEnabled(not saving)

    def _on_added(self, entry: TimelineEntryInfo) -> None:
        self._set_saving(False)
        self.errors.clear()
        self.summary.clear()
        self.people.clear()
        self.departments.set_checked(())
        self.body.clear()
        self.patient_facing.setChecked(False)
        self.internal.setChecked(False)
        self.when.reset_to_now()
        self.summary.setFocus(Qt.FocusReason.OtherFocusReason)
        self.added.emit(entry)

    def _on_failed(self, error: DomainError) -> None:
        self._set_saving(False)
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        if not fields or unplaced:
            self.failed.emit(" ".join(unplaced.values()) or error.message)
        first = self.errors.first_invalid()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_for(self, field: str) -> str:
        return self.errors.message(field)
