"""Folding text for case- and accent-insensitive search.

Both the stored search column and the query go through `fold`, so matching is a
plain substring test that no query text can break: there is no query syntax to
get wrong, unlike FTS5 MATCH or tsquery.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_NOT_WORD = re.compile(r"[^0-9a-z@.+]+")
# Apostrophes and hyphens inside names are dropped rather than split on, so
# "obrien" finds O'Brien and "jean pierre" or "jeanpierre" finds Jean-Pierre.
_JOINERS = re.compile(r"['\u2019\u02bc`-]")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("Nguyễn Thị" -> "nguyen thi")."""
    text = unicodedata.normalize("NFKC", text)
    ascii_text = anyascii(text).lower()
    ascii_text = _JOINERS.sub("", ascii_text)
    return " ".join(_NOT_WORD.sub(" ", ascii_text).split())


def query_terms(query: str) -> list[str]:
    """The words of a search box's text, each to be found as a prefix of a stored word."""
    return [term for term in fold(query).split(" ") if term]


def digits(text: str) -> str:
    """Only the digits, so a phone number matches however it was punctuated."""
    return "".join(ch for ch in text if ch.isdigit())


def searchable(*parts: str | None) -> str:
    """The stored search column: each part folded, plus digit-only forms of numbers.

    A leading space lets a query match the start of any word with " term".
    """
    folded = [fold(part) for part in parts if part]
    numbers = [digits(part) for part in parts if part and sum(c.isdigit() for c in part) >= 4]
    return " " + " ".join(folded + numbers) + " "
