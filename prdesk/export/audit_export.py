"""The audit trail as a CSV file or an Excel workbook, for auditors and investigations."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from prdesk.domain.database import Database
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services.audit_trail import AuditFilter, AuditRow, all_entries, record_reading
from prdesk.export.spreadsheet_files import (
    ILLEGAL_IN_XLSX,
    ExportFormat,
    csv_text,
    discard_sheet,
    local_time,
    save_whole,
)

Value = str | datetime


@dataclass(frozen=True)
class AuditColumn:
    title: str
    width: int
    value: Callable[[AuditRow], Value]


def _values(pairs: tuple[tuple[str, str], ...]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in pairs)


COLUMNS: tuple[AuditColumn, ...] = (
    AuditColumn("When", 17, lambda r: local_time(r.at)),
    AuditColumn("Who", 28, lambda r: r.who),
    AuditColumn("Workstation", 24, lambda r: r.client),
    AuditColumn("Case", 17, lambda r: r.case_number),
    AuditColumn("Action", 12, lambda r: r.action),
    AuditColumn("Table", 18, lambda r: r.entity),
    AuditColumn("Row", 8, lambda r: "" if r.entity_id is None else str(r.entity_id)),
    AuditColumn("Description", 60, lambda r: r.description),
    AuditColumn("Old values", 45, lambda r: _values(r.old_values)),
    AuditColumn("New values", 45, lambda r: _values(r.new_values)),
)


def write_csv(stream: IO[str], rows: Iterable[AuditRow]) -> int:
    """A header and one line per entry; returns the number of entries."""
    writer = csv.writer(stream)
    writer.writerow([column.title for column in COLUMNS])
    count = 0
    for row in rows:
        writer.writerow([csv_text(column.value(row)) for column in COLUMNS])
        count += 1
    return count


def write_xlsx(target: Path | IO[bytes], rows: Iterable[AuditRow]) -> int:
    """One sheet, "Audit trail", streamed: a bold frozen filterable header, one line per entry."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Audit trail")
    for number, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def heading(title: str) -> Any:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        return cell

    def cell(value: Value) -> Any:
        styled = WriteOnlyCell(sheet, value=value)
        styled.alignment = wrapped
        if isinstance(value, datetime):
            styled.number_format = "yyyy-mm-dd hh:mm"
            return styled
        styled.value = value.translate(ILLEGAL_IN_XLSX)
        # Text typed into a case stays text, never a formula.
        styled.data_type = "s"
        return styled

    count = 0
    try:
        sheet.append([heading(column.title) for column in COLUMNS])
        for row in rows:
            sheet.append([cell(column.value(row)) for column in COLUMNS])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
        book.save(target)
    except BaseException:
        discard_sheet(sheet)
        raise
    return count


def save_audit_trail(path: Path, rows: Iterable[AuditRow], fmt: ExportFormat | None = None) -> int:
    """Writes beside the final name and renames when complete: never half a trail.

    Raises ExportFailed with a message fit to show when the file cannot be written.
    """
    fmt = fmt or ExportFormat.of(path) or ExportFormat.CSV
    return save_whole(
        path,
        fmt,
        lambda stream: write_csv(stream, rows),
        lambda binary: write_xlsx(binary, rows),
        what="The audit trail",
    )


def export_audit_trail(
    db: Database,
    actor: UserInfo,
    path: Path,
    wanted: AuditFilter,
    fmt: ExportFormat | None = None,
) -> int:
    """Writes every matching entry to a file and records the export with its filter.

    Read in one snapshot; the record is written in a short transaction afterwards.
    Returns the number of entries written.
    """
    require(actor.role, Action.VIEW_AUDIT_LOG)
    fmt = fmt or ExportFormat.of(path) or ExportFormat.CSV
    with db.transaction(snapshot=True) as session:
        count = save_audit_trail(path, all_entries(session, actor, wanted), fmt)
    with db.transaction() as session:
        record_reading(
            session, actor, wanted, "export", entries=count, format=fmt.value, file=path.name
        )
    return count
