"""Who else has a case open: viewing or editing, never oneself, never someone long gone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from prdesk.domain.database import Database
from prdesk.domain.models import CasePresence, utcnow
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import presence, users
from tests.support.builders import colleague, log_case

MINE, ANAS, TOMS = "PR Desk WS-0412 5120", "PR Desk WS-0977 812", "PR Desk WS-1001 77"


def _others(db: Database, case_id: int, client: str = MINE) -> list[tuple[str, str]]:
    with db.transaction(read_only=True) as session:
        return [(p.display_name, p.activity) for p in presence.others(session, case_id, client)]


def test_others_in_a_case_are_listed_editors_first_and_never_oneself(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    ana = colleague(db, "alopez", "Ana López")
    tom = colleague(db, "treed", "Tom Reed")
    with db.transaction() as session:
        presence.enter(session, coordinator, case.id, MINE)
        presence.enter(session, tom, case.id, TOMS)
        presence.enter(session, ana, case.id, ANAS, "a letter")

    assert _others(db, case.id) == [("Ana López", "a letter"), ("Tom Reed", "viewing")]
    assert ("María García", "viewing") in _others(db, case.id, client=ANAS)
    assert _others(db, log_case(db, coordinator).id) == []


def test_changing_activity_moves_since_and_a_heartbeat_does_not(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    ana = colleague(db, "alopez", "Ana López")
    with db.transaction() as session:
        presence.enter(session, ana, case.id, ANAS)
    with db.transaction(read_only=True) as session:
        (viewing,) = presence.others(session, case.id, MINE)
    with db.transaction() as session:
        presence.enter(session, ana, case.id, ANAS, "a timeline entry")
        presence.heartbeat(session, ana, ANAS, {case.id: "a timeline entry"})
    with db.transaction(read_only=True) as session:
        (editing,) = presence.others(session, case.id, MINE)

    assert editing.editing and not viewing.editing
    assert editing.since >= viewing.since
    with db.transaction(read_only=True) as session:
        rows = session.scalars(select(CasePresence)).all()
    assert len(rows) == 1  # one row per workstation and case, however often it says so


def test_someone_not_seen_for_90_seconds_has_gone_and_leaving_removes_at_once(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    ana = colleague(db, "alopez", "Ana López")
    tom = colleague(db, "treed", "Tom Reed")
    with db.transaction() as session:
        presence.enter(session, ana, case.id, ANAS)
        presence.enter(session, tom, case.id, TOMS)
        # Ana's workstation was switched off without closing PR Desk.
        session.execute(
            update(CasePresence)
            .where(CasePresence.client == ANAS)
            .values(seen_at=utcnow() - timedelta(seconds=91))
        )
    assert _others(db, case.id) == [("Tom Reed", "viewing")]

    with db.transaction() as session:
        presence.leave(session, TOMS, case.id)
    assert _others(db, case.id) == []


def test_a_heartbeat_puts_back_a_lost_row_and_skips_a_case_gone_meanwhile(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    ana = colleague(db, "alopez", "Ana López")
    with db.transaction() as session:
        # Ana's row for the case was never written (the connection dropped then), and
        # case 999999 no longer exists.
        presence.heartbeat(session, ana, ANAS, {999_999: "viewing", case.id: "a letter"})
    assert _others(db, case.id) == [("Ana López", "a letter")]


def test_opening_a_case_deleted_meanwhile_writes_nothing_and_raises_nothing(
    db: Database, coordinator: UserInfo
) -> None:
    """A case reopened at start, or opened from a list just as someone deleted it."""
    case = log_case(db, coordinator)
    ana = colleague(db, "alopez", "Ana López")
    with db.transaction() as session:
        presence.enter(session, ana, 999_999, ANAS)
        presence.enter(session, ana, case.id, ANAS)
    assert _others(db, case.id) == [("Ana López", "viewing")]
    with db.transaction(read_only=True) as session:
        assert session.scalars(
            select(CasePresence.case_id).where(CasePresence.client == ANAS)
        ).all() == [case.id]


@pytest.mark.postgresql
def test_on_a_shared_database_a_workstation_with_a_wrong_clock_is_still_seen(
    postgres_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = postgres_db
    with db.transaction() as session:
        coordinator = users.resolve_actor(session, "mgarcia", "María García")
    case = log_case(db, coordinator)
    ana = colleague(db, "alopez", "Ana López")
    # Ana's workstation clock is five minutes slow; this one's, and the server's, are right.
    with monkeypatch.context() as slow:
        slow.setattr(presence, "utcnow", lambda: utcnow() - timedelta(minutes=5))
        with db.transaction() as session:
            presence.enter(session, ana, case.id, ANAS)
    assert _others(db, case.id) == [("Ana López", "viewing")]
