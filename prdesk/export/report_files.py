"""A report saved as a PDF, a CSV file or an Excel workbook, whole or not at all, and logged.

Spreadsheets get the figures as numbers, not as the text the screen shows: a count is
an integer, days a decimal. In CSV a percentage or a change is written in percentage
points (92.5 for 92.5 %, -24 for a fall of 24 %) under a heading that ends in "(%)":
Excel opens that as the number people read on screen, ready to sum or chart, which
neither a fraction (0.925) nor the text "92.5%" would be everywhere. The Excel workbook
keeps the fraction and formats it as a percentage, so the cell shows 92.5% and holds
0.925, as a percentage typed into Excel does.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from prdesk.domain import audit
from prdesk.domain.database import Database
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports.model import (
    Cell,
    Report,
    ReportColumn,
    ReportTable,
    Unit,
    format_cell,
)
from prdesk.export.pdf_layout import local_datetime
from prdesk.export.report_pdf import report_pdf
from prdesk.export.spreadsheet_files import (
    ILLEGAL_IN_XLSX,
    csv_text,
    save_binary,
    save_text,
)


class ReportFormat(StrEnum):
    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def label(self) -> str:
        return {"pdf": "PDF", "csv": "CSV (comma-separated)", "xlsx": "Excel workbook"}[self.value]

    @classmethod
    def of(cls, path: Path) -> ReportFormat | None:
        """The format a file name asks for, by its extension."""
        try:
            return cls(path.suffix.lower().lstrip("."))
        except ValueError:
            return None


# Excel's number formats for the units; text stays text.
NUMBER_FORMATS = {
    Unit.COUNT: "#,##0",
    Unit.PERCENT: "0.0%",
    Unit.CHANGE: "+0%;-0%;0%",
    Unit.DAYS: "0.0",
}
SHEET_NAME_LENGTH = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def _produced(report: Report) -> str:
    return f"Produced {local_datetime(report.generated_at)} by PR Desk"


def _tables(report: Report) -> list[tuple[str, ReportTable]]:
    return [(s.heading, s.table) for s in report.sections if s.table is not None]


# --- CSV ---------------------------------------------------------------------------


def csv_heading(column: ReportColumn) -> str:
    return f"{column.title} (%)" if column.unit in (Unit.PERCENT, Unit.CHANGE) else column.title


def csv_figure(value: Cell, unit: Unit) -> str:
    """A cell as CSV writes it: numbers plain (percentages in points), text made safe."""
    if value is None:
        return ""
    if isinstance(value, str) or unit is Unit.TEXT:
        return csv_text(str(value))
    if unit is Unit.COUNT:
        return str(int(value))
    if unit in (Unit.PERCENT, Unit.CHANGE):
        value = value * 100
    return f"{round(value, 2):.2f}".rstrip("0").rstrip(".")


def write_report_csv(stream: IO[str], report: Report) -> int:
    """The title, then each section: its heading, its sentences, its table, a blank line.

    Returns the number of tables written.
    """
    writer = csv.writer(stream)
    writer.writerow([csv_text(report.title), csv_text(report.subtitle)])
    writer.writerow([csv_text(_produced(report))])
    writer.writerow([])
    count = 0
    for section in report.sections:
        writer.writerow([csv_text(section.heading)])
        # The sentences say how the table below counts: they go with it.
        writer.writerows([csv_text(text)] for text in section.paragraphs)
        if section.table is not None:
            columns = section.table.columns
            writer.writerow([csv_text(csv_heading(column)) for column in columns])
            for row in section.table.rows:
                writer.writerow([csv_figure(v, c.unit) for v, c in zip(row, columns, strict=False)])
            count += 1
        writer.writerow([])
    return count


# --- Excel -------------------------------------------------------------------------


def sheet_names(headings: Sequence[str]) -> list[str]:
    """Excel's rules for sheet names: at most 31 characters, none of []:*?/\\, unique
    whatever the case, and never "History" (Excel keeps that one for itself)."""
    taken = {"about", "history"}
    names: list[str] = []
    for heading in headings:
        base = _NOT_IN_SHEET_NAMES.sub(" ", heading.translate(ILLEGAL_IN_XLSX))
        base = " ".join(base.split()).strip("'") or "Table"
        name, number = base[:SHEET_NAME_LENGTH], 1
        while name.lower() in taken:
            number += 1
            suffix = f" ({number})"
            name = base[: SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _text_cell(cell: Any, value: str) -> None:
    cell.value = value.translate(ILLEGAL_IN_XLSX)
    # Typed text stays text: openpyxl would store "=..." as a formula.
    cell.data_type = "s"


def _about(book: Any, report: Report) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.active
    sheet.title = "About"
    sheet.column_dimensions["A"].width = 110
    wrapped = Alignment(wrap_text=True, vertical="top")
    lines: list[tuple[str, Font | None]] = [
        (report.title, Font(bold=True, size=14)),
        (report.subtitle, Font(size=12)),
        (report.organisation, None),
        (_produced(report), Font(italic=True, color="555555")),
    ]
    for section in report.sections:
        lines.append(("", None))
        lines.append((section.heading, Font(bold=True, size=12)))
        lines += [(text, None) for text in section.paragraphs]
        if section.table is not None:
            lines += [
                (f"{column.title}: {column.note}", Font(color="555555"))
                for column in section.table.columns
                if column.note
            ]
    row = 0
    for text, font in lines:
        if not text and row and not sheet.cell(row=row, column=1).value:
            continue
        row += 1
        cell = sheet.cell(row=row, column=1)
        _text_cell(cell, text)
        cell.alignment = wrapped
        if font is not None:
            cell.font = font


def _width(column: ReportColumn, table: ReportTable, index: int) -> float:
    longest = max(
        (len(format_cell(row[index], column.unit)) for row in table.rows[:500]), default=0
    )
    heading = max((len(word) for word in column.title.split()), default=0)
    return float(min(max(longest, heading, 6) + 2, 60))


def _table_sheet(book: Any, name: str, heading: str, table: ReportTable) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(name)
    title = sheet.cell(row=1, column=1)
    _text_cell(title, heading)
    title.font = Font(bold=True, size=12)
    bold = Font(bold=True)
    for number, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=2, column=number)
        _text_cell(cell, column.title)
        cell.font = bold
        cell.alignment = Alignment(
            wrap_text=True, vertical="bottom", horizontal="right" if column.unit.numeric else None
        )
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = _width(column, table, number - 1)
    last = len(table.rows) - 1
    for index, values in enumerate(table.rows):
        for number, (value, column) in enumerate(zip(values, table.columns, strict=False), 1):
            cell = sheet.cell(row=index + 3, column=number)
            if value is None:
                pass
            elif isinstance(value, str) or not column.unit.numeric:
                _text_cell(cell, str(value))
            else:
                cell.value = int(value) if column.unit is Unit.COUNT else float(value)
                cell.number_format = NUMBER_FORMATS[column.unit]
            if table.total_row and index == last:
                cell.font = bold
    sheet.freeze_panes = "B3" if table.columns and not table.columns[0].unit.numeric else "A3"
    sheet.print_title_rows = "2:2"
    if len(table.columns) > 7:
        sheet.page_setup.orientation = "landscape"


def write_report_xlsx(target: Path | IO[bytes], report: Report) -> int:
    """An "About" sheet with the title and the sentences, then one sheet per table.

    Returns the number of tables written.
    """
    from openpyxl import Workbook

    book = Workbook()
    _about(book, report)
    tables = _tables(report)
    for name, (heading, table) in zip(sheet_names([h for h, _ in tables]), tables, strict=True):
        _table_sheet(book, name, heading, table)
    book.save(target)
    return len(tables)


# --- Saving ------------------------------------------------------------------------


def save_report_file(path: Path, report: Report, fmt: ReportFormat | None = None) -> Path:
    """Writes the report to `path` whole or not at all (the format by its extension
    when not given). Raises ExportFailed with a message fit to show."""
    fmt = fmt or ReportFormat.of(path) or ReportFormat.PDF
    what = f"The report {report.title!r}"
    if fmt is ReportFormat.CSV:
        save_text(path, lambda stream: write_report_csv(stream, report), what=what)
    elif fmt is ReportFormat.XLSX:
        save_binary(path, lambda stream: write_report_xlsx(stream, report), what=what)
    else:
        data = report_pdf(report)
        save_binary(path, lambda stream: stream.write(data), what=what)
    return path


def save_report(
    db: Database, actor: UserInfo, report: Report, path: Path, fmt: ReportFormat | None = None
) -> Path:
    """Saves the report and logs who took it out of PR Desk, in what form and where."""
    require(actor.role, Action.VIEW_REPORTS)
    fmt = fmt or ReportFormat.of(path) or ReportFormat.PDF
    # Written first, outside any transaction: a long report takes seconds to lay out,
    # and a write transaction held that long would keep colleagues from saving.
    save_report_file(path, report, fmt)
    try:
        with db.transaction() as session:
            audit.record(
                session,
                actor,
                "export",
                "report",
                None,
                report=report.name,
                title=report.title,
                period=report.subtitle,
                format=fmt.value,
                file=path.name,
            )
    except BaseException:
        # No report leaves PR Desk without its line in the audit trail.
        path.unlink(missing_ok=True)
        raise
    return path
