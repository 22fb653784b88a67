"""A draft letter exported to Word reads as the printed letter does, and stays editable."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from prdesk.domain.enums import LetterStatus, PaperFormat
from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.export.letter_docx import letter_docx

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


def read(data: bytes) -> Document:
    return Document(io.BytesIO(data))


def test_the_word_letter_holds_every_part_of_the_letter_in_order() -> None:
    document = read(letter_docx(letter(), HEAD, dated=date(2026, 3, 12)))
    text = [paragraph.text for paragraph in document.paragraphs]
    joined = "\n".join(text)
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


def test_emphasis_lists_and_headings_stay_formatting_in_word() -> None:
    document = read(letter_docx(letter(), HEAD))
    heading = next(p for p in document.paragraphs if p.text == "Pasos que seguimos")
    assert heading.style.name.startswith("Heading")
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
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
        run for p in document.paragraphs for run in p.runs if run.text == "[[contact.phone]]"
    ]
    assert mark.font.highlight_color == WD_COLOR_INDEX.YELLOW


def test_the_page_is_the_letters_paper() -> None:
    section = read(letter_docx(letter(), HEAD)).sections[0]
    assert round(section.page_width.mm) == 216 and round(section.page_height.mm) == 279
    a4 = Letterhead("Klinikum", paper=PaperFormat.A4)
    section = read(letter_docx(letter(), a4)).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_characters_word_cannot_hold_are_left_out_not_a_crash() -> None:
    odd = letter(body="Bell\x07 and NUL\x00 and \ud800 lone\n", subject="Tab\there")
    document = read(letter_docx(odd, HEAD, signature=b"not a picture"))
    joined = "\n".join(p.text for p in document.paragraphs)
    assert "Bell and NUL and  lone" in joined and "Tab\there" in joined
