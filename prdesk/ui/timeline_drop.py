"""Files and emails dropped on a case's timeline (or chosen with "Attach files…") become entries."""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import SIGNAL, QEvent, QMimeData, QObject, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QAbstractScrollArea, QFileDialog, QWidget

from prdesk.domain import timeline_files
from prdesk.domain.errors import DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.domain.services import attachments, organisation, timeline, users
from prdesk.ui import attachment_files
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message
from prdesk.ui.operations import PlainOperation

ATTACH_SHORTCUT = "Ctrl+Shift+A"
# What Qt on Windows calls the formats Outlook offers when a message is dragged out of
# it: there is no file, only a list of names and the content of each.
OUTLOOK_NAMES = 'application/x-qt-windows-mime;value="FileGroupDescriptorW"'
OUTLOOK_CONTENT = 'application/x-qt-windows-mime;value="FileContents"'
# FILEGROUPDESCRIPTORW: a 4-byte count, then 592-byte FILEDESCRIPTORW records whose
# last 520 bytes are the UTF-16 name (260 characters, NUL-padded).
_DESCRIPTOR_SIZE, _NAME_OFFSET, _NAME_BYTES = 592, 72, 520
OUTLOOK_REFUSAL = (
    "Outlook did not hand over this message. Drag it from Outlook to a folder or the "
    "desktop first, then drop the saved file here."
)


def local_paths(mime: QMimeData) -> list[Path]:
    """The local files being dragged (links to web pages are not files)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def outlook_names(mime: QMimeData) -> list[str]:
    """The names of the messages or attachments dragged out of Outlook, if that is what it is."""
    if not mime.hasFormat(OUTLOOK_NAMES):
        return []
    data = bytes(mime.data(OUTLOOK_NAMES).data())
    if len(data) < 4:
        return []
    (count,) = struct.unpack_from("<I", data)
    names = []
    for index in range(count):
        start = 4 + index * _DESCRIPTOR_SIZE + _NAME_OFFSET
        raw = data[start : start + _NAME_BYTES]
        if len(raw) < _NAME_BYTES:
            break
        name = raw.decode("utf-16-le", errors="replace").split("\0", 1)[0].strip()
        if name:
            names.append(name)
    return names


@dataclass(frozen=True)
class DropResult:
    """What became of the files.

    Attributes:
        refused: (file name, reason) for each file not added.
        problem: why nothing was added, when the timeline refused the whole batch.
    """

    added: tuple[TimelineEntryInfo, ...]
    refused: tuple[tuple[str, str], ...]
    problem: str = ""

    def report(self) -> str:
        lines = []
        if self.added:
            count = len(self.added)
            lines.append(f"Added {count} {'entry' if count == 1 else 'entries'} to the timeline.")
        if self.problem:
            lines.append(f"Nothing was added: {self.problem}")
        if self.refused:
            lines.append("Not added:")
            lines += [f"• {name}: {reason}" for name, reason in self.refused]
        return "\n".join(lines) or "There was nothing to add."

    @property
    def complete(self) -> bool:
        return not self.refused and not self.problem


class DropOverlay(QWidget):
    """A translucent veil over the timeline while files are dragged over it."""

    TEXT = "Drop files to add them to the timeline"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        # Drag events go through it to the timeline underneath.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAccessibleName(self.TEXT)
        self.hide()

    def cover(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = self.palette().highlight().color()
        veil = QColor(accent)
        veil.setAlpha(40)
        box = QRectF(self.rect()).adjusted(6, 6, -6, -6)
        painter.setBrush(veil)
        painter.setPen(QPen(accent, 2, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(box, 10, 10)
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(accent.darker(140))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.TEXT)
        painter.end()


class TimelineDrop(QObject):
    """Installed on the timeline: takes dropped files and adds them to the case.

    Attributes:
        attach_action: "Attach files…" (Ctrl+Shift+A) for a button or a menu.
        overlay: the highlight shown while a drag hovers.

    Signals:
        reported: what was added and what was refused (with each file's name and reason),
            for the case's info bar; a message box says it when nothing is connected.
        added: the entries added, a list of TimelineEntryInfo.
    """

    reported = Signal(str)
    added = Signal(list)

    def __init__(self, ctx: AppContext, target: QWidget) -> None:
        super().__init__(target)
        self._ctx = ctx
        self._target = target
        self._case_id: int | None = None
        self.overlay = DropOverlay(target)
        watched = [target]
        if isinstance(target, QAbstractScrollArea):
            watched.append(target.viewport())
        for widget in watched:
            widget.setAcceptDrops(True)
            widget.installEventFilter(self)
        self.attach_action = QAction("&Attach files…", target)
        self.attach_action.setShortcut(QKeySequence(ATTACH_SHORTCUT))
        self.attach_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.attach_action.setToolTip(
            f"Add documents, images or emails to the timeline ({ATTACH_SHORTCUT})"
        )
        self.attach_action.triggered.connect(self.attach_files)
        target.addAction(self.attach_action)
        self._update_enabled()

    def set_case(self, case_id: int | None) -> None:
        self._case_id = case_id
        self._update_enabled()

    def accepting(self) -> bool:
        return self._case_id is not None and self._ctx.may(Action.ADD_TIMELINE_ENTRY)

    def choose_files(self) -> list[Path]:
        """The open-files dialog; tests replace this method."""
        accepted = timeline_files.DOCUMENT_EXTENSIONS | timeline_files.EMAIL_EXTENSIONS
        patterns = " ".join(f"*{extension}" for extension in sorted(accepted))
        chosen, _filter = QFileDialog.getOpenFileNames(
            self._target,
            "Attach files to the timeline",
            "",
            f"Documents, images and emails ({patterns});;All files (*)",
        )
        return [Path(name) for name in chosen]

    def attach_files(self) -> None:
        if not self.accepting():
            return
        paths = self.choose_files()
        if paths:
            self.add_files(paths)

    def add_files(self, paths: Sequence[Path], outlook: Sequence[tuple[str, bytes]] = ()) -> None:
        """Reads the files and adds them to the case in one go, on a worker thread.

        `outlook` holds (name, content) of messages dragged straight out of Outlook.
        """
        case_id = self._case_id
        if case_id is None or not (paths or outlook):
            return
        count = len(paths) + len(outlook)
        self.reported.emit(f"Adding {count} {'file' if count == 1 else 'files'} to the timeline…")
        ctx = self._ctx
        folder = attachment_files.session_folder() if outlook else None

        def work() -> DropResult:
            with contextlib.ExitStack() as held:
                # A message from Outlook is a file only while it is read.
                held_paths = [
                    held.enter_context(folder.holding(name, data))
                    for name, data in outlook
                    if folder is not None
                ]
                return _add(ctx, case_id, [*paths, *held_paths])

        (
            PlainOperation(self._target, work, hub=ctx.hub)
            .changes(Change.to_case(case_id, Change.TIMELINE))
            .success(self._on_finished)
            .run()
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent | QDragMoveEvent):
            if not (self.accepting() and _carries_files(event.mimeData())):
                return False
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            if isinstance(event, QDragEnterEvent):
                self.overlay.cover()
            return True
        if event.type() == QEvent.Type.DragLeave:
            self.overlay.hide()
            return False
        if isinstance(event, QDropEvent):
            self.overlay.hide()
            mime = event.mimeData()
            if not (self.accepting() and _carries_files(mime)):
                return False
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self._take(mime)
            return True
        return False

    def _take(self, mime: QMimeData) -> None:
        paths = local_paths(mime)
        if paths:
            self.add_files(paths)
            return
        # The mime data is only readable during the drop: take Outlook's bytes now.
        names = outlook_names(mime)
        content = (
            bytes(mime.data(OUTLOOK_CONTENT).data()) if mime.hasFormat(OUTLOOK_CONTENT) else b""
        )
        if len(names) == 1 and content:
            self.add_files([], [(names[0], content)])
        else:
            # Qt reads only the first item, and only when Outlook hands it over as bytes.
            self._on_finished(DropResult((), tuple((name, OUTLOOK_REFUSAL) for name in names)))

    def _on_finished(self, result: DropResult) -> None:
        if result.added:
            self.added.emit(list(result.added))
        text = result.report()
        if self.receivers(SIGNAL("reported(QString)")) > 0:
            self.reported.emit(text)
        elif not result.complete:
            show_message(self._target, text)

    def _update_enabled(self) -> None:
        self.attach_action.setEnabled(self.accepting())


def _carries_files(mime: QMimeData) -> bool:
    return bool(local_paths(mime)) or mime.hasFormat(OUTLOOK_NAMES)


def _add(ctx: AppContext, case_id: int, paths: list[Path]) -> DropResult:
    """Runs on the worker: no transaction is held while the files are read."""
    with ctx.db.transaction(read_only=True) as session:
        limit = attachments.attachment_limit_bytes(session)
        own = {user.email for user in users.active_users(session) if user.email}
        if letterhead_email := organisation.letterhead(session).email:
            own.add(letterhead_email)
    dropped = timeline_files.read_dropped(paths, own_addresses=own, limit_bytes=limit)
    if not dropped.entries:
        return DropResult((), dropped.refused)
    try:
        with ctx.db.transaction() as session:
            added = timeline.add_entries(session, ctx.actor, case_id, dropped.entries)
    except DomainError as error:
        return DropResult((), dropped.refused, error.message)
    return DropResult(tuple(added), dropped.refused)
