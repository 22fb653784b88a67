"""A letter from the practice database, exported to Word, says on every page that it is not real."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from docx.shared import Length

from prdesk.domain.enums import PaperFormat
from prdesk.export.letter_docx import letter_docx
from tests.export.test_letter_docx import HEAD, letter, read, text_of

MARK = "PRACTICE \u2014 NOT A REAL LETTER"


def test_every_page_of_a_practice_letter_carries_the_mark() -> None:
    document = read(letter_docx(letter(), replace(HEAD, practice=True), dated=date(2026, 3, 12)))
    section = document.sections[0]

    # Page 1 has a header of its own; page 2 on share the continuation header.
    for header in (section.first_page_header, section.header):
        first = header.paragraphs[0]
        assert first.text == MARK
        assert all(run.bold for run in first.runs)
    # The letter itself is as it was.
    assert "Nguyễn Thị Minh Khai" in text_of(document)


def test_a_real_letter_carries_no_mark() -> None:
    document = read(letter_docx(letter(), HEAD, dated=date(2026, 3, 12)))
    section = document.sections[0]

    headers = [p.text for h in (section.first_page_header, section.header) for p in h.paragraphs]
    assert not [text for text in headers if "PRACTICE" in text]
    assert "PRACTICE" not in text_of(document)


@pytest.mark.parametrize("paper", [PaperFormat.US_LETTER, PaperFormat.A4])
def test_the_mark_leaves_the_text_where_it_was(paper: PaperFormat) -> None:
    """Page 1's mark fits above the letterhead, so the address stays in the envelope
    window; later pages' text starts where a real letter's does."""
    real = read(letter_docx(letter(), replace(HEAD, paper=paper), dated=date(2026, 3, 12)))
    practice = read(
        letter_docx(letter(), replace(HEAD, paper=paper, practice=True), dated=date(2026, 3, 12))
    )
    section = practice.sections[0]

    first_page_header = sum(_height(p) for p in section.first_page_header.paragraphs)
    assert _pt(section.header_distance) + first_page_header <= _pt(section.top_margin)
    assert _later_text_top(practice) == pytest.approx(_later_text_top(real))


def _pt(length: Length | None) -> float:
    assert length is not None
    return float(length.pt)


def _height(paragraph: object) -> float:
    spacing = paragraph.paragraph_format.line_spacing  # type: ignore[attr-defined]
    assert isinstance(spacing, Length), "header lines have an exact height"
    return float(spacing.pt)


def _later_text_top(document: object) -> float:
    """Where page 2's text starts: the header's place, its lines and the room after them."""
    section = document.sections[0]  # type: ignore[attr-defined]
    paragraphs = section.header.paragraphs
    *marks, header = paragraphs
    return (
        _pt(section.header_distance)
        + sum(_height(mark) for mark in marks)
        + _pt(header.paragraph_format.space_after)
    )
