"""Prints a letter as a PDF: a US business letter on Letter paper for a #10 window envelope.

Page 1 carries the letterhead, the recipient's address where the envelope window shows
it, then date, reference, subject, salutation, the Markdown body and the signature
block. Later pages carry a small header with organisation, case reference and page
number, so a loose page can be put back with its letter.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepInFrame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)

from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.export.fonts import BASE_FONT, mixed_script_markup, register_fonts
from prdesk.export.markdown_flowables import markdown_to_flowables

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 1.0 * inch
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

# The #10 window (4.5 x 1.125 in, 7/8 in from the envelope's left, 1/2 in from its
# bottom) shows this band of a tri-folded Letter sheet resting at the envelope's bottom.
# The address keeps 0.05 in clear of each edge, as the sheet can shift a little.
WINDOW_TOP = 2.1 * inch
WINDOW_BOTTOM = 3.1 * inch
WINDOW_LEFT = 1.0 * inch
WINDOW_WIDTH = 3.5 * inch
WINDOW_INSET = 0.05 * inch

LETTERHEAD_TOP = 0.55 * inch
LETTERHEAD_HEIGHT = 1.0 * inch
LETTERHEAD_RULE = LETTERHEAD_TOP + LETTERHEAD_HEIGHT + 0.1 * inch
FIRST_BODY_TOP = WINDOW_BOTTOM + 0.3 * inch
LATER_HEADER_TOP = 0.55 * inch
LATER_BODY_TOP = 1.0 * inch

ACCENT = colors.HexColor("#1F3A5F")
MUTED = colors.HexColor("#555555")
BODY_SIZE = 11.0


@dataclass(frozen=True)
class _Phrases:
    """The fixed words of a letter in one language (the body comes from its template)."""

    locale: str  # for the date line
    greeting: str  # {name} is replaced by the salutation
    reference: str
    closing: str
    page: str
    anonymous: str  # greets a letter with no name to address


# The languages letter templates are written in; any other prints these parts in English.
_PHRASES = {
    "en": _Phrases("en_US", "Dear {name},", "Our reference", "Sincerely,", "Page", "Sir or Madam"),
    "es": _Phrases(
        "es", "Estimado/a {name}:", "Nuestra referencia", "Atentamente,", "Página", "señor/a"
    ),
}


def _phrases(language: str) -> _Phrases:
    return _PHRASES.get(language.split("-")[0].lower(), _PHRASES["en"])


def _style(name: str, size: float, **options: object) -> ParagraphStyle:
    # Always the regular face of the base family; emphasis is asked for in the markup
    # (see mixed_script_markup), and text in other scripts switches font run by run.
    settings: dict[str, object] = {"fontName": BASE_FONT, "fontSize": size, "leading": size * 1.3}
    return ParagraphStyle(name, **(settings | options))


BODY = _style("body", BODY_SIZE, spaceAfter=BODY_SIZE * 0.8)
LINE = _style("line", BODY_SIZE)
ADDRESS = _style("address", 10.5, leading=12.5)
ORGANISATION = _style("organisation", 16, textColor=ACCENT, leading=19)
DEPARTMENT = _style("department", 10.5, textColor=MUTED, spaceBefore=2)
CONTACT = _style("contact", 8.5, textColor=MUTED, alignment=TA_RIGHT)
HEADER = _style("header", 8.5, textColor=MUTED)


def _lines(texts: list[str], style: ParagraphStyle, *, bold: bool = False) -> list[Flowable]:
    return [Paragraph(mixed_script_markup(text, bold=bold), style) for text in texts if text]


def _top(distance_from_top: float) -> float:
    """The y coordinate (ReportLab measures from the bottom) of a distance from the top."""
    return float(PAGE_HEIGHT - distance_from_top)


def _draw_in_box(
    canvas: Canvas, flowables: list[Flowable], x: float, top: float, width: float, height: float
) -> None:
    """Draw flowables in a box given by its top (from the page top), shrinking to fit."""
    frame = Frame(x, _top(top + height), width, height, 0, 0, 0, 0, showBoundary=0)
    frame.addFromList([KeepInFrame(width, height, flowables, mode="shrink")], canvas)


def _rule(canvas: Canvas, distance_from_top: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, _top(distance_from_top), PAGE_WIDTH - MARGIN, _top(distance_from_top))
    canvas.restoreState()


def _letterhead_flowables(letterhead: Letterhead) -> tuple[list[Flowable], list[Flowable]]:
    """Organisation and department (left); address and contact details (right)."""
    left = [
        Paragraph(mixed_script_markup(letterhead.organisation, bold=True), ORGANISATION),
        *_lines([letterhead.department], DEPARTMENT),
    ]
    contacts = [
        *letterhead.address_lines,
        letterhead.phone and f"Tel. {letterhead.phone}",
        letterhead.email,
        letterhead.website,
    ]
    return left, _lines(contacts, CONTACT)


def _first_page(
    letterhead: Letterhead, dated: datetime.date
) -> Callable[[Canvas, BaseDocTemplate], None]:
    left_width = TEXT_WIDTH * 0.6

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        # The PDF is built "invariant" (same input, same bytes), which would stamp it as
        # created in 2000; the letter's own date is the honest creation date to show.
        canvas.setDateFormatter(lambda *_: f"D:{dated:%Y%m%d}")
        # Fresh flowables per call: a flowable keeps layout state once drawn.
        left, right = _letterhead_flowables(letterhead)
        _draw_in_box(canvas, left, MARGIN, LETTERHEAD_TOP, left_width, LETTERHEAD_HEIGHT)
        right_x = MARGIN + left_width
        _draw_in_box(
            canvas, right, right_x, LETTERHEAD_TOP, TEXT_WIDTH - left_width, LETTERHEAD_HEIGHT
        )
        _rule(canvas, LETTERHEAD_RULE)

    return draw


def _later_pages(
    letter: LetterInfo, letterhead: Letterhead
) -> Callable[[Canvas, BaseDocTemplate], None]:
    words = _phrases(letter.language)

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        separator = "\u2003\u00b7\u2003"  # a middle dot between em spaces
        text = mixed_script_markup(letterhead.organisation, bold=True) + mixed_script_markup(
            f"{separator}{words.reference}: {letter.case_number}"
            f"{separator}{words.page} {canvas.getPageNumber()}"
        )
        _draw_in_box(canvas, [Paragraph(text, HEADER)], MARGIN, LATER_HEADER_TOP, TEXT_WIDTH, 14)
        _rule(canvas, LATER_HEADER_TOP + 18)

    return draw


def _page_templates(
    letter: LetterInfo, letterhead: Letterhead, dated: datetime.date
) -> list[PageTemplate]:
    window = Frame(
        WINDOW_LEFT,
        _top(WINDOW_BOTTOM),
        WINDOW_WIDTH,
        WINDOW_BOTTOM - WINDOW_TOP,
        leftPadding=0,
        rightPadding=0,
        topPadding=WINDOW_INSET,
        bottomPadding=WINDOW_INSET,
        id="window",
    )
    first_body = Frame(
        MARGIN, MARGIN, TEXT_WIDTH, _top(FIRST_BODY_TOP) - MARGIN, 0, 0, 0, 0, id="body"
    )
    later_body = Frame(
        MARGIN, MARGIN, TEXT_WIDTH, _top(LATER_BODY_TOP) - MARGIN, 0, 0, 0, 0, id="body"
    )
    return [
        PageTemplate("first", [window, first_body], onPage=_first_page(letterhead, dated)),
        PageTemplate("later", [later_body], onPage=_later_pages(letter, letterhead)),
    ]


def _story(letter: LetterInfo, dated: datetime.date) -> list[Flowable]:
    words = _phrases(letter.language)
    address = _lines([letter.recipient_name, *letter.recipient_address], ADDRESS)
    window_height = WINDOW_BOTTOM - WINDOW_TOP - 2 * WINDOW_INSET
    greeting = words.greeting.format(
        name=letter.salutation or letter.recipient_name or words.anonymous
    )
    body = markdown_to_flowables(letter.body, BODY)
    last = body[-1:]
    del body[-1:]
    signature: list[Flowable] = [
        Paragraph(mixed_script_markup(words.closing), LINE),
        Spacer(1, 0.6 * inch),  # room for a handwritten signature
        *_lines([letter.signatory_name], LINE, bold=True),
        *_lines([letter.signatory_title], LINE),
    ]
    return [
        NextPageTemplate("later"),
        # Shrinks a long address rather than letting it spill out of the window.
        KeepInFrame(WINDOW_WIDTH, window_height, address, mode="shrink"),
        FrameBreak(),
        Paragraph(mixed_script_markup(format_date(dated, "long", locale=words.locale)), BODY),
        Paragraph(mixed_script_markup(f"{words.reference}: {letter.case_number}"), LINE),
        *_lines([letter.subject], BODY, bold=True),
        Paragraph(mixed_script_markup(greeting), BODY),
        *body,
        # The last paragraph goes with the signature, so a page never holds only that.
        KeepTogether(last + signature),
    ]


def render_letter_pdf(
    letter: LetterInfo, letterhead: Letterhead, *, dated: datetime.date | None = None
) -> bytes:
    """The letter as PDF bytes on US Letter paper, dated `dated` (today when None).

    The same inputs give the same bytes. The fixed words (greeting, reference, closing,
    date) follow the letter's language where we have them, else English. The PDF's
    metadata holds only the subject line (title) and the organisation (author).
    """
    register_fonts()
    dated = dated or datetime.date.today()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        pageTemplates=_page_templates(letter, letterhead, dated),
        title=letter.subject or "Letter",
        author=letterhead.organisation,
        subject="",
        creator="PR Desk",
        keywords=[],
        lang=letter.language or None,
        invariant=1,
        # Otherwise the canvas starts in Helvetica, which would be listed unembedded.
        initialFontName=BASE_FONT,
    )
    doc.build(_story(letter, dated))
    return buffer.getvalue()
