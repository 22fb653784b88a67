"""The report benchmark's two databases: built from demo data or reused, and who reads them.

The databases are kept between runs: /tmp/bench-reports-100k.db and the PostgreSQL
database prdesk_bench_reports (other sizes get their own, such as bench-reports-2k.db and
prdesk_bench_reports_2k). With --reuse one that already holds exactly --cases cases is
upgraded to the current schema and used as it is; otherwise it is built anew from demo
data, which takes several minutes at 100,000 cases. Either way the demo's draft letters
are given the course letters take (see `settle_letters`), once, and the sent ones the
day they went (see `date_sent_letters`).
"""

from __future__ import annotations

import argparse
import getpass
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import URL, make_url

from prdesk.domain import models
from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import Role
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.schema import upgrade
from prdesk.domain.security.roles import group_role
from prdesk.domain.services import users

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _size(cases: int) -> str:
    return f"{cases // 1000}k" if cases % 1000 == 0 else str(cases)


def count_cases(db: Database) -> int:
    with db.transaction(read_only=True) as session:
        return session.scalar(select(func.count(models.Case.id))) or 0


def _fill(db: Database, cases: int) -> None:
    print(f"  building {db.display_name}: {cases:,} demo cases ...", flush=True)
    started = time.perf_counter()
    upgrade(db)
    generate_demo_data(db, cases)
    settle_letters(db)
    date_sent_letters(db)
    db.refresh_statistics()
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def _ready(db: Database, cases: int) -> bool:
    """Whether a database built earlier serves: upgraded, as many cases, letters settled."""
    upgrade(db)
    if count_cases(db) != cases:
        return False
    settled = settle_letters(db)
    if date_sent_letters(db) or settled:
        db.refresh_statistics()
    return True


def settle_letters(db: Database, seed: int = 1) -> bool:
    """Gives the demo letters (all drafts) the course letters take in a working department.

    Six in ten become determination, closure or acknowledgement letters that were
    finalised within 40 days of drafting, most of them sent, one in ten let go without
    an element the policy requires: so the compliance report's letter figures count
    something. Written as the database's owner, once: False when a letter was final already.
    """
    rng = random.Random(seed)
    sqlite = db.dialect == "sqlite"
    latest = datetime.now(UTC) - timedelta(hours=1)
    with db.transaction() as session:
        if session.scalar(text("SELECT count(*) FROM letters WHERE finalised_at IS NOT NULL")):
            return False
        changes = []
        for letter_id, created in session.execute(text("SELECT id, created_at FROM letters")):
            if rng.random() < 0.4:
                continue
            drafted = datetime.fromisoformat(created) if isinstance(created, str) else created
            drafted = drafted if drafted.tzinfo else drafted.replace(tzinfo=UTC)
            status = rng.choices(("finalised", "sent", "withdrawn", "approved"), (20, 70, 5, 5))[0]
            at = min(drafted + timedelta(hours=rng.uniform(1, 24 * 40)), latest)
            changes.append(
                {
                    "id": letter_id,
                    "key": rng.choices(
                        ("determination", "closure", "acknowledgement"), (45, 25, 30)
                    )[0],
                    "status": status,
                    "at": None
                    if status == "approved"
                    else (at.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else at),
                    "reason": "Details given by phone at the patient's wish."
                    if rng.random() < 0.1
                    else "",
                }
            )
        session.execute(
            text(
                "UPDATE letters SET template_key = :key, status = :status, finalised_at = :at,"
                " compliance_override = :reason WHERE id = :id"
            ),
            changes,
        )
    print(f"  {len(changes):,} letters given their course (finalised, sent, ...)", flush=True)
    return True


def date_sent_letters(db: Database, seed: int = 2) -> bool:
    """Gives each sent letter that has none the day it went: the day it was finalised or
    up to 3 days later, never after today, as a department records it on sending; so the
    committee report's "Response sent" says something. False when none lacked one."""
    rng = random.Random(seed)
    today, sqlite = date.today(), db.dialect == "sqlite"
    with db.transaction() as session:
        undated = session.execute(
            text(
                "SELECT id, finalised_at FROM letters WHERE status = 'sent'"
                " AND sent_on IS NULL AND finalised_at IS NOT NULL ORDER BY id"
            )
        ).all()
        changes = []
        for letter_id, finalised in undated:
            at = datetime.fromisoformat(finalised) if isinstance(finalised, str) else finalised
            at = at if at.tzinfo else at.replace(tzinfo=UTC)
            sent = min(at.astimezone().date() + timedelta(days=rng.randint(0, 3)), today)
            changes.append({"id": letter_id, "sent_on": sent.isoformat() if sqlite else sent})
        if changes:
            session.execute(text("UPDATE letters SET sent_on = :sent_on WHERE id = :id"), changes)
    if changes:
        print(f"  {len(changes):,} sent letters given the day they went", flush=True)
    return bool(changes)


def sqlite_database(cases: int, *, reuse: bool) -> Database:
    path = Path("/tmp", f"bench-reports-{_size(cases)}.db")
    if path.exists() and reuse:
        db = Database(f"sqlite:///{path}")
        if _ready(db, cases):
            return db
        db.dispose()
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    db = Database(f"sqlite:///{path}")
    _fill(db, cases)
    return db


def postgres_database(server: URL, cases: int, *, reuse: bool) -> Database:
    name = "prdesk_bench_reports" + ("" if cases == 100_000 else f"_{_size(cases)}")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if exists and reuse:
                db = Database(server.set(database=name))
                if _ready(db, cases):
                    return db
                db.dispose()
            if exists:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    db = Database(server.set(database=name))
    _fill(db, cases)
    return db


def coordinator_login(owner: Database) -> Database:
    """The database as a coordinator's own login sees it (made once, kept with the database)."""
    login = f"{owner.url.database}_coordinator"
    with owner.engine.begin() as connection:
        if not connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}
        ).scalar():
            connection.execute(
                text(f'CREATE ROLE "{login}" LOGIN IN ROLE "{group_role(Role.COORDINATOR)}"')
            )
    return Database(owner.url.set(username=login))


def acting(db: Database) -> UserInfo:
    with db.transaction() as session:
        username = db.url.username if db.dialect == "postgresql" else getpass.getuser()
        return users.resolve_actor(
            session, username or getpass.getuser(), workstation_owner=db.dialect == "sqlite"
        )


def server_version(db: Database) -> str:
    with db.engine.connect() as connection:
        if db.dialect == "sqlite":
            return "SQLite " + str(connection.execute(text("SELECT sqlite_version()")).scalar())
        found = str(connection.execute(text("SHOW server_version")).scalar())
        return "PostgreSQL " + found.split()[0]


def add_database_options(parser: argparse.ArgumentParser) -> None:
    """The options both report benchmarks take to find their databases."""
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--cases", type=int, default=100_000, help="cases in each database")
    parser.add_argument(
        "--server", default=SERVER, help="a PostgreSQL login allowed to CREATE DATABASE"
    )
    parser.add_argument(
        "--as-owner", action="store_true", help="on PostgreSQL, read as the server login"
    )


def chosen_backends(args: argparse.Namespace) -> tuple[str, ...]:
    return ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)


@contextmanager
def opened(args: argparse.Namespace, backend: str) -> Iterator[tuple[Database, str]]:
    """The backend's benchmark database as the reports will read it, and who reads it."""
    if backend == "sqlite":
        db = sqlite_database(args.cases, reuse=args.reuse)
        try:
            yield db, "the workstation's own user"
        finally:
            db.dispose()
        return
    owner = postgres_database(make_url(args.server), args.cases, reuse=args.reuse)
    reader = owner if args.as_owner else coordinator_login(owner)
    try:
        yield (
            reader,
            (
                "the server login (row security bypassed)"
                if args.as_owner
                else f"the coordinator login {reader.url.username} (row security on)"
            ),
        )
    finally:
        if reader is not owner:
            reader.dispose()
        owner.dispose()
