"""The text of a letter template as an administrator edits it, with its merge fields coloured."""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from prdesk.ui import theme
from prdesk.ui.style import high_contrast_in_use, mix, readable


def _format(
    color: QColor, *, bold: bool = False, background: QColor | None = None, underline: bool = False
) -> QTextCharFormat:
    shape = QTextCharFormat()
    shape.setForeground(color)
    if bold:
        shape.setFontWeight(QFont.Weight.Bold)
    if background is not None:
        shape.setBackground(background)
    shape.setFontUnderline(underline)
    return shape


# Light-scheme colours of merge fields, conditions, the subject line and marks to fill in.
_FIELD, _LOGIC, _SUBJECT, _MARK = "#0b57d0", "#8e24aa", "#1e5e2c", "#b3261e"


class TemplateHighlighter(QSyntaxHighlighter):
    """Colours what a template writer must tell apart at a glance: merge fields, conditions,
    Markdown headings and the subject line. Each rule works within one line, as templates
    keep a field or a condition on one line.

    The colours are made for the editor's palette (`set_palette`): tinted and readable
    in light and dark; in high contrast, the system's text with underlines and bold.
    """

    _PATTERNS = (
        ("subject", re.compile(r"^\s*Subject:", re.IGNORECASE)),
        ("heading", re.compile(r"^#{1,6}\s.*$")),
        ("mark", re.compile(r"\[\[[^\]\n]*\]\]")),
        ("field", re.compile(r"\{\{.*?\}\}")),
        ("logic", re.compile(r"\{%.*?%\}")),
    )

    def __init__(self, document: QTextDocument, palette: QPalette | None = None) -> None:
        super().__init__(document)
        self.formats: dict[str, QTextCharFormat] = {}
        self.set_palette(palette or QPalette(), high_contrast=high_contrast_in_use())

    def set_palette(self, palette: QPalette, *, high_contrast: bool = False) -> None:
        """Makes the colours for text on `palette`'s base, and colours the text again."""
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        if high_contrast:
            self.formats = {
                "field": _format(text, underline=True),
                "logic": _format(text, bold=True),
                "heading": _format(text, bold=True),
                "subject": _format(text, bold=True),
                "mark": _format(
                    palette.color(QPalette.ColorRole.HighlightedText),
                    background=palette.color(QPalette.ColorRole.Highlight),
                ),
            }
        else:
            field_tint, mark_tint = mix(_FIELD, base, 0.12), mix(_MARK, base, 0.12)
            self.formats = {
                "field": _format(readable(_FIELD, field_tint), background=field_tint),
                "logic": _format(readable(_LOGIC, base), bold=True),
                "heading": _format(text, bold=True),
                "subject": _format(readable(_SUBJECT, base), bold=True),
                "mark": _format(readable(_MARK, mark_tint), background=mark_tint),
            }
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for name, pattern in self._PATTERNS:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self.formats[name])


class TemplateSourceEdit(QPlainTextEdit):
    """A monospaced editor for a template's Markdown; long paragraphs wrap at the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # Templates have no use for tab characters; Tab moves on, as everywhere else.
        self.setTabChangesFocus(True)
        self.setAccessibleName("Template text")
        self.highlighter = TemplateHighlighter(self.document(), self.palette())
        theme.follow(self.on_theme_changed)

    def on_theme_changed(self) -> None:
        self.highlighter.set_palette(self.palette(), high_contrast=high_contrast_in_use())

    def insert_field(self, path: str) -> None:
        """Puts `{{ path }}` where the cursor is (replacing any selection)."""
        self.textCursor().insertText(f"{{{{ {path} }}}}")
        self.setFocus()
