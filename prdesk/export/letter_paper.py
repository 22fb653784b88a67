"""Where things go on a letter's page, for each paper and its window envelope.

US Letter is laid out for a #10 window envelope; A4 follows DIN 5008 form B for a
DL (or C5/C6) window envelope. All distances are in points from the page's top or left
edge, as a ruler on the paper would measure them.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm

from prdesk.domain.enums import PaperFormat


@dataclass(frozen=True)
class Box:
    """A rectangle on the page: left edge, distance of its top from the page top, size."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class Paper:
    """One paper's layout.

    Attributes:
        letterhead: the organisation's block at the top of page 1.
        rule: distance from the top of the line under the letterhead.
        window: what the envelope window shows: the return address line (in its top
            `remarks` points, if any) and the recipient's address below.
        address_inset: the address starts this far inside the window's left edge.
        info: the block beside the window holding reference and date, or None when
            they open the text instead.
        first_text_top: where the text starts on page 1.
        header_top, later_text_top: page 2 on, the continuation header and the text.
        text_bottom: the text stops this far above the page's bottom edge.
        footer_top: the footer's rule, measured from the bottom edge.
        folds: the fold marks' distances from the top; `hole` the punch mark's.
    """

    width: float
    height: float
    left: float
    right: float
    letterhead: Box
    rule: float
    window: Box
    remarks: float
    address_inset: float
    info: Box | None
    first_text_top: float
    header_top: float
    later_text_top: float
    text_bottom: float
    footer_top: float
    folds: tuple[float, ...]
    hole: float | None

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def address(self) -> Box:
        """The part of the window the recipient's address prints in."""
        window = self.window
        return Box(
            window.left + self.address_inset,
            window.top + self.remarks,
            window.width - self.address_inset,
            window.height - self.remarks,
        )


_LETTER_MARGIN = 1.0 * inch

# The #10 window (4.5 x 1.125 in, 7/8 in from the envelope's left, 1/2 in from its
# bottom) shows this band of a tri-folded Letter sheet resting at the envelope's bottom.
# The address keeps 0.05 in clear of each edge (WINDOW_INSET), as the sheet can shift.
WINDOW_TOP = 2.1 * inch
WINDOW_BOTTOM = 3.1 * inch
WINDOW_LEFT = 1.0 * inch
WINDOW_WIDTH = 3.5 * inch
WINDOW_INSET = 0.05 * inch

US_LETTER = Paper(
    width=LETTER[0],
    height=LETTER[1],
    left=_LETTER_MARGIN,
    right=_LETTER_MARGIN,
    letterhead=Box(_LETTER_MARGIN, 0.5 * inch, LETTER[0] - 2 * _LETTER_MARGIN, 1.0 * inch),
    rule=1.62 * inch,
    window=Box(WINDOW_LEFT, WINDOW_TOP, WINDOW_WIDTH, WINDOW_BOTTOM - WINDOW_TOP),
    remarks=0.0,
    address_inset=0.0,
    info=None,
    first_text_top=WINDOW_BOTTOM + 0.3 * inch,
    header_top=0.5 * inch,
    later_text_top=1.0 * inch,
    text_bottom=1.0 * inch,
    footer_top=0.8 * inch,
    # A tri-fold in thirds puts the window band in the top third.
    folds=(LETTER[1] / 3, LETTER[1] * 2 / 3),
    hole=None,
)

# DIN 5008 form B: letterhead zone 45 mm; address field 85 x 45 mm at 20 mm from the left
# and 45 mm from the top, its top 17.7 mm for the return address and remarks; text
# between 25 mm and 20 mm margins; the information block right of the address field.
DIN_ADDRESS_FIELD = Box(20 * mm, 45 * mm, 85 * mm, 45 * mm)
DIN_REMARKS = 17.7 * mm

DIN_A4 = Paper(
    width=A4[0],
    height=A4[1],
    left=25 * mm,
    right=20 * mm,
    letterhead=Box(25 * mm, 10 * mm, A4[0] - 45 * mm, 27 * mm),
    rule=40 * mm,
    window=DIN_ADDRESS_FIELD,
    remarks=DIN_REMARKS,
    # The address lines up with the text's left margin, 5 mm inside the field.
    address_inset=5 * mm,
    info=Box(125 * mm, 50 * mm, A4[0] - 125 * mm - 20 * mm, 40 * mm),
    # DIN 5008 starts the text two blank lines below the address field.
    first_text_top=98.46 * mm,
    header_top=10 * mm,
    later_text_top=25 * mm,
    text_bottom=25 * mm,
    footer_top=20 * mm,
    folds=(105 * mm, 210 * mm),
    hole=148.5 * mm,
)


def paper(paper_format: PaperFormat) -> Paper:
    return DIN_A4 if paper_format is PaperFormat.A4 else US_LETTER
