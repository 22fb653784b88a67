"""The case list's queries timed against hand-written SQL for the same rows, on one database.

    python benchmarks/list_queries.py --database sqlite:////tmp/prdesk-demo-100000.db
    python benchmarks/list_queries.py --database postgresql+psycopg://postgres@127.0.0.1/demo

"Raw SQL" runs straight on the driver's cursor; "PR Desk" is the application's own call
(`queries.list_cases` / `count_cases` in a read-only transaction), as a list screen makes
it on its worker thread. Each figure is the median of repeated runs, caches warm.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from prdesk.domain.database import Database
from prdesk.domain.queries import (
    CaseFilter,
    Due,
    SortKey,
    count_cases,
    count_statement,
    list_cases,
    page_statement,
)

PAGE = 100
RUNS = 30

_COLUMNS = """c.id, c.number, c.kind, c.channel, c.status, c.severity, c.received_at,
    p.full_name, cp.full_name, u.display_name, c.assignee_id, c.is_grievance,
    c.safety_concern, c.behavioural_alert, c.due_on,
    c.acknowledged_on IS NULL AND c.due_on = c.acknowledge_due_on,
    c.clock_paused_on IS NOT NULL"""
_JOINS = """FROM cases c JOIN people p ON p.id = c.patient_id
    LEFT JOIN people cp ON cp.id = c.complainant_id
    LEFT JOIN users u ON u.id = c.assignee_id"""


@dataclass(frozen=True)
class Scenario:
    name: str
    case_filter: CaseFilter
    sort: SortKey
    descending: bool
    offset: int
    where: str  # the raw SQL's WHERE clause, "" for none; {fts} stands for the search
    order: str
    words: str = ""  # the search, as FTS5 MATCH / tsquery text


def scenarios(total: int) -> list[Scenario]:
    newest = "c.received_at DESC, c.id DESC"
    return [
        Scenario("first page, newest first", CaseFilter(), SortKey.RECEIVED, True, 0, "", newest),
        Scenario(
            "page in the middle",
            CaseFilter(),
            SortKey.RECEIVED,
            True,
            total // 2,
            "",
            newest,
        ),
        Scenario(
            "last page",
            CaseFilter(),
            SortKey.RECEIVED,
            True,
            max(total - PAGE, 0),
            "",
            newest,
        ),
        Scenario(
            "sorted by patient name",
            CaseFilter(),
            SortKey.PATIENT,
            False,
            0,
            "",
            "c.patient_sort_name, c.id",
        ),
        Scenario(
            "sorted by patient name, page in the middle",
            CaseFilter(),
            SortKey.PATIENT,
            False,
            total // 2,
            "",
            "c.patient_sort_name, c.id",
        ),
        Scenario(
            'search "nguyen"',
            CaseFilter(search="nguyen"),
            SortKey.RECEIVED,
            True,
            0,
            "{fts}",
            newest,
            "nguyen",
        ),
        Scenario(
            'search "ma" (short prefix)',
            CaseFilter(search="ma"),
            SortKey.RECEIVED,
            True,
            0,
            "{fts}",
            newest,
            "ma",
        ),
        Scenario(
            'search "maria gar"',
            CaseFilter(search="maria gar"),
            SortKey.RECEIVED,
            True,
            0,
            "{fts}",
            newest,
            "maria gar",
        ),
        Scenario(
            "open grievances, overdue",
            CaseFilter(open_only=True, grievance=True, due=frozenset({Due.OVERDUE})),
            SortKey.DUE,
            False,
            0,
            "c.status NOT IN ('resolved', 'closed', 'withdrawn') AND c.is_grievance "
            "AND c.due_on < '{today}'",
            "c.due_on, c.id",
        ),
    ]


def _fts(dialect: str, words: str) -> str:
    terms = words.split()
    if dialect == "postgresql":
        query = " & ".join(f"{term}:*" for term in terms)
        return (
            "c.id IN (SELECT case_id FROM case_search WHERE "
            f"words @@ to_tsquery('simple', '{query}'))"
        )
    query = " AND ".join(f'"{term}"*' for term in terms)
    return f"c.id IN (SELECT rowid FROM case_search_fts WHERE case_search_fts MATCH '{query}')"


def raw_sql(scenario: Scenario, dialect: str, *, count: bool = False) -> str:
    where = scenario.where.format(fts=_fts(dialect, scenario.words), today=date.today().isoformat())
    if dialect == "sqlite":
        where = where.replace("AND c.is_grievance", "AND c.is_grievance = 1")
    clause = f"WHERE {where}" if where else ""
    if count:
        return f"SELECT count(*) FROM cases c {clause}"
    window = f"ORDER BY {scenario.order} LIMIT {PAGE} OFFSET {scenario.offset}"
    if "p." in scenario.order:
        return f"SELECT {_COLUMNS} {_JOINS} {clause} {window}"
    # The page's ids from the cases table alone, then the names for those rows only: the
    # shape a person tuning this by hand would write (and the application uses).
    return (
        f"SELECT {_COLUMNS} {_JOINS} JOIN (SELECT c.id FROM cases c {clause} {window}) page "
        f"ON page.id = c.id ORDER BY {scenario.order}"
    )


def median_ms(work: Callable[[], Any], runs: int = RUNS) -> float:
    work()  # warm the caches and the statement cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(db: Database) -> list[tuple[str, float, float, float, int]]:
    """(figure, hand-written ms, same SQL ms, application ms, rows) per page and count."""
    dialect = db.engine.dialect.name
    with db.transaction(read_only=True) as session:
        total = count_cases(session)
    raw = db.engine.raw_connection()
    results = []
    try:
        for scenario in scenarios(total):
            cursor = raw.cursor()
            with db.transaction(read_only=True) as session:
                statement = page_statement(
                    session, scenario.case_filter, sort=scenario.sort,
                    descending=scenario.descending,
                ).params(page_offset=scenario.offset, page_limit=PAGE)  # fmt: skip
                counting = count_statement(session, scenario.case_filter)
            same_page, same_count = _literal_sql(db, statement), _literal_sql(db, counting)

            def run(sql: str, cursor: Any = cursor) -> int:
                cursor.execute(sql)
                return len(cursor.fetchall())

            def app_page(scenario: Scenario = scenario) -> int:
                with db.transaction(read_only=True) as session:
                    rows = list_cases(
                        session,
                        scenario.case_filter,
                        sort=scenario.sort,
                        descending=scenario.descending,
                        offset=scenario.offset,
                        limit=PAGE,
                    )
                return len(rows)

            rows = app_page()
            by_hand = raw_sql(scenario, dialect)
            if run(by_hand) != rows or run(same_page) != rows:
                raise SystemExit(f"{scenario.name}: raw SQL and PR Desk disagree on the rows")
            results.append(
                (scenario.name, median_ms(lambda sql=by_hand: run(sql)),
                 median_ms(lambda sql=same_page: run(sql)), median_ms(app_page), rows)
            )  # fmt: skip
            if scenario.where or (scenario.offset == 0 and scenario.sort is SortKey.RECEIVED):

                def app_count(scenario: Scenario = scenario) -> int:
                    with db.transaction(read_only=True) as session:
                        return count_cases(session, scenario.case_filter)

                hand_count = raw_sql(scenario, dialect, count=True)
                results.append(
                    (f"  count of {scenario.name}",
                     median_ms(lambda sql=hand_count: run(sql), 10),
                     median_ms(lambda sql=same_count: run(sql), 10),
                     median_ms(app_count, 10), app_count())
                )  # fmt: skip
            raw.rollback()
    finally:
        raw.close()
    return results


def _literal_sql(db: Database, statement: Any) -> str:
    """The statement as the driver receives it, with its values written in."""
    compiled = statement.compile(
        db.engine, compile_kwargs={"literal_binds": True, "render_postcompile": True}
    )
    # psycopg reads % as a placeholder; the SQL has no parameters left.
    text = str(compiled)
    return text.replace("%", "%%") if db.engine.dialect.name == "postgresql" else text


def report(db: Database) -> None:
    with db.transaction(read_only=True) as session:
        total = count_cases(session)
    print(f"\n{db.engine.dialect.name}: {total:,} cases, pages of {PAGE} rows, median of {RUNS}")
    print(
        "  by hand: SQL as a person would write it; same SQL: PR Desk's own statement run on\n"
        "  the bare driver; ratio: PR Desk over the same SQL, i.e. the application's overhead"
    )
    print(f"  {'':44} {'by hand':>9} {'same SQL':>9} {'PR Desk':>9} {'ratio':>6} {'rows':>8}")
    for name, hand_ms, raw_ms, app_ms, rows in measure(db):
        ratio = app_ms / raw_ms if raw_ms else float("inf")
        print(
            f"  {name:44} {hand_ms:7.2f}ms {raw_ms:7.2f}ms {app_ms:7.2f}ms {ratio:5.1f}x {rows:>8,}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database URL holding demo data")
    args = parser.parse_args(argv)
    db = Database(args.database)
    try:
        report(db)
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
