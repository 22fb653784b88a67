"""Qt documents to and from Markdown: reading, writing, and reducing pasted rich text.

Timeline bodies and letters are stored as Markdown; these are the conversions the
editors share, kept apart from the widgets that use them.
"""

from __future__ import annotations

from PySide6.QtGui import (
    QFont,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextList,
    QTextListFormat,
)

BULLETS = (
    QTextListFormat.Style.ListDisc,
    QTextListFormat.Style.ListCircle,
    QTextListFormat.Style.ListSquare,
)
# Raw HTML in a body is text someone typed (or an email quoted), never markup to render.
READ_FEATURES = QTextDocument.MarkdownFeature.MarkdownNoHTML
# GitHub's dialect reads `_text_` as underline, as Qt writes it; HTML stays text here too.
LETTER_FEATURES = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)
_OBJECT_REPLACEMENT = "\ufffc"


def read_markdown(
    markdown: str, features: QTextDocument.MarkdownFeature = READ_FEATURES
) -> QTextDocument:
    """A document holding `markdown`, formatted as the editor shows it."""
    document = QTextDocument()
    document.setMarkdown(markdown, features)
    return document


def to_markdown(document: QTextDocument) -> str:
    """The document as Markdown, without the blank lines Qt leaves at its end."""
    return _emphasis_hugging_words(document).toMarkdown().strip("\n")


def _emphasis_hugging_words(document: QTextDocument) -> QTextDocument:
    """A copy whose bold, italic and underlined runs start and end on a letter, not a space.

    Pressing Ctrl+I and then typing " twice" makes an italic run that starts with a
    space; Qt writes it as "* twice*", which Markdown reads as two literal asterisks.
    """
    copy = document.clone()
    plain = QTextCharFormat()
    plain.setFontWeight(QFont.Weight.Normal)
    plain.setFontItalic(False)
    plain.setFontUnderline(False)
    spans: list[tuple[int, int]] = []
    block = copy.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            iterator += 1
            chars = fragment.charFormat()
            emphasised = (
                chars.fontItalic()
                or chars.fontUnderline()
                or chars.fontWeight() >= QFont.Weight.DemiBold
            )
            if not emphasised or block.blockFormat().headingLevel():
                continue
            text, start = fragment.text(), fragment.position()
            lead = len(text) - len(text.lstrip())
            trail = len(text) - len(text.rstrip())
            if lead == len(text):
                spans.append((start, start + len(text)))
                continue
            if lead:
                spans.append((start, start + lead))
            if trail:
                spans.append((start + len(text) - trail, start + len(text)))
        block = block.next()
    cursor = QTextCursor(copy)
    for start, end in spans:
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(plain)
    return copy


def reduced_to_markdown(
    source: QTextDocument,
    features: QTextDocument.MarkdownFeature = READ_FEATURES,
    *,
    underline: bool = False,
) -> QTextDocumentFragment:
    """What of `source` Markdown can hold: its text, bold, italic, lists and headings
    (and underline, for an editor whose Markdown dialect has it).

    Tables become one paragraph per cell, images and colours are dropped, links keep
    their words. Going through Markdown at the end gives the same formats the editor
    makes itself, so a pasted heading looks like a typed one.
    """
    clean = QTextDocument()
    cursor = QTextCursor(clean)
    lists: dict[int, QTextList] = {}
    block = source.begin()
    first = True
    while block.isValid():
        if not first:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        first = False
        level = block.blockFormat().headingLevel()
        if 1 <= level <= 6:
            heading = QTextBlockFormat()
            heading.setHeadingLevel(level)
            cursor.setBlockFormat(heading)
        _copy_list_membership(block, cursor, lists)
        _copy_words(block, cursor, heading=1 <= level <= 6, underline=underline)
        block = block.next()
    return QTextDocumentFragment(read_markdown(to_markdown(clean), features))


def _copy_list_membership(
    block: QTextBlock, cursor: QTextCursor, lists: dict[int, QTextList]
) -> None:
    source_list = list_of(block)
    if source_list is None:
        return
    key = source_list.objectIndex()
    target = lists.get(key)
    if target is not None:
        target.add(cursor.block())
        return
    style = source_list.format().style()
    numbered = style not in BULLETS
    fmt = QTextListFormat()
    fmt.setStyle(QTextListFormat.Style.ListDecimal if numbered else QTextListFormat.Style.ListDisc)
    fmt.setIndent(max(1, source_list.format().indent()))
    lists[key] = cursor.createList(fmt)


def _copy_words(
    block: QTextBlock, cursor: QTextCursor, *, heading: bool, underline: bool = False
) -> None:
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        iterator += 1
        source_format = fragment.charFormat()
        if source_format.isImageFormat():
            continue
        text = fragment.text().replace(_OBJECT_REPLACEMENT, "")
        if not text:
            continue
        kept = QTextCharFormat()
        # A heading is bold already; bold inside it has no Markdown of its own.
        if not heading and source_format.fontWeight() >= QFont.Weight.DemiBold:
            kept.setFontWeight(QFont.Weight.Bold)
        if source_format.fontItalic():
            kept.setFontItalic(True)
        if underline and not heading and source_format.fontUnderline():
            kept.setFontUnderline(True)
        cursor.insertText(text, kept)


def list_of(block: QTextBlock) -> QTextList | None:
    """The list a paragraph is an item of (Qt gives None for a plain one; its stubs omit that)."""
    found: QTextList | None = block.textList()
    return found
