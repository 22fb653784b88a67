"""Hostile text for property tests: what a paste, a scanner or a careless keyboard produces."""

from __future__ import annotations

from hypothesis import strategies as st

# Every code point, lone surrogates and control characters included: Qt hands over
# whatever a paste from another program held.
ANY_CHARACTER = st.characters(exclude_categories=())

# Pieces that have broken search engines, parsers and PDF writers before.
TRICKY_PIECES = (
    '"', "'", "`", "\\", "*", ":*", "&", "|", "!", "(", ")", "<->", "<", ">", "^", "~",
    "AND", "OR", "NOT", "NEAR", "-", "+", "%", "_", "{{", "}}", "{%", "%}", "[[", "]]",
    "\x00", "\x01", "\x07", "\x1b", "\x7f", "\t", "\r\n", "\u2028", "\u2029", "\ufeff",
    "\u200b", "\u200d", "\u202e", "\u2066", "\ud800", "\udfff", "\U0001f600", "\ufffd",
    "Nguyễn", "Łukasz", "O'Brien", "王秀英", "김민준", "محمد", "שלום", "ﷺ", "ǅ", "ß",
    "e\u0301", "\u0300", "0", "555-0142", "+1 (217) 555-0142", "@", ".", "@@", "a.b@c.d",
)  # fmt: skip


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Arbitrary text, often built from the tricky pieces above."""
    pieces = st.lists(
        st.one_of(st.sampled_from(TRICKY_PIECES), st.text(ANY_CHARACTER, max_size=8)),
        max_size=max_size // 4 or 1,
    ).map("".join)
    return st.one_of(st.text(ANY_CHARACTER, max_size=max_size), pieces)


def long_text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """A very long string: a word repeated, or one word with no break in it."""
    return st.builds(
        lambda piece, count, spaced: ((piece + " ") if spaced else piece) * count,
        st.sampled_from(("a", "Nguyễn", "王", "\u202e", "*", "x" * 50, "\ud800")),
        st.integers(min_size, max_size),
        st.booleans(),
    )
