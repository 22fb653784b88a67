"""The case list as a CSV file or an Excel workbook, streamed page by page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.database import Database
from prdesk.domain.permissions import Action, require
from prdesk.domain.queries import CaseFilter, SortKey, Viewpoint, list_cases
from prdesk.domain.readmodels import CaseRow, UserInfo
from prdesk.export.spreadsheet_files import (
    Column,
    ExportFormat,
    local_time,
    save_whole,
    write_csv_table,
    write_xlsx_table,
)

# Rows read per query. Large pages, since a list sorted by name sorts the whole view again
# for every page (at 100,000 cases: 7 s in pages of 10,000 against 33 s in pages of 1,000),
# and 10,000 rows are still only a few megabytes.
PAGE_SIZE = 10_000


TableColumn = Column[CaseRow]


def _yes(flag: bool) -> str:
    return "Yes" if flag else ""


def _deadline(row: CaseRow) -> str:
    if row.clock_paused:
        return "Paused"
    if row.due_on is None:
        return ""
    return "Acknowledge" if row.due_is_acknowledgement else "Respond"


# Keys are the case list's column keys, so the list hands over the columns it shows.
COLUMNS: dict[str, TableColumn] = {
    "number": TableColumn("Number", 17, lambda r: r.number),
    "received": TableColumn("Received", 17, lambda r: local_time(r.received_at)),
    "kind": TableColumn("Kind", 20, lambda r: r.kind.label),
    "channel": TableColumn("Channel", 17, lambda r: r.channel.label),
    "status": TableColumn("Status", 22, lambda r: r.status.label),
    "patient": TableColumn("Patient", 28, lambda r: r.patient_name),
    "raised_by": TableColumn("Raised by", 28, lambda r: r.complainant_name or ""),
    "assignee": TableColumn("Assigned to", 22, lambda r: r.assignee_name or ""),
    "severity": TableColumn("Severity", 11, lambda r: r.severity.label),
    "grievance": TableColumn("Grievance", 11, lambda r: _yes(r.is_grievance)),
    "due": TableColumn("Due", 12, lambda r: r.due_on or ("Paused" if r.clock_paused else "")),
    "deadline": TableColumn("Deadline", 13, _deadline),
    "safety_concern": TableColumn("Safety concern", 15, lambda r: _yes(r.safety_concern)),
    "behavioural_alert": TableColumn("Behavioural alert", 17, lambda r: _yes(r.behavioural_alert)),
}
DEFAULT_COLUMNS: tuple[str, ...] = (
    "number",
    "received",
    "kind",
    "status",
    "patient",
    "raised_by",
    "assignee",
    "severity",
    "grievance",
    "due",
)


def _chosen(columns: Sequence[str]) -> list[TableColumn]:
    unknown = [key for key in columns if key not in COLUMNS]
    if unknown or not columns:
        raise ValueError(f"unknown or no columns: {unknown}; known: {', '.join(COLUMNS)}")
    return [COLUMNS[key] for key in columns]


def write_csv(stream: IO[str], rows: Iterable[CaseRow], columns: Sequence[str]) -> int:
    """The chosen columns as CSV; returns the number of rows."""
    return write_csv_table(stream, _chosen(columns), rows)


def write_xlsx(target: Path | IO[bytes], rows: Iterable[CaseRow], columns: Sequence[str]) -> int:
    """The chosen columns as one sheet, "Cases"; returns the number of rows."""
    return write_xlsx_table(target, "Cases", _chosen(columns), rows)


def save_case_table(
    path: Path,
    rows: Iterable[CaseRow],
    columns: Sequence[str] = DEFAULT_COLUMNS,
    fmt: ExportFormat | None = None,
) -> int:
    """Writes the file beside its final name and renames it when complete, so a failure
    never leaves half a list of patients where the user expects a whole one.

    Raises ExportFailed with a message fit to show when the file cannot be written.
    """
    fmt = fmt or ExportFormat.of(path) or ExportFormat.CSV
    return save_whole(
        path,
        fmt,
        lambda stream: write_csv(stream, rows, columns),
        lambda binary: write_xlsx(binary, rows, columns),
        what="The cases",
    )


def case_rows(
    session: Session,
    case_filter: CaseFilter,
    *,
    sort: SortKey = SortKey.RECEIVED,
    descending: bool = True,
    view: Viewpoint | None = None,
    limit: int | None = None,
    page_size: int = PAGE_SIZE,
) -> Iterator[CaseRow]:
    """Every row of a list view (or the first `limit`), read a page at a time."""
    seen: set[int] = set()
    offset, given = 0, 0
    while limit is None or given < limit:
        page = list_cases(
            session,
            case_filter,
            sort=sort,
            descending=descending,
            offset=offset,
            limit=page_size,
            view=view,
        )
        for row in page:
            # A case logged meanwhile shifts the pages by one: never write a row twice.
            if row.id in seen:
                continue
            seen.add(row.id)
            yield row
            given += 1
            if limit is not None and given >= limit:
                return
        if len(page) < page_size:
            return
        offset += page_size


def export_cases(
    db: Database,
    actor: UserInfo,
    path: Path,
    case_filter: CaseFilter,
    *,
    sort: SortKey = SortKey.RECEIVED,
    descending: bool = True,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    fmt: ExportFormat | None = None,
    view: Viewpoint | None = None,
    limit: int | None = None,
    page_size: int = PAGE_SIZE,
) -> int:
    """Writes the cases of a list view to a file and logs who took them out of PR Desk.

    The rows are read in one read-only transaction; the audit entry is written in a
    short one afterwards, so a long export never holds up other people's saves.
    Returns the number of cases written.
    """
    require(actor.role, Action.VIEW_CASE)
    view = view or Viewpoint(viewer_id=actor.id)
    fmt = fmt or ExportFormat.of(path) or ExportFormat.CSV
    with db.transaction(snapshot=True) as session:
        rows = case_rows(
            session,
            case_filter,
            sort=sort,
            descending=descending,
            view=view,
            limit=limit,
            page_size=page_size,
        )
        count = save_case_table(path, rows, columns, fmt)
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            "export",
            "case_list",
            None,
            cases=count,
            format=fmt.value,
            file=path.name,
            filter=case_filter.to_json(),
            sort=sort.value,
            descending=descending,
        )
    return count
