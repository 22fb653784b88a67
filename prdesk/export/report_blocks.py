"""The building blocks of a printed report: its text styles, sections, tables and label lists."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Table, TableStyle

from prdesk.export.fonts import mixed_script_markup
from prdesk.export.pdf_layout import ACCENT, HAIRLINE, MUTED, MUTED_HEX, TEXT_WIDTH, para, style

BODY = style("report-body", 9.5, spaceAfter=5)
CELL = style("report-cell", 9)
CELL_BODY = style("report-cell-body", 9, spaceAfter=3)
NOTE = style("report-note", 8, textColor=MUTED)
LABEL = style("report-label", 8, textColor=MUTED, leading=11)
COLUMN = style("report-column", 7.5, textColor=MUTED)
SECTION = style(
    "report-section", 11.5, textColor=ACCENT, spaceBefore=14, spaceAfter=3, keepWithNext=1
)
SUBHEADING = style("report-subheading", 8.5, textColor=MUTED, spaceBefore=4, keepWithNext=1)

CELL_PADDING = 3.0


def widths(*fixed: float) -> list[float]:
    """Column widths: the fixed ones, then the last column takes the rest of the line."""
    return [*fixed, TEXT_WIDTH - sum(fixed)]


def grid(
    rows: list[list[object]],
    column_widths: Sequence[float],
    *,
    header: bool = False,
    lines: bool = True,
    split_rows: bool = True,
) -> Table:
    """A table of paragraphs, with hairlines between rows; rows may split across pages."""
    table = Table(
        rows,
        colWidths=list(column_widths),
        repeatRows=1 if header else 0,
        splitInRow=1 if split_rows else 0,
    )
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING + 2),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if lines:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.25, HAIRLINE))
    if header:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.6, MUTED))
    table.setStyle(TableStyle(commands))
    return table


def headed_grid(
    headings: Sequence[str], rows: list[list[object]], column_widths: Sequence[float]
) -> Table:
    """A table under a row of column headings, repeated on each page it continues on."""
    heading_row: list[object] = [para(heading, COLUMN, bold=True) for heading in headings]
    return grid([heading_row, *rows], column_widths, header=True)


def facts(pairs: Sequence[tuple[str, str]], *, columns: int = 2) -> Table:
    """Label and value pairs side by side; empty values print as a dash."""
    label_width = 1.1 * inch
    value_width = TEXT_WIDTH / columns - label_width
    cells = [[para(label, LABEL), para(value or "—", CELL)] for label, value in pairs]
    rows: list[list[object]] = []
    for start in range(0, len(cells), columns):
        row = [cell for pair in cells[start : start + columns] for cell in pair]
        rows.append(row + [""] * (2 * columns - len(row)))
    return grid(rows, [label_width, value_width] * columns, lines=False)


def section(title: str, *notes: str) -> list[Flowable]:
    """A section's heading, rule and notes, which never end a page on their own."""
    shown: list[Flowable] = [
        para(title, SECTION, bold=True),
        HRFlowable(width="100%", thickness=0.6, color=ACCENT, spaceAfter=3),
    ]
    shown += [para(note, NOTE) for note in notes if note]
    for flowable in shown:
        flowable.keepWithNext = 1
    return shown


def with_note(text: str, note: str, *, bold: bool = False) -> Paragraph:
    """A cell's text with a small muted line under it, as one paragraph: a long table has
    thousands of these, and each paragraph costs a parse and a layout."""
    markup = mixed_script_markup(text)
    if note:
        small = mixed_script_markup(note, bold=bold)
        markup += f'<br/><font size="{NOTE.fontSize}" color="{MUTED_HEX}">{small}</font>'
    return Paragraph(markup, CELL)
