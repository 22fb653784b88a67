"""What every table export shares: formats, safe cell text, and files that appear only when whole."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from prdesk.domain.errors import DomainError

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters that the XLSX format cannot hold at all.
ILLEGAL_IN_XLSX = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])

Value = str | date | datetime


class ExportFailed(DomainError):
    """The file could not be written; the message names the file and the reason."""


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @classmethod
    def of(cls, path: Path) -> ExportFormat | None:
        """The format a file name asks for, by its extension."""
        try:
            return cls(path.suffix.lower().lstrip("."))
        except ValueError:
            return None


def local_time(instant: datetime) -> datetime:
    # Spreadsheets have no time zones: write the wall-clock time the user reads on screen.
    return instant.astimezone().replace(tzinfo=None, second=0, microsecond=0)


def csv_text(value: Value) -> str:
    """A cell as CSV text that no spreadsheet will run as a formula."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def discard_sheet(sheet: Any) -> None:
    """Ends openpyxl's stream of an unfinished sheet and deletes the temporary file it
    streams into, which holds patient names."""
    with contextlib.suppress(Exception):
        sheet.close()
    writer = getattr(sheet, "_writer", None)
    if writer is not None and isinstance(writer.out, str):
        Path(writer.out).unlink(missing_ok=True)


def save_whole(
    path: Path,
    fmt: ExportFormat,
    write_csv: Callable[[IO[str]], int],
    write_xlsx: Callable[[IO[bytes]], int],
    *,
    what: str,
) -> int:
    """Writes the file beside its final name and renames it when complete, so a failure
    never leaves half a list where the user expects a whole one.

    `what` names the content in the message ("The cases"). Returns the writer's count;
    raises ExportFailed with a message fit to show when the file cannot be written.
    """
    try:
        handle, partial_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent
        )
    except OSError as error:
        raise _failure(path, error, what) from None
    partial = Path(partial_name)
    try:
        if fmt is ExportFormat.CSV:
            with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as stream:
                count = write_csv(stream)
                stream.flush()
                os.fsync(stream.fileno())
        else:
            with os.fdopen(handle, "wb") as binary:
                count = write_xlsx(binary)
                binary.flush()
                os.fsync(binary.fileno())
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise _failure(path, error, what) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def _failure(path: Path, error: OSError, what: str) -> ExportFailed:
    if error.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif isinstance(error, PermissionError):
        reason = "you are not allowed to write there (or the file is open in another program)"
    elif isinstance(error, FileNotFoundError):
        reason = f"the folder {path.parent} does not exist"
    elif isinstance(error, IsADirectoryError):
        reason = "that is a folder"
    else:
        reason = (error.strerror or str(error)).rstrip(".").lower()
    return ExportFailed(f"{what} could not be saved as {path}: {reason}.")
