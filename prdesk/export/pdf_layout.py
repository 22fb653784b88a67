"""Pages of a printed report: a confidential footer with "Page X of Y" on every page,
and a short running header from page 2, on US Letter paper as the letters are.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_time
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
    KeepInFrame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
)

from prdesk.export.fonts import BASE_FONT, mixed_script_markup, needs_cjk_wrap, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 0.75 * inch
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# Page 2 on: the running header sits in the top margin and the text starts below it.
HEADER_TOP = 0.45 * inch
HEADER_RULE = 0.72 * inch
LATER_TEXT_TOP = 0.9 * inch
# Every page: a rule, then the footer lines, in the bottom margin (heights from the bottom).
FOOTER_RULE = 0.66 * inch
FOOTER_TOP = FOOTER_RULE - 0.06 * inch
FOOTER_HEIGHT = 0.3 * inch
TEXT_BOTTOM = 0.8 * inch

ACCENT = colors.HexColor("#1F3A5F")
MUTED_HEX = "#555555"
MUTED = colors.HexColor(MUTED_HEX)
HAIRLINE = colors.HexColor("#B8BEC6")
SHADE = colors.HexColor("#EEF1F4")
# The locale of the printed dates: the committee is a US hospital's (42 CFR 482.13).
DATE_LOCALE = "en_US"


def style(name: str, size: float, **options: object) -> ParagraphStyle:
    # Always the regular face of the base family; emphasis is asked for in the markup
    # (see mixed_script_markup), and text in other scripts switches font run by run.
    settings: dict[str, object] = {"fontName": BASE_FONT, "fontSize": size, "leading": size * 1.3}
    return ParagraphStyle(name, **(settings | options))


FOOTER = style("footer", 7.5, textColor=MUTED, leading=9.5)
HEADER = style("header", 8, textColor=MUTED)
HEADER_RIGHT = style("header-right", 8, textColor=MUTED, alignment=TA_RIGHT)

_cjk_styles: dict[str, ParagraphStyle] = {}


def para(text: str, paragraph_style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    """Plain text (escaped, any script, line breaks kept) as a paragraph."""
    if needs_cjk_wrap(text):
        # Chinese has no spaces to break lines at; without this it runs off the page.
        cjk = _cjk_styles.get(paragraph_style.name)
        if cjk is None:
            cjk = ParagraphStyle(
                f"{paragraph_style.name}-cjk", parent=paragraph_style, wordWrap="CJK"
            )
            _cjk_styles[paragraph_style.name] = cjk
        paragraph_style = cjk
    return Paragraph(mixed_script_markup(text, bold=bold), paragraph_style)


def paragraphs(text: str, paragraph_style: ParagraphStyle) -> list[Flowable]:
    """Typed text as paragraphs: a blank line starts a new one, other line breaks stay."""
    blocks = (block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n"))
    return [para(block, paragraph_style) for block in blocks if block.strip()]


def local_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone().date()
    return str(format_date(value, "medium", locale=DATE_LOCALE))


def local_time(value: datetime) -> str:
    return str(format_time(value.astimezone().time(), "short", locale=DATE_LOCALE))


def local_datetime(value: datetime | None) -> str:
    """An instant (stored in UTC) in this computer's time zone, e.g. "Mar 4, 2026 2:30 PM"."""
    return "" if value is None else f"{local_date(value)} {local_time(value)}"


@dataclass(frozen=True)
class Furniture:
    """What every page carries besides the report itself.

    Attributes:
        running_title: the header of page 2 on (left), e.g. the case number and the title.
        organisation: the header of page 2 on (right).
        footer: the footer's line (left); "Page X of Y" goes right.
        dated: when the report was made; also the PDF's creation date.
    """

    running_title: str
    organisation: str
    footer: str
    dated: datetime


def _top(distance_from_top: float) -> float:
    """The y coordinate (ReportLab measures from the bottom) of a distance from the top."""
    return float(PAGE_HEIGHT - distance_from_top)


def _draw_in_box(
    canvas: Canvas, flowables: list[Flowable], x: float, y: float, width: float, height: float
) -> None:
    """Draw flowables in a box whose bottom left corner is (x, y), shrinking to fit."""
    frame = Frame(x, y, width, height, 0, 0, 0, 0, showBoundary=0)
    frame.addFromList([KeepInFrame(width, height, flowables, mode="shrink")], canvas)


def _rule(canvas: Canvas, y: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(HAIRLINE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    canvas.restoreState()


def _every_page(furniture: Furniture) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        # Built "invariant" (same input, same bytes), which would stamp the PDF as made
        # in 2000; the report's own date is the honest creation date to show.
        canvas.setDateFormatter(lambda *_: f"D:{furniture.dated.astimezone():%Y%m%d%H%M%S}")
        _rule(canvas, FOOTER_RULE)
        # The right fifth is kept for "Page X of Y", drawn once the page count is known.
        _draw_in_box(
            canvas,
            [para(furniture.footer, FOOTER)],
            MARGIN,
            FOOTER_TOP - FOOTER_HEIGHT,
            TEXT_WIDTH * 0.8,
            FOOTER_HEIGHT,
        )

    return draw


def _later_pages(furniture: Furniture) -> Callable[[Canvas, BaseDocTemplate], None]:
    footer = _every_page(furniture)

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        footer(canvas, doc)
        y = _top(HEADER_RULE) + 3
        half = TEXT_WIDTH / 2
        _draw_in_box(canvas, [para(furniture.running_title, HEADER)], MARGIN, y, half, 14)
        _draw_in_box(
            canvas, [para(furniture.organisation, HEADER_RIGHT)], MARGIN + half, y, half, 14
        )
        _rule(canvas, _top(HEADER_RULE))

    return draw


PageStamp = Callable[[Canvas, int, int], None]
"""Draws on a finished page once the page count is known: (canvas, page number, total)."""


def _report_page_number(canvas: Canvas, page: int, total: int) -> None:
    canvas.setFont(BASE_FONT, FOOTER.fontSize)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(
        PAGE_WIDTH - MARGIN, FOOTER_TOP - FOOTER.fontSize, f"Page {page} of {total}"
    )


class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no type hints
    """Holds each finished page back until the last, so every page can say "of Y".

    `stamp` draws the page number (by default a report's "Page X of Y" in the footer);
    give one through `numbered_canvas` for other page layouts.
    """

    def __init__(self, *args: Any, stamp: PageStamp = _report_page_number, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stamp = stamp
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.saveState()
            self._stamp(self, self._pageNumber, total)
            self.restoreState()
            super().showPage()
        super().save()


def numbered_canvas(stamp: PageStamp) -> Callable[..., Canvas]:
    """A canvas maker for `BaseDocTemplate.build` whose pages are numbered by `stamp`."""
    return functools.partial(NumberedCanvas, stamp=stamp)


def render_report(story: Sequence[Flowable], furniture: Furniture, *, title: str) -> bytes:
    """The story as PDF bytes on US Letter paper, with the pages' furniture.

    The same inputs give the same bytes. The PDF's metadata holds the title and the
    organisation (as author), nothing of the report's contents.
    """
    register_fonts()
    first = Frame(
        MARGIN, TEXT_BOTTOM, TEXT_WIDTH, _top(MARGIN) - TEXT_BOTTOM, 0, 0, 0, 0, id="first"
    )
    later = Frame(
        MARGIN, TEXT_BOTTOM, TEXT_WIDTH, _top(LATER_TEXT_TOP) - TEXT_BOTTOM, 0, 0, 0, 0, id="later"
    )
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        pageTemplates=[
            PageTemplate("first", [first], onPage=_every_page(furniture)),
            PageTemplate("later", [later], onPage=_later_pages(furniture)),
        ],
        title=title,
        author=furniture.organisation,
        subject="",
        creator="PR Desk",
        keywords=[],
        lang="en-US",
        invariant=1,
        # Otherwise the canvas starts in Helvetica, which would be listed unembedded.
        initialFontName=BASE_FONT,
    )
    doc.build([NextPageTemplate("later"), *story], canvasmaker=NumberedCanvas)
    return buffer.getvalue()
