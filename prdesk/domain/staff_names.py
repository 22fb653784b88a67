"""The staff members a case names, one by one, and the key that counts spellings of one name as one."""

from __future__ import annotations

import re

from prdesk.domain.search_text import fold

# Names in "Staff involved" are separated as people type lists: ";", "," or new lines.
STAFF_SEPARATOR = re.compile(r"[;,\n]")
# Titles people put before a name or leave off; they do not make another person.
_TITLES = frozenset(
    {
        "dr", "doctor", "nurse", "mr", "mrs", "ms", "miss", "mx", "prof", "professor",
        "sister", "matron", "rn", "lpn", "np", "pa", "cna", "hca",
    }
)  # fmt: skip
# As long as the column that keeps them.
NAME_LENGTH = 200
# Longer than any name with its title ("Dr. María del Carmen García López"): an entry
# past these is a sentence about what happened, which may name the patient, and is
# not counted as a staff member (reports show names as their row labels).
NAME_WORDS = 6
NAME_CHARACTERS = 60


# Migration 0006 filled case_staff with these rules: a change to them needs a migration
# that keys the stored names again, or one person would count as two.
def staff_key(name: str) -> str:
    """ "Dr. O'Brien" and "dr obrien" give "obrien"; a name of only a title keeps it."""
    # Full stops after titles and initials ("Dr.", "J.") do not make another person.
    words = fold(name).replace(".", " ").split()
    while len(words) > 1 and words[0] in _TITLES:
        words.pop(0)
    return " ".join(words)[:NAME_LENGTH]


def staff_names(text: str) -> list[tuple[str, str]]:
    """(name as typed, key) for each different person named in `text`, in order; an
    entry too long to be a name is left out."""
    found: dict[str, str] = {}
    for part in STAFF_SEPARATOR.split(text):
        name = " ".join(part.split())
        if len(name) > NAME_CHARACTERS or len(name.split()) > NAME_WORDS:
            continue
        key = staff_key(name)
        if key:
            found.setdefault(key, name)
    return [(name, key) for key, name in found.items()]
