"""Timeline and letter bodies are Markdown: turning typed or received plain text into it, and back."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt

# Characters that would start emphasis, links, HTML, code or tables in running text,
# and the ampersand of what would read as a character reference ("&amp;", "&#38;").
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")
# What makes a line a heading, a quote, a list item or a rule when it starts a line.
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
_INDENT = re.compile(r"^[ \t]+")
# Indentation kept as no-break spaces: four spaces would start a code block, which
# shows the text in a fixed-width box with every escape in it as typed.
_NO_BREAK = "\u00a0"


def escape_plain(text: str) -> str:
    """Plain text (an email body, a note typed before bodies were Markdown) as Markdown
    that reads exactly the same: no accidental headings or bold, line breaks kept."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _INLINE_SPECIAL.sub(r"\\\1", line.rstrip())
        line = _BLOCK_START.sub(lambda m: m.group(1) + _escape_block(m.group(2)), line)
        line = _INDENT.sub(_no_break_indent, line)
        lines.append(line)
    # A backslash at the end of a line is a hard break: the line ends where it ended.
    out: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        out.append(line + "\\" if line and following else line)
    return "\n".join(out).strip("\n")


def _no_break_indent(match: re.Match[str]) -> str:
    return match.group(0).replace("\t", "    ").replace(" ", _NO_BREAK)


def _escape_block(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("strikethrough")


def to_plain(markdown: str) -> str:
    """The words of a Markdown body without its markup: paragraphs apart by a blank line,
    list items and headings on lines of their own."""
    blocks: list[str] = []
    separate = False  # whether the next text starts a paragraph of its own
    for token in _parser().parse(markdown):
        if token.type in ("paragraph_open", "heading_open"):
            separate = not token.hidden
        elif token.type == "inline":
            text = "".join(
                child.content.replace(_NO_BREAK, " ")
                if child.type in ("text", "code_inline")
                else "\n"
                for child in token.children or ()
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            blocks.append(("\n\n" if separate and blocks else "\n" if blocks else "") + text)
            separate = False
        elif token.type in ("code_block", "fence"):
            blocks.append(("\n\n" if blocks else "") + token.content.rstrip("\n"))
    return "".join(blocks)
