"""What every table export shares: formats, safe cell text, and files that appear only when whole."""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from prdesk.domain.errors import DomainError

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters that the XLSX format cannot hold at all.
ILLEGAL_IN_XLSX = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])

Value = str | date | datetime
T = TypeVar("T")


@dataclass(frozen=True)
class Column(Generic[T]):
    """One exportable column: its heading, its width in Excel's characters, its cell value."""

    title: str
    width: int
    value: Callable[[T], Value]


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


def write_csv_table(stream: IO[str], columns: Sequence[Column[T]], rows: Iterable[T]) -> int:
    """Writes a header and one line per row; returns the number of rows.

    Open the stream with encoding "utf-8-sig" and newline="" for a file that Excel
    opens with its accents intact.
    """
    writer = csv.writer(stream)
    writer.writerow([column.title for column in columns])
    count = 0
    for row in rows:
        writer.writerow([csv_text(column.value(row)) for column in columns])
        count += 1
    return count


def write_xlsx_table(
    target: Path | IO[bytes],
    sheet_title: str,
    columns: Sequence[Column[T]],
    rows: Iterable[T],
    *,
    wrap: bool = False,
) -> int:
    """Writes one sheet: a bold, frozen, filterable header, then one line per row.

    The workbook is streamed (openpyxl's write-only mode), so 100,000 rows never sit
    in memory at once. With `wrap`, long text wraps within its column. Returns the
    number of rows.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    # Widths, the frozen header and the page setup go before the first row is streamed.
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top") if wrap else None

    def heading(title: str) -> Any:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        return cell

    def cell(value: Value) -> Any:
        if isinstance(value, str):
            value = value.translate(ILLEGAL_IN_XLSX)
        styled = WriteOnlyCell(sheet, value=value)
        if wrapped is not None:
            styled.alignment = wrapped
        if isinstance(value, datetime):
            styled.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            styled.number_format = "yyyy-mm-dd"
        else:
            # Typed text stays text: openpyxl would store "=..." as a formula.
            styled.data_type = "s"
        return styled

    count = 0
    try:
        sheet.append([heading(column.title) for column in columns])
        for row in rows:
            sheet.append([cell(column.value(row)) for column in columns])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
        book.save(target)
    except BaseException:
        discard_sheet(sheet)
        raise
    return count


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
    if fmt is ExportFormat.CSV:
        return save_text(path, write_csv, what=what)
    return save_binary(path, write_xlsx, what=what)


def save_text(path: Path, write: Callable[[IO[str]], int], *, what: str) -> int:
    """As save_whole, for text in UTF-8 with the mark that tells Excel so (CSV)."""
    return _save(path, write, what=what, binary=False)


def save_binary(path: Path, write: Callable[[IO[bytes]], int], *, what: str) -> int:
    """As save_whole, for any file of bytes (an Excel workbook, a PDF)."""
    return _save(path, write, what=what, binary=True)


def _save(path: Path, write: Callable[[Any], int], *, what: str, binary: bool) -> int:
    try:
        handle, partial_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent
        )
    except OSError as error:
        raise _failure(path, error, what) from None
    partial = Path(partial_name)
    try:
        if binary:
            with os.fdopen(handle, "wb") as stream:
                count = write(stream)
                stream.flush()
                os.fsync(stream.fileno())
        else:
            with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as stream:
                count = write(stream)
                stream.flush()
                os.fsync(stream.fileno())
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
