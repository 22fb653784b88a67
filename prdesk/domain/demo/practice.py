"""The practice database: marked as such, and filled with made-up cases the first time it opens."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.models import Setting
from prdesk.domain.queries import count_cases
from prdesk.domain.services.organisation import PRACTICE_KEY

PRACTICE_CASES = 300
# Small batches, so the progress line moves while the cases are written.
_BATCH = 50


def prepare_practice(
    db: Database,
    cases: int = PRACTICE_CASES,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Marks `db` as the practice database and, when it holds no case, adds `cases` made-up ones.

    Returns how many cases were added (0 when it had some already). The mark makes
    every letter printed from it say that it is not real.
    """
    with db.transaction() as session:
        mark_practice(session)
        if count_cases(session):
            return 0
    generate_demo_data(db, cases, progress=progress, batch=_BATCH)
    return cases


def mark_practice(session: Session) -> None:
    """Marks the database as the practice one: its letters then say they are not real."""
    if not is_practice(session):
        session.add(Setting(key=PRACTICE_KEY, value=True))


def is_practice(session: Session) -> bool:
    """Whether the database is marked as holding made-up cases only."""
    return session.get(Setting, PRACTICE_KEY) is not None


def claim_for_demo_data(session: Session) -> int:
    """Marks the database as practice before made-up cases go into it, so that none of
    its letters passes for a real one; a database already holding cases that is not the
    practice one is left as it is.

    Returns how many cases stand in the way: 0 when the demo data may go in.
    """
    if not is_practice(session):
        existing = count_cases(session)
        if existing:
            return existing
    mark_practice(session)
    return 0
