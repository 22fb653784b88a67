"""The fields of a person (patient or the one raising a case), reused wherever a person is typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from prdesk.domain.enums import ContactPreference
from prdesk.domain.services.case_input import PersonInput, format_phone
from prdesk.ui.date_fields import DateField
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.languages import LANGUAGES


class PersonFields(QWidget):
    """Name, birth date, record number, contact details, language and contact preference.

    Field errors use ValidationError's names under `prefix` ("patient.full_name").
    Labels carry mnemonics only when `mnemonics` is set, so two of these in one
    form do not fight over Alt+N.
    """

    def __init__(
        self,
        prefix: str,
        errors: FieldErrors,
        *,
        with_mrn: bool,
        mnemonics: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._prefix = prefix
        self._errors = errors
        self._mnemonics = mnemonics
        who = "Patient" if prefix == "patient" else "Person raising it"

        self.full_name = self._line(f"{who}: full name")
        self.date_of_birth = DateField()
        self.date_of_birth.setAccessibleName(f"{who}: date of birth")
        self.mrn = self._line(f"{who}: medical record number") if with_mrn else None
        self.phone = self._line(f"{who}: phone")
        self.email = self._line(f"{who}: email")
        self.address_line1 = self._line(f"{who}: address line 1")
        self.address_line2 = self._line(f"{who}: address line 2")
        self.city = self._line(f"{who}: city")
        self.region = self._line(f"{who}: state or region")
        self.postal_code = self._line(f"{who}: ZIP or postal code")
        self.language = QComboBox()
        self.language.setAccessibleName(f"{who}: preferred language")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.contact_preference = EnumCombo(ContactPreference)
        self.contact_preference.setAccessibleName(f"{who}: contact preference")
        self.contact_preference.set_value(ContactPreference.LETTER)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self._grid = grid
        # Rows in the order a caller gives them on the phone; tab follows this order.
        self._row(0, "&Name", "Name", "full_name", self.full_name, span=3)
        self._row(1, "Date of &birth", "Date of birth", "date_of_birth", self.date_of_birth)
        if self.mrn is not None:
            self._row(1, "&MRN", "MRN", "medical_record_number", self.mrn, column=2)
        self._row(2, "&Phone", "Phone", "phone", self.phone)
        self._row(2, "&Email", "Email", "email", self.email, column=2)
        self._row(3, "&Address", "Address", "address_line1", self.address_line1, span=3)
        self._row(4, "", "", "address_line2", self.address_line2, span=3)
        self._row(5, "Cit&y", "City", "city", self.city)
        self._row(5, "S&tate/region", "State/region", "region", self.region, column=2)
        self._row(6, "&ZIP/postal code", "ZIP/postal code", "postal_code", self.postal_code)
        self._row(6, "&Language", "Language", "preferred_language", self.language, column=2)
        self._row(7, "&Contact by", "Contact by", "contact_preference", self.contact_preference)
        self.address_line1.setPlaceholderText("Street and number")
        self.address_line2.setPlaceholderText("Apartment, suite, care of (optional)")
        # Numbers are kept in one readable format; the person sees it before saving.
        self.phone.editingFinished.connect(self._format_phone)

    def _format_phone(self) -> None:
        formatted = format_phone(self.phone.text())
        if formatted != self.phone.text():
            self.phone.setText(formatted)

    def _line(self, accessible_name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible_name)
        return edit

    def _row(
        self,
        row: int,
        text: str,
        plain: str,
        key: str,
        editor: QWidget,
        *,
        column: int = 0,
        span: int = 1,
    ) -> None:
        label = QLabel(text if self._mnemonics else plain)
        label.setBuddy(editor)
        # Line the label up with the editor's text, not with its error message below.
        label.setMinimumHeight(editor.sizeHint().height())
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._grid.addWidget(label, row, column, Qt.AlignmentFlag.AlignTop)
        field = self._errors.wrap(f"{self._prefix}.{key}", editor)
        # Top-aligned: a message under the neighbouring field must not shift this one.
        self._grid.addWidget(field, row, column + 1, 1, span, Qt.AlignmentFlag.AlignTop)

    def local_errors(self) -> dict[str, str]:
        """Problems found before anything is sent: a date of birth that is not a date."""
        try:
            self.date_of_birth.date_value()
        except ValueError as error:
            return {f"{self._prefix}.date_of_birth": str(error)}
        return {}

    def values(self) -> PersonInput:
        """What is typed; call `local_errors()` first (an unreadable date reads as empty)."""
        try:
            birth = self.date_of_birth.date_value()
        except ValueError:
            birth = None
        return PersonInput(
            full_name=self.full_name.text(),
            date_of_birth=birth,
            medical_record_number=self.mrn.text() if self.mrn is not None else "",
            phone=format_phone(self.phone.text()),
            email=self.email.text(),
            address_line1=self.address_line1.text(),
            address_line2=self.address_line2.text(),
            city=self.city.text(),
            region=self.region.text(),
            postal_code=self.postal_code.text(),
            preferred_language=str(self.language.currentData()),
            contact_preference=self.contact_preference.value() or ContactPreference.LETTER,
        )

    def load(self, person: PersonInput) -> None:
        self.full_name.setText(person.full_name)
        self.date_of_birth.set_date_value(person.date_of_birth)
        if self.mrn is not None:
            self.mrn.setText(person.medical_record_number)
        for edit, text in (
            (self.phone, person.phone),
            (self.email, person.email),
            (self.address_line1, person.address_line1),
            (self.address_line2, person.address_line2),
            (self.city, person.city),
            (self.region, person.region),
            (self.postal_code, person.postal_code),
        ):
            edit.setText(text)
        index = self.language.findData(person.preferred_language)
        self.language.setCurrentIndex(max(index, 0))
        self.contact_preference.set_value(person.contact_preference)

    def has_input(self) -> bool:
        """Whether anything was typed (closing the form would lose it)."""
        edits = [
            self.full_name,
            self.date_of_birth,
            self.phone,
            self.email,
            self.address_line1,
            self.address_line2,
            self.city,
            self.region,
            self.postal_code,
        ]
        if self.mrn is not None:
            edits.append(self.mrn)
        return any(edit.text().strip() for edit in edits)
