"""Letter templates merge only the fields they are given, safely."""

from collections.abc import Callable, Iterator

import pytest

from prdesk.domain import letter_templates
from prdesk.domain.errors import NotFound, ValidationError


@pytest.fixture
def template_source(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Replaces the acknowledgement template's text for one test."""

    def use(source: str) -> None:
        monkeypatch.setattr(letter_templates, "_source", lambda key, lang: source)
        letter_templates._compiled.cache_clear()

    yield use
    letter_templates._compiled.cache_clear()


def test_merged_text_cannot_inject_formatting() -> None:
    assert letter_templates.escape_markdown("*urgent* <b>") == r"\*urgent\* \<b\>"


def test_an_unknown_template_names_the_known_ones() -> None:
    with pytest.raises(NotFound, match="acknowledgement"):
        letter_templates.template("apology")


def test_the_readers_language_is_chosen_when_the_template_has_it() -> None:
    ack = letter_templates.template("acknowledgement")
    assert letter_templates.choose_language(ack, None, "es-MX") == "es"
    assert letter_templates.choose_language(ack, None, "vi") == "en"
    with pytest.raises(ValidationError, match="no 'fr' version"):
        letter_templates.choose_language(ack, "fr", "en")


def test_a_template_that_names_a_missing_field_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        letter_templates, "_source", lambda key, lang: "Subject: Hi\n\n{{ patient.ssn }}"
    )
    with pytest.raises(ValidationError, match="field PR Desk does not have"):
        letter_templates.render("acknowledgement", "en", {"patient": {"full_name": "A"}})


def test_a_template_cannot_reach_outside_its_fields(template_source: Callable[[str], None]) -> None:
    template_source("Subject: x\n\n{{ patient.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(ValidationError):
        letter_templates.render("acknowledgement", "en", {"patient": {"full_name": "A"}})
