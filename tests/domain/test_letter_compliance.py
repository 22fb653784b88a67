"""The response-letter check: each required element found in the text the writer left, or named as missing."""

from __future__ import annotations

import pytest

from prdesk.domain.deadline_policy import Preset
from prdesk.domain.letter_compliance import (
    ComplianceResult,
    Element,
    check_letter,
    required_elements,
)

CONTACT = "Luis Ortega"

STEPS_EN = "## Steps we took\n\n- March 5, 2026: Spoke with the charge nurse\n- March 9, 2026: Reviewed the records"
RESULTS_EN = "## What we found\n\nStaff did not keep you updated about the wait."
COMPLETION_EN = "## Date of completion\n\nWe completed our review on **March 27, 2026**."
CONTACT_EN = (
    "## Who to contact\n\nPlease contact Luis Ortega on (555) 010-3104 or at l.ortega@example.org."
)
OMBUDSMAN_EN = (
    "## If you are not satisfied\n\nYou may ask the Parliamentary and Health Service Ombudsman."
)
ENGLISH = [STEPS_EN, RESULTS_EN, COMPLETION_EN, CONTACT_EN, OMBUDSMAN_EN]

STEPS_ES = "## Pasos que seguimos\n\n- 5 de marzo de 2026: Hablamos con la enfermera"
RESULTS_ES = "## Lo que encontramos\n\nEl personal no le mantuvo informado sobre la espera."
COMPLETION_ES = (
    "## Fecha de finalización\n\nTerminamos nuestra revisión el **27 de marzo de 2026**."
)
CONTACT_ES = "## A quién contactar\n\nComuníquese con Luis Ortega al (555) 010-3104."
OMBUDSMAN_ES = "## Si no está conforme\n\nPuede pedir al Defensor del Pueblo que revise su queja."
SPANISH = [STEPS_ES, RESULTS_ES, COMPLETION_ES, CONTACT_ES, OMBUDSMAN_ES]

ALL_CMS = (Element.CONTACT, Element.STEPS, Element.RESULTS, Element.COMPLETION)


def check(
    parts: list[str],
    *,
    language: str = "en",
    preset: Preset = Preset.CMS,
    template_key: str = "determination",
    is_grievance: bool = True,
    contact_name: str = CONTACT,
) -> ComplianceResult:
    body = "Thank you for contacting us.\n\n" + "\n\n".join(parts) + "\n\nThank you.\n"
    return check_letter(
        body,
        template_key=template_key,
        language=language,
        is_grievance=is_grievance,
        preset=preset,
        contact_name=contact_name,
    )


def without(parts: list[str], removed: str) -> list[str]:
    return [part for part in parts if part != removed]


def test_the_written_response_needs_the_cms_elements_and_under_nhs_the_ombudsman() -> None:
    assert required_elements("determination", is_grievance=False, preset=Preset.CMS) == ALL_CMS
    assert required_elements("closure", is_grievance=True, preset=Preset.CUSTOM) == ALL_CMS
    assert required_elements("determination", is_grievance=True, preset=Preset.NHS) == (
        *ALL_CMS,
        Element.OMBUDSMAN,
    )
    for key in ("acknowledgement", "extension", "compliment", "information", "lost_belongings"):
        assert required_elements(key, is_grievance=True, preset=Preset.NHS) == ()
    assert required_elements("closure", is_grievance=False, preset=Preset.CMS) == ()


def test_other_letters_pass_whatever_they_say() -> None:
    result = check([], template_key="acknowledgement")
    assert result.ok and result.required == () and result.missing == ()


def test_the_elements_carry_labels_a_coordinator_understands() -> None:
    assert Element.CONTACT.label == "contact person and how to reach them"
    assert Element.STEPS.label == "steps taken to investigate"
    assert Element.RESULTS.label == "results of the review"
    assert Element.COMPLETION.label == "date of completion"
    assert "Ombudsman" in Element.OMBUDSMAN.label


@pytest.mark.parametrize(
    ("parts", "language"), [(ENGLISH, "en"), (SPANISH, "es"), (SPANISH, "es-MX")]
)
@pytest.mark.parametrize("preset", [Preset.CMS, Preset.NHS])
def test_a_complete_response_passes(parts: list[str], language: str, preset: Preset) -> None:
    result = check(parts, language=language, preset=preset)
    assert result.ok, result.missing
    assert (Element.OMBUDSMAN in result.required) is (preset is Preset.NHS)


@pytest.mark.parametrize(
    ("removed", "element"),
    [
        (STEPS_EN, Element.STEPS),
        (RESULTS_EN, Element.RESULTS),
        (COMPLETION_EN, Element.COMPLETION),
        (CONTACT_EN, Element.CONTACT),
        (OMBUDSMAN_EN, Element.OMBUDSMAN),
    ],
)
def test_a_deleted_english_section_is_caught(removed: str, element: Element) -> None:
    assert check(without(ENGLISH, removed), preset=Preset.NHS).missing == (element,)


@pytest.mark.parametrize(
    ("removed", "element"),
    [
        (STEPS_ES, Element.STEPS),
        (RESULTS_ES, Element.RESULTS),
        (COMPLETION_ES, Element.COMPLETION),
        (CONTACT_ES, Element.CONTACT),
        (OMBUDSMAN_ES, Element.OMBUDSMAN),
    ],
)
def test_a_deleted_spanish_section_is_caught(removed: str, element: Element) -> None:
    result = check(without(SPANISH, removed), language="es", preset=Preset.NHS)
    assert result.missing == (element,)


def test_the_ombudsman_is_not_required_under_cms() -> None:
    assert check(without(ENGLISH, OMBUDSMAN_EN)).ok


def test_sections_may_be_moved_around_and_headings_written_in_any_case_or_accent() -> None:
    moved = [CONTACT_EN, COMPLETION_EN, RESULTS_EN, STEPS_EN]
    assert check(moved).ok
    spanish = [
        "# RESULTADOS\n\nEl personal no le mantuvo informado.",
        "### pasos\n\nHablamos con la enfermera.",
        "## Fecha de finalizacion\n\n27 de marzo de 2026",
        CONTACT_ES,
    ]
    assert check(spanish, language="es").ok


def test_a_heading_left_with_nothing_under_it_is_caught() -> None:
    emptied = ["## Steps we took", RESULTS_EN, COMPLETION_EN, CONTACT_EN]
    assert check(emptied).missing == (Element.STEPS,)
    marks_only = ["## Steps we took\n\n[[investigation.steps_taken]]", *ENGLISH[1:4]]
    assert check(marks_only).missing == (Element.STEPS,)
    escaped = [
        "## What we found\n\n\\[[investigation.findings]] \\[\\[investigation.actions\\_taken\\]\\]",
        STEPS_EN,
        COMPLETION_EN,
        CONTACT_EN,
    ]
    assert check(escaped).missing == (Element.RESULTS,)


def test_a_section_ends_at_the_next_heading_of_its_level_but_holds_its_subsections() -> None:
    nested = "## What we found\n\n### On the ward\n\nStaff were short that night."
    assert check([STEPS_EN, nested, COMPLETION_EN, CONTACT_EN]).ok
    followed = "## What we found\n\n## Date of completion\n\nMarch 27, 2026"
    assert check([STEPS_EN, followed, CONTACT_EN]).missing == (Element.RESULTS,)


def test_a_paragraph_in_bold_counts_as_a_heading() -> None:
    bold = "**What we found**\n\nStaff did not keep you updated."
    assert check([STEPS_EN, bold, COMPLETION_EN, CONTACT_EN]).ok


def test_the_completion_section_must_hold_a_date() -> None:
    undated = "## Date of completion\n\nWe completed our review [[dates.completed]]."
    assert check([STEPS_EN, RESULTS_EN, undated, CONTACT_EN]).missing == (Element.COMPLETION,)
    for written in ("27 March 2026", "2026-03-27", "03/27/2026", "Mar. 27, 2026"):
        dated = f"## Completed\n\nOn {written}."
        assert check([STEPS_EN, RESULTS_EN, dated, CONTACT_EN]).ok, written
    in_heading = "## Review completed on March 27, 2026"
    assert check([STEPS_EN, RESULTS_EN, in_heading, CONTACT_EN]).ok


def test_the_contact_needs_a_name_and_a_way_to_reach_them_together() -> None:
    parts = [STEPS_EN, RESULTS_EN, COMPLETION_EN]
    name_only = "## Who to contact\n\nPlease contact Luis Ortega."
    assert check([*parts, name_only]).missing == (Element.CONTACT,)
    unfilled = "## Who to contact\n\nPlease contact Luis Ortega on [[contact.phone]]."
    assert check([*parts, unfilled]).missing == (Element.CONTACT,)
    by_email = "## Who to contact\n\nWrite to **Luis Ortega** at l.ortega@example.org."
    assert check([*parts, by_email]).ok
    someone_else = "## Who to contact\n\nPlease contact Dana Whitfield on (555) 010-3100."
    assert check([*parts, someone_else]).missing == (Element.CONTACT,)
    assert check([*parts, CONTACT_EN], contact_name="").missing == (Element.CONTACT,)


def test_a_phone_number_typed_without_separators_counts() -> None:
    parts = [STEPS_EN, RESULTS_EN, COMPLETION_EN]
    for number in ("5550103104", "+15550103104", "01632960123"):
        contact = f"## Who to contact\n\nPlease call Luis Ortega on {number}."
        assert check([*parts, contact]).ok, number


def test_a_case_number_or_a_date_is_not_a_phone_number() -> None:
    parts = [STEPS_EN, RESULTS_EN, COMPLETION_EN]
    not_a_phone = (
        "## Who to contact\n\nLuis Ortega has case PR-2026-000123 since 2026-03-02 (02.03.2026)."
    )
    assert check([*parts, not_a_phone]).missing == (Element.CONTACT,)


def test_names_match_without_accents_or_case() -> None:
    contact = "## A quién contactar\n\nComuníquese con JOSÉ NÚÑEZ al 0345 015 4033."
    result = check(
        [STEPS_ES, RESULTS_ES, COMPLETION_ES, contact], language="es", contact_name="José Núñez"
    )
    assert result.ok


def test_defensor_names_the_ombudsman_only_in_a_spanish_letter() -> None:
    english_with_defensor = [*ENGLISH[:4], "## Next\n\nYou may ask the Defensor del Pueblo."]
    assert check(english_with_defensor, preset=Preset.NHS).missing == (Element.OMBUDSMAN,)
    spanish_with_ombudsman = [*SPANISH[:4], "## Más\n\nPuede acudir al Ombudsman's office."]
    assert check(spanish_with_ombudsman, language="es", preset=Preset.NHS).ok
    unfilled = [*ENGLISH[:4], "## Next\n\nYou may ask the [[policy.ombudsman]]."]
    assert check(unfilled, preset=Preset.NHS).missing == (Element.OMBUDSMAN,)
