"""A letter's Markdown body as Word paragraphs: headings, lists, emphasis, marks highlighted.

Reads Markdown as the composer (Qt's editor) writes it, like `markdown_flowables`:
`_text_` is underlined, `*text*` italic, `**text**` bold, and an unfilled merge field
``[[group.field]]`` is highlighted so whoever finishes the letter in Word sees it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from docx.document import Document as WordDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from markdown_it.tree import SyntaxTreeNode

from prdesk.export.letter_text import MARKDOWN, pieces

_QUOTE_COLOUR = RGBColor(0x40, 0x40, 0x40)
_QUOTE_INDENT = Pt(18)
# Word's list styles go three levels deep; deeper lists stay at the third.
_LIST_LEVELS = 3


@dataclass(frozen=True)
class Emphasis:
    bold: bool = False
    italic: bool = False
    underline: bool = False


def printable(text: str) -> str:
    """The text without what Word's XML cannot hold (control characters, lone surrogates)."""
    return "".join(
        char
        for char in text
        if char in "\t\n"
        or (ord(char) >= 0x20 and not 0xD800 <= ord(char) <= 0xDFFF and char not in "\ufffe\uffff")
    )


def add_text(paragraph: Paragraph, text: str, emphasis: Emphasis = Emphasis()) -> None:
    """Plain text as runs; line breaks kept, unfilled merge fields highlighted."""
    for number, line in enumerate(printable(text).split("\n")):
        if number:
            paragraph.add_run().add_break()
        for piece, is_mark in pieces(line):
            run = paragraph.add_run(piece)
            run.bold = emphasis.bold or None
            run.italic = emphasis.italic or None
            run.underline = emphasis.underline or None
            if is_mark:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


class BodyWriter:
    """Adds a Markdown body to a Word document, after whatever it already holds."""

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self._quoted = 0

    def write(self, markdown: str) -> None:
        tree = SyntaxTreeNode(MARKDOWN.parse(printable(markdown)))
        for block in tree.children:
            self._block(block, level=0)

    def _paragraph(self, style: str | None = None) -> Paragraph:
        paragraph = self.document.add_paragraph(style=style)
        if self._quoted:
            paragraph.paragraph_format.left_indent = _QUOTE_INDENT * self._quoted
        return paragraph

    def _block(self, node: SyntaxTreeNode, *, level: int) -> None:
        if node.type == "heading":
            heading = self.document.add_heading(level=min(int(node.tag[1:]), 3))
            _inline(heading, node.children, Emphasis(bold=True))
        elif node.type in ("bullet_list", "ordered_list"):
            self._list(node, level=level)
        elif node.type == "paragraph":
            paragraph = self._paragraph()
            _inline(paragraph, node.children, Emphasis())
            if self._quoted:
                for run in paragraph.runs:
                    run.font.color.rgb = _QUOTE_COLOUR
        elif node.type == "blockquote":
            self._quoted += 1
            try:
                for part in node.children:
                    self._block(part, level=level)
            finally:
                self._quoted -= 1
        elif node.type in ("fence", "code_block"):
            add_text(self._paragraph(), node.content.rstrip("\n"))
        elif node.type == "hr":
            _rule(self._paragraph())
        else:
            for part in node.children:
                self._block(part, level=level)

    def _list(self, node: SyntaxTreeNode, *, level: int) -> None:
        ordered = node.type == "ordered_list"
        depth = min(level + 1, _LIST_LEVELS)
        style = ("List Number" if ordered else "List Bullet") + (f" {depth}" if depth > 1 else "")
        number = self._restarted(style, int(node.attrs.get("start", 1))) if ordered else None
        for item in node.children:
            paragraphs = [part for part in item.children if part.type == "paragraph"]
            first = self._paragraph(style)
            if number is not None:
                _number_with(first, number)
            if paragraphs:
                _inline(first, paragraphs[0].children, Emphasis())
            for part in item.children:
                if paragraphs and part is paragraphs[0]:
                    continue
                self._block(part, level=level + 1)

    def _restarted(self, style: str, start: int) -> int:
        """A numbering that counts this list from `start`, not on from the list before."""
        style_element = self.document.styles[style].element
        numbered = style_element.pPr.numPr.numId.val
        numbering = self.document.part.numbering_part.element
        abstract = numbering.num_having_numId(numbered).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)


def _number_with(paragraph: Paragraph, number: int) -> None:
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = number


def _rule(paragraph: Paragraph) -> None:
    """A horizontal rule: the paragraph's bottom border, as Word draws one."""
    properties = paragraph._p.get_or_add_pPr()
    border = properties.makeelement(qn("w:pBdr"), {})
    bottom = border.makeelement(
        qn("w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): "4", qn("w:space"): "1", qn("w:color"): "999999"},
    )
    border.append(bottom)
    properties.insert_element_before(
        border, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr"
    )


def _inline(paragraph: Paragraph, nodes: Iterable[SyntaxTreeNode], emphasis: Emphasis) -> None:
    for node in nodes:
        if node.type == "inline":
            _inline(paragraph, node.children, emphasis)
        elif node.type in ("text", "code_inline", "html_inline"):
            add_text(paragraph, node.content, emphasis)
        elif node.type == "softbreak":
            paragraph.add_run(" ")
        elif node.type == "hardbreak":
            paragraph.add_run().add_break()
        elif node.type == "strong":
            _inline(paragraph, node.children, replace(emphasis, bold=True))
        elif node.type == "em" and node.markup == "_":
            # Qt's editor writes underline as _text_ and italic as *text*.
            _inline(paragraph, node.children, replace(emphasis, underline=True))
        elif node.type == "em":
            _inline(paragraph, node.children, replace(emphasis, italic=True))
        elif node.type == "link":
            _inline(paragraph, node.children, emphasis)
            href = str(node.attrs.get("href", "")).removeprefix("mailto:")
            if href and href != "".join(child.content for child in node.children):
                add_text(paragraph, f" ({href})", emphasis)
        else:
            _inline(paragraph, node.children, emphasis)
