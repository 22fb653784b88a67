"""A letter as a Word document, for anyone who must finish a draft in Word.

The printed PDF stays the letter of record; this is the same letterhead, addressee,
reference, body and signature block laid out as an ordinary editable document, with
the confidentiality text in the footer and the page size of the chosen paper.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from markdown_it.tree import SyntaxTreeNode

from prdesk.domain.enums import PaperFormat
from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.export.letter_images import picture
from prdesk.export.letter_text import (
    MARKDOWN,
    greeting,
    letter_date,
    long_date,
    phrases,
    pieces,
)

ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x55, 0x55, 0x55)
# (width, height, left, right) in millimetres, as the PDF lays them out.
_PAGES = {
    PaperFormat.US_LETTER: (215.9, 279.4, 25.4, 25.4),
    PaperFormat.A4: (210.0, 297.0, 25.0, 20.0),
}


def letter_docx(
    letter: LetterInfo,
    letterhead: Letterhead,
    *,
    signature: bytes | None = None,
    dated: datetime.date | None = None,
) -> bytes:
    """The letter as .docx bytes."""
    document = Document()
    _page(document, letterhead)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    words = phrases(letter.language)

    _letterhead(document, letterhead)
    address = document.add_paragraph()
    for index, line in enumerate((letter.recipient_name, *letter.recipient_address)):
        if index:
            address.add_run().add_break()
        _text(address, line)
    day = letter_date(letter, dated)
    _text(document.add_paragraph(), long_date(day, letter.language))
    _text(document.add_paragraph(), f"{words.reference}: {letter.case_number}")
    _text(document.add_paragraph(), letter.subject, bold=True)
    _text(document.add_paragraph(), greeting(letter))
    _body(document, letter.body)
    _text(document.add_paragraph(), words.closing)
    image = picture(signature)
    if image is not None:
        document.add_paragraph().add_run().add_picture(io.BytesIO(signature or b""), height=Mm(15))
    else:
        document.add_paragraph()
    _text(document.add_paragraph(), letter.signatory_name, bold=True)
    if letter.signatory_title:
        _text(document.add_paragraph(), letter.signatory_title)
    if letter.copies_to:
        copies = document.add_paragraph()
        _text(copies, words.copies_to)
        for name in letter.copies_to:
            copies.add_run().add_break()
            _text(copies, name)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _page(document: WordDocument, letterhead: Letterhead) -> None:
    width, height, left, right = _PAGES[letterhead.paper]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.top_margin = section.bottom_margin = Mm(20)
    footer = section.footer.paragraphs[0]
    run = footer.add_run(letterhead.confidentiality)
    run.font.size = Pt(7.5)
    run.font.color.rgb = MUTED


def _letterhead(document: WordDocument, letterhead: Letterhead) -> None:
    if picture(letterhead.logo) is not None:
        document.add_paragraph().add_run().add_picture(
            io.BytesIO(letterhead.logo or b""), height=Mm(18)
        )
    name = document.add_paragraph()
    run = name.add_run(letterhead.organisation)
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = ACCENT
    details = [
        letterhead.department,
        *letterhead.address_lines,
        letterhead.phone and f"Tel. {letterhead.phone}",
        letterhead.email,
        letterhead.website,
    ]
    contact = document.add_paragraph()
    for index, line in enumerate(line for line in details if line):
        if index:
            contact.add_run().add_break()
        run = contact.add_run(line)
        run.font.size = Pt(9)
        run.font.color.rgb = MUTED


def _text(paragraph: Paragraph, text: str, *, bold: bool = False) -> None:
    """Plain text, with unfilled merge fields highlighted as the composer shows them."""
    for piece, is_mark in pieces(_printable(text)):
        run = paragraph.add_run(piece)
        run.bold = bold or None
        if is_mark:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _printable(text: str) -> str:
    # Word refuses XML-illegal characters (control characters, lone surrogates).
    return "".join(
        char
        for char in text
        if char in "\t\n" or (ord(char) >= 0x20 and not 0xD800 <= ord(char) <= 0xDFFF)
    )


def _body(document: WordDocument, markdown: str) -> None:
    tree = SyntaxTreeNode(MARKDOWN.parse(markdown.replace("\x00", "")))
    for block in tree.children:
        _block(document, block, level=0)


def _block(document: WordDocument, node: SyntaxTreeNode, *, level: int) -> None:
    if node.type == "heading":
        heading = document.add_heading(level=min(int(node.tag[1:]), 3))
        _inline(heading, node.children)
    elif node.type in ("bullet_list", "ordered_list"):
        style = "List Bullet" if node.type == "bullet_list" else "List Number"
        if level:
            style += " 2"
        for item in node.children:
            for part in item.children:
                if part.type == "paragraph":
                    _inline(document.add_paragraph(style=style), part.children)
                else:
                    _block(document, part, level=level + 1)
    elif node.type == "paragraph":
        _inline(document.add_paragraph(), node.children)
    elif node.type == "blockquote":
        for part in node.children:
            _block(document, part, level=level)
    elif node.type in ("fence", "code_block"):
        _text(document.add_paragraph(), node.content.rstrip("\n"))
    elif node.type == "hr":
        document.add_paragraph("\u2014" * 10)


def _inline(paragraph: Paragraph, nodes: Iterable[SyntaxTreeNode]) -> None:
    for node in nodes:
        if node.type == "inline":
            _inline(paragraph, node.children)
        else:
            _runs(paragraph, node, bold=False, italic=False, underline=False)


def _runs(
    paragraph: Paragraph, node: SyntaxTreeNode, *, bold: bool, italic: bool, underline: bool
) -> None:
    if node.type == "text":
        for piece, is_mark in pieces(_printable(node.content)):
            run = paragraph.add_run(piece)
            run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
            if is_mark:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    elif node.type == "code_inline":
        paragraph.add_run(_printable(node.content))
    elif node.type in ("softbreak",):
        paragraph.add_run(" ")
    elif node.type == "hardbreak":
        paragraph.add_run().add_break()
    else:
        # Qt's editor writes underline as _text_ and italic as *text* (see markdown_flowables).
        strong = node.type == "strong"
        em = node.type == "em"
        under = em and node.markup == "_"
        for child in node.children:
            _runs(
                paragraph,
                child,
                bold=bold or strong,
                italic=italic or (em and not under),
                underline=underline or under,
            )
