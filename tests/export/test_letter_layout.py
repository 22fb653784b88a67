"""Where things land on the page: window envelopes, DIN 5008 on A4, headers, footers, marks."""

from __future__ import annotations

import dataclasses
import datetime
import io
import unicodedata
from typing import Any

import pytest
from pypdf import PdfReader

from prdesk.domain.enums import PaperFormat
from prdesk.domain.readmodels import LetterInfo
from prdesk.export import render_letter_pdf
from tests.export.test_letter_pdf import LETTERHEAD, make_letter, png

MM = 72 / 25.4
INCH = 72.0
A4_LETTERHEAD = dataclasses.replace(LETTERHEAD, paper=PaperFormat.A4)


def render_a4(letter: LetterInfo | None = None) -> PdfReader:
    pdf = render_letter_pdf(
        letter or make_letter(), A4_LETTERHEAD, dated=datetime.date(2025, 3, 12)
    )
    return PdfReader(io.BytesIO(pdf))


def positions_mm(reader: PdfReader, page: int = 0) -> list[tuple[str, float, float]]:
    """(text, x, distance from the top) in millimetres for each piece of text on a page."""
    height = float(reader.pages[page].mediabox.height)
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((unicodedata.normalize("NFC", text.strip()), x / MM, (height - y) / MM))

    reader.pages[page].extract_text(visitor_text=visit)
    return found


def where(reader: PdfReader, text: str, page: int = 0) -> tuple[float, float]:
    """Where the piece of text containing `text` starts: (x, distance from the top) in mm."""
    for piece, x, top in positions_mm(reader, page):
        if text in piece:
            return x, top
    raise AssertionError(f"{text!r} is not on page {page + 1}")


def strokes_mm(reader: PdfReader, page: int = 0) -> list[tuple[float, float, float, float]]:
    """Straight lines drawn on a page: (x1, from top, x2, from top) in mm."""
    height = float(reader.pages[page].mediabox.height)
    lines: list[tuple[float, float, float, float]] = []
    start: list[float] = []

    def visit(operator: bytes, args: Any, cm: Any, tm: Any) -> None:
        if operator == b"m":
            start[:] = [float(args[0]) + cm[4], float(args[1]) + cm[5]]
        elif operator == b"l" and start:
            x2, y2 = float(args[0]) + cm[4], float(args[1]) + cm[5]
            lines.append((start[0] / MM, (height - start[1]) / MM, x2 / MM, (height - y2) / MM))

    reader.pages[page].extract_text(visitor_operand_before=visit)
    return lines


def test_a4_letters_are_a4_and_us_letters_are_us_letter() -> None:
    a4 = render_a4().pages[0].mediabox
    assert (round(float(a4.width) / MM), round(float(a4.height) / MM)) == (210, 297)
    us = PdfReader(
        io.BytesIO(render_letter_pdf(make_letter(), LETTERHEAD, dated=datetime.date(2025, 3, 12)))
    ).pages[0]
    assert (float(us.mediabox.width) / INCH, float(us.mediabox.height) / INCH) == (8.5, 11)


def test_on_a4_the_address_sits_in_the_din_5008_address_field() -> None:
    reader = render_a4(
        make_letter(
            recipient_name="Nguyễn Thị Hương",
            recipient_address=("Musterstraße 12", "Apartment 5", "10115 Berlin", "Germany"),
        )
    )
    for line in ("Nguyễn Thị Hương", "Musterstraße 12", "10115 Berlin", "Germany"):
        x, top = where(reader, line)
        # The address zone is the field's lower 27.3 mm: 62.7 to 90 mm from the top.
        assert 62.7 <= top <= 90, f"{line!r} is {top:.1f} mm from the top"
        # The field starts 20 mm from the left; its text lines up with the 25 mm margin.
        assert 24.5 <= x <= 26, f"{line!r} starts {x:.1f} mm from the left"


def test_on_a4_the_return_address_is_one_small_underlined_line_above_the_address() -> None:
    reader = render_a4()
    x, top = where(reader, "Riverside General Hospital, 100 River Road, Springfield, IL 62701")
    assert 45 <= top <= 62.7, f"the return address is {top:.1f} mm from the top"
    assert 20 <= x <= 26
    underlines = [
        line for line in strokes_mm(reader) if 45 <= line[1] <= 62.7 and line[1] == line[3]
    ]
    assert underlines, "the return address is not underlined"
    assert all(line[0] >= 20 and line[2] <= 105 for line in underlines)


def test_on_a4_reference_and_date_stand_in_the_information_block() -> None:
    reader = render_a4(make_letter(language="es"))
    for text in ("PR-2025-0042", "12 de marzo de 2025", "Jordan Lee"):
        x, top = where(reader, text)
        assert x >= 124.9, f"{text!r} starts {x:.1f} mm from the left"
        assert 45 <= top <= 95, f"{text!r} is {top:.1f} mm from the top"
    x, top = where(reader, "We have received your concerns")
    assert top >= 98, "the subject starts inside the address field's band"
    assert 24.5 <= x <= 26


def test_on_a4_fold_and_punch_marks_are_in_the_left_margin() -> None:
    reader = render_a4()
    marks = [line for line in strokes_mm(reader) if line[2] <= 20 and line[1] == line[3]]
    assert sorted(round(line[1], 1) for line in marks) == [105.0, 148.5, 210.0]
    hole = next(line for line in marks if round(line[1], 1) == 148.5)
    folds = [line for line in marks if line is not hole]
    assert all(hole[2] - hole[0] > fold[2] - fold[0] for fold in folds)


def test_a_us_letter_has_fold_marks_for_a_tri_fold() -> None:
    pdf = render_letter_pdf(make_letter(), LETTERHEAD, dated=datetime.date(2025, 3, 12))
    reader = PdfReader(io.BytesIO(pdf))
    marks = [line for line in strokes_mm(reader) if line[2] <= 20 and line[1] == line[3]]
    assert sorted(round(line[1] / 25.4, 2) for line in marks) == [3.67, 7.33]


@pytest.mark.parametrize("paper", list(PaperFormat))
def test_the_footer_sits_at_the_foot_of_the_page_with_the_page_number_on_the_right(
    paper: PaperFormat,
) -> None:
    letterhead = dataclasses.replace(LETTERHEAD, paper=paper)
    pdf = render_letter_pdf(make_letter(), letterhead, dated=datetime.date(2025, 3, 12))
    reader = PdfReader(io.BytesIO(pdf))
    height = float(reader.pages[0].mediabox.height) / MM
    width = float(reader.pages[0].mediabox.width) / MM
    _, top = where(reader, "Confidential:")
    assert height - top < 25, "the confidentiality note is not in the footer"
    x, top = where(reader, "Page 1 of 1")
    assert height - top < 25
    assert x > width / 2


@pytest.mark.parametrize("paper", list(PaperFormat))
def test_the_continuation_header_is_at_the_top_of_page_two(paper: PaperFormat) -> None:
    body = "\n\n".join(f"Paragraph {n}: we have reviewed your records." for n in range(60))
    letterhead = dataclasses.replace(LETTERHEAD, paper=paper)
    pdf = render_letter_pdf(make_letter(body=body), letterhead, dated=datetime.date(2025, 3, 12))
    reader = PdfReader(io.BytesIO(pdf))
    _, top = where(reader, "Our reference: PR-2025-0042", page=1)
    assert top < 20, f"the header is {top:.1f} mm from the top"
    _, first_text = where(reader, "Paragraph", page=1)
    assert first_text > top + 5


def test_the_logo_keeps_its_proportions_inside_the_letterhead() -> None:
    letterhead = dataclasses.replace(LETTERHEAD, logo=png(400, 100))
    pdf = render_letter_pdf(make_letter(), letterhead, dated=datetime.date(2025, 3, 12))
    reader = PdfReader(io.BytesIO(pdf))
    scales: list[tuple[float, float, float, float]] = []

    def visit(operator: bytes, args: Any, cm: Any, tm: Any) -> None:
        if operator == b"Do":
            scales.append((cm[0], cm[3], cm[4], cm[5]))

    reader.pages[0].extract_text(visitor_operand_before=visit)
    assert len(scales) == 1
    width, height, x, y = scales[0]
    assert width / height == pytest.approx(4.0, rel=0.01)
    top = (11 * INCH - (y + height)) / INCH
    assert x == pytest.approx(1.0 * INCH)
    assert 0.45 <= top <= 0.55
    assert (11 * INCH - y) / INCH <= 1.6, "the logo reaches below the letterhead"
