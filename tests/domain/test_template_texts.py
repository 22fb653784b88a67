"""The shipped letter templates: they use only known fields, keep the HIPAA rule and, for a response, every required element."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from jinja2 import StrictUndefined, nodes
from jinja2.sandbox import SandboxedEnvironment

from prdesk.assets import resources_dir
from prdesk.domain.deadline_policy import Preset
from prdesk.domain.enums import CaseKind
from prdesk.domain.letter_compliance import Element, check_letter
from prdesk.domain.merge_fields import Markdown, Missing, known_paths, sample_values, unfilled

KEYS = (
    "acknowledgement",
    "extension",
    "determination",
    "lost_belongings",
    "compliment",
    "information",
    "closure",
)
LANGUAGES = ("en", "es")
TEMPLATES = [(key, language) for key in KEYS for language in LANGUAGES]
FOLDER = Path(resources_dir(), "templates", "letters")
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _finalize(value: object) -> str:
    """As the letter renderer treats values: Markdown and marks as they are, the rest escaped."""
    if isinstance(value, Markdown | Missing):
        return str(value)
    return "" if value is None else _SPECIAL.sub(r"\\\1", str(value))


ENVIRONMENT = SandboxedEnvironment(undefined=StrictUndefined, finalize=_finalize)


def source(key: str, language: str) -> str:
    return (FOLDER / f"{key}.{language}.md").read_text(encoding="utf-8")


def render(key: str, language: str, values: dict[str, Any]) -> tuple[str, str]:
    """The subject line and the Markdown body a drafted letter starts from."""
    text = ENVIRONMENT.from_string(source(key, language)).render(**values)
    first, _, rest = text.lstrip().partition("\n")
    assert first.startswith("Subject: ")
    return first.removeprefix("Subject: "), rest.strip()


def values(
    language: str, changes: dict[str, Any] | None = None, *, preset: Preset = Preset.CMS
) -> dict[str, Any]:
    """The sample case's fields, with some changed: {"recipient.is_patient": True}."""
    result = copy.deepcopy(sample_values(language, preset=preset))
    for path, value in (changes or {}).items():
        group, name = path.split(".")
        result[group][name] = value
    return result


# The readers a template must be right for: the patient, family with a basis on file,
# someone with none, under either policy, for a grievance or not.
VARIANTS: dict[str, dict[str, Any]] = {
    "family": {},
    "patient": {"recipient.is_patient": True, "recipient.may_discuss_care": True},
    "no basis": {"recipient.may_discuss_care": False},
    "not a grievance": {"case.is_grievance": False},
    "nhs": {"policy.nhs": True},
}


def used_paths(text: str) -> set[str]:
    tree = ENVIRONMENT.parse(text)
    paths = {
        f"{node.node.name}.{node.attr}"
        for node in tree.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name)
    }
    names = {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
    groups = {path.split(".")[0] for path in known_paths()}
    assert names <= groups, f"names outside the field groups: {names - groups}"
    return paths


def test_every_letter_has_an_english_and_a_spanish_template_and_nothing_else() -> None:
    shipped = sorted(path.name for path in FOLDER.glob("*.md"))
    assert shipped == sorted(f"{key}.{language}.md" for key, language in TEMPLATES)


@pytest.mark.parametrize(("key", "language"), TEMPLATES)
def test_a_template_uses_only_fields_pr_desk_has(key: str, language: str) -> None:
    text = source(key, language)
    assert text.startswith("Subject: ")
    assert used_paths(text) <= known_paths()


@pytest.mark.parametrize(("key", "language"), TEMPLATES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_template_renders_for_every_reader_with_no_field_left_empty(
    key: str, language: str, variant: str
) -> None:
    preset = Preset.NHS if variant == "nhs" else Preset.CMS
    subject, body = render(key, language, values(language, VARIANTS[variant], preset=preset))
    assert subject and "\n" not in subject
    assert unfilled(subject + body) == ()
    assert "{{" not in body and "{%" not in body and "\n\n\n" not in body
    # The layout adds the greeting and the signature; a template must not.
    opening = body.split("\n", 1)[0]
    assert not opening.startswith(("Dear", "Estimad", "Querid"))
    assert not body.rstrip().endswith(("Sincerely,", "Atentamente,", "Cordialmente,"))


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("kind", list(CaseKind))
def test_every_kind_of_case_reads_correctly(key: str, kind: CaseKind) -> None:
    for language in LANGUAGES:
        changes = {"case.kind_key": kind.value, "case.kind": kind.label}
        subject, body = render(key, language, values(language, changes))
        assert unfilled(subject + body) == ()


def test_the_acknowledgement_names_what_was_received() -> None:
    lost = {"case.kind_key": "lost_belongings", "case.is_grievance": False}
    subject, body = render("acknowledgement", "en", values("en", lost))
    assert subject == "Your report of lost belongings received on March 2, 2026"
    assert "We have received your report of lost belongings on behalf of Maria Delgado." in body
    _, spanish = render("acknowledgement", "es", values("es", lost))
    assert "Hemos recibido su aviso de pertenencias perdidas en nombre de Maria Delgado." in spanish


@pytest.mark.parametrize(("key", "language"), TEMPLATES)
def test_without_a_disclosure_basis_a_letter_does_not_speak_of_the_patient(
    key: str, language: str
) -> None:
    sample = values(language, VARIANTS["no basis"])
    subject, body = render(key, language, sample)
    assert "Maria Delgado" not in subject + body
    # Findings and actions speak of the patient's care in every letter that has them.
    actions = str(sample["investigation"]["actions_taken"])
    assert str(sample["investigation"]["findings"]) not in body and actions not in body
    if key in ("determination", "closure", "extension"):
        steps = str(sample["investigation"]["steps_taken"])
        findings = str(sample["investigation"]["findings"])
        assert steps.split("\n")[0] not in body and findings not in body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("preset", [Preset.CMS, Preset.NHS])
@pytest.mark.parametrize("key", ["determination", "closure"])
@pytest.mark.parametrize("variant", ["family", "patient", "no basis"])
def test_the_written_response_holds_every_required_element(
    language: str, preset: Preset, key: str, variant: str
) -> None:
    sample = values(language, VARIANTS[variant], preset=preset)
    _, body = render(key, language, sample)
    result = check_letter(
        body,
        template_key=key,
        language=language,
        is_grievance=True,
        preset=preset,
        contact_name=sample["contact"]["name"],
    )
    assert result.ok, result.missing
    assert Element.OMBUDSMAN in result.required or preset is Preset.CMS


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_response_drafted_before_the_steps_are_chosen_shows_and_fails_on_them(
    language: str,
) -> None:
    sample = values(language, {"investigation.steps_taken": Missing("investigation.steps_taken")})
    _, body = render("determination", language, sample)
    assert "[[investigation.steps_taken]]" in body
    result = check_letter(
        body,
        template_key="determination",
        language=language,
        is_grievance=True,
        preset=Preset.CMS,
        contact_name="Luis Ortega",
    )
    assert result.missing == (Element.STEPS,)


def test_the_determination_letter_reads_as_a_response() -> None:
    _, body = render("determination", "en", values("en"))
    assert "## Steps we took to look into your concerns" in body
    assert "- March 5, 2026: Spoke with the nurse in charge" in body
    assert "We completed our review on **March 27, 2026**." in body
    assert "Luis Ortega, Patient Relations Representative, on (555) 010-3104" in body
    assert "state's health department" in body and "Quality Improvement Organization" in body
    _, nhs = render("determination", "en", values("en", VARIANTS["nhs"], preset=Preset.NHS))
    assert "Parliamentary and Health Service Ombudsman" in nhs and "state" not in nhs


def test_the_extension_letter_says_when_the_response_will_come() -> None:
    subject, body = render("extension", "en", values("en"))
    assert subject == "We are still looking into your concerns (PR-2026-000123)"
    assert "We will send you our written response by **April 1, 2026**." in body
    _, spanish = render("extension", "es", values("es"))
    assert "a más tardar el **1 de abril de 2026**" in spanish


@pytest.mark.parametrize("key", KEYS)
def test_spanish_letters_are_written_in_spanish_to_usted(key: str) -> None:
    subject, body = render(key, "es", values("es", VARIANTS["nhs"], preset=Preset.NHS))
    words = set(re.findall(r"[a-záéíóúñü]+", (subject + " " + body).lower()))
    assert not words & {"the", "your", "we", "thank", "please", "you"}
    assert not words & {"tú", "tu", "tus", "contigo", "te"}
