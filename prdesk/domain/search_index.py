"""The full-text index cases are searched by, on SQLite (FTS5) and PostgreSQL (GIN).

A case's document is its folded search column (search_text.py) plus the folded text
of its timeline. The words are reduced to plain [0-9a-z] tokens before they are
indexed, so both backends tokenize them the same way, and a query is built from
such tokens only: whatever quotes or operators the user typed, nothing reaches
FTS5's MATCH or tsquery syntax but quoted words and prefix stars.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Select,
    bindparam,
    delete,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from prdesk.domain.enums import TimelineKind
from prdesk.domain.models import Case, CaseSearch, TimelineEntry
from prdesk.domain.search_text import fold

SQLITE_TABLE = "case_search_fts"
POSTGRES_INDEX = "ix_case_search_words"
# A stored tsvector of the document (PostgreSQL): matching a row is then a cheap test,
# where to_tsvector(document) would parse the whole text again for every row looked at.
POSTGRES_WORDS = "words"
_NOT_TOKEN = re.compile(r"[^0-9a-z]+")
# Entries the application writes about itself (status changes) say nothing searchable.
_SEARCHED_KINDS = [kind for kind in TimelineKind if not kind.is_system]


def is_index_object(name: str | None, type_: str = "", parents: Any = None) -> bool:
    """True for the backend-specific objects of the index, which the models do not describe."""
    if type_ == "column":
        return name == POSTGRES_WORDS and (parents or {}).get("table_name") == "case_search"
    return bool(name) and (str(name).startswith(SQLITE_TABLE) or name == POSTGRES_INDEX)


def tokens(folded: str) -> str:
    return " ".join(_NOT_TOKEN.sub(" ", folded).split())


# PostgreSQL refuses a tsvector over 1 MB, and saving the case would fail with it. A
# case's own fields come first in the document, so what is cut is only timeline text
# past the first few hundred pages of it.
DOCUMENT_LIMIT = 300_000


def document(case_search_text: str, timeline_texts: Iterable[str]) -> str:
    """The indexed text of one case."""
    parts = [case_search_text, *(fold(text_, split=True) for text_ in timeline_texts)]
    return tokens(" ".join(parts))[:DOCUMENT_LIMIT]


def reindex(session: Session, case_ids: Iterable[int]) -> None:
    """Rewrites the documents of these cases from what is in the database now."""
    reindex_connection(session.connection(), case_ids)


def reindex_connection(
    connection: Connection, case_ids: Iterable[int] | None = None, *, deletable: bool = True
) -> None:
    """As reindex; with no ids, every case (used by the migration that built the index).

    `deletable=False` is for that migration: the schema then could not yet delete entries.
    """
    cases = select(Case.id, Case.search_text)
    entries = select(TimelineEntry.case_id, TimelineEntry.summary, TimelineEntry.body).where(
        TimelineEntry.kind.in_(_SEARCHED_KINDS)
    )
    if deletable:
        entries = entries.where(TimelineEntry.deleted_at.is_(None))
    if case_ids is None:
        connection.execute(delete(CaseSearch))
    else:
        ids = sorted(set(case_ids))
        if not ids:
            return
        # Two people adding entries to one case at once: the second waits here for the
        # first to commit, and so reads (and indexes) the first one's entry too.
        connection.execute(
            select(CaseSearch.case_id).where(CaseSearch.case_id.in_(ids)).with_for_update()
        )
        cases = cases.where(Case.id.in_(ids))
        entries = entries.where(TimelineEntry.case_id.in_(ids))
    texts: dict[int, list[str]] = defaultdict(list)
    for case_id, summary, body in connection.execute(entries):
        texts[case_id].append(f"{summary} {body}")
    rows = [
        {"case_id": case_id, "document": document(search_text, texts.get(case_id, ()))}
        for case_id, search_text in connection.execute(cases)
    ]
    if not rows:
        return
    upsert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(
        CaseSearch
    )
    connection.execute(
        upsert.on_conflict_do_update(
            index_elements=[CaseSearch.case_id], set_={"document": upsert.excluded.document}
        ),
        rows,
    )


def query_string(terms: list[str], dialect: str) -> str | None:
    """The MATCH / tsquery text for search terms (from search_text.query_terms).

    Every term must begin a word; a term that folded into several tokens
    ("jane.doe@mail" -> jane doe mail) must find them in a row.
    """
    phrases = [tokens(term).split() for term in terms]
    phrases = [phrase for phrase in phrases if phrase]
    if not phrases:
        return None
    if dialect == "postgresql":
        return " & ".join(" <-> ".join([*phrase[:-1], phrase[-1] + ":*"]) for phrase in phrases)
    return " AND ".join('"' + " ".join(phrase) + '"*' for phrase in phrases)


def matching_case_ids(
    dialect: str, terms: list[str], *, many: bool = False
) -> ColumnElement[bool] | None:
    """A condition on Case.id true for the cases whose documents hold every term.

    `many` says the search matches many cases (matches_many()), which changes how a
    page of them is best found: see there.
    """
    query = query_string(terms, dialect)
    if query is None:
        return None
    words: BindParameter[str] = bindparam("search_words", query)
    if dialect == "postgresql":
        matched = _postgres_matches(words)
        if not many:
            # OFFSET 0 keeps the matches a separate step, gathered through the index
            # first, instead of PostgreSQL walking the sort index and testing each case.
            matched = matched.offset(0)
        return Case.id.in_(matched)
    if many:
        # "id + 0" keeps SQLite from fetching every match by primary key and sorting
        # them all: it walks the list's sort index instead and stops after a page.
        return (Case.id + 0).in_(_sqlite_matches(words))
    return Case.id.in_(_sqlite_matches(words))


def matches_many(session: Session, terms: list[str], threshold: int = 5000) -> bool:
    """Whether a search matches more than `threshold` cases, found cheaply (a few ms).

    A page of a common prefix ("ma", most cases) is found fastest by walking the
    list's sort index and keeping the matches, which are met almost at once. A page
    of a rarer word ("maria", 1,700 cases) is found fastest by gathering its matches
    through the full-text index and sorting them: walking the sort index would test
    tens of thousands of cases first (70 ms against 5 ms at 100,000 on PostgreSQL).
    """
    bind = session.get_bind()
    dialect = bind.dialect.name
    query = query_string(terms, dialect)
    if query is None:
        return False
    # Typing on narrows a search: once "mar" matched few, "mari" and "maria x" do too,
    # and the next keystroke's rows need not wait for counting again.
    typed = (str(bind.engine.url), " ".join(terms))
    with _FEW_LOCK:
        narrower = any(db == typed[0] and typed[1].startswith(known) for db, known in _FEW)
    if narrower:
        return False
    words: BindParameter[str] = bindparam("search_words", query)
    sample = _postgres_matches(words) if dialect == "postgresql" else _sqlite_matches(words)
    bounded = sample.limit(threshold + 1).subquery()
    count = session.connection().scalar(select(func.count()).select_from(bounded))
    many = (count or 0) > threshold
    if not many:
        with _FEW_LOCK:
            _FEW[typed] = None
            while len(_FEW) > _FEW_KEPT:
                _FEW.pop(next(iter(_FEW)))
    return many


# Searches recently found to match few cases, by database (a hint for the plan only:
# a stale entry makes a page slower, never wrong).
_FEW: dict[tuple[str, str], None] = {}
_FEW_KEPT = 200
_FEW_LOCK = threading.Lock()


def _postgres_matches(words: BindParameter[str]) -> Select[Any]:
    vector: ColumnElement[Any] = literal_column(f"case_search.{POSTGRES_WORDS}")
    tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), words)
    return select(CaseSearch.case_id).where(vector.op("@@")(tsquery))


def _sqlite_matches(words: BindParameter[str]) -> Select[Any]:
    return (
        select(literal_column("rowid"))
        .select_from(text(SQLITE_TABLE))
        .where(literal_column(SQLITE_TABLE).op("MATCH")(words))
    )


def create_index_objects(connection: Connection) -> None:
    """The backend's full-text index over case_search (called by the migration)."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                f"ALTER TABLE case_search ADD COLUMN {POSTGRES_WORDS} tsvector GENERATED "
                "ALWAYS AS (to_tsvector('simple'::regconfig, document)) STORED"
            )
        )
        connection.execute(
            text(f"CREATE INDEX {POSTGRES_INDEX} ON case_search USING gin ({POSTGRES_WORDS})")
        )
        return
    # An external-content table: the words live once, in case_search; triggers keep
    # the index in step with every insert, update and delete.
    statements = [
        f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(document, content='case_search', "
        "content_rowid='case_id', tokenize='unicode61', prefix='1 2 3')",
        f"CREATE TRIGGER {SQLITE_TABLE}_insert AFTER INSERT ON case_search BEGIN "
        f"INSERT INTO {SQLITE_TABLE}(rowid, document) VALUES (new.case_id, new.document); END",
        f"CREATE TRIGGER {SQLITE_TABLE}_delete AFTER DELETE ON case_search BEGIN "
        f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, document) "
        "VALUES ('delete', old.case_id, old.document); END",
        f"CREATE TRIGGER {SQLITE_TABLE}_update AFTER UPDATE ON case_search BEGIN "
        f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, document) "
        "VALUES ('delete', old.case_id, old.document); "
        f"INSERT INTO {SQLITE_TABLE}(rowid, document) VALUES (new.case_id, new.document); END",
    ]
    for statement in statements:
        connection.execute(text(statement))


def drop_index_objects(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"DROP INDEX IF EXISTS {POSTGRES_INDEX}"))
        connection.execute(text(f"ALTER TABLE case_search DROP COLUMN IF EXISTS {POSTGRES_WORDS}"))
        return
    for suffix in ("_insert", "_delete", "_update"):
        connection.execute(text(f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}{suffix}"))
    connection.execute(text(f"DROP TABLE IF EXISTS {SQLITE_TABLE}"))
