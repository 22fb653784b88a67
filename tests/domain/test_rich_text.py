"""Plain text from emails and older notes becomes Markdown that reads exactly as it was typed."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from prdesk.domain.rich_text import escape_plain, to_plain


@pytest.mark.parametrize(
    "typed",
    [
        "Called the daughter at 9:15",
        "# 4 West is the ward, not a heading",
        "1. not a numbered list\n2) nor this",
        "- not a bullet\n+ nor this\n> nor a quote",
        "*not bold* and _not italic_, a_b_c, [not a link](x) <b>not html</b>",
        "Dear Ms Nguyễn,\nthank you for your letter.\n\nKind regards\nŁukasz",
        "back\\slash and `ticks` | pipes ~ tildes",
    ],
)
def test_typed_text_reads_the_same_after_escaping(typed: str) -> None:
    assert to_plain(escape_plain(typed)) == typed


def test_line_breaks_inside_a_paragraph_are_kept() -> None:
    markdown = escape_plain("first line\nsecond line")
    assert markdown.splitlines() == ["first line\\", "second line"]


def test_the_words_of_formatted_text_without_its_markup() -> None:
    markdown = "## Findings\n\nThe **ward** was *short* of staff:\n\n- night shift\n- weekend"
    assert to_plain(markdown) == "Findings\n\nThe ward was short of staff:\nnight shift\nweekend"


def test_indented_lines_of_an_email_stay_text_not_code() -> None:
    # Four spaces after a blank line would make a code block, where escapes show as typed.
    typed = "Dear team,\n\n    Total: 5 * 3 = 15\n    Ward [4B]"

    markdown = escape_plain(typed)

    tokens = [token.type for token in MarkdownIt("commonmark").parse(markdown)]
    assert "code_block" not in tokens
    assert [line.strip() for line in to_plain(markdown).splitlines()] == [
        "Dear team,",
        "",
        "Total: 5 * 3 = 15",
        "Ward [4B]",
    ]


def test_what_looks_like_an_html_entity_is_kept_as_typed() -> None:
    typed = "R&amp;D sent &copy; notices; Q&A at 5 &#38; 6"
    assert to_plain(escape_plain(typed)) == typed
