"""Letter templates merge only the fields they are given, safely."""

import pytest

from prdesk.domain import letter_templates
from prdesk.domain.errors import NotFound, ValidationError
from prdesk.domain.merge_fields import Markdown, Missing, sample_values


def render(source: str, fields: dict[str, object] | None = None) -> letter_templates.RenderedLetter:
    return letter_templates.render_source(
        source, fields if fields is not None else sample_values("en"), name="test"
    )


def test_merged_text_cannot_inject_formatting() -> None:
    assert letter_templates.escape_markdown("*urgent* <b>") == r"\*urgent\* \<b\>"
    letter = render("Subject: x\n\n{{ patient.full_name }}", {"patient": {"full_name": "*A* #1"}})
    assert letter.body == "\\*A\\* \\#1\n"


def test_steps_and_findings_keep_their_own_formatting() -> None:
    fields = {"investigation": {"steps_taken": Markdown("- We called you.\n- We met the ward.")}}
    letter = render("Subject: x\n\n{{ investigation.steps_taken }}", fields)
    assert "- We called you.\n- We met the ward." in letter.body


def test_a_field_without_a_value_prints_a_mark_to_fill_in() -> None:
    fields = {"patient": {"full_name": "Ana", "phone": Missing("patient.phone")}}
    letter = render("Subject: For {{ patient.full_name }}\n\nCall {{ patient.phone }}.", fields)
    assert letter.subject == "For Ana"
    assert letter.body == "Call [[patient.phone]].\n"


def test_an_unknown_template_names_the_known_ones() -> None:
    with pytest.raises(NotFound, match="acknowledgement"):
        letter_templates.template("apology")


def test_every_letter_the_department_sends_has_a_template_in_english_and_spanish() -> None:
    keys = {t.key for t in letter_templates.BUILT_IN}
    assert keys == {
        "acknowledgement",
        "extension",
        "determination",
        "lost_belongings",
        "compliment",
        "information",
        "closure",
    }
    for tpl in letter_templates.BUILT_IN:
        for language in ("en", "es"):
            source = letter_templates.shipped_source(tpl.key, language)
            assert letter_templates.problems(source) == (), (tpl.key, language)


def test_the_readers_language_is_chosen_when_the_template_has_it() -> None:
    ack = letter_templates.template("acknowledgement")
    assert letter_templates.choose_language(ack, None, "es-MX") == "es"
    assert letter_templates.choose_language(ack, None, "vi") == "en"
    with pytest.raises(ValidationError, match="no 'fr' version"):
        letter_templates.choose_language(ack, "fr", "en")


def test_a_template_naming_a_field_pr_desk_does_not_have_cannot_be_saved() -> None:
    found = letter_templates.problems("Subject: Hi\n\n{{ patient.ssn }}")
    assert found == ("'{{ patient.ssn }}' is not a merge field; choose one from the list.",)


def test_a_template_must_start_with_its_subject() -> None:
    assert letter_templates.problems("Dear {{ patient.full_name }}") == (
        "The first line must be the subject, starting with 'Subject:'.",
    )
    with pytest.raises(ValidationError, match="Subject:"):
        render("Hello")


def test_a_syntax_error_names_its_line() -> None:
    (problem,) = letter_templates.problems("Subject: x\n\n{% if case.is_grievance %}\nOpen")
    assert problem.startswith("Line 3: Unexpected end of template")


@pytest.mark.parametrize(
    "attempt",
    [
        "{{ patient.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ ''.__class__.__mro__ }}",
        "{% import 'os' as os %}",
        "{% include '/etc/passwd' %}",
        "{{ patient.full_name.format(patient) }}",
    ],
)
def test_a_template_cannot_reach_outside_its_fields(attempt: str) -> None:
    source = f"Subject: x\n\n{attempt}"
    assert letter_templates.problems(source)
    try:
        rendered = render(source, {"patient": {"full_name": "A"}})
    except ValidationError as refused:
        assert "template" in refused.message
        return
    # Whatever the sandbox lets through must be harmless text, never the result of a call.
    assert "uid=" not in rendered.body and "<class" not in rendered.body


@pytest.mark.parametrize(
    "attempt",
    [
        "{{ 9**9**9 }}",
        "{{ 'a' * 10**10 }}",
        "{{ patient.full_name * 100000 }}",
        "{{ 1 / 0 }}",
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    ],
)
def test_a_template_that_would_hang_or_fail_cannot_be_saved_nor_rendered(attempt: str) -> None:
    source = f"Subject: x\n\n{attempt}"
    assert letter_templates.problems(source)
    with pytest.raises(ValidationError):
        render(source, {"patient": {"full_name": "Ana María"}})


def test_loops_cannot_be_saved_as_nested_ones_could_run_for_ever() -> None:
    loop = (
        "{% for a in patient.full_name %}{% for b in patient.full_name %}x{% endfor %}{% endfor %}"
    )
    assert "not loops" in letter_templates.problems(f"Subject: x\n\n{loop}")[0]


def test_a_name_set_in_the_template_is_not_taken_for_a_merge_field() -> None:
    source = "Subject: x\n\n{% set who = patient.full_name %}Dear {{ who }}"
    assert letter_templates.problems(source) == ()
    assert render(source, {"patient": {"full_name": "Ana"}}).body == "Dear Ana\n"
