"""The intake form: everything a coordinator types while taking a case on the phone."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.enums import CaseKind, Channel, DisclosureBasis, Relationship, Severity
from prdesk.domain.readmodels import Reference
from prdesk.domain.services.case_input import NewCase, PersonInput
from prdesk.ui.checklist import Checklist
from prdesk.ui.classification_box import ClassificationBox
from prdesk.ui.date_fields import DateTimeField
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.person_fields import PersonFields


def _text_edit(accessible_name: str, placeholder: str, lines: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    # Tab must move on to the next field: people fill this form by keyboard.
    edit.setTabChangesFocus(True)
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    # A fixed height: a growing box would push the classification off the screen.
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


class IntakeForm(QWidget):
    """The fields of a new case, laid out in two columns; `values()` reads them as a NewCase.

    Attributes:
        errors: the field messages, keyed by ValidationError's field names.
    """

    def __init__(self, *, may_override: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = FieldErrors()
        errors = self.errors

        # -- left column: the case, the patient, whoever raised it
        self.kind = EnumCombo(CaseKind)
        self.kind.setAccessibleName("Kind of case")
        self.channel = EnumCombo(Channel)
        self.channel.setAccessibleName("Received by")
        self.received = DateTimeField()
        self.received.setAccessibleName("Date and time received")
        self.severity = EnumCombo(Severity)
        self.severity.setAccessibleName("Severity")
        case_box = QGroupBox("Case")
        case_grid = QGridLayout(case_box)
        case_grid.setColumnStretch(1, 1)
        case_grid.setColumnStretch(3, 1)
        self._pair(case_grid, 0, 0, "&Kind", self.kind, errors.wrap("kind", self.kind))
        self._pair(case_grid, 0, 2, "C&hannel", self.channel, errors.wrap("channel", self.channel))
        self._pair(
            case_grid, 1, 0, "&Received", self.received, errors.wrap("received_at", self.received)
        )
        self._pair(
            case_grid, 1, 2, "Se&verity", self.severity, errors.wrap("severity", self.severity)
        )
        # The flags sit with the case's basics: a safety concern is acted on at once.
        self.safety_concern = QCheckBox("Sa&fety concern: refer to risk management now")
        self.behavioural_alert = QCheckBox("Behavio&ural alert: this person has been aggressive")
        case_grid.addWidget(self.safety_concern, 2, 1, 1, 3)
        case_grid.addWidget(self.behavioural_alert, 3, 1, 1, 3)

        patient_box = QGroupBox("Patient")
        self.patient = PersonFields("patient", errors, with_mrn=True, mnemonics=True)
        QVBoxLayout(patient_box).addWidget(self.patient)

        self.raised_by_other = QCheckBox("Ra&ised by someone other than the patient")
        self.relationship = EnumCombo(Relationship, placeholder="Choose…")
        self.relationship.setAccessibleName("Relationship to the patient")
        self.disclosure = EnumCombo(DisclosureBasis, placeholder="Choose…")
        self.disclosure.setAccessibleName("Basis for discussing the patient's care (HIPAA)")
        self.complainant = PersonFields("complainant", errors, with_mrn=False, mnemonics=False)
        self.complainant_box = QGroupBox("Person raising the case")
        form = QFormLayout(self.complainant_box)
        form.addRow("Relationship", errors.wrap("complainant_relationship", self.relationship))
        form.addRow("May discuss care", errors.wrap("disclosure_basis", self.disclosure))
        form.addRow(self.complainant)
        self.complainant_box.setVisible(False)
        self.raised_by_other.toggled.connect(self.complainant_box.setVisible)

        left = QVBoxLayout()
        for widget in (case_box, patient_box, self.raised_by_other, self.complainant_box):
            left.addWidget(widget)
        left.addStretch(1)

        # -- right column: what happened, where, the rules, the flags
        self.description = _text_edit(
            "What happened", "What happened, in the caller's words (required)", 5
        )
        self.desired_outcome = _text_edit("Desired outcome", "What they would like to happen", 3)
        self.location = QLineEdit()
        self.location.setAccessibleName("Location")
        self.location.setPlaceholderText("Ward, clinic or place")
        self.staff_involved = QLineEdit()
        self.staff_involved.setAccessibleName("Staff involved")
        what_box = QGroupBox("What happened")
        what = QFormLayout(what_box)
        what.addRow(
            self._label("&Description", self.description),
            errors.wrap("description", self.description),
        )
        what.addRow(
            self._label("Desired &outcome", self.desired_outcome),
            errors.wrap("desired_outcome", self.desired_outcome),
        )
        where = QHBoxLayout()
        where.addWidget(errors.wrap("location", self.location), 1)
        where.addWidget(self._label("Staff involved", self.staff_involved))
        where.addWidget(errors.wrap("staff_involved", self.staff_involved), 1)
        what.addRow(self._label("Location", self.location), where)

        self.departments = Checklist("Departments involved")
        self.categories = Checklist("Categories")
        lists_box = QGroupBox("Departments and categories")
        lists = QGridLayout(lists_box)
        lists.addWidget(self._label("Departments", self.departments), 0, 0)
        lists.addWidget(self._label("Cate&gories", self.categories), 0, 1)
        lists.addWidget(errors.wrap("departments", self.departments), 1, 0)
        lists.addWidget(errors.wrap("categories", self.categories), 1, 1)
        for checklist in (self.departments, self.categories):
            checklist.setFixedHeight(checklist.fontMetrics().lineSpacing() * 8 + 8)

        self.classification = ClassificationBox(errors, may_override=may_override)

        right = QVBoxLayout()
        for widget in (what_box, self.classification, lists_box):
            right.addWidget(widget)
        right.addStretch(1)

        columns = QHBoxLayout(self)
        columns.setSpacing(16)
        columns.addLayout(left, 11)
        columns.addLayout(right, 10)

        self.kind.currentIndexChanged.connect(self._on_case_changed)
        self.channel.currentIndexChanged.connect(self._on_case_changed)
        self._on_case_changed()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        # Level with the field's first line of text, whatever grows beneath it.
        if isinstance(buddy, QLineEdit | QComboBox | QAbstractSpinBox):
            label.setMinimumHeight(buddy.sizeHint().height())
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        else:
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setContentsMargins(0, 4, 0, 0)
        return label

    def _pair(
        self, grid: QGridLayout, row: int, column: int, text: str, buddy: QWidget, field: QWidget
    ) -> None:
        grid.addWidget(self._label(text, buddy), row, column, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(field, row, column + 1, Qt.AlignmentFlag.AlignTop)

    def _on_case_changed(self) -> None:
        self.classification.set_case(
            self.kind.value() or CaseKind.COMPLAINT, self.channel.value() or Channel.PHONE
        )

    def set_reference_lists(
        self, departments: Sequence[Reference], categories: Sequence[Reference]
    ) -> None:
        self.departments.set_references(departments, "No departments set up yet")
        self.categories.set_references(categories, "No categories set up yet")

    def local_errors(self) -> dict[str, str]:
        errors = self.patient.local_errors()
        if self.raised_by_other.isChecked():
            errors |= self.complainant.local_errors()
        return errors

    def values(self) -> NewCase:
        classification = self.classification
        other = self.raised_by_other.isChecked()
        return NewCase(
            kind=self.kind.value() or CaseKind.COMPLAINT,
            channel=self.channel.value() or Channel.PHONE,
            received_at=self.received.value(),
            patient=self.patient.values(),
            complainant=self.complainant.values() if other else None,
            complainant_relationship=self.relationship.value() if other else None,
            disclosure_basis=self.disclosure.value() if other else None,
            description=self.description.toPlainText(),
            desired_outcome=self.desired_outcome.toPlainText(),
            severity=self.severity.value() or Severity.LOW,
            location=self.location.text(),
            staff_involved=self.staff_involved.text(),
            safety_concern=self.safety_concern.isChecked(),
            behavioural_alert=self.behavioural_alert.isChecked(),
            department_ids=self.departments.checked_ids(),
            category_ids=self.categories.checked_ids(),
            resolved_at_once=classification.resolved_at_once.isChecked(),
            billing_only=classification.billing_only.isChecked(),
            written_response_requested=classification.written_response.isChecked(),
            needs_investigation=classification.needs_investigation.isChecked(),
            grievance_override=classification.grievance_override(),
            override_reason=classification.override_reason.text(),
        )

    def load(self, new: NewCase) -> None:
        """Fills the form from a NewCase (a draft, or a test's input)."""
        self.kind.set_value(new.kind)
        self.channel.set_value(new.channel)
        self.received.set_value(new.received_at)
        self.severity.set_value(new.severity)
        self.patient.load(new.patient)
        self.raised_by_other.setChecked(new.complainant is not None)
        self.complainant.load(new.complainant or PersonInput(full_name=""))
        self.relationship.set_value(new.complainant_relationship)
        self.disclosure.set_value(new.disclosure_basis)
        self.description.setPlainText(new.description)
        self.desired_outcome.setPlainText(new.desired_outcome)
        self.location.setText(new.location)
        self.staff_involved.setText(new.staff_involved)
        self.safety_concern.setChecked(new.safety_concern)
        self.behavioural_alert.setChecked(new.behavioural_alert)
        self.departments.set_checked_ids(new.department_ids)
        self.categories.set_checked_ids(new.category_ids)
        box = self.classification
        box.resolved_at_once.setChecked(new.resolved_at_once)
        box.billing_only.setChecked(new.billing_only)
        box.written_response.setChecked(new.written_response_requested)
        box.needs_investigation.setChecked(new.needs_investigation)
        box.override.setChecked(new.grievance_override is not None and box.override.isEnabled())
        box.override_reason.setText(new.override_reason)

    def has_input(self) -> bool:
        """Whether closing the form would throw away something typed."""
        texts = (
            self.description.toPlainText(),
            self.desired_outcome.toPlainText(),
            self.location.text(),
            self.staff_involved.text(),
        )
        return (
            any(text.strip() for text in texts)
            or self.patient.has_input()
            or (self.raised_by_other.isChecked() and self.complainant.has_input())
        )
