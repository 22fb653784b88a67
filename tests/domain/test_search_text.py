"""Search that ignores case, accents, scripts and punctuation, and never breaks."""

import pytest

from prdesk.domain.search_text import query_terms, searchable


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("lukasz", "Łukasz Wójcik"),
        ("nguyen", "Nguyễn Thị Hương"),
        ("obrien", "Siobhán O'Brien"),
        ("zoe", "Zoë Brontë"),
        ("jeanpierre", "Jean-Pierre Dupont"),
        ("pierre", "Jean-Pierre Dupont"),
        ("o brien", "Siobhán O'Brien"),
        ("muller", "Jürgen Müller"),
        ("anna", "Анна Кузнецова"),
    ],
)
def test_a_plain_typed_name_finds_the_name_as_written(typed: str, stored: str) -> None:
    stored_text = searchable(stored)
    assert all(f" {term}" in stored_text for term in query_terms(typed))


def test_phone_numbers_match_whatever_their_punctuation() -> None:
    stored = searchable("(217) 555-0142")
    for typed in (
        "217-555-0142",
        "2175550142",
        "217 555 0142",
        "(217) 555",
        "555-0142",
        "+1 217 555 0142",
        "1 (217) 555-0142",
    ):
        assert all(f" {term}" in stored for term in query_terms(typed)), typed
    with_country_code = searchable("+1 217 555 0142")
    assert all(f" {term}" in with_country_code for term in query_terms("2175550142"))


@pytest.mark.parametrize(
    "query", ["'", '"', "a' OR '1'='1", "%_", "* NEAR ( ) ^", "\\", "--", "&|!:"]
)
def test_query_syntax_characters_are_just_ignored(query: str) -> None:
    for term in query_terms(query):
        assert all(ch.isalnum() or ch in "@.+" for ch in term)


def test_an_email_address_stays_one_searchable_word() -> None:
    assert query_terms("J.Smith@Example.org") == ["j.smith@example.org"]
