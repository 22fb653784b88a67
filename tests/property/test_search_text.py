"""Whatever is typed in the search box, the case list answers: matches, or none."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prdesk.domain import queries
from prdesk.domain.database import Database
from prdesk.domain.search_text import fold, query_terms, searchable
from prdesk.domain.services import users
from tests.property.strategies import hostile_text, long_text
from tests.support.builders import log_case, phone_complaint, raised_by_daughter

searches = st.one_of(hostile_text(80), long_text(100, 2_000), st.sampled_from(("", " ", "*")))
ON_A_DATABASE = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(max_examples=300, deadline=None)
@given(text=searches)
def test_folding_any_text_gives_plain_words(text: str) -> None:
    for term in query_terms(text):
        assert term and term.isascii() and " " not in term
    assert fold(text).isascii()
    stored = searchable(text)
    assert stored.startswith(" ") and stored.endswith(" ") and stored.isascii()


def _cases_to_search(db: Database) -> None:
    with db.transaction() as session:
        actor = users.resolve_actor(session, "mgarcia", "María García")
    log_case(db, actor, phone_complaint("Nguyễn Thị Hương"))
    log_case(db, actor, raised_by_daughter("Łukasz O'Brien-Kowalski", "王秀英"))


def _search(db: Database, text: str) -> tuple[int, int]:
    with db.transaction(read_only=True) as session:
        found = queries.list_cases(session, queries.CaseFilter(search=text), limit=50)
        counted = queries.count_cases(session, queries.CaseFilter(search=text))
    return len(found), counted


@settings(ON_A_DATABASE, max_examples=120)
@given(text=searches)
def test_any_search_text_runs_on_sqlite(sqlite_db: Database, text: str) -> None:
    if not _search(sqlite_db, "nguyen")[1]:
        _cases_to_search(sqlite_db)
    shown, counted = _search(sqlite_db, text)
    assert shown == counted <= 2


@settings(ON_A_DATABASE, max_examples=40)
@given(text=searches)
def test_any_search_text_runs_on_postgresql(postgres_db: Database, text: str) -> None:
    if not _search(postgres_db, "nguyen")[1]:
        _cases_to_search(postgres_db)
    shown, counted = _search(postgres_db, text)
    assert shown == counted <= 2


def test_quotes_operators_and_names_find_what_they_should(sqlite_db: Database) -> None:
    _cases_to_search(sqlite_db)
    assert _search(sqlite_db, 'nguyen" OR 1=1 --') == (0, 0)
    assert _search(sqlite_db, "'obrien'") == (1, 1)
    assert _search(sqlite_db, "NGUYỄN & | ! :* <->")[1] == 1
    assert _search(sqlite_db, "\x00\ud800 łukasz \u202e") == (1, 1)


def test_a_phone_number_in_arabic_or_full_width_digits_finds_that_number_only(
    sqlite_db: Database,
) -> None:
    """Such digits once fell out of the search words, and the list showed every case."""
    _cases_to_search(sqlite_db)  # both with the phone (555) 010-2000
    assert _search(sqlite_db, "\u0669\u0669\u0669\u0669\u0669") == (0, 0)
    assert (
        _search(sqlite_db, "\u0665\u0665\u0665\u0660\u0661\u0660\u0662\u0660\u0660\u0660")[1] == 2
    )
    assert (
        _search(sqlite_db, "\uff15\uff15\uff15\uff10\uff11\uff10\uff12\uff10\uff10\uff10")[1] == 2
    )
