"""Opening an attachment with the system's viewer, and saving a copy of it where the user chooses.

A viewer needs a file, and an attachment holds health information, so the file
goes into a folder private to this session (readable by this user only) that is
removed when PR Desk quits. A folder left behind by a crash (or by a viewer on
Windows that still held a file open at quit) is removed at the next start.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from prdesk.domain.errors import DomainError
from prdesk.domain.readmodels import AttachmentInfo
from prdesk.domain.services import attachments
from prdesk.export.letter_files import save_file
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message
from prdesk.ui.operations import PlainOperation

FOLDER_PREFIX = "prdesk-view-"
_LOCK_NAME = ".in-use.lock"


class FileUnavailable(DomainError):
    """A file could not be written or opened; the message names it and says why."""


class ViewerFolder:
    """The private folder of one session, created on first use.

    A lock file inside it marks it as in use; Qt knows a lock whose process has
    died is stale, which is how `remove_leftovers` tells a crashed session's
    folder from the folder of a PR Desk that is still running.
    """

    def __init__(self, base: Path | None = None) -> None:
        self._base = base
        self._path: Path | None = None
        self._lock: QLockFile | None = None

    @property
    def path(self) -> Path | None:
        """The folder, or None while nothing has been opened."""
        return self._path

    def write(self, info: AttachmentInfo, data: bytes) -> Path:
        """The attachment as a file in the folder (an earlier copy of it is reused).

        Raises FileUnavailable when the disk refuses it. Runs on a worker thread.
        """
        try:
            folder = self._ensure() / str(info.id)
            folder.mkdir(mode=0o700, exist_ok=True)
            path = folder / disk_name(info.filename)
            # Attachments never change, so a copy of the right size is this one; a
            # viewer on Windows may hold it open, so it is not written over.
            if path.is_file() and path.stat().st_size == len(data):
                return path
            _write_private(path, data)
        except OSError as error:
            raise FileUnavailable(
                f"{info.filename} could not be prepared for viewing: {error.strerror or error}."
            ) from None
        return path

    @contextlib.contextmanager
    def holding(self, filename: str, data: bytes) -> Iterator[Path]:
        """The bytes as a file while the block runs, then gone: a message dragged out
        of Outlook has no file of its own, and emails are read from files."""
        folder = Path(tempfile.mkdtemp(dir=self._ensure()))
        try:
            path = folder / disk_name(filename)
            _write_private(path, data)
            yield path
        finally:
            _remove_tree(folder)

    def remove(self) -> None:
        """Deletes the folder and all it holds; what a viewer still holds open on
        Windows stays until the next start removes it."""
        if self._path is None:
            return
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        _remove_tree(self._path)
        self._path = None

    def _ensure(self) -> Path:
        if self._path is None:
            base = self._base or Path(tempfile.gettempdir())
            # mkdtemp makes the folder readable by this user only (0o700).
            path = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=base))
            lock = QLockFile(str(path / _LOCK_NAME))
            lock.setStaleLockTime(0)  # stale only when its process is gone
            if not lock.tryLock(0):
                raise OSError(f"the folder {path} is in use")
            self._path, self._lock = path, lock
        return self._path


_NOT_ON_WINDOWS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED_ON_WINDOWS = re.compile(r"(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?", re.IGNORECASE)


def disk_name(filename: str) -> str:
    """The attachment's name as a file may be called on any system.

    Names come from other systems' emails ("Re: scan.pdf"); on Windows a colon would
    write to a hidden stream of a file called "Re" instead.
    """
    name = _NOT_ON_WINDOWS.sub("_", attachments.clean_filename(filename)).rstrip(". ")
    if not name or _RESERVED_ON_WINDOWS.fullmatch(name):
        name = f"_{name}"
    return name


# O_BINARY exists on Windows only; without it newlines in a PDF would be rewritten.
_BINARY = getattr(os, "O_BINARY", 0)


def _write_private(path: Path, data: bytes) -> None:
    """Writes a file only this user may read (the folder is private as well)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def remove_leftovers(base: Path | None = None) -> list[Path]:
    """Removes the folders of earlier sessions that were not cleaned up; returns them.

    Called at start. Folders of a PR Desk still running (this one included) are kept.
    """
    removed = []
    for folder in Path(base or tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        if not folder.is_dir():
            continue
        lock = QLockFile(str(folder / _LOCK_NAME))
        lock.setStaleLockTime(0)
        # A lock is gained only when no live process holds it (a stale one is taken over).
        if not lock.tryLock(0):
            continue
        lock.unlock()
        _remove_tree(folder)
        removed.append(folder)
    return removed


def _remove_tree(path: Path) -> None:
    def retry_writable(function: Callable[[str], object], name: str) -> None:
        # Windows refuses to delete read-only files; anything else is left for next start.
        with contextlib.suppress(OSError):
            Path(name).chmod(stat.S_IWRITE | stat.S_IREAD)
            function(name)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=lambda function, name, _error: retry_writable(function, name))
    else:
        shutil.rmtree(path, onerror=lambda function, name, _info: retry_writable(function, name))


_session_folder: ViewerFolder | None = None


def session_folder() -> ViewerFolder:
    """This session's folder, removed when the application quits."""
    global _session_folder
    if _session_folder is None:
        # Also here, not only at start: a PR Desk that crashed since then left one too.
        remove_leftovers()
        _session_folder = ViewerFolder()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_session_folder.remove)
    return _session_folder


def remove_session_folder() -> None:
    """Removes this session's folder, if one was made (at exit, after the workers finish,
    in case one was still writing a file when the application was told to quit)."""
    if _session_folder is not None:
        _session_folder.remove()


# Opening these runs them on Windows: an email's attachment is never run from PR Desk.
RUNNABLE = frozenset(
    [
        ".exe",
        ".com",
        ".scr",
        ".pif",
        ".bat",
        ".cmd",
        ".ps1",
        ".psm1",
        ".vbs",
        ".vbe",
        ".js",
        ".jse",
        ".wsf",
        ".wsh",
        ".hta",
        ".msi",
        ".msp",
        ".lnk",
        ".url",
        ".reg",
        ".jar",
        ".cpl",
        ".dll",
        ".appx",
        ".msix",
        ".application",
        ".gadget",
        ".inf",
        ".scf",
        ".chm",
    ]
)


def may_open(info: AttachmentInfo) -> bool:
    """Whether the system viewer may open it; programs and scripts are only saved."""
    return Path(info.filename).suffix.lower() not in RUNNABLE


def open_with_system_viewer(
    parent: QWidget | None,
    ctx: AppContext,
    info: AttachmentInfo,
    *,
    folder: ViewerFolder | None = None,
) -> None:
    """Fetches the attachment (an audited view), writes it to the private folder and
    hands it to the program the system opens such files with."""
    if not may_open(info):
        show_message(
            parent,
            f"{info.filename} is a program or script, and PR Desk does not run those. "
            "Save a copy if it must be kept, and have it checked before anyone opens it.",
        )
        return
    target = folder or session_folder()
    db, actor = ctx.db, ctx.actor

    def prepare() -> Path:
        with db.transaction() as session:
            content = attachments.attachment_content(session, actor, info.id)
        # Written after the commit: the database is not held while the disk works.
        return target.write(info, content.data)

    PlainOperation(parent, prepare).success(lambda path: _open(parent, info, path)).run()


def _open(parent: QWidget | None, info: AttachmentInfo, path: Path) -> None:
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        show_message(
            parent,
            f"No program on this computer opens {info.filename}. "
            "Save a copy and open it with a program of your choice.",
        )


def ask_copy_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """Where to save a copy, chosen by the user; None when they cancel."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, "Save a copy as", str(suggested))
    return Path(chosen) if chosen else None


def suggested_copy_path(info: AttachmentInfo) -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder or Path.home()) / disk_name(info.filename)


def save_copy(
    parent: QWidget | None,
    ctx: AppContext,
    info: AttachmentInfo,
    *,
    ask_path: Callable[[QWidget | None, Path], Path | None] | None = None,
    saved: Callable[[Path], None] | None = None,
) -> None:
    """Asks where, then writes the attachment there whole or not at all.

    `ask_path` replaces the save dialog (tests); `saved` is told the path written.
    """
    path = (ask_path or ask_copy_path)(parent, suggested_copy_path(info))
    if path is None:
        return
    db, actor = ctx.db, ctx.actor

    def write() -> Path:
        with db.transaction() as session:
            content = attachments.attachment_content(session, actor, info.id)
        return save_file(path, content.data, what="The copy")

    # A problem (the folder is read-only, the disk full) is shown in a message box.
    operation = PlainOperation(parent, write)
    if saved is not None:
        operation.success(saved)
    operation.run()
