"""Small Word tools for letters: exact heights, fixed tables, borders, fields, pictures."""

from __future__ import annotations

import io
import zipfile

from docx.document import Document as WordDocument
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from PIL import Image

from prdesk.export.letter_docx_body import add_text
from prdesk.export.letter_images import Picture

MUTED = RGBColor(0x55, 0x55, 0x55)
PRACTICE_RED = RGBColor(0xBF, 0x1A, 0x1A)
# The practice mark's line at the top of every page: small enough to stay above page
# 1's letterhead on either paper, so the address still sits in the envelope window.
PRACTICE_LINE = 12.0
# Every part of the .docx gets this date, so the same letter gives the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in the footer's small type; Word fills in its value."""
    field = paragraph._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): f" {instruction} "})
    run = paragraph.add_run("1")
    run.font.size = Pt(7)
    run.font.color.rgb = MUTED
    field.append(run._r)
    paragraph._p.append(field)


def small(paragraph: Paragraph, text: str, size: float, *, colour: RGBColor = MUTED) -> None:
    """Text in a given size and colour (muted grey unless told), marks highlighted."""
    start = len(paragraph.runs)
    add_text(paragraph, text)
    for run in paragraph.runs[start:]:
        run.font.size = Pt(size)
        run.font.color.rgb = colour


def border(paragraph: Paragraph, side: str, colour: str, size: int = 4) -> None:
    """A line along one side ("top", "bottom") of a paragraph; size in eighths of a point."""
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = properties.makeelement(qn("w:pBdr"), {})
        properties.insert_element_before(
            borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr"
        )
    attributes = {"val": "single", "sz": str(size), "space": "2", "color": colour}
    borders.append(
        borders.makeelement(qn(f"w:{side}"), {qn(f"w:{k}"): v for k, v in attributes.items()})
    )


def exactly(paragraph: Paragraph, height: float) -> None:
    """An empty paragraph exactly `height` points tall."""
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(height)
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)


def fixed_table(document: WordDocument, widths: list[float]) -> Table:
    """A table of columns `widths` points wide that Word does not resize."""
    return laid_out(document.add_table(rows=0, cols=len(widths)), widths)


def laid_out(table: Table, widths: list[float]) -> Table:
    """Fixed column widths and no cell padding: text starts where the columns start."""
    table.autofit = False
    properties = table._tbl.tblPr
    margins = properties.makeelement(qn("w:tblCellMar"), {})
    for side in ("top", "left", "bottom", "right"):
        margins.append(margins.makeelement(qn(f"w:{side}"), {qn("w:w"): "0", qn("w:type"): "dxa"}))
    properties.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    layout = properties.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    properties.insert_element_before(layout, "w:tblCellMar")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Pt(width)
    return table


def fixed_row(table: Table, height: float) -> _Row:
    """A row exactly `height` points tall, whatever is in it."""
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]
    row.height = Pt(max(height, 1))
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    for cell, column in zip(row.cells, table.columns, strict=True):
        cell.width = column.width
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    return row


def cell_border(cell: _Cell, side: str, colour: str, size: int) -> None:
    """A line along one side of a table cell; size in eighths of a point."""
    properties = cell._tc.get_or_add_tcPr()
    borders = properties.makeelement(qn("w:tcBorders"), {})
    attributes = {"val": "single", "sz": str(size), "space": "0", "color": colour}
    borders.append(
        borders.makeelement(qn(f"w:{side}"), {qn(f"w:{k}"): v for k, v in attributes.items()})
    )
    properties.insert_element_before(borders, "w:shd", "w:noWrap", "w:tcMar", "w:vAlign")


def practice_line(before: Paragraph, text: str) -> None:
    """`text` in bold red on a line of its own, exactly PRACTICE_LINE tall, above `before`."""
    line = before.insert_paragraph_before()
    exactly(line, PRACTICE_LINE)
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = line.add_run(text)
    run.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = PRACTICE_RED


def dated_zip(data: bytes) -> bytes:
    """The same .docx with every part stamped with one fixed date instead of now."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            stamped = zipfile.ZipInfo(item.filename, date_time=ZIP_DATE)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stamped, source.read(item.filename))
    return output.getvalue()


def add_picture(run: Run, image: Picture, width: float, height: float) -> None:
    """The picture in the run; a JPEG python-docx cannot read the header of (one saved
    without JFIF or Exif data, as many scanners do) goes in as PNG instead."""
    try:
        run.add_picture(io.BytesIO(image.file), width=Pt(width), height=Pt(height))
    except UnrecognizedImageError:
        png = io.BytesIO()
        with Image.open(io.BytesIO(image.file)) as opened:
            opened.save(png, format="PNG")
        run.add_picture(io.BytesIO(png.getvalue()), width=Pt(width), height=Pt(height))
