"""The words of a printed letter that are not its template's: fixed phrases, the date, marks."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from markdown_it import MarkdownIt

from prdesk.domain.readmodels import LetterInfo

# A merge field that had no value when the template was filled in, e.g. [[patient.phone]].
MARK = re.compile(r"\[\[([a-z_]+(?:\.[a-z_]+)*)\]\]")

# Letter bodies are CommonMark. Raw HTML is off: "<b>" typed in a letter prints as "<b>".
MARKDOWN = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class Phrases:
    """The fixed words of a letter in one language (the body comes from its template)."""

    locale: str  # for the date line, unless the letter names a region (es-MX)
    greeting: str  # {name} is replaced by the salutation
    anonymous: str  # greets a letter with no name to address
    reference: str
    closing: str
    copies_to: str
    page: str  # {page} of {total}
    date: str
    contact: str
    phone: str


# The languages letter templates are written in; any other prints these parts in English.
_PHRASES = {
    "en": Phrases(
        locale="en_US",
        greeting="Dear {name},",
        anonymous="Sir or Madam",
        reference="Our reference",
        closing="Sincerely,",
        copies_to="Copies to:",
        page="Page {page} of {total}",
        date="Date",
        contact="Contact",
        phone="Phone",
    ),
    "es": Phrases(
        locale="es",
        greeting="Estimado/a {name}:",
        anonymous="señor/a",
        reference="Nuestra referencia",
        closing="Atentamente,",
        copies_to="Copia a:",
        page="Página {page} de {total}",
        date="Fecha",
        contact="Persona de contacto",
        phone="Teléfono",
    ),
}


def _base_language(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def phrases(language: str) -> Phrases:
    return _PHRASES.get(_base_language(language), _PHRASES["en"])


def long_date(dated: datetime.date, language: str) -> str:
    """The date written out as the letter's language writes it ("March 12, 2025")."""
    words = phrases(language)
    locale = words.locale
    if _base_language(language) in _PHRASES and "-" in language.replace("_", "-"):
        # A region the letter asks for (en-GB: "12 March 2025") beats the default one.
        try:
            locale = str(Locale.parse(language.replace("-", "_")))
        except (ValueError, UnknownLocaleError):
            locale = words.locale
    return str(format_date(dated, "long", locale=locale))


def letter_date(letter: LetterInfo, dated: datetime.date | None) -> datetime.date:
    """The date the letter carries: the one asked for, else its own, else today."""
    return dated or letter.dated or datetime.date.today()


def greeting(letter: LetterInfo) -> str:
    words = phrases(letter.language)
    name = letter.salutation.strip() or letter.recipient_name.strip() or words.anonymous
    return words.greeting.format(name=name)


def pieces(text: str) -> list[tuple[str, bool]]:
    """The text cut into (piece, is it an unfilled mark) in order; never an empty piece."""
    found: list[tuple[str, bool]] = []
    start = 0
    for match in MARK.finditer(text):
        if match.start() > start:
            found.append((text[start : match.start()], False))
        found.append((match.group(0), True))
        start = match.end()
    if start < len(text):
        found.append((text[start:], False))
    return found


def shortened(text: str, limit: int) -> str:
    """One line of at most `limit` characters, for running headers."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "\u2026"
