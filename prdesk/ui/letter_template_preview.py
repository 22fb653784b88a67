"""A template as a letter would print: merged with a fictional case, on the real letterhead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from prdesk.domain import letter_templates, merge_fields
from prdesk.domain.deadline_policy import Preset
from prdesk.domain.enums import LetterStatus
from prdesk.domain.errors import DomainError
from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.export.letter_pdf import render_letter_pdf
from prdesk.ui.enum_combo import EnumCombo
from prdesk.ui.operations import PlainOperation
from prdesk.ui.pdf_pages import PdfPages

# Where the sample case's complainant lives; the merge fields hold no recipient address.
SAMPLE_ADDRESS = ("9 Birch Court", "Springfield, IL 62701")
# Long enough that typing a word renders once, short enough to feel live.
PREVIEW_DELAY_MS = 450


@dataclass(frozen=True)
class SamplePreview:
    """The sample letter as PDF bytes, and the marks left in it (fields with no value)."""

    pdf: bytes
    unfilled: tuple[str, ...]


def _text(value: Any) -> str:
    return "" if isinstance(value, merge_fields.Missing) else str(value)


def sample_letter(
    source: str, key: str, language: str, *, preset: Preset = Preset.CMS
) -> LetterInfo:
    """The letter the template makes for the fictional case of the merge fields' samples.

    Raises ValidationError when the text cannot be rendered (a syntax error, or a
    reach beyond the merge fields, which the sandbox stops).
    """
    values = merge_fields.sample_values(language, preset=preset)
    title = letter_templates.template(key).title.lower()
    rendered = letter_templates.render_source(source, values, name=title)
    recipient, contact = values["recipient"], values["contact"]
    return LetterInfo(
        id=0,
        case_id=0,
        case_number=_text(values["case"]["number"]),
        template_key=key,
        language=language,
        status=LetterStatus.DRAFT,
        subject=rendered.subject,
        recipient_name=_text(recipient["full_name"]),
        recipient_address=SAMPLE_ADDRESS,
        salutation=_text(recipient["greeting_name"]),
        body=rendered.body,
        signatory_name=_text(contact["name"]),
        signatory_title=_text(contact["title"]),
        created_at=datetime.now(UTC),
        created_by_name="",
        version=1,
    )


def sample_preview(
    source: str, key: str, language: str, letterhead: Letterhead, *, preset: Preset = Preset.CMS
) -> SamplePreview:
    """Renders the sample letter; slow (ReportLab), so it runs on a worker."""
    letter = sample_letter(source, key, language, preset=preset)
    marks = merge_fields.unfilled(f"{letter.subject}\n{letter.body}")
    return SamplePreview(render_letter_pdf(letter, letterhead), marks)


class TemplatePreview(QWidget):
    """Refreshes a moment after the text stops changing; one render at a time, the
    latest text winning, so typing never piles up renders behind each other."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._letterhead: Letterhead | None = None
        self._wanted: tuple[str, str, str] | None = None
        self._busy = False
        self._again = False
        self.preset = EnumCombo(Preset, members=(Preset.CMS, Preset.NHS))
        self.preset.setAccessibleName("Preview under the rules of")
        self.preset.setToolTip("Some templates say different things under the NHS rules")
        self.marks = QLabel()
        self.marks.setProperty("role", "field-error")
        self.marks.setTextFormat(Qt.TextFormat.PlainText)
        self.marks.setWordWrap(True)
        self.marks.hide()
        self.pages = PdfPages()
        self.pages.setAccessibleName("Preview of the letter")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._render)
        form = QFormLayout()
        form.addRow("Preview &under:", self.preset)
        label = form.labelForField(self.preset)
        if isinstance(label, QLabel):
            label.setBuddy(self.preset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.marks)
        layout.addWidget(self.pages, 1)
        self.preset.currentIndexChanged.connect(self._schedule)
        self.pages.show_message("Choose a template to preview it.")

    def set_letterhead(self, letterhead: Letterhead, preset: Preset) -> None:
        """The letterhead letters print on, and the rules the department works under."""
        self._letterhead = letterhead
        self.preset.blockSignals(True)
        self.preset.set_value(Preset.NHS if preset is Preset.NHS else Preset.CMS)
        self.preset.blockSignals(False)
        self._schedule()

    def show_template(self, key: str, language: str, source: str) -> None:
        self._wanted = (key, language, source)
        self._schedule()

    def show_unusable(self, reason: str) -> None:
        """The text cannot be previewed as it stands (the problems under it say why)."""
        self._wanted = None
        self._timer.stop()
        self.marks.hide()
        self.pages.show_message(reason)

    def _schedule(self) -> None:
        self._timer.start()

    def _render(self) -> None:
        if self._wanted is None or self._letterhead is None:
            return
        if self._busy:
            self._again = True
            return
        (key, language, source), head = self._wanted, self._letterhead
        preset = self.preset.value() or Preset.CMS
        self._busy = True
        (
            PlainOperation(self, lambda: sample_preview(source, key, language, head, preset=preset))
            .alongside(long=True)
            .success(self._on_rendered)
            .failure(self._on_failed)
            .done(self._on_done)
            .run()
        )

    def _on_rendered(self, preview: SamplePreview) -> None:
        if self._wanted is None:
            return
        marks = ", ".join(f"[[{path}]]" for path in preview.unfilled)
        self.marks.setText(f"Left as marks in the letter: {marks}" if marks else "")
        self.marks.setVisible(bool(marks))
        self.pages.show_pdf(preview.pdf)

    def _on_failed(self, error: DomainError) -> None:
        self.marks.hide()
        self.pages.show_message(error.message)

    def _on_done(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self._render()
