"""Where exported files go: the folder used last time, and the save dialog for tables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from prdesk.export.spreadsheet_files import ExportFormat
from prdesk.ui.settings import ui_settings

# One folder for every export: people keep their exports together.
_LAST_FOLDER = "export/last_folder"
_XLSX_FILTER = "Excel workbook (*.xlsx)"
_CSV_FILTER = "CSV, comma-separated (*.csv)"

# Asks where to save, given a suggested path; None when the user cancels.
PathChooser = Callable[[QWidget | None, Path], Path | None]


def export_folder() -> Path:
    """The folder of the last export, or the Documents folder at first."""
    folder = ui_settings().value(_LAST_FOLDER)
    if isinstance(folder, str) and Path(folder).is_dir():
        return Path(folder)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def remember_folder(path: Path) -> None:
    ui_settings().setValue(_LAST_FOLDER, str(path.parent))


def ask_table_path(parent: QWidget | None, suggested: Path, title: str) -> Path | None:
    """The save dialog for a table; the file type follows the chosen filter when no
    extension is typed."""
    name, chosen_filter = QFileDialog.getSaveFileName(
        parent, title, str(suggested), f"{_XLSX_FILTER};;{_CSV_FILTER}", _XLSX_FILTER
    )
    if not name:
        return None
    path = Path(name)
    if ExportFormat.of(path) is None:
        path = path.with_name(path.name + (".csv" if chosen_filter == _CSV_FILTER else ".xlsx"))
    return path
