"""Whatever an administrator types as a letter template: a problem list or a letter, never
a crash, a hang, or a glimpse of the program behind the sandbox."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import given, settings
from hypothesis import strategies as st

from prdesk.domain import letter_templates
from prdesk.domain.errors import ValidationError
from prdesk.domain.merge_fields import sample_values
from tests.property.strategies import hostile_text

FIELDS = sample_values("en")
# Generous: a template renders in milliseconds; this only tells a hang from a slow machine.
HANG_SECONDS = 20

# What Python prints for its own objects, and what a successful escape would print.
PYTHON_OBJECTS = (
    "<class", "<function", "<built-in", "<bound method", "<method", "<module", "object at 0x",
    "<jinja2", "TemplateReference", "BlockReference", "mappingproxy", "dict_items", "dict_keys",
    "{'", "['", "<generator", "<slot wrapper", "<attribute", "__globals__", "uid=", "root:x:",
)  # fmt: skip

JINJA_PIECES = (
    "{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", " if ", " else ", " elif ", " endif ",
    " for ", " in ", " endfor ", " set ", " endset ", " macro ", " endmacro ", " raw ", " endraw ",
    " include ", " import ", " extends ", " block ", " endblock ", " filter ", " endfilter ",
    "patient", "patient.full_name", "case.number", "recipient", "contact.email", "self", "loop",
    "cycler", "joiner", "namespace", "lipsum", "range", "dict", "caller", ".", "|", "(", ")", "[",
    "]", "'", '"', "~", "*", "**", "%", "+", "-", ",", "=", ":", "9", "99999999", "__class__",
    "__mro__", "__subclasses__", "__globals__", "__init__", "__builtins__", "format", "attr",
    "upper", "default", "center", "join", "map", "true", "none", "\n",
)  # fmt: skip

ESCAPES = (
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__bases__[0].__subclasses__() }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ patient.__class__ }}",
    "{{ patient['__class__'] }}",
    "{{ patient|attr('__class__') }}",
    "{{ patient.full_name.__class__.__init__.__globals__ }}",
    "{{ self }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context }}",
    "{% block a %}x{% endblock %}{{ self.a }}",
    "{% block a %}x{% endblock %}{{ self.a|upper }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ cycler }}",
    "{{ joiner() }}",
    "{{ namespace(a=patient).a }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ lipsum(100000) }}",
    "{{ range(100000)|list }}",
    "{{ dict(a=1) }}",
    "{{ '{0.__class__}'.format(patient) }}",
    "{{ '{0.__init__.__globals__}'.format_map(patient) }}",
    "{{ '%s' % patient }}",
    "{{ '%(a)s'|format(a=patient) }}",
    "{{ patient.full_name.format(patient) }}",
    "{{ patient }}",
    "{{ patient|upper }}",
    "{{ patient|trim }}",
    "{{ nothing|default(patient) }}",
    "{% set p = patient %}{{ p }}",
    "{% set p = patient %}{{ p|title }}",
    "{{ patient.keys }}",
    "{{ patient.items() }}",
    "{{ case.number.upper }}",
    "{{ [patient, patient] }}",
    "{{ 'a' * 1000000000 }}",
    "{{ 9**9**9 }}",
    "{{ 'x'|center(999999999) }}",
    "{{ patient.full_name * 100000 }}",
    "{% set a = 'xxxxxxxxxx' %}" + "{% set a = a ~ a %}" * 40 + "{{ a|length }}",
    "{% set a = 'x' %}" + "{% set a %}{{ a }}{{ a }}{% endset %}" * 40 + "ok",
    "{% set a = [1] %}" + "{% set a = [a, a] %}" * 60 + "{{ a|upper }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% macro m(n) %}{{ m(n) }}{{ m(n) }}{% endmacro %}{{ m(1) }}",
    "{% include 'x' %}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}{{ os }}",
    "{% from 'x' import y %}",
    "{% extends '/etc/passwd' %}",
    "{% raw %}{{ patient.__class__ }}{% endraw %}",
    "{% raw %}{% endraw %}{{ ''.__class__ }}{% raw %}{% endraw %}",
    "{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}",
    "{% if case.is_grievance %}" * 3000 + "x" + "{% endif %}" * 3000,
    "{{ loop.cycle }}",
    "{{ caller() }}",
    "{{ varargs }}",
    "{{ patient.full_name[::-1] }}",
    "{{ -patient }}",
)


# Where an attempt may sit: alone, inside a letter, inside either branch of an 'if'.
WRAPPINGS = (
    "{}",
    "Dear {{ recipient.greeting_name }},\n\n{}\n",
    "{% if case.is_grievance %}{}{% else %}{}{% endif %}",
    "{% if true %}{}{% endif %}",
)


@contextmanager
def must_finish(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def hung(_signum: int, _frame: object) -> None:
        raise AssertionError(f"still working after {seconds} s: a template must not hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def render(source: str) -> letter_templates.RenderedLetter | None:
    """The letter, or None when the template is refused with a message for the administrator."""
    with must_finish():
        try:
            return letter_templates.render_source(source, FIELDS, name="acknowledgement")
        except ValidationError as refused:
            assert "acknowledgement template" in refused.message
            return None


def harmless(letter: letter_templates.RenderedLetter, source: str = "") -> bool:
    """No Python object in the letter, unless the template's own words spell one out."""
    # Merged values are Markdown-escaped ("\\<class"): look at the text as it prints.
    text = f"{letter.subject}\n{letter.body}".replace("\\", "")
    printed = [mark for mark in PYTHON_OBJECTS if mark in text and mark not in source]
    return not printed and len(text) <= letter_templates.OUTPUT_LIMIT + 1_000


template_text = st.one_of(
    hostile_text(200),
    st.lists(st.sampled_from(JINJA_PIECES) | hostile_text(6), max_size=40).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(body=template_text, subject=st.booleans())
def test_any_template_text_gives_problems_or_a_letter(body: str, subject: bool) -> None:
    source = f"Subject: {body}" if subject else body
    with must_finish():
        found = letter_templates.problems(source)
    assert all(isinstance(problem, str) and problem for problem in found)
    letter = render(source)
    if letter is not None:
        assert harmless(letter, source)


@settings(max_examples=200, deadline=None)
@given(
    attempt=st.sampled_from(ESCAPES), wrapping=st.sampled_from(WRAPPINGS), line=st.integers(0, 3)
)
def test_an_attempt_to_leave_the_sandbox_is_refused_or_prints_nothing_of_python(
    attempt: str, wrapping: str, line: int
) -> None:
    source = "Subject: Your concerns\n" + "\n" * line + wrapping.replace("{}", attempt)
    letter = render(source)
    if letter is not None:
        assert harmless(letter), letter.body[:200]
    if "{% raw %}" not in attempt:
        # And the template editor will not save it in the first place.
        with must_finish():
            assert letter_templates.problems(source)


def test_printing_a_whole_group_of_fields_is_refused_not_written_into_the_letter() -> None:
    """`{{ patient }}` once printed every patient field as a Python dict into the letter."""
    source = "Subject: x\n\nDear {{ patient }}"
    assert letter_templates.problems(source) == (
        "'{{ patient }}' is a group of merge fields; choose one field from it.",
    )
    assert render(source) is None
    assert render("Subject: x\n\n{% set p = patient %}{{ p|upper }}") is None


def test_a_template_nested_deeper_than_can_be_read_is_a_problem_not_a_crash() -> None:
    # Within the length a template may have, and deeper than Python's own stack.
    source = "Subject: x\n\n" + "{%if case.is_grievance%}" * 1000 + "{%endif%}" * 1000
    assert letter_templates.problems(source) == (letter_templates.TOO_DEEP,)
    assert render(source) is None


def test_a_template_that_doubles_its_text_is_refused_before_it_runs() -> None:
    doubling = "{% set a = 'xxxxxxxxxx' %}" + "{% set a = a ~ a %}" * 40 + "{{ a }}"
    assert letter_templates.problems(f"Subject: x\n\n{doubling}")
    assert render(f"Subject: x\n\n{doubling}") is None


def test_jinja_globals_print_as_unfilled_marks() -> None:
    letter = render("Subject: x\n\n{{ cycler }} {{ lipsum }} {{ range }}")
    assert letter is not None
    assert letter.body == "[[cycler]] [[lipsum]] [[range]]\n"
