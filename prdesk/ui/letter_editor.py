"""The editable side of a letter: addressee, greeting, subject, copies and the Markdown body."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from prdesk.domain.enums import LetterStatus
from prdesk.domain.merge_fields import MARK
from prdesk.domain.readmodels import LetterInfo
from prdesk.domain.services.letter_workflow import LetterChanges
from prdesk.ui.formatting import local_date
from prdesk.ui.markdown_document import LETTER_FEATURES, read_markdown
from prdesk.ui.rich_text_edit import RichTextEdit

MARK_BACKGROUND = "#fff176"
# Dark ink on the yellow marker in every scheme: a dark palette's light text would
# vanish on it.
MARK_TEXT = "#1f1f1f"
STEPS_MARK = "[[investigation.steps_taken]]"
_FIELD_STYLE = f"""
QLineEdit[unfilled="true"] {{ background: {MARK_BACKGROUND}; color: {MARK_TEXT}; }}
"""


def changes_of(letter: LetterInfo) -> LetterChanges:
    """What the editor shows of a letter, as the changes saving it would make."""
    return LetterChanges(
        subject=letter.subject,
        salutation=letter.salutation,
        recipient_name=letter.recipient_name,
        recipient_address=letter.recipient_address,
        body=letter.body,
        copies_to=letter.copies_to,
    )


def read_only_reason(letter: LetterInfo, may_draft: bool, role: str) -> str:
    """Why the letter cannot be changed here, or "" when it can."""
    fingerprint = f"SHA-256 {letter.pdf_sha256[:8]}…" if letter.pdf_sha256 else ""
    if letter.status == LetterStatus.SENT:
        how = f" by {letter.sent_via.label.lower()}" if letter.sent_via else ""
        return (
            f"Sent on {local_date(letter.sent_on)}{how} — {fingerprint}; "
            "a correction is a new letter."
        )
    if letter.status == LetterStatus.FINALISED:
        day = letter.finalised_at.astimezone().date() if letter.finalised_at else None
        return f"Finalised on {local_date(day)} — {fingerprint}; a correction is a new letter."
    if letter.status == LetterStatus.APPROVED:
        day = letter.approved_at.astimezone().date() if letter.approved_at else None
        who = f" by {letter.approved_by_name}" if letter.approved_by_name else ""
        return f"Approved{who} on {local_date(day)} — return it to draft to change it."
    if not may_draft:
        return f"Your role ({role}) may read this letter but not change it."
    return ""


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class MarkHighlighter(QSyntaxHighlighter):
    """Paints each unfilled merge-field mark (``[[patient.phone]]``) on yellow.

    Only the view is painted: the highlight is no formatting of the text, so it never
    reaches the saved Markdown.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._format = QTextCharFormat()
        self._format.setBackground(QColor(MARK_BACKGROUND))
        self._format.setForeground(QColor(MARK_TEXT))

    def highlightBlock(self, text: str) -> None:
        for match in MARK.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self._format)


class LinesEdit(QPlainTextEdit):
    """A few lines of plain text (an address, names under "Copies to"); Tab leaves it."""

    def __init__(self, accessible_name: str, lines: int) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        line = self.fontMetrics().lineSpacing()
        margin = 2 * self.frameWidth() + 2 * int(self.document().documentMargin())
        self.setFixedHeight(lines * line + margin + 2)
        self.highlighter = MarkHighlighter(self.document())


class LetterEditor(QWidget):
    """The letter's fields: `load()` one, `changes()` is what the writer made of it.

    Marks of merge fields the case had no value for are highlighted wherever they are;
    `select_mark()` takes the writer to one.

    Signals:
        changed: the writer changed a field (not emitted while loading).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.setStyleSheet(_FIELD_STYLE)
        self.recipient_name = QLineEdit()
        self.recipient_name.setAccessibleName("Recipient's name")
        self.address = LinesEdit("Address", 4)
        self.address.setToolTip("The postal address, one line under another")
        self.salutation = QLineEdit()
        self.salutation.setAccessibleName("Greeting")
        self.salutation.setToolTip("Whom the greeting names, e.g. Mrs. Delgado")
        self.subject = QLineEdit()
        self.subject.setAccessibleName("Subject")
        self._tips = {"Greeting": self.salutation.toolTip()}
        self.copies = LinesEdit("Copies to", 2)
        self.copies.setToolTip("Who else gets a copy, one per line")
        self.body = RichTextEdit("Letter text", markdown_features=LETTER_FEATURES, underline=True)
        self.body.editor.setMinimumHeight(220)
        self.body_highlighter = MarkHighlighter(self.body.editor.document())
        self.undo_button = self._history_button("↶", "Undo (Ctrl+Z)", "Undo")
        self.redo_button = self._history_button("↷", "Redo (Ctrl+Y)", "Redo")
        self.undo_button.clicked.connect(self.body.editor.undo)
        self.redo_button.clicked.connect(self.body.editor.redo)
        self.body.editor.undoAvailable.connect(self.undo_button.setEnabled)
        self.body.editor.redoAvailable.connect(self.redo_button.setEnabled)
        self.body.add_to_bar(self.undo_button)
        self.body.add_to_bar(self.redo_button)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self._label("&Recipient", self.recipient_name), 0, 0)
        grid.addWidget(self.recipient_name, 0, 1)
        grid.addWidget(self._label("&Greeting", self.salutation), 0, 2)
        grid.addWidget(self.salutation, 0, 3)
        grid.addWidget(self._label("A&ddress", self.address), 1, 0, top)
        grid.addWidget(self.address, 1, 1, top)
        grid.addWidget(self._label("C&opies to", self.copies), 1, 2, top)
        grid.addWidget(self.copies, 1, 3, top)
        grid.addWidget(self._label("Su&bject", self.subject), 2, 0)
        grid.addWidget(self.subject, 2, 1, 1, 3)
        grid.addWidget(self._label("&Letter", self.body), 3, 0, top)
        grid.addWidget(self.body, 3, 1, 1, 3)
        grid.setRowStretch(3, 1)
        for first, second in (
            (self.recipient_name, self.salutation),
            (self.salutation, self.address),
            (self.address, self.copies),
            (self.copies, self.subject),
            (self.subject, self.body),
        ):
            QWidget.setTabOrder(first, second)

        for line in (self.recipient_name, self.salutation, self.subject):
            line.textChanged.connect(lambda _text, line=line: self._on_line_changed(line))
        for lines in (self.address, self.copies):
            lines.textChanged.connect(self._on_changed)
        self.body.changed.connect(self._on_changed)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        label.setMinimumHeight(QLineEdit().sizeHint().height())
        return label

    @staticmethod
    def _history_button(text: str, tip: str, name: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(name)
        button.setAutoRaise(True)
        # As the format bar: the keyboard has Ctrl+Z and Ctrl+Y and stays in the text.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setEnabled(False)
        return button

    # Content

    def load(self, shown: LetterInfo | LetterChanges) -> None:
        """Shows a letter (or changes to it recovered from this computer)."""
        changes = changes_of(shown) if isinstance(shown, LetterInfo) else shown
        self._loading = True
        try:
            self.recipient_name.setText(changes.recipient_name)
            self.salutation.setText(changes.salutation)
            self.subject.setText(changes.subject)
            self.address.setPlainText("\n".join(changes.recipient_address))
            self.copies.setPlainText("\n".join(changes.copies_to))
            self.body.set_markdown(changes.body)
            self.body.editor.document().clearUndoRedoStacks()
            self.body.editor.moveCursor(QTextCursor.MoveOperation.Start)
            for line in (self.recipient_name, self.salutation, self.subject):
                self._flag_marks(line)
                line.setCursorPosition(0)
        finally:
            self._loading = False

    def changes(self) -> LetterChanges:
        return LetterChanges(
            subject=self.subject.text(),
            salutation=self.salutation.text(),
            recipient_name=self.recipient_name.text(),
            recipient_address=_lines(self.address.toPlainText()),
            body=self.body.markdown(),
            copies_to=_lines(self.copies.toPlainText()),
        )

    def set_read_only(self, read_only: bool) -> None:
        """Read-only fields can still be read, selected and copied, but not typed into."""
        for line in (self.recipient_name, self.salutation, self.subject):
            line.setReadOnly(read_only)
        for lines in (self.address, self.copies):
            lines.setReadOnly(read_only)
        self.body.setReadOnly(read_only)
        if read_only:
            self.undo_button.setEnabled(False)
            self.redo_button.setEnabled(False)

    def is_read_only(self) -> bool:
        return self.body.isReadOnly()

    # Marks

    def select_mark(self, path: str) -> bool:
        """Selects the first ``[[path]]`` mark, field by field in reading order, and puts the
        focus there; False when no field holds it any longer."""
        mark = f"[[{path}]]"
        for line in (self.recipient_name, self.salutation, self.subject):
            start = line.text().find(mark)
            if start >= 0:
                line.setFocus(Qt.FocusReason.OtherFocusReason)
                line.setSelection(start, len(mark))
                return True
        for lines in (self.address, self.copies, self.body.editor):
            found = lines.document().find(mark)
            if not found.isNull():
                lines.setFocus(Qt.FocusReason.OtherFocusReason)
                lines.setTextCursor(found)
                lines.ensureCursorVisible()
                return True
        return False

    def insert_markdown(self, markdown: str) -> None:
        """Puts Markdown (a list of steps) in the body: over the selection, over the steps
        mark the cursor is in, or on its own lines after the cursor's paragraph."""
        editor = self.body.editor
        cursor = editor.textCursor()
        if not cursor.hasSelection():
            cursor = self._mark_around(cursor, STEPS_MARK) or cursor
        cursor.beginEditBlock()
        if not cursor.hasSelection() and cursor.block().text().strip():
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            cursor.insertBlock()
        cursor.insertFragment(QTextDocumentFragment(read_markdown(markdown, LETTER_FEATURES)))
        cursor.endEditBlock()
        editor.setTextCursor(cursor)
        editor.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _mark_around(cursor: QTextCursor, mark: str) -> QTextCursor | None:
        """A cursor selecting `mark` when the cursor stands in it or beside it."""
        block = cursor.block()
        offset = cursor.position() - block.position()
        start = block.text().find(mark)
        while start >= 0:
            if start <= offset <= start + len(mark):
                found = QTextCursor(block)
                found.setPosition(block.position() + start)
                found.setPosition(
                    block.position() + start + len(mark), QTextCursor.MoveMode.KeepAnchor
                )
                return found
            start = block.text().find(mark, start + 1)
        return None

    def _flag_marks(self, line: QLineEdit) -> None:
        unfilled = bool(MARK.search(line.text()))
        if line.property("unfilled") != unfilled:
            line.setProperty("unfilled", unfilled)
            line.style().unpolish(line)
            line.style().polish(line)
        tip = "Fill in or remove the highlighted merge field" if unfilled else ""
        line.setToolTip(tip or self._tips.get(line.accessibleName(), ""))

    def _on_line_changed(self, line: QLineEdit) -> None:
        self._flag_marks(line)
        self._on_changed()

    def _on_changed(self) -> None:
        if not self._loading:
            self.changed.emit()
