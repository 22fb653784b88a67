"""Letter templates: Markdown with merge fields, rendered in a sandbox.

Administrators will edit templates, so they run in Jinja2's SandboxedEnvironment
with StrictUndefined: a template sees only the fields it is given and a misspelt
field is an error, not a blank in a letter to a patient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from prdesk.assets import resources_dir
from prdesk.domain.errors import NotFound, ValidationError


@dataclass(frozen=True)
class LetterTemplate:
    key: str
    title: str
    languages: tuple[str, ...]


# Built-in templates; each has resources/templates/letters/<key>.<language>.md files.
BUILT_IN = (LetterTemplate("acknowledgement", "Acknowledgement", ("en", "es")),)


@dataclass(frozen=True)
class RenderedLetter:
    subject: str
    body: str


# Characters that would turn a merged value (a patient's own words) into formatting.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape_markdown(value: object) -> str:
    if value is None:
        return ""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


_ESCAPED = re.compile(r"\\(.)")

_environment = SandboxedEnvironment(
    undefined=StrictUndefined,
    autoescape=False,
    keep_trailing_newline=False,
    finalize=escape_markdown,
)


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
    base = preferred.split("-")[0].lower()
    return base if base in tpl.languages else "en"


def _source(key: str, language: str) -> str:
    path = Path(resources_dir(), "templates", "letters", f"{key}.{language}.md")
    return path.read_text(encoding="utf-8")


@cache
def _compiled(key: str, language: str) -> Template:
    """Compiling takes milliseconds; a shipped template never changes while running."""
    return _environment.from_string(_source(key, language))


def render(key: str, language: str, fields: dict[str, Any]) -> RenderedLetter:
    """Merges fields into a template. The first line is "Subject: ...", then the body."""
    try:
        text = _compiled(key, language).render(**fields)
    except UndefinedError as exc:
        raise ValidationError(
            f"The template uses a field PR Desk does not have: {exc.message}"
        ) from None
    except TemplateError as exc:
        raise ValidationError(f"The {key} template cannot be used: {exc}") from None
    first, _, rest = text.lstrip().partition("\n")
    if not first.lower().startswith("subject:"):
        raise ValidationError(f"The {key} template must start with a 'Subject:' line.")
    # The subject is plain text, so the Markdown escapes of merged values come off.
    subject = _ESCAPED.sub(r"\1", first.split(":", 1)[1].strip())
    return RenderedLetter(subject=subject, body=rest.strip() + "\n")
