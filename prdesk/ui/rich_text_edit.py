"""A Markdown text box with a small format bar: bold, italic, lists, headings, and nothing else.

Timeline bodies are stored as Markdown (see prdesk/domain/rich_text.py), so the editor
offers only what Markdown can hold: underline, colours, fonts and tables have no
Markdown form and would be lost silently on saving. Pasted rich text is reduced to
that subset as it arrives, so what is on screen is what will be kept. Letters read
Markdown in GitHub's dialect, where `_text_` is underlined: their editor adds an
underline button (`underline=True` with `LETTER_FEATURES`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QKeySequence,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextList,
    QTextListFormat,
)
from PySide6.QtWidgets import QHBoxLayout, QTextEdit, QToolButton, QVBoxLayout, QWidget

from prdesk.ui.markdown_document import (
    BULLETS,
    READ_FEATURES,
    list_of,
    reduced_to_markdown,
    to_markdown,
)
from prdesk.ui.markdown_repair import faithful_markdown


class MarkdownTextEdit(QTextEdit):
    """The text area: pastes are reduced to what Markdown holds; Tab moves to the next field."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        features: QTextDocument.MarkdownFeature = READ_FEATURES,
        underline: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setAcceptRichText(True)
        self.features = features
        self.keeps_underline = underline

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasHtml():
            pasted = QTextDocument()
            pasted.setHtml(source.html())
            fragment = reduced_to_markdown(pasted, self.features, underline=self.keeps_underline)
            self.textCursor().insertFragment(fragment)
            self.ensureCursorVisible()
        elif source.hasText():
            # Plain text keeps its characters: a "*" typed in an email is not emphasis.
            self.textCursor().insertText(source.text(), QTextCharFormat())
            self.ensureCursorVisible()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasHtml() or source.hasText()


class RichTextEdit(QWidget):
    """A format bar over a MarkdownTextEdit; `markdown()` / `set_markdown()` in and out.

    Shortcuts (while the text has focus): Ctrl+B bold, Ctrl+I italic, Ctrl+U underline
    (with `underline=True`), Ctrl+Shift+8 bulleted list, Ctrl+Shift+7 numbered list,
    Ctrl+Alt+1 / Ctrl+Alt+2 headings, Ctrl+Space plain text.

    `markdown_features` is the dialect the text is read in: the default reads `_text_`
    as italic; LETTER_FEATURES reads it as underline, which the underline button writes.

    Signals:
        changed: the text or its formatting changed.
    """

    changed = Signal()

    def __init__(
        self,
        accessible_name: str,
        parent: QWidget | None = None,
        *,
        markdown_features: QTextDocument.MarkdownFeature = READ_FEATURES,
        underline: bool = False,
    ) -> None:
        super().__init__(parent)
        self._features = markdown_features
        self.editor = MarkdownTextEdit(features=markdown_features, underline=underline)
        self.editor.setAccessibleName(accessible_name)
        self._lines: tuple[int, int] | None = None
        self.setFocusProxy(self.editor)

        self.bold = self._action("B", "Bold", "Ctrl+B", self._toggle_bold, checkable=True)
        self.italic = self._action("I", "Italic", "Ctrl+I", self._toggle_italic, checkable=True)
        self.underline: QAction | None = None
        if underline:
            self.underline = self._action(
                "U", "Underline", "Ctrl+U", self._toggle_underline, checkable=True
            )
            underline_font = QFont()
            underline_font.setUnderline(True)
            self.underline.setFont(underline_font)
        self.bullets = self._action(
            "•≡", "Bulleted list", "Ctrl+Shift+8", lambda: self._toggle_list(numbered=False)
        )
        self.numbers = self._action(
            "1≡", "Numbered list", "Ctrl+Shift+7", lambda: self._toggle_list(numbered=True)
        )
        self.heading1 = self._action("H1", "Heading", "Ctrl+Alt+1", lambda: self._heading(1))
        self.heading2 = self._action("H2", "Subheading", "Ctrl+Alt+2", lambda: self._heading(2))
        self.plain = self._action("A̶", "Clear formatting", "Ctrl+Space", self.clear_formatting)
        for action in (self.bullets, self.numbers, self.heading1, self.heading2):
            action.setCheckable(True)
        bold_font, italic_font = QFont(), QFont()
        bold_font.setBold(True)
        italic_font.setItalic(True)
        self.bold.setFont(bold_font)
        self.italic.setFont(italic_font)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(1)
        buttons: tuple[QAction | None, ...] = (
            self.bold,
            self.italic,
            *((self.underline,) if self.underline is not None else ()),
            None,
            self.bullets,
            self.numbers,
            None,
            self.heading1,
            self.heading2,
            None,
            self.plain,
        )
        for button in buttons:
            self._add_button(bar, button)
        bar.addStretch(1)
        self._bar = bar
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.editor, 1)

        self.editor.currentCharFormatChanged.connect(self._show_format)
        self.editor.cursorPositionChanged.connect(self._show_format)
        self.editor.textChanged.connect(self.changed)
        self.editor.document().documentLayout().documentSizeChanged.connect(self._fit)

    def add_to_bar(self, widget: QWidget) -> None:
        """Puts `widget` at the right end of the format bar, where it takes no line of its own."""
        self._bar.addWidget(widget)

    def _action(
        self, text: str, name: str, keys: str, slot: Callable[[], None], *, checkable: bool = False
    ) -> QAction:
        action = QAction(text, self)
        action.setToolTip(
            f"{name} ({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setCheckable(checkable)
        action.setData(name)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _add_button(self, bar: QHBoxLayout, action: QAction | None) -> None:
        if action is None:
            bar.addSpacing(6)
            return
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setAccessibleName(str(action.data()))
        # The format bar is for the mouse; the keyboard has the shortcuts and stays in the text.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setFixedSize(QSize(26, 22))
        bar.addWidget(button)

    # Content

    def markdown(self) -> str:
        """The text as Markdown ("" when nothing but blanks was typed)."""
        if not self.editor.toPlainText().strip():
            return ""
        document = self.editor.document()
        return faithful_markdown(document, to_markdown(document), self._features)

    def set_markdown(self, markdown: str) -> None:
        self.editor.document().setMarkdown(markdown, self._features)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)

    def toPlainText(self) -> str:
        return self.editor.toPlainText()

    def setPlainText(self, text: str) -> None:
        self.editor.setPlainText(text)

    def clear(self) -> None:
        self.editor.clear()
        self.editor.setCurrentCharFormat(QTextCharFormat())

    def isReadOnly(self) -> bool:
        return self.editor.isReadOnly()

    def setReadOnly(self, read_only: bool) -> None:
        self.editor.setReadOnly(read_only)
        for action in self.actions():
            action.setEnabled(not read_only)

    def setPlaceholderText(self, text: str) -> None:
        self.editor.setPlaceholderText(text)

    def grow_with_text(self, fewest_lines: int, most_lines: int) -> None:
        """Shows `fewest_lines` when empty and grows with the text up to `most_lines`."""
        self._lines = (fewest_lines, most_lines)
        self._fit()

    def _fit(self) -> None:
        if self._lines is None:
            return
        fewest, most = self._lines
        line = self.editor.fontMetrics().lineSpacing()
        chrome = 2 * self.editor.frameWidth() + 2 * int(self.editor.document().documentMargin())
        content = int(self.editor.document().size().height()) + 2 * self.editor.frameWidth()
        self.editor.setFixedHeight(max(fewest * line + chrome, min(most * line + chrome, content)))

    # Formatting

    def _toggle_bold(self) -> None:
        fmt = QTextCharFormat()
        bold = self.editor.fontWeight() >= QFont.Weight.DemiBold
        fmt.setFontWeight(QFont.Weight.Normal if bold else QFont.Weight.Bold)
        self.editor.mergeCurrentCharFormat(fmt)
        self._show_format()

    def _toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.editor.fontItalic())
        self.editor.mergeCurrentCharFormat(fmt)
        self._show_format()

    def _toggle_underline(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontUnderline(not self.editor.fontUnderline())
        self.editor.mergeCurrentCharFormat(fmt)
        self._show_format()

    def _toggle_list(self, *, numbered: bool) -> None:
        cursor = self.editor.textCursor()
        current = _current_list(cursor)
        cursor.beginEditBlock()
        if current is not None and (current.format().style() not in BULLETS) == numbered:
            for block in _selected_blocks(cursor):
                if (in_list := list_of(block)) is not None:
                    in_list.remove(block)
                    unindented = block.blockFormat()
                    unindented.setIndent(0)
                    QTextCursor(block).setBlockFormat(unindented)
        else:
            fmt = QTextListFormat()
            fmt.setStyle(
                QTextListFormat.Style.ListDecimal if numbered else QTextListFormat.Style.ListDisc
            )
            if current is not None:
                current.setFormat(fmt)
            else:
                cursor.createList(fmt)
        cursor.endEditBlock()
        self._show_format()

    def _heading(self, level: int) -> None:
        cursor = self.editor.textCursor()
        if cursor.blockFormat().headingLevel() == level:
            level = 0
        cursor.beginEditBlock()
        for block in _selected_blocks(cursor):
            _set_heading(block, level)
        cursor.endEditBlock()
        fmt = QTextCharFormat()
        _heading_char_format(fmt, level)
        self.editor.mergeCurrentCharFormat(fmt)
        self._show_format()

    def clear_formatting(self) -> None:
        """Plain paragraphs: no bold, italic, list or heading in the selection (or this line)."""
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        for block in _selected_blocks(cursor):
            if (in_list := list_of(block)) is not None:
                in_list.remove(block)
            whole = QTextCursor(block)
            whole.setBlockFormat(QTextBlockFormat())
            whole.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            whole.setCharFormat(QTextCharFormat())
        cursor.endEditBlock()
        self.editor.setCurrentCharFormat(QTextCharFormat())
        self._show_format()

    def _show_format(self) -> None:
        cursor = self.editor.textCursor()
        heading = cursor.blockFormat().headingLevel()
        current = _current_list(cursor)
        style = current.format().style() if current is not None else None
        self.bold.setChecked(heading == 0 and self.editor.fontWeight() >= QFont.Weight.DemiBold)
        self.italic.setChecked(self.editor.fontItalic())
        if self.underline is not None:
            self.underline.setChecked(self.editor.fontUnderline())
        self.bullets.setChecked(style in BULLETS)
        self.numbers.setChecked(style is not None and style not in BULLETS)
        self.heading1.setChecked(heading == 1)
        self.heading2.setChecked(heading == 2)


def _current_list(cursor: QTextCursor) -> QTextList | None:
    found: QTextList | None = cursor.currentList()
    return found


def _selected_blocks(cursor: QTextCursor) -> list[QTextBlock]:
    document = cursor.document()
    first = document.findBlock(cursor.selectionStart())
    last = document.findBlock(cursor.selectionEnd())
    blocks = [first]
    while blocks[-1] != last and blocks[-1].next().isValid():
        blocks.append(blocks[-1].next())
    return blocks


def _heading_char_format(fmt: QTextCharFormat, level: int) -> None:
    # As QTextDocument.setMarkdown formats headings, so typed and loaded ones look alike.
    fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, 4 - level if level else 0)
    fmt.setFontWeight(QFont.Weight.Bold if level else QFont.Weight.Normal)


def _set_heading(block: QTextBlock, level: int) -> None:
    cursor = QTextCursor(block)
    fmt = block.blockFormat()
    fmt.setHeadingLevel(level)
    cursor.setBlockFormat(fmt)
    in_list = list_of(block)
    if level and in_list is not None:
        in_list.remove(block)
    chars = QTextCharFormat()
    _heading_char_format(chars, level)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeCharFormat(chars)
    cursor.mergeBlockCharFormat(chars)
