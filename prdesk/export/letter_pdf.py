"""Prints a letter as a PDF for a window envelope: US Letter (#10) or A4 (DIN 5008 form B).

Page 1 carries the letterhead and the recipient's address where the envelope window
shows it, then date and reference (beside the address on A4), subject, salutation, the
Markdown body, the signature block and who gets copies. The pages' furniture (footer,
"Page X of Y", the header from page 2) is drawn by `letter_page`.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
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
from prdesk.export.fonts import BASE_FONT, needs_cjk_wrap, register_fonts
from prdesk.export.letter_images import Picture, picture
from prdesk.export.letter_page import LetterPages
from prdesk.export.letter_paper import WINDOW_INSET, Paper, paper
from prdesk.export.letter_text import greeting, letter_date, phrases, shortened
from prdesk.export.markdown_flowables import Emphasis, markdown_to_flowables, text_markup
from prdesk.export.pdf_layout import numbered_canvas, style

BODY_SIZE = 11.0
BODY = style("letter-body", BODY_SIZE, spaceAfter=BODY_SIZE * 0.8, allowWidows=0)
LINE = style("letter-line", BODY_SIZE)
SUBJECT = style("letter-subject", BODY_SIZE, spaceAfter=BODY_SIZE * 1.6)
ADDRESS = style("letter-address", 10, leading=12.8)
COPIES = style("letter-copies", 9.5, leading=12)
COPY = style("letter-copy", 9.5, leading=12, leftIndent=12)
_CJK = {
    base.name: ParagraphStyle(f"{base.name}-cjk", parent=base, wordWrap="CJK")
    for base in (BODY, LINE, SUBJECT, ADDRESS, COPIES, COPY)
}

# What the PDF may declare as its language (BCP 47: "en", "es-MX").
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
SIGNATURE_HEIGHT = 0.6 * inch
SIGNATURE_WIDTH = 2.4 * inch
_LETTER_TEXT = Emphasis(letter=True)
_LETTER_BOLD = Emphasis(bold=True, letter=True)


class _Signature(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """The signature image, at most SIGNATURE_HEIGHT tall, at the left of the text."""

    def __init__(self, image: Picture) -> None:
        super().__init__()
        self.image = image
        self.width, self.height = image.fitted(SIGNATURE_WIDTH, SIGNATURE_HEIGHT)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, SIGNATURE_HEIGHT

    def draw(self) -> None:
        self.image.draw(self.canv, 0, 0, self.width, self.height)


def _para(
    text: str, paragraph_style: ParagraphStyle, emphasis: Emphasis = _LETTER_TEXT
) -> Paragraph:
    """User text as one paragraph: escaped, any script, marks highlighted."""
    if needs_cjk_wrap(text):
        # Chinese has no spaces to break lines at; without this it runs off the page.
        paragraph_style = _CJK[paragraph_style.name]
    return Paragraph(text_markup(text, emphasis), paragraph_style)


def _address(letter: LetterInfo, place: Paper) -> Flowable:
    # One paragraph, its lines kept apart: a line too long for the window wraps.
    lines = [line for line in (letter.recipient_name, *letter.recipient_address) if line.strip()]
    address = [_para("\n".join(lines), ADDRESS)]
    height = place.address.height - 2 * WINDOW_INSET
    # Shrinks a long address rather than letting it spill out of the window.
    return KeepInFrame(place.address.width, height, address, mode="shrink")


def _signature_block(letter: LetterInfo, signature: bytes | None) -> list[Flowable]:
    words = phrases(letter.language)
    image = picture(signature)
    block: list[Flowable] = [
        _para(words.closing, LINE),
        # Room for the signature, drawn or handwritten, either way the same height.
        _Signature(image) if image is not None else Spacer(1, SIGNATURE_HEIGHT),
    ]
    block += [_para(letter.signatory_name, LINE, _LETTER_BOLD)] if letter.signatory_name else []
    block += [_para(letter.signatory_title, LINE)] if letter.signatory_title else []
    copies = [name for name in letter.copies_to if name.strip()]
    if copies:
        block += [Spacer(1, BODY_SIZE), _para(words.copies_to, COPIES)]
        block += [_para(name, COPY) for name in copies]
    return block


def _story(letter: LetterInfo, place: Paper, dated: str, signature: bytes | None) -> list[Flowable]:
    words = phrases(letter.language)
    story: list[Flowable] = [NextPageTemplate("later"), _address(letter, place), FrameBreak()]
    if place.info is None:
        story += [
            _para(dated, BODY),
            _para(f"{words.reference}: {letter.case_number}", SUBJECT),
        ]
    if letter.subject.strip():
        story.append(_para(letter.subject, SUBJECT, _LETTER_BOLD))
    story.append(_para(greeting(letter), BODY))
    body = markdown_to_flowables(letter.body, BODY, letter=True)
    # The last paragraph goes with the signature, so a page never holds only that.
    last = body[-1:]
    del body[-1:]
    return [*story, *body, KeepTogether(last + _signature_block(letter, signature))]


def _templates(pages: LetterPages) -> list[PageTemplate]:
    place = pages.paper
    address = place.address
    window = Frame(
        address.left,
        place.height - address.bottom,
        address.width,
        address.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=WINDOW_INSET,
        bottomPadding=WINDOW_INSET,
        id="window",
    )
    text_width = place.text_width
    first = place.height - place.first_text_top - place.text_bottom
    later = place.height - place.later_text_top - place.text_bottom
    first_body = Frame(place.left, place.text_bottom, text_width, first, 0, 0, 0, 0, id="body")
    later_body = Frame(place.left, place.text_bottom, text_width, later, 0, 0, 0, 0, id="body")
    return [
        PageTemplate("first", [window, first_body], onPage=pages.first_page),
        PageTemplate("later", [later_body], onPage=pages.later_page),
    ]


def _metadata(text: str) -> str:
    """Text fit for the PDF's document information: one line, no control characters."""
    kept = "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cs"))
    return shortened(kept, 200)


def render_letter_pdf(
    letter: LetterInfo,
    letterhead: Letterhead,
    *,
    signature: bytes | None = None,
    dated: datetime.date | None = None,
) -> bytes:
    """The letter as PDF bytes on the letterhead's paper, ready for a window envelope.

    Dated `dated` when given, else the letter's own date (the day it was finalised),
    else today. `signature` is the signatory's signature image (PNG or JPEG); an
    unusable image leaves the space blank, as an unusable logo leaves it out.
    The same inputs give the same bytes. The fixed words (greeting, reference, closing,
    date, page numbers) follow the letter's language where we have them, else English.
    The PDF's metadata holds only the subject line (title) and the organisation (author).
    """
    register_fonts()
    day = letter_date(letter, dated)
    place = paper(letterhead.paper)
    pages = LetterPages(letter, letterhead, place, day)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(place.width, place.height),
        pageTemplates=_templates(pages),
        title=_metadata(letter.subject) or "Letter",
        author=_metadata(letterhead.organisation),
        subject="",
        creator="PR Desk",
        keywords=[],
        lang=letter.language if _LANGUAGE_TAG.fullmatch(letter.language) else None,
        invariant=1,
        # Otherwise the canvas starts in Helvetica, which would be listed unembedded.
        initialFontName=BASE_FONT,
    )
    doc.build(
        _story(letter, place, pages.date_text, signature),
        canvasmaker=numbered_canvas(pages.stamp),
    )
    return buffer.getvalue()
