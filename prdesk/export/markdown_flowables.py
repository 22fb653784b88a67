"""Turns a letter body written in CommonMark Markdown into ReportLab flowables.

Markdown is the one canonical format of letter bodies: the composer edits it and this
module prints it. Only what a letter needs is supported: paragraphs, emphasis, headings,
lists, block quotes, rules and line breaks. Every piece of text goes through
`mixed_script_markup`, so user text is escaped and prints in whatever script it is in.

Letters read Markdown the way the composer (Qt's editor) writes it: `_text_` is
underlined there, `*text*` italic; and unfilled merge fields ``[[group.field]]`` print
on a highlight so a preview shows what is still missing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace

from markdown_it.tree import SyntaxTreeNode
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, HRFlowable, ListFlowable, ListItem, Paragraph

from prdesk.export.fonts import BASE_FONT, mixed_script_markup, needs_cjk_wrap
from prdesk.export.letter_text import MARKDOWN, pieces

# Pale yellow, like a highlighter: visible on screen, still readable printed in grey.
MARK_HIGHLIGHT = "#FFE58A"

# Heading sizes relative to the body; letters rarely need more than two levels.
_HEADING_SCALE = {1: 1.3, 2: 1.15}
_LIST_INDENT = 18.0
_DEEPEST_INDENTED_LIST = 6
# A heading is kept on the page of the text that follows it, unless it is this long.
_LONGEST_KEPT_HEADING = 300
_MUTED = colors.HexColor("#404040")


@dataclass(frozen=True)
class Emphasis:
    """How a piece of text is set.

    Attributes:
        letter: read as letter text: unfilled merge field marks are highlighted, and
            in Markdown `_text_` means underlined.
    """

    bold: bool = False
    italic: bool = False
    underline: bool = False
    letter: bool = False


@functools.lru_cache(maxsize=4096)
def text_markup(text: str, emphasis: Emphasis = Emphasis()) -> str:
    """Paragraph markup printing plain text in any script with the given emphasis.

    Cached: the letters of a batch share most of their words (template text, the
    closing, the signatory), and finding each character's font is the slow part.
    """
    parts = pieces(text) if emphasis.letter else [(text, False)]
    markup: list[str] = []
    for piece, is_mark in parts:
        piece_markup = mixed_script_markup(piece, bold=emphasis.bold, italic=emphasis.italic)
        if emphasis.underline:
            piece_markup = f"<u>{piece_markup}</u>"
        if is_mark:
            piece_markup = f'<span backColor="{MARK_HIGHLIGHT}">{piece_markup}</span>'
        markup.append(piece_markup)
    return "".join(markup)


class _Styles:
    """The paragraph styles of one body, derived from its body style, and how it reads."""

    def __init__(self, body: ParagraphStyle, *, letter: bool) -> None:
        self.body = body
        self.letter = letter
        # Items of a tight list sit close together, as the writer typed them.
        self.tight = ParagraphStyle(f"{body.name}-tight", parent=body, spaceAfter=2)
        self.quote = ParagraphStyle(
            f"{body.name}-quote", parent=body, leftIndent=_LIST_INDENT, textColor=_MUTED
        )
        self.headings = {
            level: ParagraphStyle(
                f"{body.name}-h{level}",
                parent=body,
                fontSize=body.fontSize * _HEADING_SCALE.get(level, 1.0),
                leading=body.leading * _HEADING_SCALE.get(level, 1.0),
                spaceBefore=body.spaceAfter,
                spaceAfter=body.spaceAfter / 2,
                keepWithNext=1,
            )
            for level in range(1, 7)
        }
        self.long_headings = {
            level: ParagraphStyle(f"{style.name}-long", parent=style, keepWithNext=0)
            for level, style in self.headings.items()
        }
        self._cjk: dict[str, ParagraphStyle] = {}
        self.list_depth = 0  # how many lists enclose the one being laid out

    def for_text(self, style: ParagraphStyle, plain: str) -> ParagraphStyle:
        """The style, switched to CJK line breaking when the text has Chinese in it."""
        if not needs_cjk_wrap(plain):
            return style
        if style.name not in self._cjk:
            self._cjk[style.name] = ParagraphStyle(
                f"{style.name}-cjk", parent=style, wordWrap="CJK"
            )
        return self._cjk[style.name]


def markdown_to_flowables(
    source: str, body_style: ParagraphStyle, *, letter: bool = False
) -> list[Flowable]:
    """Flowables printing a Markdown body; body_style sets font, size and spacing.

    body_style must use the regular face of a registered family (normally `BASE_FONT`):
    bold and italic are asked for through the markup. With `letter`, `_text_` prints
    underlined and unfilled merge field marks are highlighted.
    """
    tree = SyntaxTreeNode(MARKDOWN.parse(source))
    return _blocks(tree.children, _Styles(body_style, letter=letter), body_style)


def _blocks(
    nodes: Iterable[SyntaxTreeNode], styles: _Styles, style: ParagraphStyle
) -> list[Flowable]:
    flowables: list[Flowable] = []
    for node in nodes:
        flowables.extend(_block(node, styles, style))
    return flowables


def _block(node: SyntaxTreeNode, styles: _Styles, style: ParagraphStyle) -> list[Flowable]:
    if node.type == "paragraph":
        inline = node.children[0] if node.children else None
        if inline is None:
            return []
        # A hidden paragraph is one item of a tight list (no blank lines between items).
        para_style = styles.tight if node.hidden and style is styles.body else style
        markup = _inline(inline.children, _plain_emphasis(styles))
        return [Paragraph(markup, styles.for_text(para_style, inline.content))]
    if node.type == "heading":
        heading_style = styles.headings[int(node.tag[1:])]
        inline = node.children[0]
        if len(inline.content) > _LONGEST_KEPT_HEADING:
            # ReportLab never stops trying to keep a page-long heading with what follows.
            heading_style = styles.long_headings[int(node.tag[1:])]
        markup = _inline(inline.children, replace(_plain_emphasis(styles), bold=True))
        return [Paragraph(markup, styles.for_text(heading_style, inline.content))]
    if node.type in ("bullet_list", "ordered_list"):
        return [_list(node, styles)]
    if node.type == "blockquote":
        return _blocks(node.children, styles, styles.quote)
    if node.type in ("code_block", "fence"):
        text = node.content.rstrip("\n")
        markup = text_markup(text, _plain_emphasis(styles))
        return [Paragraph(markup, styles.for_text(styles.quote, text))]
    if node.type == "hr":
        return [
            HRFlowable(
                width="100%",
                thickness=0.5,
                color=colors.grey,
                spaceBefore=style.spaceAfter / 2,
                spaceAfter=style.spaceAfter,
            )
        ]
    # Anything else (there is little else in CommonMark without HTML): its contents.
    return _blocks(node.children, styles, style)


def _plain_emphasis(styles: _Styles) -> Emphasis:
    return Emphasis(letter=styles.letter)


def _list(node: SyntaxTreeNode, styles: _Styles) -> ListFlowable:
    body = styles.body
    styles.list_depth += 1
    try:
        # An empty item ("-" alone on its line) still prints its bullet.
        items = [
            ListItem(_blocks(item.children, styles, body) or [Paragraph("", body)])
            for item in node.children
        ]
    finally:
        styles.list_depth -= 1
    ordered = node.type == "ordered_list"
    # Lists nested deeper than anyone writes stop moving right, or the text would
    # have no width left.
    indent = _LIST_INDENT if styles.list_depth < _DEEPEST_INDENTED_LIST else 0.0
    options: dict[str, object] = {
        "leftIndent": indent,
        # The bullets would otherwise be Helvetica, which is neither embedded nor ours.
        "bulletFontName": BASE_FONT,
        "bulletFontSize": body.fontSize,
        "spaceAfter": body.spaceAfter,
    }
    if ordered:
        start = node.attrs.get("start", 1)
        options.update(bulletType="1", start=int(start), bulletFormat="%s.")
    else:
        options.update(bulletType="bullet", start="\u2022")
    return ListFlowable(items, **options)


def _inline(nodes: Iterable[SyntaxTreeNode], emphasis: Emphasis) -> str:
    parts: list[str] = []
    for node in nodes:
        if node.type in ("text", "code_inline", "html_inline"):
            parts.append(text_markup(node.content, emphasis))
        elif node.type == "softbreak":
            parts.append(" ")
        elif node.type == "hardbreak":
            parts.append("<br/>")
        elif node.type == "strong":
            parts.append(_inline(node.children, replace(emphasis, bold=True)))
        elif node.type == "em":
            parts.append(_inline(node.children, _em(node, emphasis)))
        elif node.type == "link":
            parts.append(_inline(node.children, emphasis))
            href = str(node.attrs.get("href", ""))
            # On paper a link is only useful if the address itself is printed.
            if href and href.removeprefix("mailto:") != _plain(node.children):
                shown = href.removeprefix("mailto:")
                parts.append(text_markup(f" ({shown})", emphasis))
        else:  # image (its alt text) and anything unforeseen: the text inside
            parts.append(_inline(node.children, emphasis))
    return "".join(parts)


def _em(node: SyntaxTreeNode, emphasis: Emphasis) -> Emphasis:
    # Qt's editor writes underline as _text_ and italic as *text*; CommonMark reads both
    # as emphasis, so in letters the marker tells them apart.
    if emphasis.letter and node.markup == "_":
        return replace(emphasis, underline=True)
    return replace(emphasis, italic=True)


def _plain(nodes: Iterable[SyntaxTreeNode]) -> str:
    return "".join(node.content if node.type == "text" else _plain(node.children) for node in nodes)
