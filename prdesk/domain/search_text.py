"""Folding text for case- and accent-insensitive search.

Both the stored search column and the query go through the same folding, so
matching is a plain prefix test on words that no query text can break: there is
no query syntax to get wrong, unlike FTS5 MATCH or tsquery.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from anyascii import anyascii

_NOT_WORD = re.compile(r"[^0-9a-z@.+]+")
# An apostrophe or hyphen between letters joins the word ("obrien" finds O'Brien);
# the stored text also keeps the split form, so "pierre" finds Jean-Pierre too.
_JOINERS = re.compile(r"(?<=[a-z])['\u2019\u02bc`-](?=[a-z])")
# Han characters and Hangul syllables transliterate to one syllable each with no
# spaces between ("王秀英" -> "WangXiuYing"); spacing them makes each syllable a word.
_PHONE_LIKE = re.compile(r"^[\s\d()+./-]+$")
_SYLLABIC = re.compile(r"([\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af])")


def fold(text: str, *, split: bool = False) -> str:
    """Lower-case ASCII words separated by single spaces ("Nguyễn Thị" -> "nguyen thi").

    With `split`, hyphenated and apostrophised names and Han or Hangul syllables
    become separate words.
    """
    text = unicodedata.normalize("NFKC", text)
    if split:
        text = _SYLLABIC.sub(r" \1 ", text)
    ascii_text = anyascii(text).lower()
    if not split:
        ascii_text = _JOINERS.sub("", ascii_text)
    return " ".join(_NOT_WORD.sub(" ", ascii_text).split())


def query_terms(query: str) -> list[str]:
    """The words of a search box's text, each to be found as a prefix of a stored word.

    A query that looks like a phone number becomes its digits alone (the last ten
    of them), so "(217) 555-0142", "555-0142" and "+1 217 555 0142" all match.
    """
    if _PHONE_LIKE.match(query) and len(digits(query)) >= 4:
        return [digits(query)[-10:]]
    spaced = _SYLLABIC.sub(r" \1 ", unicodedata.normalize("NFKC", query))
    return [term for term in fold(spaced).split(" ") if term]


def digits(text: str) -> str:
    """Only the digits, as 0-9, so a phone number matches however it was punctuated.

    Digits of other scripts ("٥٥٥", full-width "５５５") count as the same digits: kept
    as they were, they fell out of the index's words, and the search matched every case.
    """
    return "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())


def searchable(*parts: str | None) -> str:
    """The stored search column: each part folded whole and split, plus digit-only numbers.

    It starts and ends with a space, so " term" matches the start of any word.
    """
    words: list[str] = []
    for part in parts:
        if not part:
            continue
        joined, split = fold(part), fold(part, split=True)
        words.append(joined)
        if split != joined:
            words.append(split)
        number = digits(part)
        if len(number) >= 4:
            # Whole, and as the local (7) and national (10) number typed without prefixes.
            words.extend(dict.fromkeys([number, number[-10:], number[-7:]]))
    return " " + " ".join(words) + " "


def case_search_text(
    number: str,
    people: Iterable[tuple[str, str | None, str, str]],
    description: str,
    desired_outcome: str,
) -> str:
    """A case's search column; `people` are (full name, MRN, phone, email) of patient, complainant.

    The one recipe for it, shared by the case service and bulk loaders such as demo data.
    """
    people = list(people)
    return searchable(
        number,
        *(person[0] for person in people),
        *(person[1] for person in people),
        *(person[2] for person in people),
        *(person[3] for person in people),
        description,
        desired_outcome,
    )
