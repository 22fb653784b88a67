"""What a letter's pages carry besides the letter: letterhead, marks, headers and footers.

Page 1 has the letterhead, the return address line (A4), the information block (A4)
and the fold and punch marks. Every page has the confidentiality footer and "Page X of
Y"; from page 2 a short header (organisation, recipient, reference, date) lets a loose
page be put back with its letter.
"""

from __future__ import annotations

import datetime

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepInFrame, Paragraph

from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.export.fonts import BASE_FONT, mixed_script_markup
from prdesk.export.letter_images import picture
from prdesk.export.letter_paper import Box, Paper
from prdesk.export.letter_text import long_date, phrases, shortened
from prdesk.export.pdf_layout import style

ACCENT = colors.HexColor("#1F3A5F")
MUTED = colors.HexColor("#555555")
HAIRLINE = colors.HexColor("#9AA3AD")
# Fold and punch marks: visible enough to fold by, faint enough not to distract.
MARK_GREY = colors.HexColor("#8A8A8A")
SEPARATOR = "\u2003\u00b7\u2003"  # a middle dot between em spaces

ORGANISATION = style("letter-organisation", 15, textColor=ACCENT, leading=18)
DEPARTMENT = style("letter-department", 10, textColor=MUTED, spaceBefore=1)
CONTACT = style("letter-contact", 8.5, textColor=MUTED, alignment=TA_RIGHT, leading=11)
RETURN_ADDRESS = style("letter-return", 7, textColor=MUTED, leading=8.5)
INFO_LABEL = style("letter-info-label", 7.5, textColor=MUTED, leading=9)
INFO_VALUE = style("letter-info-value", 9.5, leading=11.5, spaceAfter=3.5)
HEADER = style("letter-header", 8, textColor=MUTED, leading=10)
FOOTER = style("letter-footer", 7, textColor=MUTED, leading=8.5)

_LOGO_WIDTH = 0.3  # of the letterhead's width, at most
_LOGO_GAP = 10.0
_CONTACT_WIDTH = 0.36
_FOOTER_GAP = 3.0


def _lines(
    texts: list[str], paragraph_style: ParagraphStyle, *, bold: bool = False
) -> list[Flowable]:
    return [
        Paragraph(mixed_script_markup(text, bold=bold), paragraph_style) for text in texts if text
    ]


class LetterPages:
    """Draws the furniture of one letter's pages on the canvas ReportLab hands over."""

    def __init__(
        self, letter: LetterInfo, letterhead: Letterhead, paper: Paper, dated: datetime.date
    ) -> None:
        self.letter = letter
        self.letterhead = letterhead
        self.paper = paper
        self.dated = dated
        self.words = phrases(letter.language)
        self.date_text = long_date(dated, letter.language)

    def _top(self, distance_from_top: float) -> float:
        """The y coordinate (ReportLab measures from the bottom) of a distance from the top."""
        return self.paper.height - distance_from_top

    def _draw_in_box(self, canvas: Canvas, flowables: list[Flowable], box: Box) -> None:
        """Draw flowables from the top of a box, shrinking them if they would not fit."""
        if not flowables:
            return
        frame = Frame(
            box.left, self._top(box.bottom), box.width, box.height, 0, 0, 0, 0, showBoundary=0
        )
        frame.addFromList([KeepInFrame(box.width, box.height, flowables, mode="shrink")], canvas)

    def _line(
        self,
        canvas: Canvas,
        top: float,
        left: float,
        right: float,
        color: colors.Color,
        width: float,
    ) -> None:
        canvas.saveState()
        canvas.setStrokeColor(color)
        canvas.setLineWidth(width)
        canvas.line(left, self._top(top), right, self._top(top))
        canvas.restoreState()

    def first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        # The PDF is built "invariant" (same input, same bytes), which would stamp it as
        # created in 2000; the letter's own date is the honest creation date to show.
        canvas.setDateFormatter(lambda *_: f"D:{self.dated:%Y%m%d}")
        paper = self.paper
        self._letterhead(canvas)
        self._line(canvas, paper.rule, paper.left, paper.width - paper.right, ACCENT, 0.6)
        if paper.remarks:
            self._return_address(canvas)
        if paper.info is not None:
            self._draw_in_box(canvas, self._info(), paper.info)
        self._marks(canvas)
        self._footer(canvas)

    def later_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        paper = self.paper
        parts = [
            mixed_script_markup(shortened(self.letterhead.organisation, 60), bold=True),
            mixed_script_markup(shortened(self.letter.recipient_name, 50)),
            mixed_script_markup(f"{self.words.reference}: {self.letter.case_number}"),
            mixed_script_markup(self.date_text),
        ]
        text = mixed_script_markup(SEPARATOR).join(part for part in parts if part)
        box = Box(paper.left, paper.header_top, paper.text_width, 12)
        self._draw_in_box(canvas, [Paragraph(text, HEADER)], box)
        rule = paper.header_top + 15
        self._line(canvas, rule, paper.left, paper.width - paper.right, HAIRLINE, 0.5)
        self._marks(canvas)
        self._footer(canvas)

    def stamp(self, canvas: Canvas, page: int, total: int) -> None:
        """ "Page X of Y" at the right of the footer, once the page count is known."""
        paper = self.paper
        canvas.setFont(BASE_FONT, FOOTER.fontSize)
        canvas.setFillColor(MUTED)
        y = paper.footer_top - _FOOTER_GAP - FOOTER.fontSize
        text = self.words.page.format(page=page, total=total)
        canvas.drawRightString(paper.width - paper.right, y, text)

    def _letterhead(self, canvas: Canvas) -> None:
        box = self.paper.letterhead
        head = self.letterhead
        text_left = box.left
        logo = picture(head.logo)
        if logo is not None:
            width, height = logo.fitted(box.width * _LOGO_WIDTH, box.height)
            canvas.drawImage(
                logo.reader, box.left, self._top(box.top + height), width, height, mask="auto"
            )
            text_left += width + _LOGO_GAP
        contact_width = box.width * _CONTACT_WIDTH
        name_width = box.left + box.width - contact_width - _LOGO_GAP - text_left
        names = [
            *_lines([head.organisation], ORGANISATION, bold=True),
            *_lines([head.department], DEPARTMENT),
        ]
        self._draw_in_box(canvas, names, Box(text_left, box.top, name_width, box.height))
        contacts = [
            *head.address_lines,
            head.phone and f"Tel. {head.phone}",
            head.email,
            head.website,
        ]
        contact_box = Box(box.left + box.width - contact_width, box.top, contact_width, box.height)
        self._draw_in_box(canvas, _lines(contacts, CONTACT), contact_box)

    def _return_address(self, canvas: Canvas) -> None:
        """The sender in one small line over the address, as DIN 5008 has it, underlined."""
        head = self.letterhead
        parts = [head.organisation, *head.address_lines]
        text = ", ".join(" ".join(part.split()) for part in parts if part.strip())
        address = self.paper.address
        height = RETURN_ADDRESS.leading
        bottom = address.top - 1.5 * mm
        box = Box(address.left, bottom - height, address.width - 2 * mm, height)
        self._draw_in_box(canvas, _lines([text], RETURN_ADDRESS), box)
        self._line(canvas, bottom + 0.8, box.left, box.left + box.width, HAIRLINE, 0.4)

    def _info(self) -> list[Flowable]:
        """DIN 5008's information block: reference, contact person, phone, date."""
        words = self.words
        pairs = [
            (words.reference, self.letter.case_number),
            (words.contact, self.letter.signatory_name),
            (words.phone, self.letterhead.phone),
            (words.date, self.date_text),
        ]
        flowables: list[Flowable] = []
        for label, value in pairs:
            if value.strip():
                flowables += [*_lines([label], INFO_LABEL), *_lines([value], INFO_VALUE)]
        return flowables

    def _marks(self, canvas: Canvas) -> None:
        """Short hairlines in the left margin to fold by, and to punch the sheet by."""
        for fold in self.paper.folds:
            self._line(canvas, fold, 5 * mm, 10 * mm, MARK_GREY, 0.4)
        if self.paper.hole is not None:
            self._line(canvas, self.paper.hole, 5 * mm, 12 * mm, MARK_GREY, 0.4)

    def _footer(self, canvas: Canvas) -> None:
        paper = self.paper
        from_top = paper.height - paper.footer_top
        self._line(canvas, from_top, paper.left, paper.width - paper.right, HAIRLINE, 0.5)
        # The right quarter is kept for "Page X of Y", drawn once the page count is known.
        box = Box(paper.left, from_top + _FOOTER_GAP, paper.text_width * 0.75, 3 * FOOTER.leading)
        self._draw_in_box(canvas, _lines([self.letterhead.confidentiality], FOOTER), box)
