"""A draft letter exported to Word reads as the printed letter does, and stays editable."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Length
from docx.table import Table
from docx.text.paragraph import Paragraph

from prdesk.domain.enums import LetterStatus, PaperFormat
from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.export.letter_docx import letter_docx
from tests.export.test_letter_pdf import jpeg, png

HEAD = Letterhead(
    "Riverside General Hospital",
    "Patient Relations",
    ("100 River Road", "Springfield, IL 62701"),
    phone="(217) 555-0100",
    confidentiality="Confidential: patient information.",
)


def letter(**changes: object) -> LetterInfo:
    fields: dict[str, object] = dict(
        id=7,
        case_id=3,
        case_number="PR-2026-000042",
        template_key="determination",
        language="es",
        status=LetterStatus.DRAFT,
        subject="Nuestra respuesta a su queja",
        recipient_name="Nguyễn Thị Minh Khai",
        recipient_address=("4 Oak Avenue", "Springfield, IL 62701"),
        salutation="Sra. Nguyễn",
        body=(
            "## Pasos que seguimos\n\n- Hablamos con **la enfermera jefe**.\n"
            "- Revisamos _los registros_ de *urgencias*.\n\n"
            "Llame al [[contact.phone]] si tiene preguntas.\n"
        ),
        signatory_name="María García",
        signatory_title="Coordinadora",
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
        created_by_name="María García",
        version=1,
        copies_to=("Dr. Ana Smith",),
    )
    return LetterInfo(**(fields | changes))  # type: ignore[arg-type]


def read(data: bytes) -> WordDocument:
    return Document(io.BytesIO(data))


def paragraphs(container: object) -> Iterator[Paragraph]:
    """Every paragraph in reading order, those in tables (and tables in tables) included."""
    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from paragraphs(cell)
        else:
            yield block


def style_of(paragraph: Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def points(length: Length | None) -> float:
    assert length is not None
    return float(length.pt)


def text_of(document: WordDocument) -> str:
    return "\n".join(paragraph.text for paragraph in paragraphs(document))


def test_the_word_letter_holds_every_part_of_the_letter_in_order() -> None:
    document = read(letter_docx(letter(), HEAD, dated=date(2026, 3, 12)))
    joined = text_of(document)
    for expected in (
        "Riverside General Hospital",
        "Nguyễn Thị Minh Khai\n4 Oak Avenue\nSpringfield, IL 62701",
        "12 de marzo de 2026",
        "Nuestra referencia: PR-2026-000042",
        "Nuestra respuesta a su queja",
        "Estimado/a Sra. Nguyễn:",
        "Pasos que seguimos",
        "Hablamos con la enfermera jefe.",
        "Atentamente,",
        "María García",
        "Copia a:\nDr. Ana Smith",
    ):
        assert expected in joined, expected
    assert joined.index("Estimado/a") < joined.index("Pasos que") < joined.index("Atentamente")
    assert document.sections[0].footer.paragraphs[0].text == "Confidential: patient information."
    assert document.sections[0].first_page_footer.paragraphs[0].text == (
        "Confidential: patient information."
    )


def test_emphasis_lists_and_headings_stay_formatting_in_word() -> None:
    document = read(letter_docx(letter(), HEAD))
    heading = next(p for p in document.paragraphs if p.text == "Pasos que seguimos")
    assert style_of(heading).startswith("Heading")
    bullets = [p for p in document.paragraphs if style_of(p) == "List Bullet"]
    assert [p.text for p in bullets] == [
        "Hablamos con la enfermera jefe.",
        "Revisamos los registros de urgencias.",
    ]
    runs = {run.text: run for p in bullets for run in p.runs}
    assert runs["la enfermera jefe"].bold
    assert runs["los registros"].underline and not runs["los registros"].italic
    assert runs["urgencias"].italic


def test_an_unfilled_merge_field_is_highlighted_for_the_writer() -> None:
    document = read(letter_docx(letter(), HEAD))
    (mark,) = [
        run for p in paragraphs(document) for run in p.runs if run.text == "[[contact.phone]]"
    ]
    assert mark.font.highlight_color == WD_COLOR_INDEX.YELLOW


def test_the_page_is_the_letters_paper() -> None:
    section = read(letter_docx(letter(), HEAD)).sections[0]
    mm = 72 / 25.4
    assert (round(points(section.page_width) / mm), round(points(section.page_height) / mm)) == (
        216,
        279,
    )
    a4 = Letterhead("Klinikum", paper=PaperFormat.A4)
    section = read(letter_docx(letter(), a4)).sections[0]
    assert (round(points(section.page_width) / mm), round(points(section.page_height) / mm)) == (
        210,
        297,
    )


def test_characters_word_cannot_hold_are_left_out_not_a_crash() -> None:
    odd = letter(body="Bell\x07 and NUL\x00 and \ud800 lone\n", subject="Tab\there")
    document = read(letter_docx(odd, HEAD, signature=b"not a picture"))
    joined = text_of(document)
    assert "Bell and NUL and  lone" in joined and "Tab\there" in joined


def first_table_rows(document: WordDocument) -> list[tuple[float, str]]:
    """(exact height in points, text) of each row of the table that opens page 1."""
    table = document.tables[0]
    rows = []
    for row in table.rows:
        assert row.height_rule == WD_ROW_HEIGHT_RULE.EXACTLY
        rows.append((row.height.pt, " ".join(cell.text for cell in row.cells)))
    return rows


@pytest.mark.parametrize(
    ("paper", "window_top", "unit"),
    [(PaperFormat.US_LETTER, 2.1, 72.0), (PaperFormat.A4, 62.7, 72 / 25.4)],
)
def test_printed_from_word_the_address_still_sits_in_the_envelope_window(
    paper: PaperFormat, window_top: float, unit: float
) -> None:
    head = Letterhead("Riverside General Hospital", address_lines=("100 River Road",), paper=paper)
    document = read(letter_docx(letter(), head, dated=date(2026, 3, 12)))
    section = document.sections[0]
    lead = document.paragraphs[0].paragraph_format.line_spacing
    assert isinstance(lead, Length)
    top = points(section.top_margin) + lead.pt
    for height, text in first_table_rows(document):
        if "Nguyễn Thị Minh Khai" in text:
            break
        top += height
    else:
        raise AssertionError("the address is not in the table that opens the letter")
    # Word keeps heights in twentieths of a point: close to a twentieth of a millimetre.
    assert top / unit == pytest.approx(window_top, abs=0.05)


def test_an_a4_letter_has_the_return_address_and_the_information_block() -> None:
    head = Letterhead(
        "Klinikum Nord", address_lines=("Hauptstraße 1", "20095 Hamburg"), paper=PaperFormat.A4
    )
    document = read(letter_docx(letter(), head, dated=date(2026, 3, 12)))
    rows = [text for _, text in first_table_rows(document)]
    assert any("Klinikum Nord, Hauptstraße 1, 20095 Hamburg" in text for text in rows)
    information = next(text for text in rows if "Nuestra referencia" in text)
    for expected in (
        "PR-2026-000042",
        "Persona de contacto",
        "María García",
        "12 de marzo de 2026",
    ):
        assert expected in information


def test_every_page_has_its_number_and_later_pages_the_continuation_header() -> None:
    document = read(letter_docx(letter(language="en"), HEAD, dated=date(2026, 3, 12)))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    header = " ".join(section.header.paragraphs[0].text.split())
    assert header == (
        "Riverside General Hospital · Nguyễn Thị Minh Khai · Our reference: PR-2026-000042 · "
        "March 12, 2026"
    )
    for footer in (section.footer, section.first_page_footer):
        numbers = footer.paragraphs[1]._p
        fields = [field.get(qn("w:instr")).strip() for field in numbers.iter(qn("w:fldSimple"))]
        assert fields == ["PAGE", "NUMPAGES"]
        words = "".join(text.text for text in numbers.iter(qn("w:t")))
        assert words == "Page 1 of 1"


def test_spanish_pages_are_numbered_in_spanish() -> None:
    footer = read(letter_docx(letter(), HEAD)).sections[0].footer
    assert "".join(text.text for text in footer.paragraphs[1]._p.iter(qn("w:t"))) == "Página 1 de 1"


def test_the_logo_and_the_signature_come_along() -> None:
    head = Letterhead("Riverside General Hospital", logo=png(400, 100))
    document = read(letter_docx(letter(), head, signature=jpeg()))
    proportions = sorted(shape.width.pt / shape.height.pt for shape in document.inline_shapes)
    # The signature is 300 x 80 pixels, the logo 400 x 100.
    assert proportions == [pytest.approx(3.75, abs=0.01), pytest.approx(4.0, abs=0.01)]


def test_a_broken_logo_leaves_the_letter_without_one() -> None:
    head = Letterhead("Riverside General Hospital", logo=b"\x89PNG broken")
    document = read(letter_docx(letter(), head, signature=b"GIF89a"))
    assert len(document.inline_shapes) == 0
    assert "Riverside General Hospital" in text_of(document)


def test_each_numbered_list_counts_from_its_own_start() -> None:
    body = "1. One\n2. Two\n\nThen:\n\n5. Five\n6. Six\n"
    document = read(letter_docx(letter(body=body), HEAD))
    numbered = [p for p in document.paragraphs if style_of(p) == "List Number"]
    assert [p.text for p in numbered] == ["One", "Two", "Five", "Six"]
    ids = [p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val for p in numbered]
    assert ids[0] == ids[1] != ids[2] == ids[3]
    numbering = document.part.numbering_part.element
    starts = [
        numbering.num_having_numId(ids[index]).lvlOverride_lst[0].startOverride.val
        for index in (0, 2)
    ]
    assert starts == [1, 5]


def test_a_letter_without_copies_says_nothing_about_copies() -> None:
    assert "Copia a" not in text_of(read(letter_docx(letter(copies_to=()), HEAD)))


def test_the_same_letter_gives_the_same_document() -> None:
    head = Letterhead("Riverside General Hospital", logo=png())
    first = letter_docx(letter(), head, signature=jpeg(), dated=date(2026, 3, 12))
    assert letter_docx(letter(), head, signature=jpeg(), dated=date(2026, 3, 12)) == first


def test_the_documents_properties_hold_only_the_subject_and_the_organisation() -> None:
    properties = read(letter_docx(letter(), HEAD, dated=date(2026, 3, 12))).core_properties
    assert properties.title == "Nuestra respuesta a su queja"
    assert properties.author == "Riverside General Hospital"
    assert properties.comments == ""
    assert properties.last_modified_by == ""
    assert properties.created == datetime(2026, 3, 12, tzinfo=UTC)


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
        {"body": "x" * 5000, "recipient_address": tuple(f"Line {n}" for n in range(300))},
        {
            "body": UNPRINTABLE * 20,
            "subject": UNPRINTABLE,
            "recipient_name": UNPRINTABLE,
            "case_number": UNPRINTABLE,
            "copies_to": (UNPRINTABLE, ""),
            "language": UNPRINTABLE,
        },
        {"body": "- " * 40 + "deep\n\n" + "> " * 40 + "quoted\n\n" + "1. item\n" * 100},
        {"recipient_name": "محمد العلي", "recipient_address": ("北京市朝阳区建国路88号", "김민준")},
    ],
    ids=["empty", "long", "unprintable", "deeply-nested", "scripts"],
)
@pytest.mark.parametrize("paper", list(PaperFormat))
def test_no_input_stops_the_word_letter(changes: dict[str, object], paper: PaperFormat) -> None:
    head = Letterhead(UNPRINTABLE, address_lines=(UNPRINTABLE,) * 20, paper=paper, logo=b"bad")
    document = read(letter_docx(letter(**changes), head, signature=b"GIF89a"))
    assert document.tables
    assert "María García" in text_of(document)


def test_a_scanned_signature_without_jfif_data_goes_into_word() -> None:
    from PIL import Image

    scan = io.BytesIO()
    Image.new("L", (300, 80), 255).save(scan, format="JPEG")
    # Scanners often save JPEG without the JFIF segment python-docx reads sizes from.
    data = scan.getvalue()
    jfif_end = 4 + int.from_bytes(data[4:6], "big")
    stripped = data[:2] + data[jfif_end:]
    assert stripped[:4] != data[:4]
    document = read(letter_docx(letter(body="Short.\n"), HEAD, signature=stripped))
    assert document.inline_shapes, "the signature is in the letter"


def test_characters_xml_cannot_hold_never_break_the_word_file() -> None:
    document = read(letter_docx(letter(body="Odd \ufffe\uffff text\n"), HEAD))
    assert any("Odd  text" in p.text for p in document.paragraphs)
