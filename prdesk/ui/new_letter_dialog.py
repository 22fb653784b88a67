"""Choosing the letter to write on a case: which template, in which language."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain import letter_templates
from prdesk.domain.readmodels import CaseDetail
from prdesk.ui.languages import language_name


@dataclass(frozen=True)
class LetterChoice:
    template_key: str
    language: str


def _base(code: str) -> str:
    return (code or "en").split("-")[0].lower()


class NewLetterDialog(QDialog):
    """Every template; the language is the addressee's own when the template has it.

    When it does not, the letter is written in English and the dialog says so, so
    that nobody believes a translated letter is on its way.
    """

    def __init__(self, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New letter on {detail.number}")
        self._preferred = _base(detail.addressee.preferred_language)
        intro = QLabel(f"To {detail.addressee.full_name}")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setProperty("role", "hint")
        self.template = QComboBox()
        self.template.setAccessibleName("Letter")
        for tpl in letter_templates.BUILT_IN:
            self.template.addItem(tpl.title, tpl.key)
        self.language = QComboBox()
        self.language.setAccessibleName("Language")
        self.note = QLabel()
        self.note.setProperty("role", "hint")
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Letter:", self.template)
        form.addRow("Lan&guage:", self.language)
        form.addRow("", self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.accept_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.accept_button.setText("&Draft letter")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.template.currentIndexChanged.connect(self._offer_languages)
        self.language.currentIndexChanged.connect(self._explain_language)
        self._offer_languages()
        self.resize(440, 0)

    def select_template(self, key: str) -> None:
        self.template.setCurrentIndex(max(self.template.findData(key), 0))

    def select_language(self, code: str) -> None:
        index = self.language.findData(code)
        if index >= 0:
            self.language.setCurrentIndex(index)

    def value(self) -> LetterChoice:
        return LetterChoice(str(self.template.currentData()), str(self.language.currentData()))

    def _offer_languages(self) -> None:
        tpl = letter_templates.template(str(self.template.currentData()))
        self.language.blockSignals(True)
        self.language.clear()
        for code in tpl.languages:
            self.language.addItem(language_name(code), code)
        default = self._preferred if self._preferred in tpl.languages else "en"
        self.language.setCurrentIndex(max(self.language.findData(default), 0))
        self.language.blockSignals(False)
        self._explain_language()

    def _explain_language(self) -> None:
        tpl = letter_templates.template(str(self.template.currentData()))
        missing = self._preferred not in tpl.languages
        self.note.setText(
            f"Not available in {language_name(self._preferred)}; written in English"
            if missing and self.language.currentData() == "en"
            else ""
        )
        self.note.setVisible(bool(self.note.text()))

    @classmethod
    def ask(cls, parent: QWidget | None, detail: CaseDetail) -> LetterChoice | None:
        dialog = cls(detail, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
