"""A letter as a Word document, for anyone who must finish a draft in Word.

The printed PDF stays the letter of record; this is the same letter laid out on the
same paper (`letter_paper`), so that printed from Word it still fits the window
envelope: page 1 opens with a table of fixed row heights holding the letterhead, the
recipient's address in the window (and on A4 the return address line and the
information block), and the text starts where the PDF's does. Later pages carry the
continuation header; every page the confidentiality note and "Page X of Y".
"""

from __future__ import annotations

import datetime
import io
import re

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.export.letter_docx_body import BodyWriter, Emphasis, add_text, printable
from prdesk.export.letter_docx_parts import (
    PRACTICE_LINE,
    add_picture,
    border,
    cell_border,
    dated_zip,
    exactly,
    field,
    fixed_row,
    fixed_table,
    laid_out,
    practice_line,
    small,
)
from prdesk.export.letter_images import picture
from prdesk.export.letter_page import PRACTICE_MARK
from prdesk.export.letter_paper import WINDOW_INSET, Paper, paper
from prdesk.export.letter_text import greeting, letter_date, long_date, phrases, shortened

ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
FONT = "Calibri"  # on every Windows computer Word runs on
BODY_SIZE = 11
SIGNATURE_HEIGHT, SIGNATURE_WIDTH = 43.2, 172.8  # points: 0.6 by 2.4 inches
_LOGO_SHARE, _CONTACT_SHARE, _GAP = 0.3, 0.36, 10.0
_FIELD = re.compile(r"\{(page|total)\}")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_LEAD = 1.0  # points


def letter_docx(
    letter: LetterInfo,
    letterhead: Letterhead,
    *,
    signature: bytes | None = None,
    dated: datetime.date | None = None,
) -> bytes:
    """The letter as .docx bytes, dated as `render_letter_pdf` dates it."""
    day = letter_date(letter, dated)
    place = paper(letterhead.paper)
    words = phrases(letter.language)
    date_text = long_date(day, letter.language)
    document = Document()
    _styles(document)
    _pages(document, letter, letterhead, place, date_text)
    _first_page_top(document, letter, letterhead, place, date_text)
    if place.info is None:
        add_text(document.add_paragraph(), date_text)
        add_text(document.add_paragraph(), f"{words.reference}: {letter.case_number}")
    if letter.subject.strip():
        add_text(document.add_paragraph(), letter.subject, Emphasis(bold=True))
    add_text(document.add_paragraph(), greeting(letter))
    BodyWriter(document).write(letter.body)
    _signature_block(document, letter, signature)
    _metadata(document, letter, letterhead, day)
    output = io.BytesIO()
    document.save(output)
    return dated_zip(output.getvalue())


def _styles(document: WordDocument) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.paragraph_format.space_after = Pt(BODY_SIZE * 0.8)
    normal.paragraph_format.line_spacing = 1.1
    for level, size in ((1, 13.0), (2, 12.0), (3, 11.0)):
        heading = document.styles[f"Heading {level}"]
        # The template's headings are blue and in the theme's font; a letter's are not.
        fonts = heading.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        heading.font.name = FONT
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.color.rgb = RGBColor(0, 0, 0)
        colour = heading.element.rPr.color
        if colour is not None:
            colour.attrib.pop(qn("w:themeColor"), None)
            colour.attrib.pop(qn("w:themeShade"), None)
        heading.paragraph_format.space_before = Pt(BODY_SIZE * 0.8)
        heading.paragraph_format.space_after = Pt(BODY_SIZE * 0.4)


def _pages(
    document: WordDocument,
    letter: LetterInfo,
    letterhead: Letterhead,
    place: Paper,
    date_text: str,
) -> None:
    """Paper, margins, the continuation header and the footers; a letter from the
    practice database says at the top of every page that it is not real."""
    section = document.sections[0]
    section.page_width, section.page_height = Pt(place.width), Pt(place.height)
    section.left_margin, section.right_margin = Pt(place.left), Pt(place.right)
    # Page 1's text starts with the letterhead; later pages' below the header, which
    # Word makes room for by pushing the text down.
    section.top_margin = Pt(place.letterhead.top)
    # Page 1's header is empty, but Word wants room for it above the letterhead.
    section.header_distance = Pt(place.letterhead.top / 2)
    section.bottom_margin = Pt(place.text_bottom)
    section.footer_distance = Pt(place.text_bottom * 0.35)
    section.different_first_page_header_footer = True
    exactly(section.first_page_header.paragraphs[0], 1)

    words = phrases(letter.language)
    header = section.header.paragraphs[0]
    parts = [
        shortened(letterhead.organisation, 60),
        shortened(letter.recipient_name, 50),
        f"{words.reference}: {letter.case_number}",
        date_text,
    ]
    small(header, "\u2003\u00b7\u2003".join(part for part in parts if part.strip()), 8)
    header_bottom = section.header_distance.pt + 12
    if letterhead.practice:
        for above in (section.first_page_header.paragraphs[0], header):
            practice_line(above, PRACTICE_MARK)
        header_bottom += PRACTICE_LINE
    header.paragraph_format.space_after = Pt(max(place.later_text_top - header_bottom, 0))
    border(header, "bottom", "9AA3AD")
    for footer in (section.footer, section.first_page_footer):
        _footer(footer.paragraphs[0], footer.add_paragraph(), letterhead, words.page)


def _footer(note: Paragraph, numbers: Paragraph, letterhead: Letterhead, page: str) -> None:
    small(note, letterhead.confidentiality, 7)
    note.paragraph_format.space_after = Pt(0)
    border(note, "top", "9AA3AD")
    numbers.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    numbers.paragraph_format.space_after = Pt(0)
    # "Page {page} of {total}": the words stay text, the numbers become Word's fields.
    for number, part in enumerate(_FIELD.split(page)):
        if number % 2:
            field(numbers, "PAGE" if part == "page" else "NUMPAGES")
        elif part:
            small(numbers, part, 7)


def _first_page_top(
    document: WordDocument,
    letter: LetterInfo,
    letterhead: Letterhead,
    place: Paper,
    date_text: str,
) -> None:
    """Letterhead and window as a table whose rows have the PDF's exact heights."""
    address = place.address
    left = address.width - (address.left - place.left)
    # LibreOffice shows page 2's header on page 1 of a document that opens with this
    # table; a hairline paragraph first (its height taken from the first row) avoids it.
    lead = document.add_paragraph()
    exactly(lead, _LEAD)
    grid = fixed_table(document, [left, place.text_width - left])
    head = fixed_row(grid, place.rule - place.letterhead.top - _LEAD)
    cell = head.cells[0].merge(head.cells[1])
    _letterhead(cell, letterhead, place)
    cell_border(cell, "bottom", "1F3A5F", 5)
    fixed_row(grid, place.window.top - place.rule)
    info_cells: list[_Cell] = []
    if place.remarks:
        remarks = fixed_row(grid, place.remarks)
        remarks.cells[0].vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
        _return_address(remarks.cells[0].paragraphs[0], letterhead)
        info_cells.append(remarks.cells[1])
    window = fixed_row(grid, address.height)
    lines = [line for line in (letter.recipient_name, *letter.recipient_address) if line.strip()]
    lines_paragraph = window.cells[0].paragraphs[0]
    lines_paragraph.paragraph_format.space_before = Pt(WINDOW_INSET)
    add_text(lines_paragraph, "\n".join(lines))
    for run in lines_paragraph.runs:
        run.font.size = Pt(10)
    info_cells.append(window.cells[1])
    if place.info is not None:
        info = info_cells[0].merge(info_cells[-1]) if len(info_cells) > 1 else info_cells[0]
        indent = place.info.left - (place.left + left)
        _information(info, letter, letterhead, place, date_text, indent)
    fixed_row(grid, place.first_text_top - address.bottom)


def _letterhead(cell: _Cell, letterhead: Letterhead, place: Paper) -> None:
    """Logo, organisation and department, contact details: side by side as on the PDF."""
    box = place.letterhead
    logo = picture(letterhead.logo)
    height = place.rule - box.top - 6
    logo_size = logo.fitted(box.width * _LOGO_SHARE, min(box.height, height)) if logo else None
    contacts_width = box.width * _CONTACT_SHARE
    logo_width = logo_size[0] + _GAP if logo_size else 0.0
    widths = [logo_width, box.width - logo_width - contacts_width, contacts_width]
    inner = _table_in(cell, [width for width in widths if width])
    row: _Row = inner.add_row()  # type: ignore[no-untyped-call]
    cells = list(row.cells)
    for inner_cell, column in zip(cells, inner.columns, strict=True):
        inner_cell.width = column.width
        inner_cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    if logo is not None and logo_size is not None:
        run = cells.pop(0).paragraphs[0].add_run()
        add_picture(run, logo, logo_size[0], logo_size[1])
    names = cells[0].paragraphs[0]
    add_text(names, letterhead.organisation, Emphasis(bold=True))
    for run in names.runs:
        run.font.size = Pt(15)
        run.font.color.rgb = ACCENT
    if letterhead.department.strip():
        small(cells[0].add_paragraph(), letterhead.department, 10)
    contacts = cells[1].paragraphs[0]
    contacts.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    lines = [
        *letterhead.address_lines,
        letterhead.phone and f"Tel. {letterhead.phone}",
        letterhead.email,
        letterhead.website,
    ]
    small(contacts, "\n".join(line for line in lines if line.strip()), 8.5)


def _table_in(cell: _Cell, widths: list[float]) -> Table:
    table = cell.add_table(rows=0, cols=len(widths))
    # A cell must end with a paragraph; the one it started with goes after the table.
    empty = cell.paragraphs[0]._p
    cell._tc.remove(empty)
    cell._tc.append(empty)
    empty.get_or_add_pPr()
    exactly(cell.paragraphs[-1], 1)
    return laid_out(table, widths)


def _return_address(paragraph: Paragraph, letterhead: Letterhead) -> None:
    """The sender in one small underlined line over the address (DIN 5008)."""
    parts = [letterhead.organisation, *letterhead.address_lines]
    text = ", ".join(" ".join(part.split()) for part in parts if part.strip())
    paragraph.paragraph_format.space_after = Pt(4)
    small(paragraph, text, 7)
    for run in paragraph.runs:
        run.underline = True


def _information(
    cell: _Cell,
    letter: LetterInfo,
    letterhead: Letterhead,
    place: Paper,
    date_text: str,
    indent: float,
) -> None:
    """DIN 5008's information block: reference, contact person, phone, date."""
    words = phrases(letter.language)
    pairs = [
        (words.reference, letter.case_number),
        (words.contact, letter.signatory_name),
        (words.phone, letterhead.phone),
        (words.date, date_text),
    ]
    paragraph = cell.paragraphs[0]
    top = place.info.top if place.info is not None else place.window.top
    paragraph.paragraph_format.space_before = Pt(top - place.window.top)
    first = True
    for label, value in pairs:
        if not value.strip():
            continue
        if not first:
            paragraph = cell.add_paragraph()
        first = False
        paragraph.paragraph_format.left_indent = Pt(indent)
        paragraph.paragraph_format.space_after = Pt(3)
        small(paragraph, label, 7.5)
        paragraph.add_run().add_break()
        small(paragraph, value, 9.5, colour=RGBColor(0, 0, 0))


def _signature_block(document: WordDocument, letter: LetterInfo, signature: bytes | None) -> None:
    words = phrases(letter.language)
    closing = document.add_paragraph()
    closing.paragraph_format.keep_with_next = True
    add_text(closing, words.closing)
    room = document.add_paragraph()
    room.paragraph_format.keep_with_next = True
    room.paragraph_format.space_after = Pt(0)
    image = picture(signature)
    if image is not None:
        width, height = image.fitted(SIGNATURE_WIDTH, SIGNATURE_HEIGHT)
        add_picture(room.add_run(), image, width, height)
    else:
        exactly(room, SIGNATURE_HEIGHT)  # the same room for a handwritten signature
    for text, emphasis in (
        (letter.signatory_name, Emphasis(bold=True)),
        (letter.signatory_title, Emphasis()),
    ):
        if text.strip():
            line = document.add_paragraph()
            line.paragraph_format.space_after = Pt(0)
            line.paragraph_format.keep_with_next = True
            add_text(line, text, emphasis)
    copies = [name for name in letter.copies_to if name.strip()]
    if copies:
        block = document.add_paragraph()
        block.paragraph_format.space_before = Pt(BODY_SIZE)
        small(block, "\n".join([words.copies_to, *copies]), 9.5, colour=RGBColor(0, 0, 0))


def _metadata(
    document: WordDocument, letter: LetterInfo, letterhead: Letterhead, day: datetime.date
) -> None:
    """Only the subject and the organisation, as in the PDF; the letter's date as its dates."""
    properties = document.core_properties
    properties.title = shortened(printable(letter.subject), 200)
    properties.author = shortened(printable(letterhead.organisation), 200)
    properties.last_modified_by = ""
    properties.comments = ""
    properties.revision = 1
    moment = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
    properties.created = properties.modified = moment
    properties.language = letter.language if _LANGUAGE_TAG.fullmatch(letter.language) else ""
