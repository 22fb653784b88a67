"""The letterhead an administrator sets: name, address, logo, paper and the footer every letter carries."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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
from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import Letterhead
from prdesk.domain.services import organisation
from prdesk.export.letter_pdf import render_letter_pdf
from prdesk.ui.context import AppContext
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.letter_template_preview import PREVIEW_DELAY_MS, sample_letter
from prdesk.ui.operations import PlainOperation
from prdesk.ui.pdf_pages import PdfPages
from prdesk.ui.picture_files import PICTURE_FILTER, picture_pixmap, read_picture
from prdesk.ui.style import STYLESHEET


def _sample_pdf(letterhead: Letterhead) -> bytes:
    source = letter_templates.shipped_source("acknowledgement", "en")
    return render_letter_pdf(sample_letter(source, "acknowledgement", "en"), letterhead)


class LetterheadDialog(QDialog):
    """`load()` fills the form, `save()` writes it on a worker; the page beside the form
    shows a sample letter on the letterhead as it stands.

    Signals:
        saved: the Letterhead, once written.
    """

    saved = Signal(object)
    _LOGO_ROOM = QSize(220, 90)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._allowed = ctx.may(Action.MANAGE_ORGANISATION)
        self._loaded: Letterhead | None = None
        self._logo: bytes | None = None
        self.setWindowTitle("Letterhead — PR Desk")
        self.setStyleSheet(STYLESHEET)
        self.banner = InfoBar()
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
        self.remove_logo = QPushButton("Re&move")
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
        self.preview.setMinimumWidth(340)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._lay_out()
        self._connect_signals()
        for line in self._lines():
            line.setReadOnly(not self._allowed)
        for text in (self.address, self.confidentiality):
            text.setReadOnly(not self._allowed)
        for control in (self.choose_logo, self.remove_logo, self.paper):
            control.setEnabled(self._allowed)
        if not self._allowed:
            self.banner.show_message("Only an administrator changes the letterhead.", kind="info")
        self.resize(980, 680)

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
        printing: tuple[tuple[str, QWidget], ...] = (
            ("Pape&r:", self.paper),
            ("&Footer:", self.confidentiality),
        )
        for text, control in printing:
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
        columns = QHBoxLayout()
        columns.addLayout(fields, 3)
        columns.addLayout(preview, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.choose_logo.clicked.connect(self._choose_logo_file)
        self.remove_logo.clicked.connect(lambda: self.set_logo(None))
        for line in self._lines():
            line.textChanged.connect(self._timer.start)
        self.address.textChanged.connect(self._timer.start)
        self.confidentiality.textChanged.connect(self._timer.start)
        self.paper.currentIndexChanged.connect(self._timer.start)
        self._timer.timeout.connect(self._render_preview)

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
        self.save_button.setEnabled(self._allowed)
        self._timer.stop()  # the setters above each asked for a preview: one will do
        self._render_preview()

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

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        actor, chosen = self._ctx.actor, self.letterhead()
        self.save_button.setEnabled(False)
        self.banner.hide()
        (
            self._ctx.operation(
                self, lambda session: organisation.set_letterhead(session, actor, chosen)
            )
            .success(self._on_saved)
            .failure(self._show_error)
            .done(lambda: self.save_button.setEnabled(self._allowed))
            .run()
        )

    def _on_saved(self, letterhead: Letterhead) -> None:
        self._loaded = letterhead
        self.saved.emit(letterhead)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        self.banner.show_message(error.message, kind="error")


def edit_letterhead(ctx: AppContext, parent: QWidget) -> None:
    """Reads the letterhead on a worker, then shows it for editing (saved on a worker too)."""

    def show(letterhead: Letterhead) -> None:
        dialog = LetterheadDialog(ctx, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.load(letterhead)
        dialog.open()

    ctx.operation(parent, organisation.letterhead, read_only=True).success(show).run()
