"""Accepting an .eml file dragged from the desktop or a mail folder onto a window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

# Far more than any email with its text; a bigger file is not something to read here.
MAX_BYTES = 25 * 1024 * 1024


def eml_path(mime: QMimeData) -> Path | None:
    """The one local .eml file being dragged, or None."""
    if not mime.hasUrls():
        return None
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    emails = [path for path in paths if path.suffix.lower() == ".eml"]
    return emails[0] if len(emails) == 1 else None


class EmailDrop(QObject):
    """Installed on a widget, takes .eml drops and hands over the file's bytes.

    Signals:
        dropped: the file's bytes and its name.
        failed: a message saying why the file could not be read.
    """

    dropped = Signal(bytes, str)
    failed = Signal(str)

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        target.setAcceptDrops(True)
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent | QDragMoveEvent):
            if eml_path(event.mimeData()) is not None:
                event.acceptProposedAction()
                return True
            return False
        if isinstance(event, QDropEvent):
            path = eml_path(event.mimeData())
            if path is None:
                return False
            event.acceptProposedAction()
            self.take(path)
            return True
        return False

    def take(self, path: Path) -> None:
        """Reads the file and emits `dropped`, or `failed` with the reason."""
        try:
            if path.stat().st_size > MAX_BYTES:
                self.failed.emit(f"{path.name} is too large to be an email (over 25 MB).")
                return
            data = path.read_bytes()
        except OSError as error:
            self.failed.emit(f"{path.name} could not be read: {error.strerror or error}.")
            return
        self.dropped.emit(data, path.name)
