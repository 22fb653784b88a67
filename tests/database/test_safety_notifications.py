"""A safety concern reaches every coordinator at once, as an unread notification."""

from __future__ import annotations

from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.enums import Role
from prdesk.domain.models import Notification, User
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases, notifications, users
from prdesk.domain.services.case_input import CaseUpdate
from tests.support.builders import log_case, phone_complaint


def _staff(db: Database) -> dict[str, UserInfo]:
    """A coordinator, a representative, a clerk and a disabled coordinator besides the admin."""
    people = {
        "lchen": ("Li Chen", Role.COORDINATOR, True),
        "jkim": ("Ji-woo Kim", Role.REPRESENTATIVE, True),
        "pclerk": ("Pat Clerk", Role.CLERK, True),
        "gone": ("Former Coordinator", Role.COORDINATOR, False),
    }
    with db.transaction() as session:
        for username, (name, role, active) in people.items():
            users.resolve_actor(session, username, name)
            user = session.scalar(select(User).where(User.username == username))
            assert user is not None
            user.role, user.active = role, active
    found = {}
    with db.transaction() as session:
        for username in ("lchen", "jkim"):
            found[username] = users.resolve_actor(session, username)
    return found


def _recipients(db: Database) -> list[str]:
    with db.transaction(read_only=True) as session:
        rows = session.scalars(
            select(User.username).join(Notification, Notification.recipient_id == User.id)
        )
        return sorted(rows)


def test_a_case_opened_with_a_safety_concern_notifies_the_other_coordinators(
    db: Database, coordinator: UserInfo
) -> None:
    staff = _staff(db)
    case = log_case(db, staff["jkim"], phone_complaint(safety_concern=True))
    assert _recipients(db) == ["lchen", "mgarcia"]  # not the clerk, not the disabled account

    with db.transaction(read_only=True) as session:
        unread = notifications.unread(session, staff["lchen"])
    assert unread.count == 1
    note = unread.newest[0]
    assert (note.case_id, note.case_number, note.kind) == (case.id, case.number, "safety_concern")
    assert note.message == f"Safety concern flagged on {case.number} by Ji-woo Kim"
    assert "emergency" not in note.message.lower()  # no health details


def test_the_one_who_flags_it_is_not_notified_and_a_plain_case_notifies_nobody(
    db: Database, coordinator: UserInfo
) -> None:
    _staff(db)
    log_case(db, coordinator)
    assert _recipients(db) == []
    log_case(db, coordinator, phone_complaint(safety_concern=True))
    assert _recipients(db) == ["lchen"]


def test_flagging_an_existing_case_notifies_once(db: Database, coordinator: UserInfo) -> None:
    staff = _staff(db)
    case = log_case(db, coordinator)
    with db.transaction() as session:
        case = cases.update_case(
            session, staff["jkim"], case.id, case.version, CaseUpdate(safety_concern=True)
        )
    assert _recipients(db) == ["lchen", "mgarcia"]
    with db.transaction() as session:
        cases.update_case(
            session, staff["jkim"], case.id, case.version, CaseUpdate(safety_concern=True)
        )
    assert _recipients(db) == ["lchen", "mgarcia"]  # already flagged: no second alarm


def test_marking_read_clears_only_ones_own(db: Database, coordinator: UserInfo) -> None:
    staff = _staff(db)
    log_case(db, staff["jkim"], phone_complaint(safety_concern=True))
    log_case(db, staff["jkim"], phone_complaint(safety_concern=True))
    with db.transaction() as session:
        first = notifications.unread(session, coordinator).newest[-1]
        assert notifications.mark_read(session, coordinator, [first.id]) == 1
    with db.transaction() as session:
        assert notifications.unread(session, coordinator).count == 1
        assert notifications.mark_read(session, coordinator) == 1
    with db.transaction(read_only=True) as session:
        assert notifications.unread(session, coordinator).count == 0
        assert notifications.unread(session, staff["lchen"]).count == 2
