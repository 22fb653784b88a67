"""Exporting the case list as it is shown (filter, order, columns) to an Excel or CSV file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from prdesk.domain.errors import DomainError
from prdesk.domain.queries import CaseFilter, SortKey, Viewpoint
from prdesk.export.case_table import COLUMNS, DEFAULT_COLUMNS, export_cases
from prdesk.export.spreadsheet_files import ExportFormat
from prdesk.ui.context import AppContext
from prdesk.ui.error_reports import show_message
from prdesk.ui.export_paths import (
    PathChooser,
    ask_table_path,
    export_folder,
    remember_folder,
)
from prdesk.ui.operations import PlainOperation


def ask_export_path(parent: QWidget | None, suggested: Path) -> Path | None:
    return ask_table_path(parent, suggested, "Export cases")


def suggested_path() -> Path:
    """Today's file in the folder used last time (the Documents folder at first)."""
    return export_folder() / f"cases-{date.today().isoformat()}.xlsx"


def export_case_view(
    ctx: AppContext,
    parent: QWidget | None,
    case_filter: CaseFilter,
    sort: SortKey,
    descending: bool,
    columns: Sequence[str],
    *,
    choose_path: PathChooser = ask_export_path,
) -> PlainOperation[int] | None:
    """Asks for a file, then writes every case of the view to it in the background.

    The rows are read in pages and the file appears only once complete.
    The outcome (how many cases, or why not) is told in a message. Returns the
    running operation, or None when the user cancelled.
    """
    path = choose_path(parent, suggested_path())
    if path is None:
        return None
    if ExportFormat.of(path) is None:
        path = path.with_name(path.name + ".xlsx")
    known = [key for key in columns if key in COLUMNS] or list(DEFAULT_COLUMNS)
    remember_folder(path)
    db, actor = ctx.db, ctx.actor

    def work() -> int:
        return export_cases(
            db,
            actor,
            path,
            case_filter,
            sort=sort,
            descending=descending,
            columns=known,
            view=Viewpoint(viewer_id=actor.id),
        )

    def on_saved(count: int) -> None:
        cases = "1 case" if count == 1 else f"{count:,} cases"
        show_message(
            parent,
            f"{cases} saved to {path.name}\nin {path.parent}.",
            title="Cases exported",
            icon=QMessageBox.Icon.Information,
        )

    def on_failed(error: DomainError) -> None:
        show_message(parent, error.message, title="Cases not exported")

    # On a worker of its own: writing 100,000 rows takes seconds, and the list must keep
    # scrolling and counting meanwhile.
    return (
        PlainOperation(parent, work).alongside(long=True).success(on_saved).failure(on_failed).run()
    )
