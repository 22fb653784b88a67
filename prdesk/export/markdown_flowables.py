"""Turns a letter body written in CommonMark Markdown into ReportLab flowables.

Markdown is the one canonical format of letter bodies: the composer edits it and this
module prints it. Only what a letter needs is supported: paragraphs, emphasis, headings,
lists, block quotes, rules and line breaks. Every piece of text goes through
`mixed_script_markup`, so user text is escaped and prints in whatever script it is in.
"""

from __future__ import annotations

from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, HRFlowable, ListFlowable, ListItem, Paragraph

from prdesk.export.fonts import BASE_FONT, mixed_script_markup, needs_cjk_wrap

# Raw HTML is off: "<b>" typed in a letter prints as "<b>", and nothing a user types
# can reach ReportLab's markup parser unescaped.
_PARSER = MarkdownIt("commonmark", {"html": False})

# Heading sizes relative to the body; letters rarely need more than two levels.
_HEADING_SCALE = {1: 1.3, 2: 1.15}
_LIST_INDENT = 18.0
_MUTED = colors.HexColor("#404040")


class _Styles:
    """The paragraph styles of one body, derived from its body style."""

    def __init__(self, body: ParagraphStyle) -> None:
        self.body = body
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
        self._cjk: dict[str, ParagraphStyle] = {}

    def for_text(self, style: ParagraphStyle, plain: str) -> ParagraphStyle:
        """The style, switched to CJK line breaking when the text has Chinese in it."""
        if not needs_cjk_wrap(plain):
            return style
        if style.name not in self._cjk:
            self._cjk[style.name] = ParagraphStyle(
                f"{style.name}-cjk", parent=style, wordWrap="CJK"
            )
        return self._cjk[style.name]


def markdown_to_flowables(source: str, body_style: ParagraphStyle) -> list[Flowable]:
    """Flowables printing a Markdown letter body; body_style sets font, size and spacing.

    body_style must use the regular face of a registered family (normally `BASE_FONT`):
    bold and italic are asked for through the markup.
    """
    tree = SyntaxTreeNode(_PARSER.parse(source))
    return _blocks(tree.children, _Styles(body_style), body_style)


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
        return [_paragraph(inline, styles.for_text(para_style, inline.content))]
    if node.type == "heading":
        heading_style = styles.headings[int(node.tag[1:])]
        inline = node.children[0]
        markup = _inline(inline.children, bold=True, italic=False)
        return [Paragraph(markup, styles.for_text(heading_style, inline.content))]
    if node.type in ("bullet_list", "ordered_list"):
        return [_list(node, styles)]
    if node.type == "blockquote":
        return _blocks(node.children, styles, styles.quote)
    if node.type in ("code_block", "fence"):
        text = node.content.rstrip("\n")
        return [Paragraph(mixed_script_markup(text), styles.for_text(styles.quote, text))]
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


def _paragraph(inline: SyntaxTreeNode, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_inline(inline.children, bold=False, italic=False), style)


def _list(node: SyntaxTreeNode, styles: _Styles) -> ListFlowable:
    body = styles.body
    items = [ListItem(_blocks(item.children, styles, body)) for item in node.children]
    ordered = node.type == "ordered_list"
    options: dict[str, object] = {
        "leftIndent": _LIST_INDENT,
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


def _inline(nodes: Iterable[SyntaxTreeNode], *, bold: bool, italic: bool) -> str:
    parts: list[str] = []
    for node in nodes:
        if node.type in ("text", "code_inline", "html_inline"):
            parts.append(mixed_script_markup(node.content, bold=bold, italic=italic))
        elif node.type == "softbreak":
            parts.append(" ")
        elif node.type == "hardbreak":
            parts.append("<br/>")
        elif node.type == "strong":
            parts.append(_inline(node.children, bold=True, italic=italic))
        elif node.type == "em":
            parts.append(_inline(node.children, bold=bold, italic=True))
        elif node.type == "link":
            parts.append(_inline(node.children, bold=bold, italic=italic))
            href = str(node.attrs.get("href", ""))
            # On paper a link is only useful if the address itself is printed.
            if href and href.removeprefix("mailto:") != _plain(node.children):
                shown = href.removeprefix("mailto:")
                parts.append(mixed_script_markup(f" ({shown})", bold=bold, italic=italic))
        else:  # image (its alt text) and anything unforeseen: the text inside
            parts.append(_inline(node.children, bold=bold, italic=italic))
    return "".join(parts)


def _plain(nodes: Iterable[SyntaxTreeNode]) -> str:
    return "".join(node.content if node.type == "text" else _plain(node.children) for node in nodes)
