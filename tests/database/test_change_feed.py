"""On the embedded database, what other PR Desks changed is read back from the audit trail."""

from __future__ import annotations

import pytest

from prdesk.domain.database import Database
from prdesk.domain.enums import TimelineKind
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases, change_feed, timeline, users
from prdesk.domain.services.change_feed import TableChange
from prdesk.domain.services.timeline import NewTimelineEntry
from tests.support.builders import log_case


@pytest.fixture
def maria(sqlite_db: Database) -> UserInfo:
    """The embedded database's first user (the feed is how it hears others: no NOTIFY)."""
    with sqlite_db.transaction() as session:
        return users.resolve_actor(session, "mgarcia", "María García")


def _since(db: Database, after: int, client: str) -> change_feed.FeedBatch:
    with db.transaction(read_only=True) as session:
        return change_feed.changes_since(session, after, client)


def _latest(db: Database) -> int:
    with db.transaction(read_only=True) as session:
        return change_feed.latest_audit_id(session)


def test_another_workstations_step_names_its_case_and_table(
    sqlite_db: Database, maria: UserInfo
) -> None:
    case = log_case(sqlite_db, maria)
    start = _latest(sqlite_db)
    sqlite_db.client = "PR Desk WS-0977 812"  # the same file, written from another PR Desk
    with sqlite_db.transaction() as session:
        timeline.add_entry(
            session, maria, case.id,
            NewTimelineEntry(TimelineKind.PHONE_CALL, "Called the daughter back"),
        )  # fmt: skip

    batch = _since(sqlite_db, start, "PR Desk WS-0412 5120")

    assert TableChange("timeline_entries", case.id) in batch.changes
    assert batch.last_id == _latest(sqlite_db) > start
    assert not batch.more
    assert _since(sqlite_db, batch.last_id, "PR Desk WS-0412 5120").changes == frozenset()


def test_a_workstations_own_changes_and_mere_openings_are_not_news_to_it(
    sqlite_db: Database, maria: UserInfo
) -> None:
    case = log_case(sqlite_db, maria)
    start = _latest(sqlite_db)
    with sqlite_db.transaction() as session:
        cases.view_case(session, maria, case.id)  # recorded as opened, by another PR Desk
    assert _since(sqlite_db, start, "PR Desk WS-0977 812").changes == frozenset()

    with sqlite_db.transaction() as session:
        timeline.add_entry(
            session, maria, case.id, NewTimelineEntry(TimelineKind.NOTE, "Left a message")
        )
    assert _since(sqlite_db, start, sqlite_db.client).changes == frozenset()


def test_a_burst_larger_than_one_read_is_read_in_turns(
    sqlite_db: Database, maria: UserInfo
) -> None:
    start = _latest(sqlite_db)
    first, second = log_case(sqlite_db, maria), log_case(sqlite_db, maria)
    with sqlite_db.transaction(read_only=True) as session:
        batch = change_feed.changes_since(session, start, "elsewhere", limit=2)
    first_read_was_partial = batch.more
    seen = set(batch.changes)
    reads = 1
    while batch.more:
        batch = _since(sqlite_db, batch.last_id, "elsewhere")
        seen |= batch.changes
        reads += 1
    assert first_read_was_partial and reads >= 2
    assert {TableChange("cases", first.id), TableChange("cases", second.id)} <= seen
