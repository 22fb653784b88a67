"""Letter templates: Markdown with merge fields, rendered in a sandbox.

Administrators edit templates, so they run in Jinja2's SandboxedEnvironment: a template
sees only the values it is given, cannot call into Python, and a value with nothing to
fill it prints as a visible mark (``[[patient.phone]]``) that blocks finalising rather
than a blank in a letter to a patient. Templates ship in resources/templates/letters;
an administrator's edits are stored as numbered versions (services/letter_template_store.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChainableUndefined,
    Template,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    nodes,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from prdesk.assets import resources_dir
from prdesk.domain.errors import NotFound, ValidationError
from prdesk.domain.merge_fields import Markdown, Missing, known_paths


@dataclass(frozen=True)
class LetterTemplate:
    """A letter the department sends.

    Attributes:
        response: the written response to a grievance (42 CFR 482.13(a)(2)(iii)), which must
            hold every element the deadline policy requires.
    """

    key: str
    title: str
    languages: tuple[str, ...] = ("en", "es")
    response: bool = False


BUILT_IN = (
    LetterTemplate("acknowledgement", "Acknowledgement"),
    LetterTemplate("extension", "Still investigating (extension)"),
    LetterTemplate("determination", "Grievance determination / resolution", response=True),
    LetterTemplate("lost_belongings", "Lost belongings outcome"),
    LetterTemplate("compliment", "Compliment thank-you"),
    LetterTemplate("information", "Information response"),
    LetterTemplate("closure", "Closure"),
)


@dataclass(frozen=True)
class RenderedLetter:
    subject: str
    body: str


# Characters that would turn a merged value (a patient's own words) into formatting.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_ESCAPED = re.compile(r"\\(.)")
SOURCE_LIMIT = 50_000
OUTPUT_LIMIT = 200_000  # the letters' body limit


def escape_markdown(value: object) -> str:
    if value is None:
        return ""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


# What a letter may print: text, numbers, yes/no. A group of fields, a list or any
# other object would print as Python writes it ("{'full_name': ...}"): every value
# of the group, or the workings of the program, in a letter to a patient.
_PRINTABLE = (str, int, float, type(None))


class _NotOneField(TemplateRuntimeError):
    """A template printed something other than one merge field's text."""

    def __init__(self) -> None:
        super().__init__(
            "it prints a group of merge fields or a list instead of one field; "
            "choose one field from the list"
        )


def _finalize(value: object) -> str:
    # Marks and Markdown the fields module built (steps taken, findings) go in as they
    # are; anything else is text and must not become formatting.
    if isinstance(value, Missing | Markdown | _Unfilled):
        return str(value)
    if not isinstance(value, _PRINTABLE):
        raise _NotOneField()
    return escape_markdown(value)


def _text_only(text_filter: Callable[..., Any]) -> Callable[..., Any]:
    """A text filter that refuses anything but text, as printing does (see _PRINTABLE)."""

    @functools.wraps(text_filter)  # keeps what Jinja reads from the filter's attributes
    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(value, (*_PRINTABLE, Missing, _Unfilled)):
            raise _NotOneField()
        return text_filter(value, *args, **kwargs)

    return checked


class _Unfilled(ChainableUndefined):
    """A name PR Desk does not have prints as a mark, like a field with no value."""

    def __str__(self) -> str:
        if self._undefined_exception is SecurityError:
            # The sandbox refused an attribute (``__class__``): that is an attack, not a gap.
            self._fail_with_undefined_error()
        return f"[[{self._undefined_name or 'field'}]]"

    def __html__(self) -> str:
        return str(self)


class _LetterSandbox(SandboxedEnvironment):
    """The sandbox, with arithmetic refused.

    Letters have no sums to do, and Jinja would otherwise work out constant arithmetic
    while compiling: `{{ 9**9**9 }}` would hang and `{{ 'a' * 10**10 }}` exhaust memory.
    Intercepted operators are never folded at compile time; here they are refused.
    """

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"+", "-"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        raise SecurityError("templates do no arithmetic")

    def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
        raise SecurityError("templates do no arithmetic")


# Filters that only reshape text; anything else is refused when a template is saved.
_SAFE_FILTERS = frozenset({"upper", "lower", "capitalize", "title", "trim", "default"})

_environment = _LetterSandbox(
    undefined=_Unfilled,
    autoescape=False,
    keep_trailing_newline=False,
    finalize=_finalize,
)
# Only the filters a template may use, and no globals: `{{ cycler }}`, `{{ range }}`
# and `{{ lipsum }}` are then unfilled names like any other, not Python objects.
_environment.filters = {
    name: _text_only(text_filter)
    for name, text_filter in _environment.filters.items()
    if name in _SAFE_FILTERS
}
_environment.globals.clear()


def template(key: str) -> LetterTemplate:
    for candidate in BUILT_IN:
        if candidate.key == key:
            return candidate
    known = ", ".join(t.key for t in BUILT_IN)
    raise NotFound(f"No letter template '{key}'. Known templates: {known}.")


def choose_language(tpl: LetterTemplate, wanted: str | None, preferred: str) -> str:
    """The language to write in: as asked, else the reader's own when the template has it."""
    if wanted:
        base = wanted.split("-")[0].lower()
        if base not in tpl.languages:
            raise ValidationError(
                f"The {tpl.title.lower()} template has no '{wanted}' version "
                f"(available: {', '.join(tpl.languages)})."
            )
        return base
    base = (preferred or "en").split("-")[0].lower()
    return base if base in tpl.languages else "en"


def shipped_source(key: str, language: str) -> str:
    """The template as PR Desk ships it (version 0)."""
    template(key)
    path = Path(resources_dir(), "templates", "letters", f"{key}.{language}.md")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"The {key} template has no '{language}' version.") from None


class _Refused(TemplateError):
    """A template uses a construct templates may not (problems() names it when saving)."""


@lru_cache(maxsize=64)
def _compiled(source: str) -> Template:
    """Compiling takes milliseconds; a batch renders the same few sources hundreds of times.

    What problems() refuses is refused here too, for a template stored by other means
    (an older version, a row written directly): with loops, calls, macros, joins and
    arithmetic gone, rendering takes time in proportion to the template's length.
    """
    tree = _environment.parse(source)
    if (construct := _refused_construct(tree)) is not None:
        raise _Refused(f"line {construct.lineno}: {_REFUSED_MESSAGE}")
    return _environment.from_string(tree)


def render_source(source: str, fields: dict[str, Any], *, name: str) -> RenderedLetter:
    """Merges fields into a template's text. The first line is "Subject: ...", then the body."""
    try:
        text = _bounded(_compiled(source), fields, name)
    except SecurityError:
        raise ValidationError(
            f"The {name} template tries to reach beyond its merge fields; "
            "an administrator must correct it."
        ) from None
    except (TemplateError, TypeError, ArithmeticError, ValueError, RecursionError) as exc:
        # A comparison of unlike values (`'a' < 1`) raises TypeError; RecursionError comes
        # from nesting deeper than Python's stack; the others from a template stored
        # before these checks existed.
        raise ValidationError(f"The {name} template cannot be used: {exc}") from None
    first, _, rest = text.lstrip().partition("\n")
    if not first.lower().startswith("subject:"):
        raise ValidationError(f"The {name} template must start with a 'Subject:' line.")
    # The subject is plain text, so the Markdown escapes of merged values come off.
    subject = _ESCAPED.sub(r"\1", first.split(":", 1)[1].strip())
    return RenderedLetter(subject=subject, body=rest.strip() + "\n")


def _bounded(compiled: Template, fields: dict[str, Any], name: str) -> str:
    """The rendered text, refused once it is longer than any letter."""
    parts: list[str] = []
    length = 0
    for part in compiled.generate(**fields):
        length += len(part)
        if length > OUTPUT_LIMIT:
            raise ValidationError(
                f"The {name} template makes a letter longer than {OUTPUT_LIMIT:,} characters; "
                "an administrator must correct it."
            )
        parts.append(part)
    return "".join(parts)


def problems(source: str) -> tuple[str, ...]:
    """What stops a template's text from being saved, in words an administrator can act on."""
    if len(source) > SOURCE_LIMIT:
        return (f"A template can be at most {SOURCE_LIMIT:,} characters long.",)
    if not source.lstrip().lower().startswith("subject:"):
        return ("The first line must be the subject, starting with 'Subject:'.",)
    try:
        tree = _environment.parse(source)
    except TemplateSyntaxError as exc:
        return (f"Line {exc.lineno}: {exc.message}",)
    except RecursionError:
        return (TOO_DEEP,)
    found: list[str] = []
    known = known_paths()
    for path in _field_paths(tree):
        if path not in known and not any(k.startswith(path + ".") for k in known):
            found.append(f"'{{{{ {path} }}}}' is not a merge field; choose one from the list.")
    for path in _printed_paths(tree):
        if path not in known and any(k.startswith(path + ".") for k in known):
            found.append(
                f"'{{{{ {path} }}}}' is a group of merge fields; choose one field from it."
            )
    for access in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attribute = (
            access.attr
            if isinstance(access, nodes.Getattr)
            else getattr(getattr(access, "arg", None), "value", "")
        )
        if isinstance(attribute, str) and attribute.startswith("_"):
            found.append(f"Line {access.lineno}: names starting with '_' are not merge fields.")
            break
    if (construct := _refused_construct(tree)) is not None:
        found.append(f"Line {construct.lineno}: {_REFUSED_MESSAGE}")
    return tuple(dict.fromkeys(found))


TOO_DEEP = "The template nests 'if' blocks or brackets too deeply to be read; simplify it."
_REFUSED_MESSAGE = (
    "templates may use merge fields and 'if', "
    "but not loops, sums, joins, lists, calls, filters, macros, imports or includes."
)
# Each of these can run for ever, grow without bound or reach beyond the fields:
# nested loops, a text doubled by `{% set a = a ~ a %}` or `{% set a %}` blocks,
# lists of lists printed through a filter.
_REFUSED = (
    nodes.Call,
    nodes.Filter,
    nodes.Import,
    nodes.FromImport,
    nodes.Include,
    nodes.Extends,
    nodes.For,
    nodes.Macro,
    nodes.CallBlock,
    nodes.BinExpr,
    nodes.UnaryExpr,
    nodes.Concat,
    nodes.AssignBlock,
    nodes.List,
    nodes.Tuple,
    nodes.Dict,
)


def _refused_construct(tree: nodes.Template) -> nodes.Node | None:
    for construct in tree.find_all(_REFUSED):
        if isinstance(construct, nodes.Filter) and construct.name in _SAFE_FILTERS:
            continue
        if isinstance(construct, nodes.Not | nodes.And | nodes.Or):
            continue
        if isinstance(construct, nodes.Tuple) and construct.ctx == "store":
            continue  # `{% set a, b = ... %}` names two values; it builds nothing
        return construct
    return None


def _printed_paths(tree: nodes.Template) -> list[str]:
    """Dotted names printed as they are, or through a text filter (``{{ patient }}``), or
    set to a name that may be printed later (``{% set p = patient %}``)."""
    paths: list[str] = []
    expressions = [
        *(expression for output in tree.find_all(nodes.Output) for expression in output.nodes),
        *(assign.node for assign in tree.find_all(nodes.Assign)),
    ]
    for expression in expressions:
        while isinstance(expression, nodes.Filter) and expression.node is not None:
            expression = expression.node
        parts: list[str] = []
        while isinstance(expression, nodes.Getattr):
            parts.append(expression.attr)
            expression = expression.node
        if isinstance(expression, nodes.Name):
            paths.append(".".join([expression.name, *reversed(parts)]))
    return paths


def _field_paths(tree: nodes.Template) -> list[str]:
    """Dotted names the template reads (``patient.full_name``), loop variables left out."""
    # find_all() looks below a node, not at it: a plain `{% set n = ... %}` target is
    # the node itself.
    targets: list[nodes.Node] = [
        *(loop.target for loop in tree.find_all(nodes.For)),
        *(assign.target for assign in tree.find_all(nodes.Assign)),
    ]
    bound = {
        name.name
        for target in targets
        for name in ([target] if isinstance(target, nodes.Name) else target.find_all(nodes.Name))
    }
    paths: list[str] = []
    inner = {
        id(getter.node)
        for getter in tree.find_all(nodes.Getattr)
        if isinstance(getter.node, nodes.Getattr)
    }
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        if id(node) in inner:
            continue
        parts: list[str] = []
        current: nodes.Node = node
        while isinstance(current, nodes.Getattr):
            parts.append(current.attr)
            current = current.node
        if not isinstance(current, nodes.Name) or current.name in bound:
            continue
        if current is node and current.ctx != "load":
            continue
        parts.append(current.name)
        paths.append(".".join(reversed(parts)))
    # A bare name inside a Getattr chain is found again on its own: keep the longest.
    return [p for p in dict.fromkeys(paths) if not any(o.startswith(p + ".") for o in paths)]
