"""The printed letter: what the recipient reads, and where the envelope window shows it."""

from __future__ import annotations

import dataclasses
import datetime
import io
import unicodedata
from typing import Any

import pytest
from pypdf import PdfReader

from prdesk.domain.enums import LetterStatus
from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.export import render_letter_pdf

INCH = 72.0
PAGE_HEIGHT = 11 * INCH
STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")

LETTERHEAD = Letterhead(
    organisation="Riverside General Hospital",
    department="Patient Relations",
    address_lines=("100 River Road", "Springfield, IL 62701"),
    phone="(217) 555-0100",
    email="patient.relations@riverside.example",
    website="www.riverside.example",
)


def make_letter(**changes: Any) -> LetterInfo:
    letter = LetterInfo(
        id=1,
        case_id=7,
        case_number="PR-2025-0042",
        template_key="acknowledgement",
        language="en",
        status=LetterStatus.DRAFT,
        subject="We have received your concerns",
        recipient_name="Maria Garcia",
        recipient_address=("12 Elm Street", "Springfield, IL 62704"),
        salutation="Ms Garcia",
        body="Thank you for writing to us about your visit on March 3.",
        signatory_name="Jordan Lee",
        signatory_title="Patient Relations Coordinator",
        created_at=datetime.datetime(2025, 3, 10, 9, 30),
        created_by_name="Jordan Lee",
        version=1,
    )
    return dataclasses.replace(letter, **changes)


def render(**changes: Any) -> PdfReader:
    pdf = render_letter_pdf(make_letter(**changes), LETTERHEAD, dated=datetime.date(2025, 3, 12))
    return PdfReader(io.BytesIO(pdf))


def text_of(reader: PdfReader, page: int | None = None) -> str:
    pages = reader.pages if page is None else [reader.pages[page]]
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in pages))


def fonts_of(reader: PdfReader) -> dict[str, Any]:
    """Every font the pages use, by its PDF name (e.g. AAAAAA+NotoSans-Regular)."""
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def text_positions(reader: PdfReader, page: int = 0) -> list[tuple[str, float, float]]:
    """(text, x, distance from the top of the page) in inches for each piece of text."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(
                (unicodedata.normalize("NFC", text.strip()), x / INCH, (PAGE_HEIGHT - y) / INCH)
            )

    reader.pages[page].extract_text(visitor_text=visit)
    return found


def test_the_letter_says_who_it_is_for_what_it_is_about_and_who_sent_it() -> None:
    text = text_of(render())
    for expected in (
        "Riverside General Hospital",
        "Maria Garcia",
        "12 Elm Street",
        "March 12, 2025",
        "Our reference: PR-2025-0042",
        "We have received your concerns",
        "Dear Ms Garcia,",
        "Thank you for writing to us about your visit on March 3.",
        "Sincerely,",
        "Jordan Lee",
        "Patient Relations Coordinator",
    ):
        assert expected in text


@pytest.mark.parametrize(
    "name",
    [
        "Łukasz Wójcik",
        "José Núñez",
        "Nguyễn Thị Hương",
        "Анна Кузнецова",
        "Γιώργος Παπαδόπουλος",
        "王秀英",
        "김민준",
    ],
)
def test_names_in_any_script_print_exactly(name: str) -> None:
    text = text_of(render(recipient_name=name, salutation=name, body=f"We spoke with {name}."))
    assert name in text
    assert f"Dear {name}," in text
    assert f"We spoke with {name}." in text


def test_an_arabic_name_prints_in_the_arabic_font() -> None:
    reader = render(recipient_name="محمد العلي", salutation="محمد العلي")
    assert any("NotoSansArabic" in name for name in fonts_of(reader))


def test_every_font_is_embedded_and_none_is_a_standard_pdf_font() -> None:
    reader = render(recipient_name="王秀英", body="Dear 김민준, **thank you** and *welcome*.")
    fonts = fonts_of(reader)
    assert fonts
    for name, font in fonts.items():
        assert not any(standard in name for standard in STANDARD_14), name
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_the_address_sits_in_the_envelope_window() -> None:
    reader = render(
        recipient_name="Nguyễn Thị Hương",
        recipient_address=("c/o Trần Văn Minh", "1234 Bellaire Blvd Apt 5", "Houston, TX 77036"),
    )
    positions = {text: (x, top) for text, x, top in text_positions(reader)}
    for line in ("Nguyễn Thị Hương", "c/o Trần Văn Minh", "Houston, TX 77036"):
        x, top = positions[line]
        assert 2.1 <= top <= 3.1, f"{line!r} is {top:.2f} in from the top"
        assert x >= 0.875, f"{line!r} starts {x:.2f} in from the left"


def test_a_long_address_still_fits_the_window() -> None:
    address = tuple(f"Address line {n}" for n in range(1, 8))
    positions = {text: top for text, _, top in text_positions(render(recipient_address=address))}
    assert positions["Maria Garcia"] >= 2.1
    assert positions["Address line 7"] <= 3.1


def test_markdown_lists_and_bold_print_as_such() -> None:
    body = (
        "We will look into:\n\n"
        "- the **medication chart** for March 3\n"
        "- how staff spoke to your family\n\n"
        "1. First we meet the ward manager.\n"
        "2. Then we write to you."
    )
    reader = render(body=body)
    text = text_of(reader)
    for expected in (
        "We will look into:",
        "•",
        "medication chart",
        "how staff spoke to your family",
        "1.",
        "First we meet the ward manager.",
        "2.",
    ):
        assert expected in text
    bold_pieces: list[str] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if font is not None and "Bold" in str(font["/BaseFont"]):
            bold_pieces.append(text)

    reader.pages[0].extract_text(visitor_text=visit)
    assert "medication chart" in bold_pieces


def test_a_long_letter_continues_on_page_two_with_the_case_reference() -> None:
    body = "\n\n".join(
        f"Paragraph {n}: we have reviewed the records of your visit in detail." for n in range(60)
    )
    reader = render(body=body)
    assert len(reader.pages) >= 2
    page_two = text_of(reader, 1)
    assert "Riverside General Hospital" in page_two
    assert "PR-2025-0042" in page_two
    assert "Page 2" in page_two
    assert "Jordan Lee" in text_of(reader, len(reader.pages) - 1)


def test_characters_that_look_like_markup_print_literally() -> None:
    text = text_of(
        render(
            recipient_name="Seán O'Brien & Sons <Ltd>",
            subject="Your <b> & <i> questions",
            body="Please bring <b>all</b> receipts & forms, Mr O'Brien. 5 < 6 > 4.",
        )
    )
    assert "Seán O'Brien & Sons <Ltd>" in text
    assert "Your <b> & <i> questions" in text
    assert "Please bring <b>all</b> receipts & forms, Mr O'Brien. 5 < 6 > 4." in text


def test_the_fixed_words_follow_the_letters_language() -> None:
    text = text_of(render(language="es", salutation="Sra. García"))
    assert "12 de marzo de 2025" in text
    assert "Nuestra referencia: PR-2025-0042" in text
    assert "Estimado/a Sra. García:" in text
    assert "Atentamente," in text


def test_metadata_holds_only_the_subject_and_the_organisation() -> None:
    metadata = render(body="Your MRI showed no fracture.").metadata
    assert metadata is not None
    assert metadata.title == "We have received your concerns"
    assert metadata.author == "Riverside General Hospital"
    everything = " ".join(str(value) for value in metadata.values())
    assert "Maria Garcia" not in everything
    assert "MRI" not in everything


def test_the_same_letter_gives_the_same_bytes() -> None:
    letter = make_letter()
    dated = datetime.date(2025, 3, 12)
    assert render_letter_pdf(letter, LETTERHEAD, dated=dated) == render_letter_pdf(
        letter, LETTERHEAD, dated=dated
    )


def test_an_undated_letter_carries_todays_date() -> None:
    pdf = render_letter_pdf(make_letter(), LETTERHEAD)
    today = datetime.date.today()
    assert f"{today:%B} {today.day}, {today.year}" in text_of(PdfReader(io.BytesIO(pdf)))
