"""The letterhead's fields beside a sample letter printed on it: for the Letterhead dialog and Settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain import letter_templates
from prdesk.domain.enums import PaperFormat
from prdesk.domain.errors import ValidationError
from prdesk.domain.readmodels import Letterhead
from prdesk.domain.services import organisation
from prdesk.export.letter_pdf import render_letter_pdf
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.letter_template_preview import PREVIEW_DELAY_MS, sample_letter
from prdesk.ui.operations import PlainOperation
from prdesk.ui.pdf_pages import PdfPages
from prdesk.ui.picture_files import PICTURE_FILTER, picture_pixmap, read_picture


def _sample_pdf(letterhead: Letterhead) -> bytes:
    source = letter_templates.shipped_source("acknowledgement", "en")
    return render_letter_pdf(sample_letter(source, "acknowledgement", "en"), letterhead)


class LetterheadForm(QWidget):
    """The letterhead's fields beside a sample letter printed on it, as they stand.

    Used by the Letterhead dialog and by the Organisation settings page.

    Signals:
        edited: the person changed a field.
    """

    edited = Signal()
    _LOGO_ROOM = QSize(220, 90)

    def __init__(
        self, allowed: bool, parent: QWidget | None = None, *, preview_width: int = 340
    ) -> None:
        super().__init__(parent)
        self._allowed = allowed
        self._loaded: Letterhead | None = None
        self._logo: bytes | None = None
        self.organisation = self._line("Organisation", "Riverside General Hospital")
        self.department = self._line("Department", "Patient Relations")
        self.address = QPlainTextEdit()
        self.address.setAccessibleName("Address, one line per line")
        self.address.setPlaceholderText("1200 River Road\nSpringfield, IL 62701")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.phone = self._line("Phone", "(555) 010-3000")
        self.email = self._line("Email", "patientrelations@hospital.org")
        self.website = self._line("Website", "www.hospital.org")
        self.logo = QLabel()
        self.logo.setFrameShape(QFrame.Shape.StyledPanel)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo.setFixedSize(self._LOGO_ROOM + QSize(12, 12))
        self.logo.setAccessibleName("Logo")
        self.choose_logo = QPushButton("C&hoose…")
        self.choose_logo.setAccessibleName("Choose the logo")
        self.remove_logo = QPushButton("Re&move")
        self.remove_logo.setAccessibleName("Remove the logo")
        for button in (self.choose_logo, self.remove_logo):
            button.setAutoDefault(False)
        self.logo_error = QLabel()
        self.logo_error.setProperty("role", "field-error")
        self.logo_error.setTextFormat(Qt.TextFormat.PlainText)
        self.logo_error.setWordWrap(True)
        self.logo_error.hide()
        self.paper = EnumCombo(PaperFormat)
        self.paper.setAccessibleName("Paper")
        self.confidentiality = QPlainTextEdit()
        self.confidentiality.setAccessibleName("Confidentiality footer")
        self.confidentiality.setTabChangesFocus(True)
        self.confidentiality.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.preview = PdfPages(page_pixels=900)
        self.preview.setAccessibleName("Sample letter on this letterhead")
        self.preview.setMinimumWidth(preview_width)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._lay_out()
        self._connect_signals()
        for line in self._lines():
            line.setReadOnly(not allowed)
        for text in (self.address, self.confidentiality):
            text.setReadOnly(not allowed)
        for control in (self.choose_logo, self.remove_logo, self.paper):
            control.setEnabled(allowed)

    @staticmethod
    def _line(name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setPlaceholderText(placeholder)
        return field

    def _lines(self) -> tuple[QLineEdit, ...]:
        return (self.organisation, self.department, self.phone, self.email, self.website)

    def _lay_out(self) -> None:
        form = QFormLayout()
        for text, field in (
            ("&Organisation:", self.organisation),
            ("&Department:", self.department),
            ("&Address:", self.address),
            ("&Phone:", self.phone),
            ("&Email:", self.email),
            ("&Website:", self.website),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.choose_logo)
        logo_buttons.addWidget(self.remove_logo)
        logo_buttons.addStretch(1)
        logo_hint = QLabel("PNG or JPEG, at most 2 MB; printed at the left of the letterhead.")
        logo_hint.setProperty("role", "hint")
        logo_hint.setWordWrap(True)
        logo_buttons.addWidget(logo_hint)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo)
        logo_row.addLayout(logo_buttons, 1)
        logo_column = QVBoxLayout()
        logo_column.addLayout(logo_row)
        logo_column.addWidget(self.logo_error)
        form.addRow("Logo:", logo_column)
        for text, control in (("Pape&r:", self.paper), ("&Footer:", self.confidentiality)):
            label = QLabel(text)
            label.setBuddy(control)
            form.addRow(label, control)
        fields = QVBoxLayout()
        fields.addLayout(form)
        fields.addStretch(1)
        preview_title = QLabel("Page 1 of a sample letter")
        preview_title.setProperty("role", "hint")
        preview = QVBoxLayout()
        preview.addWidget(preview_title)
        preview.addWidget(self.preview, 1)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(fields, 3)
        columns.addLayout(preview, 2)

    def _connect_signals(self) -> None:
        self.choose_logo.clicked.connect(self._choose_logo_file)
        self.remove_logo.clicked.connect(lambda: self.set_logo(None))
        for line in self._lines():
            line.textChanged.connect(self._timer.start)
            line.textEdited.connect(self.edited)
        for text in (self.address, self.confidentiality):
            text.textChanged.connect(self._timer.start)
            text.textChanged.connect(self._on_text_changed)
        self.paper.currentIndexChanged.connect(self._timer.start)
        self.paper.activated.connect(self.edited)
        self._timer.timeout.connect(self._render_preview)

    def _on_text_changed(self) -> None:
        if self._loaded is not None and self.letterhead() != self._loaded:
            self.edited.emit()

    def load(self, letterhead: Letterhead) -> None:
        """Shows the letterhead as saved; saving later writes over it."""
        self._loaded = letterhead
        self.organisation.setText(letterhead.organisation)
        self.department.setText(letterhead.department)
        self.address.setPlainText("\n".join(letterhead.address_lines))
        self.phone.setText(letterhead.phone)
        self.email.setText(letterhead.email)
        self.website.setText(letterhead.website)
        self.paper.set_value(letterhead.paper)
        self.confidentiality.setPlainText(letterhead.confidentiality)
        self.set_logo(letterhead.logo)
        self._timer.stop()  # the setters above each asked for a preview: one will do
        self._render_preview()

    @property
    def loaded(self) -> Letterhead | None:
        return self._loaded

    def letterhead(self) -> Letterhead:
        """The letterhead as the form has it now."""
        base = self._loaded or organisation.DEFAULT_LETTERHEAD
        lines = tuple(line.strip() for line in self.address.toPlainText().splitlines())
        return replace(
            base,
            organisation=self.organisation.text().strip(),
            department=self.department.text().strip(),
            address_lines=tuple(line for line in lines if line),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            website=self.website.text().strip(),
            logo=self._logo,
            paper=self.paper.value() or PaperFormat.US_LETTER,
            confidentiality=" ".join(self.confidentiality.toPlainText().split()),
        )

    def use_logo_file(self, path: Path) -> bool:
        """Takes the picture at `path` as the logo; False (with the reason shown) if unusable."""
        try:
            data = read_picture(path, limit=organisation.LOGO_LIMIT, what="a logo")
        except ValidationError as error:
            self.logo_error.setText(error.message)
            self.logo_error.show()
            return False
        self.set_logo(data)
        self.edited.emit()
        return True

    def set_logo(self, data: bytes | None) -> None:
        self._logo = data or None
        self.logo_error.hide()
        pixmap = picture_pixmap(self._logo, self._LOGO_ROOM)
        self.logo.setPixmap(pixmap)
        if pixmap.isNull():
            self.logo.setText("No logo")
        self.remove_logo.setEnabled(self._allowed and self._logo is not None)
        self._timer.start()

    def _choose_logo_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, "Choose the logo", "", PICTURE_FILTER)
        if chosen:
            self.use_logo_file(Path(chosen))

    def _render_preview(self) -> None:
        head = self.letterhead()
        if not head.organisation:
            self.preview.show_message("Enter the organisation's name to see a sample letter.")
            return
        (
            PlainOperation(self, lambda: _sample_pdf(head))
            .alongside(long=True)
            .success(self.preview.show_pdf)
            .failure(lambda error: self.preview.show_message(error.message))
            .run()
        )
