"""Whether a response letter, as the writer left it, still holds every element the policy requires.

CMS (42 CFR 482.13(a)(2)(iii)) asks the written response to a grievance for the
contact person, the steps taken to investigate, the results and the date of
completion; the NHS Complaints Regulations 2009 add the right to go to the
Ombudsman. The check reads the Markdown body after editing: sections under headings
it recognises, wherever the writer moved them, and with something in them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from markdown_it import MarkdownIt

from prdesk.domain.deadline_policy import Preset
from prdesk.domain.enums import LabelledEnum
from prdesk.domain.merge_fields import MARK
from prdesk.domain.search_text import fold


class Element(LabelledEnum):
    CONTACT = "contact"
    STEPS = "steps"
    RESULTS = "results"
    COMPLETION = "completion"
    OMBUDSMAN = "ombudsman"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Element.CONTACT: "contact person and how to reach them",
    Element.STEPS: "steps taken to investigate",
    Element.RESULTS: "results of the review",
    Element.COMPLETION: "date of completion",
    Element.OMBUDSMAN: "right to go to the Parliamentary and Health Service Ombudsman",
}


@dataclass(frozen=True)
class ComplianceResult:
    required: tuple[Element, ...]
    missing: tuple[Element, ...]

    @property
    def ok(self) -> bool:
        return not self.missing


# Words of the headings that open each section, folded (lower case, no accents). A phrase
# matches whole words of a heading; English headings count in a letter of any language.
HEADING_WORDS: dict[str, dict[Element, tuple[str, ...]]] = {
    "en": {
        Element.STEPS: (
            "steps", "how we investigated", "how we looked into", "how we considered",
            "how we reviewed",
        ),
        Element.RESULTS: (
            "results", "result", "findings", "what we found", "outcome", "conclusion",
            "conclusions", "actions taken", "what we have done", "what we have changed",
        ),
        Element.COMPLETION: ("completion", "completed", "date of completion"),
    },
    "es": {
        Element.STEPS: (
            "pasos", "como investigamos", "como revisamos", "como analizamos",
            "lo que hicimos para investigar",
        ),
        Element.RESULTS: (
            "resultados", "resultado", "hallazgos", "lo que encontramos", "conclusiones",
            "medidas adoptadas", "lo que hemos hecho", "lo que hemos cambiado",
        ),
        Element.COMPLETION: (
            "finalizacion", "fecha de finalizacion", "finalizado", "finalizada", "concluido",
            "concluida",
        ),
    },
}  # fmt: skip
OMBUDSMAN_WORDS = {"en": ("ombudsman",), "es": ("ombudsman", "defensor")}

_CMS_ELEMENTS = (Element.CONTACT, Element.STEPS, Element.RESULTS, Element.COMPLETION)
# A heading written as a paragraph of bold text sits below every Markdown heading level.
_BOLD_HEADING_LEVEL = 7

_PHONE = re.compile(
    r"(?<![\w-])(?:\+?\d{7,15}"  # typed without separators: 5550103000, +441632960123
    r"|(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4})(?![\w-])"
)
# Dates written with dashes or dots have a phone number's shape; they are not one.
_NUMERIC_DATE = re.compile(r"^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{2,4})$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|ene|febrero|marzo"
    r"|abril|abr|mayo|junio|julio|agosto|ago|se(?:p)?tiembre|octubre|noviembre|diciembre|dic)\.?"
)
_DATE = re.compile(
    r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+|del\s+)?\d{{4}})\b"
)
_WORD = re.compile(r"\w")


def required_elements(
    template_key: str, *, is_grievance: bool, preset: Preset
) -> tuple[Element, ...]:
    """What the letter must say: the written response (the determination letter, and the
    closure letter of a grievance) needs the CMS elements, and under NHS the Ombudsman."""
    if template_key != "determination" and not (template_key == "closure" and is_grievance):
        return ()
    return (*_CMS_ELEMENTS, Element.OMBUDSMAN) if preset is Preset.NHS else _CMS_ELEMENTS


def check_letter(
    body: str,
    *,
    template_key: str,
    language: str,
    is_grievance: bool,
    preset: Preset,
    contact_name: str,
) -> ComplianceResult:
    """The required elements, and those the body no longer holds."""
    required = required_elements(template_key, is_grievance=is_grievance, preset=preset)
    if not required:
        return ComplianceResult((), ())
    blocks = _blocks(body)
    base = language.split("-")[0].lower()
    found = {
        Element.CONTACT: _has_contact(blocks, contact_name),
        Element.OMBUDSMAN: _mentions(blocks, OMBUDSMAN_WORDS["en"] + OMBUDSMAN_WORDS.get(base, ())),
    }
    words = HEADING_WORDS["en"]
    if base in HEADING_WORDS and base != "en":
        other = HEADING_WORDS[base]
        words = {element: words[element] + other[element] for element in words}
    for element, phrases in words.items():
        sections = [(head, text) for head, text in _sections(blocks) if _matches(head, phrases)]
        if element is Element.COMPLETION:
            # The date may be in the heading itself ("Review completed on 27 March 2026").
            found[element] = any(_DATE.search(_simple(f"{h}\n{t}")) for h, t in sections)
        else:
            found[element] = any(_WORD.search(text) for _, text in sections)
    return ComplianceResult(required, tuple(e for e in required if not found[e]))


@dataclass(frozen=True)
class _Block:
    """A heading (level 1 to 7) or a paragraph (level 0), as plain text without marks."""

    level: int
    text: str


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def _blocks(body: str) -> list[_Block]:
    tokens = _parser().parse(body)
    blocks = []
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        opener = tokens[index - 1]
        text = _without_marks(_inline_text(token))
        if opener.type == "heading_open":
            blocks.append(_Block(int(opener.tag[1:]), text))
        elif opener.type == "paragraph_open" and not opener.hidden and _all_bold(token):
            blocks.append(_Block(_BOLD_HEADING_LEVEL, text))
        else:
            blocks.append(_Block(0, text))
    return blocks


def _inline_text(token: Any) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def _all_bold(token: Any) -> bool:
    kinds = [child.type for child in token.children or () if child.content or child.nesting]
    return (
        len(kinds) > 2
        and kinds[0] == "strong_open"
        and kinds[-1] == "strong_close"
        and kinds.count("strong_open") == 1
    )


def _without_marks(text: str) -> str:
    """Unfilled marks are no content: a section holding only one is as good as empty. (The
    parser has taken off Markdown escapes, so "\\[[x]]" arrives as "[[x]]".)"""
    return MARK.sub(" ", text).strip()


def _sections(blocks: list[_Block]) -> list[tuple[str, str]]:
    """Each heading with the text under it, down to the next heading of its level or above."""
    sections = []
    for index, block in enumerate(blocks):
        if not block.level:
            continue
        texts = []
        for later in blocks[index + 1 :]:
            if later.level and later.level <= block.level:
                break
            if not later.level:
                texts.append(later.text)
        sections.append((block.text, "\n".join(texts)))
    return sections


def _regions(blocks: list[_Block]) -> list[str]:
    """The text between one heading and the next, whatever their levels."""
    regions: list[list[str]] = [[]]
    for block in blocks:
        if block.level:
            regions.append([])
        else:
            regions[-1].append(block.text)
    return ["\n".join(region) for region in regions if region]


def _matches(heading: str, phrases: tuple[str, ...]) -> bool:
    words = f" {_words(heading)} "
    return any(f" {phrase} " in words for phrase in phrases)


def _mentions(blocks: list[_Block], stems: tuple[str, ...]) -> bool:
    """Whether a word starts with a stem ("Ombudsman's", "Defensoría" count)."""
    return any(word.startswith(stems) for block in blocks for word in _words(block.text).split())


def _has_contact(blocks: list[_Block], contact_name: str) -> bool:
    """The contact's name with a phone number or an email address near it (same section)."""
    name = _words(contact_name)
    if not name:
        return False
    return any(
        f" {name} " in f" {_words(region)} " and (_has_phone(region) or _EMAIL.search(region))
        for region in _regions(blocks)
    )


def _has_phone(text: str) -> bool:
    for match in _PHONE.finditer(text):
        number = match.group(0)
        digits = sum(character.isdigit() for character in number)
        if 7 <= digits <= 15 and not _NUMERIC_DATE.match(number):
            return True
    return False


def _words(text: str) -> str:
    """Folded words: lower case, no accents, no punctuation ("Resolución:" -> "resolucion")."""
    return " ".join(re.sub(r"[.@+]", " ", fold(text)).split())


def _simple(text: str) -> str:
    """Lower case without accents, punctuation kept, for reading dates."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))
