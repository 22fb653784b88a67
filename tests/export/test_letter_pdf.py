"""The printed letter: what the recipient reads, and where the envelope window shows it."""

from __future__ import annotations

import dataclasses
import datetime
import io
import unicodedata
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from prdesk.domain.enums import LetterStatus, PaperFormat
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


def png(
    width: int = 120, height: int = 60, colour: tuple[int, int, int, int] = (31, 58, 95, 255)
) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((2, 2, width - 2, height - 2), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(width: int = 300, height: int = 80) -> bytes:
    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).line(
        [(5, 60), (80, 10), (160, 70), (290, 15)], fill=(20, 30, 90), width=4
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def images_on(reader: PdfReader, page: int = 0) -> list[Any]:
    resources: Any = reader.pages[page]["/Resources"]
    xobjects = resources.get("/XObject", {})
    return [
        ref.get_object() for ref in xobjects.values() if ref.get_object()["/Subtype"] == "/Image"
    ]


def long_body(paragraphs: int) -> str:
    return "\n\n".join(
        f"Paragraph {n}: we have reviewed the records of your visit in detail."
        for n in range(paragraphs)
    )


@pytest.mark.parametrize(
    ("name", "font"),
    [("محمد العلي", "NotoSansArabic"), ("שרה לוי", "NotoSansHebrew")],
)
def test_arabic_and_hebrew_names_print_shaped_in_their_own_fonts(name: str, font: str) -> None:
    reader = render(recipient_name=name, salutation=name, body=f"We spoke with {name}.")
    assert any(font in used for used in fonts_of(reader))
    # Arabic prints in its joined (presentation) forms; NFKC gives back the letters typed.
    assert name in unicodedata.normalize("NFKC", text_of(reader))


def test_a_chinese_address_prints_in_the_window() -> None:
    address = ("北京市朝阳区建国路88号", "现代城5号楼1203室", "100022 中国")
    reader = render(recipient_name="王秀英", recipient_address=address)
    text = text_of(reader)
    for line in ("王秀英", *address):
        assert line in text
    chinese = [
        (piece, x, top)
        for piece, x, top in text_positions(reader)
        if any("\u4e00" <= char <= "\u9fff" for char in piece)
    ]
    assert len(chinese) >= 4
    for piece, x, top in chinese:
        assert 2.1 <= top <= 3.1, f"{piece!r} is {top:.2f} in from the top"
        assert x >= 0.875, f"{piece!r} starts {x:.2f} in from the left"
    assert any("DroidSansFallback" in name for name in fonts_of(reader))


def test_the_logo_and_the_signature_are_printed_on_page_one() -> None:
    letterhead = dataclasses.replace(LETTERHEAD, logo=png())
    pdf = render_letter_pdf(
        make_letter(), letterhead, signature=jpeg(), dated=datetime.date(2025, 3, 12)
    )
    images = images_on(PdfReader(io.BytesIO(pdf)))
    assert sorted((int(image["/Width"]), int(image["/Height"])) for image in images) == [
        (120, 60),
        (300, 80),
    ]


@pytest.mark.parametrize(
    "broken",
    [b"not a picture", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, jpeg()[:200], b""],
    ids=["text", "png-header-only", "cut-short-jpeg", "empty"],
)
def test_a_broken_logo_or_signature_prints_the_letter_without_it(broken: bytes) -> None:
    letterhead = dataclasses.replace(LETTERHEAD, logo=broken)
    pdf = render_letter_pdf(
        make_letter(), letterhead, signature=broken, dated=datetime.date(2025, 3, 12)
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert images_on(reader) == []
    text = text_of(reader)
    assert "Riverside General Hospital" in text
    assert "Jordan Lee" in text


def test_copies_to_lists_everyone_who_gets_a_copy() -> None:
    text = text_of(render(copies_to=("Dr Anna Smith, Cardiology", "Risk Management")))
    assert "Copies to:" in text
    assert "Dr Anna Smith, Cardiology" in text
    assert "Risk Management" in text
    assert text.index("Jordan Lee") < text.index("Copies to:")


def test_a_letter_without_copies_says_nothing_about_copies() -> None:
    assert "Copies to" not in text_of(render(copies_to=()))


def test_every_page_says_which_page_of_how_many_it_is() -> None:
    reader = render(body=long_body(60))
    pages = len(reader.pages)
    assert pages >= 2
    for number in range(pages):
        assert f"Page {number + 1} of {pages}" in text_of(reader, number)


def test_a_one_page_letter_is_page_1_of_1() -> None:
    assert "Page 1 of 1" in text_of(render())


def test_spanish_letters_number_their_pages_and_list_copies_in_spanish() -> None:
    reader = render(language="es", body=long_body(60), copies_to=("Dirección médica",))
    pages = len(reader.pages)
    assert f"Página 2 de {pages}" in text_of(reader, 1)
    assert "Copia a:" in text_of(reader, pages - 1)


def test_the_confidentiality_note_is_on_every_page() -> None:
    letterhead = dataclasses.replace(LETTERHEAD, confidentiality="Private and confidential.")
    pdf = render_letter_pdf(
        make_letter(body=long_body(60)), letterhead, dated=datetime.date(2025, 3, 12)
    )
    reader = PdfReader(io.BytesIO(pdf))
    for page in range(len(reader.pages)):
        assert "Private and confidential." in text_of(reader, page)


def test_page_two_on_carries_a_header_that_page_one_does_not() -> None:
    reader = render(body=long_body(60))
    header = (
        "Riverside General Hospital · Maria Garcia · Our reference: PR-2025-0042 · March 12, 2025"
    )
    squeezed = " ".join(text_of(reader, 1).replace("\u2003", " ").split())
    assert header in squeezed
    assert "Our reference: PR-2025-0042 · " not in " ".join(text_of(reader, 0).split())


def test_underscores_underline_and_stars_set_italic_as_the_composer_writes_them() -> None:
    reader = render(body="Staff _spoke to your family_ and the discharge was *delayed*.")
    italic: list[str] = []
    strokes: list[tuple[float, float, float]] = []
    position: dict[str, tuple[float, float]] = {}

    def visit_text(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if font is not None and "Italic" in str(font["/BaseFont"]):
            italic.append(text)
        if text.strip():
            position[text.strip()] = (tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5])

    def visit_operator(operator: bytes, args: Any, cm: Any, tm: Any) -> None:
        # ReportLab draws an underline as a stroked line under the words.
        if operator == b"m":
            strokes.append((float(args[0]) + cm[4], float(args[1]) + cm[5], 0.0))
        elif operator == b"l" and strokes:
            start_x, y, _ = strokes[-1]
            strokes[-1] = (start_x, y, float(args[0]) + cm[4])

    reader.pages[0].extract_text(visitor_text=visit_text, visitor_operand_before=visit_operator)
    assert "delayed" in italic
    assert "spoke to your family" not in italic
    x, y = next(where for text, where in position.items() if "spoke to your family" in text)
    assert any(
        abs(start - x) < 40 and y - 4 < line_y < y and end - start > 60
        for start, line_y, end in strokes
    ), "the underscored words are not underlined"


def test_unfilled_merge_fields_print_on_a_highlight() -> None:
    reader = render(
        subject="Your visit on [[incident.date]]",
        salutation="[[patient.title]] Garcia",
        recipient_address=("[[patient.address_line]]", "Springfield, IL 62704"),
        body="Please call [[patient_relations.phone]] to talk it over.",
    )
    text = text_of(reader)
    for mark in (
        "[[incident.date]]",
        "[[patient.title]]",
        "[[patient.address_line]]",
        "[[patient_relations.phone]]",
    ):
        assert mark in text
    fills: list[tuple[float, float, float]] = []
    highlights = 0

    def visit_operator(operator: bytes, args: Any, cm: Any, tm: Any) -> None:
        nonlocal highlights
        if operator == b"rg":
            fills.append(tuple(round(float(value), 2) for value in args))  # type: ignore[arg-type]
        elif operator == b"re" and fills and fills[-1] == (1.0, 0.9, 0.54):
            highlights += 1

    reader.pages[0].extract_text(visitor_operand_before=visit_operator)
    assert highlights >= 4


def test_a_filled_in_letter_has_no_highlight() -> None:
    reader = render(body="Please call (217) 555-0100 to talk it over.")
    content = reader.pages[0].get_contents()
    assert content is not None
    assert b"1 .898039 .541176 rg" not in content.get_data()


def test_the_letter_carries_its_own_date_once_finalised() -> None:
    finalised = datetime.datetime(2025, 4, 2, 15, 0, tzinfo=datetime.UTC)
    letter = make_letter(finalised_at=finalised)
    text = text_of(PdfReader(io.BytesIO(render_letter_pdf(letter, LETTERHEAD))))
    assert "April 2, 2025" in text


def test_the_same_letter_with_logo_and_signature_gives_the_same_bytes() -> None:
    letterhead = dataclasses.replace(LETTERHEAD, logo=png())
    letter = make_letter(copies_to=("Risk Management",))
    dated = datetime.date(2025, 3, 12)
    first = render_letter_pdf(letter, letterhead, signature=jpeg(), dated=dated)
    assert render_letter_pdf(letter, letterhead, signature=jpeg(), dated=dated) == first


UNPRINTABLE = "a\x00b\x07c\x1bd\ud800e\udfff\u202e\ufeff\x7f "


@pytest.mark.parametrize(
    "changes",
    [
        {
            "body": "",
            "subject": "",
            "salutation": "",
            "recipient_name": "",
            "recipient_address": (),
        },
        {"body": "x" * 5000, "subject": "y" * 5000, "recipient_name": "z" * 5000},
        {"recipient_address": tuple(f"Line {n}" for n in range(300))},
        {
            "body": UNPRINTABLE * 20,
            "subject": UNPRINTABLE,
            "salutation": UNPRINTABLE,
            "recipient_name": UNPRINTABLE,
            "recipient_address": (UNPRINTABLE,),
            "signatory_name": UNPRINTABLE,
            "case_number": UNPRINTABLE,
            "copies_to": (UNPRINTABLE, ""),
            "language": UNPRINTABLE,
        },
        {"body": "# " + "heading " * 2000 + "\n\nThe end."},
        {"body": "- " * 40 + "deep\n\n" + "> " * 40 + "quoted\n\n" + "1. item\n" * 300},
        {"body": "中文" * 3000, "salutation": "word " * 3000, "copies_to": ("name",) * 200},
        {"body": "שלום עולם 123 مرحبا بالعالم 456 " * 100},
    ],
    ids=[
        "empty",
        "5000-character-words",
        "300-line-address",
        "control-characters-and-lone-surrogates",
        "page-long-heading",
        "deep-nesting-and-long-lists",
        "very-long-everything",
        "right-to-left-paragraphs",
    ],
)
@pytest.mark.parametrize("paper", list(PaperFormat))
def test_no_input_stops_a_letter_from_printing(changes: dict[str, Any], paper: PaperFormat) -> None:
    letterhead = dataclasses.replace(
        LETTERHEAD, paper=paper, organisation=UNPRINTABLE, address_lines=(UNPRINTABLE,) * 30
    )
    pdf = render_letter_pdf(make_letter(**changes), letterhead, dated=datetime.date(2025, 3, 12))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    assert f"of {len(reader.pages)}" in text_of(reader, len(reader.pages) - 1)
