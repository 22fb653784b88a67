"""The user guide's pages as shipped in resources/guide: their titles, order and words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from prdesk.assets import resources_dir

INDEX = "index"
# A Markdown link to another page of the guide: [text](name.md) or (name.md#part).
_PAGE_LINK = re.compile(r"\]\(([\w-]+)\.md(?:#[\w-]*)?\)")
# Markup left out of the words searched: link targets, emphasis, headings, code marks.
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_MARKUP = re.compile(r"[#*_`>|\[\]]")


@dataclass(frozen=True)
class GuidePage:
    """One topic of the guide.

    Attributes:
        name: the file name without `.md` ("letters"), as pages link to each other.
        title: the page's first heading.
        words: its text without markup, lower case, for searching.
    """

    name: str
    title: str
    path: Path
    words: str

    def contains(self, query: str) -> bool:
        """Whether every word of the query is on the page (any case, any part of a word)."""
        terms = query.lower().split()
        return bool(terms) and all(term in self.words for term in terms)


def guide_dir() -> Path:
    return resources_dir() / "guide"


def linked_pages(text: str) -> list[str]:
    """The names of the guide pages a page's Markdown links to, in order, once each."""
    return list(dict.fromkeys(_PAGE_LINK.findall(text)))


def read_page(path: Path) -> GuidePage:
    text = path.read_text(encoding="utf-8")
    title = next(
        (line.lstrip("#").strip() for line in text.splitlines() if line.startswith("# ")),
        path.stem.replace("-", " ").capitalize(),
    )
    words = _MARKUP.sub(" ", _LINK_TARGET.sub("]", text)).lower()
    return GuidePage(path.stem, title, path, " ".join(words.split()))


@cache
def pages() -> tuple[GuidePage, ...]:
    """The index first, then the topics in the order the index lists them."""
    folder = guide_dir()
    index = read_page(folder / f"{INDEX}.md")
    order = [INDEX, *linked_pages(index.path.read_text(encoding="utf-8"))]
    found = {path.stem: path for path in folder.glob("*.md")}
    # A page the index forgot still belongs in the contents, after the others.
    order += sorted(name for name in found if name not in order)
    return tuple(read_page(found[name]) for name in order if name in found)


def page_named(name: str) -> GuidePage | None:
    return next((page for page in pages() if page.name == name), None)


def search(query: str) -> list[GuidePage]:
    """The pages holding every word of the query, those using the words most first."""
    terms = query.lower().split()
    found = [page for page in pages() if page.contains(query)]
    return sorted(found, key=lambda page: -sum(page.words.count(term) for term in terms))
