"""What a letter's pages carry besides the letter: letterhead, marks, headers and footers.

Page 1 has the letterhead, the return address line (A4), the information block (A4)
and the fold and punch marks. Every page has the confidentiality footer and "Page X of
Y"; from page 2 a short header (organisation, recipient, reference, date) lets a loose
page be put back with its letter.
"""

from __future__ import annotations

import datetime
import functools

from reportlab.lib import colors
from reportlab.lib.fonts import tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepInFrame, Paragraph

from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.export.fonts import BASE_FONT, font_runs
from prdesk.export.letter_images import picture
from prdesk.export.letter_paper import Box, Paper
from prdesk.export.letter_text import long_date, phrases, shortened
from prdesk.export.markdown_flowables import Emphasis, text_markup
from prdesk.export.pdf_layout import style

ACCENT = colors.HexColor("#1F3A5F")
MUTED = colors.HexColor("#555555")
HAIRLINE = colors.HexColor("#9AA3AD")
# Fold and punch marks: visible enough to fold by, faint enough not to distract.
MARK_GREY = colors.HexColor("#8A8A8A")
SEPARATOR = "\u2003\u00b7\u2003"  # a middle dot between em spaces
# Across every page of a letter from the practice database, so none passes for a real one.
PRACTICE_MARK = "PRACTICE \u2014 NOT A REAL LETTER"
PRACTICE_RED = colors.Color(0.75, 0.1, 0.1, alpha=0.28)

ORGANISATION = style("letter-organisation", 15, textColor=ACCENT, leading=18)
DEPARTMENT = style("letter-department", 10, textColor=MUTED, spaceBefore=1)
FOOTER = style("letter-footer", 7, textColor=MUTED, leading=8.5)

_LOGO_WIDTH = 0.3  # of the letterhead's width, at most
_LOGO_GAP = 10.0
_CONTACT_WIDTH = 0.36
_CONTACT_SIZE, _CONTACT_LEADING = 8.5, 11.0
_RETURN_SIZE = 7.0
_INFO_LABEL_SIZE, _INFO_VALUE_SIZE = 7.5, 9.5
_HEADER_SIZE = 8.0
_FOOTER_GAP = 3.0

Segment = tuple[str, bool]
"""A piece of one line of text, and whether it is bold."""


def draw_line(
    canvas: Canvas,
    segments: list[Segment],
    x: float,
    y: float,
    size: float,
    *,
    width: float,
    right: bool = False,
) -> float:
    """One line of text in any script with its baseline at y, shrunk to fit `width`.

    Cheaper than a Paragraph, which parses markup: the letterhead, headers and
    information block are single lines that never wrap. The fill colour is the canvas's.
    Returns the width drawn.
    """
    runs = [run for text, bold in segments for run in _faces(text, bold)]
    widths: list[float] = [stringWidth(run, face, size) for face, run in runs]
    total = sum(widths)
    if total > width > 0:
        scale = width / total
        size, widths, total = size * scale, [each * scale for each in widths], width
    if right:
        x -= total
    for (face, run), run_width in zip(runs, widths, strict=True):
        canvas.setFont(face, size)
        canvas.drawString(x, y, run)
        x += run_width
    return total


@functools.lru_cache(maxsize=1024)
def _faces(text: str, bold: bool) -> tuple[tuple[str, str], ...]:
    """(font face, text) runs of one line; cached, as every letter repeats its letterhead."""
    return tuple(
        (tt2ps(font, int(bold), 0), run) for font, run in font_runs(" ".join(text.split()))
    )


def _lines(
    texts: list[str], paragraph_style: ParagraphStyle, *, bold: bool = False
) -> list[Flowable]:
    emphasis = Emphasis(bold=bold)
    return [Paragraph(text_markup(text, emphasis), paragraph_style) for text in texts if text]


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
            self._info(canvas, paper.info)
        self._marks(canvas)
        self._footer(canvas)
        self._practice_mark(canvas)

    def later_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        paper = self.paper
        separator = (SEPARATOR, False)
        segments: list[Segment] = [(shortened(self.letterhead.organisation, 60), True)]
        for text in (
            shortened(self.letter.recipient_name, 50),
            f"{self.words.reference}: {self.letter.case_number}",
            self.date_text,
        ):
            if text.strip():
                segments += [separator, (text, False)]
        canvas.saveState()
        canvas.setFillColor(MUTED)
        baseline = self._top(paper.header_top + _HEADER_SIZE)
        draw_line(canvas, segments, paper.left, baseline, _HEADER_SIZE, width=paper.text_width)
        canvas.restoreState()
        rule = paper.header_top + _HEADER_SIZE + 5
        self._line(canvas, rule, paper.left, paper.width - paper.right, HAIRLINE, 0.5)
        self._marks(canvas)
        self._footer(canvas)
        self._practice_mark(canvas)

    def _practice_mark(self, canvas: Canvas) -> None:
        """PRACTICE_MARK diagonally across the page, under the text, when the letterhead
        is the practice database's."""
        if not self.letterhead.practice:
            return
        paper = self.paper
        canvas.saveState()
        canvas.setFillColor(PRACTICE_RED)
        canvas.translate(paper.width / 2, paper.height / 2)
        canvas.rotate(50)
        size = paper.height / 17
        canvas.setFont(BASE_FONT, size)
        canvas.drawCentredString(0, -size / 3, PRACTICE_MARK)
        canvas.restoreState()

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
            logo.draw(canvas, box.left, self._top(box.top + height), width, height)
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
        contacts = [line for line in contacts if line.strip()]
        # Many address lines get smaller rather than run into the rule below.
        scale = min(1.0, box.height / (max(len(contacts), 1) * _CONTACT_LEADING))
        canvas.saveState()
        canvas.setFillColor(MUTED)
        right = box.left + box.width
        for number, line in enumerate(contacts):
            baseline = self._top(box.top + (_CONTACT_SIZE + number * _CONTACT_LEADING) * scale)
            size = _CONTACT_SIZE * scale
            draw_line(
                canvas, [(line, False)], right, baseline, size, width=contact_width, right=True
            )
        canvas.restoreState()

    def _return_address(self, canvas: Canvas) -> None:
        """The sender in one small line over the address, as DIN 5008 has it, underlined."""
        head = self.letterhead
        parts = [head.organisation, *head.address_lines]
        text = ", ".join(" ".join(part.split()) for part in parts if part.strip())
        address = self.paper.address
        bottom = address.top - 1.5 * mm
        width = address.width - 2 * mm
        canvas.saveState()
        canvas.setFillColor(MUTED)
        baseline = self._top(bottom - 2)
        drawn = draw_line(
            canvas, [(text, False)], address.left, baseline, _RETURN_SIZE, width=width
        )
        canvas.restoreState()
        if drawn:
            self._line(canvas, bottom, address.left, address.left + drawn, HAIRLINE, 0.4)

    def _info(self, canvas: Canvas, box: Box) -> None:
        """DIN 5008's information block: reference, contact person, phone, date."""
        words = self.words
        pairs = [
            (words.reference, self.letter.case_number),
            (words.contact, self.letter.signatory_name),
            (words.phone, self.letterhead.phone),
            (words.date, self.date_text),
        ]
        top = box.top
        canvas.saveState()
        for label, value in pairs:
            if not value.strip():
                continue
            top += _INFO_LABEL_SIZE
            canvas.setFillColor(MUTED)
            draw_line(
                canvas,
                [(label, False)],
                box.left,
                self._top(top),
                _INFO_LABEL_SIZE,
                width=box.width,
            )
            top += _INFO_VALUE_SIZE + 2
            canvas.setFillColor(colors.black)
            draw_line(
                canvas,
                [(value, False)],
                box.left,
                self._top(top),
                _INFO_VALUE_SIZE,
                width=box.width,
            )
            top += 7
        canvas.restoreState()

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
