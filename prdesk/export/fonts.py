"""Shipped TrueType fonts for PDFs, and font switching for text in any script.

ReportLab's built-in Helvetica prints boxes for anything beyond Latin-1 and ReportLab has
no font fallback, so every piece of user text goes through `mixed_script_markup`: it
splits the text into runs and wraps each run in ``<font name="...">`` naming the first
shipped font whose character map really holds the glyph. The fonts are embedded (as
subsets) in every PDF, so a letter prints the same on any computer.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from prdesk.assets import resource

# Registered names; PDFs show the fonts' own PostScript names (e.g. NotoSansArabic-Regular).
BASE_FONT = "NotoSans"
"""Latin (with Vietnamese), Greek and Cyrillic; the family every paragraph style uses."""
CJK_FONT = "DroidSansFallback"
HANGUL_FONT = "NanumGothic"
ARABIC_FONT = "NotoSansArabic"
HEBREW_FONT = "NotoSansHebrew"


@dataclass(frozen=True)
class _Family:
    name: str
    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None


# Fallback order: the first family whose regular face has a character's glyph prints it.
# Noto Sans comes first so Latin text never lands in NanumGothic, which also has Latin
# letters; Droid comes before NanumGothic because Nanum's Hanja are for Korean text only.
_FAMILIES: tuple[_Family, ...] = (
    _Family(
        BASE_FONT,
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        "NotoSans-Italic.ttf",
        "NotoSans-BoldItalic.ttf",
    ),
    _Family(CJK_FONT, "DroidSansFallbackFull.ttf"),
    _Family(HANGUL_FONT, "NanumGothic.ttf", "NanumGothicBold.ttf"),
    _Family(ARABIC_FONT, "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    _Family(HEBREW_FONT, "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
)

FALLBACK_ORDER: tuple[str, ...] = tuple(family.name for family in _FAMILIES)

_lock = threading.Lock()
_coverage: dict[str, frozenset[int]] | None = None


def register_fonts() -> None:
    """Register the shipped fonts with ReportLab, once per process (safe from any thread).

    Each family is registered so that ``<b>`` and ``<i>`` in Paragraph markup pick its
    bold and italic faces; a family without them prints those in its regular face.
    """
    _font_coverage()


def _font_coverage() -> dict[str, frozenset[int]]:
    """Code points each family's regular face has glyphs for, keyed by family name."""
    global _coverage
    # Checked before and under the lock: after the first call this costs one read,
    # and two threads starting PDFs at once still register each font only once.
    if _coverage is not None:
        return _coverage
    with _lock:
        if _coverage is None:
            coverage: dict[str, frozenset[int]] = {}
            for family in _FAMILIES:
                coverage[family.name] = _register_family(family)
            _coverage = coverage
    return _coverage


def _register_family(family: _Family) -> frozenset[int]:
    faces: dict[tuple[int, int], str] = {}
    regular = TTFont(family.name, str(resource("fonts", family.regular)))
    pdfmetrics.registerFont(regular)
    for bold, italic, filename in (
        (1, 0, family.bold),
        (0, 1, family.italic),
        (1, 1, family.bold_italic),
    ):
        if filename is None:
            continue
        face_name = f"{family.name}-{'Bold' if bold else ''}{'Italic' if italic else ''}"
        pdfmetrics.registerFont(TTFont(face_name, str(resource("fonts", filename))))
        faces[bold, italic] = face_name
    bold_face = faces.get((1, 0), family.name)
    italic_face = faces.get((0, 1), family.name)
    # Without a bold italic face, bold is the more visible of the two emphases to keep.
    bold_italic_face = faces.get((1, 1), bold_face)
    # addMapping rather than registerFontFamily: the latter falls back to the italic face
    # for bold italic, and we want bold there. Regular goes last because the reverse map
    # (face -> bold, italic) keeps the last entry, and <font name="X"> must mean upright.
    for bold, italic, face in (
        (1, 1, bold_italic_face),
        (0, 1, italic_face),
        (1, 0, bold_face),
        (0, 0, family.name),
    ):
        addMapping(family.name, bold, italic, face)
    return frozenset(regular.face.charToGlyph)


def _is_neutral(char: str) -> bool:
    """Spaces, punctuation, symbols, digits and marks: characters a run may absorb."""
    return unicodedata.category(char)[0] in "ZPSNMC"


def _visual_order(text: str) -> str:
    """Shape Arabic letters and lay right-to-left runs out in the order they are printed.

    The base direction is left-to-right because letters are laid out left to right;
    an Arabic or Hebrew name inside them is reversed in place. ReportLab breaks lines
    only after this reordering, so a right-to-left phrase long enough to wrap would put
    its words on the lines in the wrong order: right for names and short phrases, not
    for whole paragraphs in Arabic or Hebrew.
    """
    if not any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
        return text
    result = get_display(arabic_reshaper.reshape(text), base_dir="L")
    return str(result)


def _clean(text: str) -> str:
    # NFC because ReportLab does no mark positioning: Vietnamese must use precomposed
    # letters. Tabs become spaces; other control characters have no glyph and some are
    # not even allowed in the XML that Paragraph parses. Code points Unicode has not
    # assigned yet have no glyph and no direction, which right-to-left layout cannot order.
    text = unicodedata.normalize("NFC", text).replace("\t", " ")
    return "".join(
        char
        for char in text
        if char == "\n" or unicodedata.category(char) not in ("Cc", "Cs", "Cn")
    )


def font_runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font name, text) runs in print order, one font per run.

    A letter goes to the first font in `FALLBACK_ORDER` that has its glyph. Spaces,
    punctuation, digits and marks stay in the current run when its font has them, so
    "王秀英, 김민준" gives three runs rather than one per character. A character no
    shipped font has stays in the current run and prints as that font's empty box.
    """
    coverage = _font_coverage()
    runs: list[tuple[str, str]] = []
    current = ""
    chunk: list[str] = []
    for char in _visual_order(_clean(text)):
        code = ord(char)
        if current and (char == "\n" or (_is_neutral(char) and code in coverage[current])):
            chunk.append(char)
            continue
        font = next((name for name in FALLBACK_ORDER if code in coverage[name]), "")
        font = font or current or BASE_FONT
        if font != current and chunk:
            runs.append((current, "".join(chunk)))
            chunk = []
        current = font
        chunk.append(char)
    if chunk:
        runs.append((current, "".join(chunk)))
    return runs


def mixed_script_markup(text: str, *, bold: bool = False, italic: bool = False) -> str:
    """Paragraph markup that prints plain text in any supported script.

    The text is escaped, so "<b>" or "&" typed by a user prints literally; line breaks
    become ``<br/>``. Ask for bold or italic here rather than wrapping the result in
    ``<b>``: ReportLab's ``<font name=...>`` resets the emphasis of enclosing tags, so
    the emphasis tags have to sit inside each font tag.
    """
    opening = ("<b>" if bold else "") + ("<i>" if italic else "")
    closing = ("</i>" if italic else "") + ("</b>" if bold else "")
    parts: list[str] = []
    for font, run in font_runs(text):
        body = "<br/>".join(escape(line) for line in run.split("\n"))
        parts.append(f'<font name="{font}">{opening}{body}{closing}</font>')
    return "".join(parts)


def needs_cjk_wrap(text: str) -> bool:
    """Whether a paragraph needs ReportLab's CJK line breaking (``wordWrap="CJK"``).

    Chinese and Japanese put no spaces between words, and ReportLab otherwise breaks
    lines only at spaces, so a Chinese sentence would run off the page. Korean uses
    spaces and needs no special wrapping.
    """
    coverage = _font_coverage()
    return any(
        ord(char) in coverage[CJK_FONT] and ord(char) not in coverage[BASE_FONT] for char in text
    )
