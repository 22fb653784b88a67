"""The audit trail as a CSV file or an Excel workbook, for auditors and investigations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO

from prdesk.domain.database import Database
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services.audit_trail import AuditFilter, AuditRow, all_entries, record_reading
from prdesk.export.spreadsheet_files import (
    Column,
    ExportFormat,
    local_time,
    save_whole,
    write_csv_table,
    write_xlsx_table,
)

Value = str | datetime


def _values(pairs: tuple[tuple[str, str], ...]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in pairs)


COLUMNS: tuple[Column[AuditRow], ...] = (
    Column("When", 17, lambda r: local_time(r.at)),
    Column("Who", 28, lambda r: r.who),
    Column("Workstation", 24, lambda r: r.client),
    Column("Case", 17, lambda r: r.case_number),
    Column("Action", 12, lambda r: r.action),
    Column("Table", 18, lambda r: r.entity),
    Column("Row", 8, lambda r: "" if r.entity_id is None else str(r.entity_id)),
    Column("Description", 60, lambda r: r.description),
    Column("Old values", 45, lambda r: _values(r.old_values)),
    Column("New values", 45, lambda r: _values(r.new_values)),
)


def write_csv(stream: IO[str], rows: Iterable[AuditRow]) -> int:
    """A header and one line per entry; returns the number of entries."""
    return write_csv_table(stream, COLUMNS, rows)


def write_xlsx(target: Path | IO[bytes], rows: Iterable[AuditRow]) -> int:
    """One sheet, "Audit trail", its long values wrapped; returns the number of entries."""
    return write_xlsx_table(target, "Audit trail", COLUMNS, rows, wrap=True)


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
