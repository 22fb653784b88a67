"""Putting right the line breaks Qt's Markdown writer puts beside emphasis marks."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtGui import QTextDocument


def faithful_markdown(
    document: QTextDocument, markdown: str, features: QTextDocument.MarkdownFeature
) -> str:
    """`markdown` (Qt's writing of `document`) with misplaced line breaks put right.

    Qt wraps paragraphs at 80 columns and, where the format changes, may break the line
    just after an opening ``**`` (which then prints as two asterisks) or just before the
    full stop after a bold word (which then prints with a space before it). Each break
    beside an emphasis mark is tried moved or removed, and kept when the text read back
    comes closer to the text on screen.
    """
    expected = _words(document.toPlainText())
    text = _reread(markdown, features)
    if text == expected:
        return markdown
    best, score, position = markdown, _common_prefix(text, expected), 0
    while (newline := best.find("\n", position)) >= 0:
        position = newline + 1
        following = best[newline + 1 :]
        indent = len(following) - len(following.lstrip(" "))
        before = best[newline - 1] if newline else "\n"
        after = following[indent] if indent < len(following) else "\n"
        if "\n" in (before, after) or not (
            before in _MARKS or after in _MARKS or after in _CLOSING
        ):
            continue
        for fixed in _line_fixes(best, newline, indent):
            text = _reread(fixed, features)
            if text == expected:
                return fixed
            if (closer := _common_prefix(text, expected)) > score:
                best, score, position = fixed, closer, max(0, newline - 3)
                break
    return best


_MARKS = "*_~"
_CLOSING = ".,;:!?)]}»”’…"


def _line_fixes(markdown: str, newline: int, indent: int) -> Iterator[str]:
    """The break moved before the marks that end its line, then the break removed."""
    rest = markdown[newline + 1 + indent :]
    start = newline
    while start > 0 and markdown[start - 1] in _MARKS:
        start -= 1
    if start < newline:
        wrapped = markdown[newline + 1 : newline + 1 + indent]
        yield markdown[:start].rstrip(" ") + "\n" + wrapped + markdown[start:newline] + rest
    yield markdown[:newline] + rest


def _reread(markdown: str, features: QTextDocument.MarkdownFeature) -> str:
    document = QTextDocument()
    document.setMarkdown(markdown, features)
    return _words(document.toPlainText())


def _words(text: str) -> str:
    # Blank lines and runs of spaces are not kept by Markdown; they are no difference.
    return " ".join(text.split())


def _common_prefix(first: str, second: str) -> int:
    for index, (one, other) in enumerate(zip(first, second, strict=False)):
        if one != other:
            return index
    return min(len(first), len(second))
