"""Whatever a letter's body holds, it prints as a PDF or the writer is told why not."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from prdesk.domain.errors import ValidationError
from prdesk.domain.services.case_input import damaged
from prdesk.domain.services.letter_records import BODY_LIMIT, clean_text
from prdesk.export.letter_files import page_count
from prdesk.export.letter_pdf import render_letter_pdf
from tests.export.test_letter_pdf import LETTERHEAD, make_letter
from tests.property.strategies import hostile_text, long_text

MARKDOWN_PIECES = (
    "# ", "## ", "###### ", "####### ", "- ", "* ", "+ ", "1. ", "99999999999. ", "> ", "  ",
    "    ", "\t", "\n", "\n\n", "**", "*", "_", "__", "`", "```", "~~~", "---", "***", "[", "]",
    "(", ")", "![", "<", ">", "<b>", "</para>", "<font name='x'>", "&", "&amp;", "&#0;",
    "&#xD800;", "\\", "|", "|-|", "[[patient.phone]]", "[[", "]]", "http://x", "mailto:a@b",
    "\u202e", "\u200f", "محمد", "שלום", "王秀英", "김민준", "Nguyễn", "\ufeff", "\x0c", "\x85",
)  # fmt: skip

bodies = st.one_of(
    hostile_text(300),
    st.lists(st.sampled_from(MARKDOWN_PIECES) | hostile_text(8), max_size=80).map("".join),
    long_text(50, 400),
)
# Nesting deeper than anyone writes: quotes in quotes, lists in lists.
nested = st.builds(
    lambda marker, depth, word: "".join(marker * level + word + "\n" for level in range(depth)),
    st.sampled_from(("> ", "- ", "  - ", "1. ", "    ", "* > ")),
    st.integers(1, 120),
    st.sampled_from(("x", "王秀英 Nguyễn", "**bold** _under_", "a" * 300)),
)


def printed(body: str) -> bytes | None:
    """The PDF of a letter with this body as it is saved, or None when saving refuses it."""
    try:
        saved = clean_text(body, BODY_LIMIT, "letter")
    except ValidationError as refused:
        # The two refusals a writer can act on: too long, or half a character pasted.
        assert "letter is too long" in refused.message or "broken character" in refused.message
        return None
    return render_letter_pdf(make_letter(body=saved), LETTERHEAD, dated=datetime.date(2026, 3, 2))


@settings(max_examples=100, deadline=None)
@given(body=bodies)
def test_any_letter_body_prints(body: str) -> None:
    pdf = printed(body)
    if pdf is None:
        assert damaged(body) or len(body.strip()) > BODY_LIMIT
        return
    assert pdf.startswith(b"%PDF") and page_count(pdf) >= 1


@settings(max_examples=30, deadline=None)
@given(body=nested)
def test_deeply_nested_quotes_and_lists_print(body: str) -> None:
    pdf = printed(body)
    assert pdf is not None and page_count(pdf) >= 1


def test_a_body_longer_than_any_letter_is_refused_with_the_limit() -> None:
    assert printed("word " * (BODY_LIMIT // 5 + 1)) is None


def test_a_word_longer_than_the_line_prints_across_lines() -> None:
    pdf = printed("Reference " + "x" * 5000 + " ends here.")
    assert pdf is not None and page_count(pdf) >= 1


def test_a_character_unicode_has_not_assigned_yet_is_left_out_not_a_crash() -> None:
    """U+1B2FC has no direction; beside a right-to-left mark it stopped the layout."""
    pdf = printed("Dear \u200f\U0001b2fc Ms Haddad, \u0645\u062d\u0645\u062f \U0001b2fc.")
    assert pdf is not None and page_count(pdf) == 1
    letter = make_letter(subject="\u200f\U0001b2fc", recipient_name="\u05e9\U0001b2fc")
    assert render_letter_pdf(letter, LETTERHEAD).startswith(b"%PDF")


def test_an_unassigned_character_in_the_name_on_a_later_page_header_prints() -> None:
    letter = make_letter(recipient_name="\u05e9\U0001b2fc", body="Paragraph.\n\n" * 120)
    pdf = render_letter_pdf(letter, LETTERHEAD)
    assert page_count(pdf) >= 2
