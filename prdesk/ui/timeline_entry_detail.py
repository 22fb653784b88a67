"""One timeline entry in full: who, when, with whom, its formatted text and its files."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.readmodels import AttachmentInfo, DepartmentRequestInfo, TimelineEntryInfo
from prdesk.ui.formatting import local_datetime
from prdesk.ui.style import TIMELINE_KIND_MARKS, badge_style
from prdesk.ui.timeline_model import request_state

_MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)
_FACTS = ("From", "To", "People", "Departments", "Audience", "Request")


def file_size(size: int) -> str:
    """A size as a file manager shows it: 980 bytes, 12 KB, 3.4 MB."""
    if size < 1024:
        return f"{size} byte{'s' if size != 1 else ''}"
    if size < 1024 * 1024:
        return f"{round(size / 1024):,} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class _Body(QTextBrowser):
    """The entry's formatted text; it never loads what the text points at."""

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        # An image in a body could name a file on this computer or a server.
        return None


class TimelineEntryDetail(QWidget):
    """Shows the entry selected in the timeline; empty until one is.

    Signals:
        edit_requested: the TimelineEntryInfo to edit.
        delete_requested: the TimelineEntryInfo to delete.
        attachment_activated: the AttachmentInfo chosen (Enter or a double click).
    """

    edit_requested = Signal(object)
    delete_requested = Signal(object)
    attachment_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry: TimelineEntryInfo | None = None

        self.empty = QLabel("Choose an entry to see it in full.")
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.kind = QLabel()
        self.kind.setProperty("role", "badge")
        self.kind.setAccessibleName("Kind of entry")
        self.kind.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Edit this entry (Enter in the timeline)")
        self.edit_button.setAutoDefault(False)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete this entry (Delete in the timeline)")
        self.delete_button.setAutoDefault(False)
        self.summary = self._text_label("Summary")
        font = self.summary.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.summary.setFont(font)
        self.when = self._text_label("When")
        self.when.setProperty("role", "hint")
        self.edited = self._text_label("Edited")
        self.edited.setProperty("role", "hint")

        self._facts: dict[str, tuple[QLabel, QLabel]] = {}
        facts = QGridLayout()
        facts.setHorizontalSpacing(8)
        facts.setVerticalSpacing(2)
        facts.setColumnStretch(1, 1)
        for row, name in enumerate(_FACTS):
            title = QLabel(f"{name}:")
            title.setProperty("role", "hint")
            title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value = self._text_label(name)
            # Both at the top of their row, so a value that wraps stays level with its name.
            top = Qt.AlignmentFlag.AlignTop
            facts.addWidget(title, row, 0, top | Qt.AlignmentFlag.AlignRight)
            facts.addWidget(value, row, 1, top)
            self._facts[name] = (title, value)

        self.body = _Body()
        self.body.setAccessibleName("Details")
        self.body.setOpenLinks(False)
        self.body.setOpenExternalLinks(False)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)

        self.attachments_title = QLabel()
        self.attachments_title.setProperty("role", "hint")
        self.attachments = QListWidget()
        self.attachments.setAccessibleName("Attachments")
        self.attachments.setToolTip("Enter or double-click opens the file")
        self.attachments.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        header = QHBoxLayout()
        header.addWidget(self.kind)
        header.addStretch(1)
        header.addWidget(self.edit_button)
        header.addWidget(self.delete_button)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addWidget(self.when)
        layout.addWidget(self.edited)
        layout.addLayout(facts)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(rule)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.attachments_title)
        layout.addWidget(self.attachments)
        # Room the details do not take stays below everything, not between the lines.
        layout.addStretch()

        self._stack = QStackedWidget()
        self._stack.addWidget(self.empty)
        self._stack.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

        self.edit_button.clicked.connect(self._on_edit)
        self.delete_button.clicked.connect(self._on_delete)
        self.attachments.itemActivated.connect(self._on_attachment)
        self.clear()

    @staticmethod
    def _text_label(name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        # Everything shown was typed by someone or came in an email: never HTML.
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        label.setAccessibleName(name)
        return label

    def show_entry(
        self,
        entry: TimelineEntryInfo,
        request: DepartmentRequestInfo | None = None,
        *,
        may_edit: bool | None = None,
        may_delete: bool | None = None,
    ) -> None:
        """Shows `entry`; Edit… only when `may_edit`, Delete only when `may_delete`.

        By default either is offered as the entry allows (not for what PR Desk wrote,
        but Delete for a file attached by mistake).
        """
        self.entry = entry
        color, _code = TIMELINE_KIND_MARKS[entry.kind]
        self.kind.setText(entry.kind.label)
        text_color = "#424242" if entry.kind.is_system else "white"
        self.kind.setStyleSheet(badge_style(color) + f" color: {text_color};")
        self.edit_button.setVisible(entry.editable if may_edit is None else may_edit)
        self.delete_button.setVisible(entry.deletable if may_delete is None else may_delete)
        self.summary.setText(entry.summary)
        self.when.setText(
            f"Happened {local_datetime(entry.occurred_at)}  ·  "
            f"recorded {local_datetime(entry.recorded_at)} by {entry.author_name}"
        )
        self.edited.setVisible(entry.edited_at is not None)
        if entry.edited_at is not None:
            self.edited.setText(
                f"Edited {local_datetime(entry.edited_at)} by {entry.edited_by_name}"
            )
        audience = (
            "Patient-facing"
            if entry.patient_facing
            else "Internal: never offered to a letter"
            if entry.internal
            else ""
        )
        state = request_state(entry, request, date.today())
        self._set_fact("From", entry.sender)
        self._set_fact("To", entry.recipients)
        self._set_fact("People", "; ".join(entry.people))
        self._set_fact("Departments", "; ".join(d.name for d in entry.departments))
        self._set_fact("Audience", audience)
        self._set_fact("Request", state[1] if state else "")
        self.body.document().setMarkdown(entry.body, _MARKDOWN)
        self.body.setVisible(bool(entry.body.strip()))
        self._show_attachments(entry.attachments)
        self._stack.setCurrentIndex(1)

    def clear(self) -> None:
        """Shows that nothing is chosen; what is hidden takes no room from the timeline."""
        self.entry = None
        self.edited.hide()
        for name in _FACTS:
            self._set_fact(name, "")
        self.body.clear()
        self._show_attachments(())
        self._stack.setCurrentIndex(0)

    def fact(self, name: str) -> str:
        """The value shown beside `name` ("People", "From"...); "" when not shown."""
        title, value = self._facts[name]
        return value.text() if not title.isHidden() else ""

    def fact_labels(self, name: str) -> tuple[QLabel, QLabel]:
        """The name and the value shown for `name`."""
        return self._facts[name]

    def body_text(self) -> str:
        return self.body.toPlainText() if self.body.isVisibleTo(self) else ""

    def _set_fact(self, name: str, text: str) -> None:
        title, value = self._facts[name]
        value.setText(text)
        title.setVisible(bool(text))
        value.setVisible(bool(text))

    def _show_attachments(self, attachments: tuple[AttachmentInfo, ...]) -> None:
        self.attachments.clear()
        for info in attachments:
            item = QListWidgetItem(f"{info.filename}  ({file_size(info.size)})")
            item.setData(Qt.ItemDataRole.UserRole, info)
            item.setToolTip(f"{info.media_type}, added {local_datetime(info.added_at)}")
            self.attachments.addItem(item)
        count = len(attachments)
        self.attachments_title.setText(f"{count} attachment{'s' if count != 1 else ''}:")
        self.attachments_title.setVisible(bool(count))
        self.attachments.setVisible(bool(count))
        if count:
            rows = min(count, 5)
            self.attachments.setFixedHeight(
                self.attachments.sizeHintForRow(0) * rows + 2 * self.attachments.frameWidth() + 2
            )

    def _on_edit(self) -> None:
        if self.entry is not None:
            self.edit_requested.emit(self.entry)

    def _on_delete(self) -> None:
        if self.entry is not None:
            self.delete_requested.emit(self.entry)

    def _on_attachment(self, item: QListWidgetItem) -> None:
        info = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(info, AttachmentInfo):
            self.attachment_activated.emit(info)
