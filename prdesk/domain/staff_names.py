"""The staff members a case names, one by one, and the key that counts spellings of one name as one."""

from __future__ import annotations

import re

from prdesk.domain.search_text import fold

# Names in "Staff involved" are separated as people type lists: ";", "," or new lines.
STAFF_SEPARATOR = re.compile(r"[;,\n]")
# Titles people put before a name or leave off; they do not make another person.
_TITLES = frozenset({"dr", "doctor", "nurse", "mr", "mrs", "ms", "miss", "mx", "prof", "sister"})
# As long as the column that keeps them.
NAME_LENGTH = 200


def staff_key(name: str) -> str:
    """ "Dr. O'Brien" and "dr obrien" give "obrien"; a name of only a title keeps it."""
    # Full stops after titles and initials ("Dr.", "J.") do not make another person.
    words = fold(name).replace(".", " ").split()
    while len(words) > 1 and words[0] in _TITLES:
        words.pop(0)
    return " ".join(words)[:NAME_LENGTH]


def staff_names(text: str) -> list[tuple[str, str]]:
    """(name as typed, key) for each different person named in `text`, in order."""
    found: dict[str, str] = {}
    for part in STAFF_SEPARATOR.split(text):
        name = " ".join(part.split())[:NAME_LENGTH]
        key = staff_key(name)
        if key:
            found.setdefault(key, name)
    return [(name, key) for key, name in found.items()]
