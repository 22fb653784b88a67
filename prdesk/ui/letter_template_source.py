"""The text of a letter template as an administrator edits it, with its merge fields coloured."""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget


def _format(color: str, *, bold: bool = False, background: str = "") -> QTextCharFormat:
    shape = QTextCharFormat()
    shape.setForeground(QColor(color))
    if bold:
        shape.setFontWeight(QFont.Weight.Bold)
    if background:
        shape.setBackground(QColor(background))
    return shape


class TemplateHighlighter(QSyntaxHighlighter):
    """Colours what a template writer must tell apart at a glance: merge fields, conditions,
    Markdown headings and the subject line. Each rule works within one line, as templates
    keep a field or a condition on one line."""

    FIELD = _format("#0b57d0", background="#e8f0fe")
    LOGIC = _format("#8e24aa", bold=True)
    HEADING = _format("#1f1f1f", bold=True)
    SUBJECT = _format("#1e5e2c", bold=True)
    MARK = _format("#b3261e", background="#fdecea")

    _RULES: tuple[tuple[re.Pattern[str], QTextCharFormat], ...] = (
        (re.compile(r"^\s*Subject:", re.IGNORECASE), SUBJECT),
        (re.compile(r"^#{1,6}\s.*$"), HEADING),
        (re.compile(r"\[\[[^\]\n]*\]\]"), MARK),
        (re.compile(r"\{\{.*?\}\}"), FIELD),
        (re.compile(r"\{%.*?%\}"), LOGIC),
    )

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)

    def highlightBlock(self, text: str) -> None:
        for pattern, shape in self._RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), shape)


class TemplateSourceEdit(QPlainTextEdit):
    """A monospaced editor for a template's Markdown; long paragraphs wrap at the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # Templates have no use for tab characters; Tab moves on, as everywhere else.
        self.setTabChangesFocus(True)
        self.setAccessibleName("Template text")
        self.highlighter = TemplateHighlighter(self.document())

    def insert_field(self, path: str) -> None:
        """Puts `{{ path }}` where the cursor is (replacing any selection)."""
        self.textCursor().insertText(f"{{{{ {path} }}}}")
        self.setFocus()
