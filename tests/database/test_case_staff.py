"""The staff a case names are kept, one row each, in step with what "Staff involved" says."""

from __future__ import annotations

from sqlalchemy import text

from prdesk.domain.database import Database
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases
from prdesk.domain.services.case_input import CaseUpdate
from tests.support.builders import log_case, phone_complaint


def _named(db: Database, case_id: int) -> list[tuple[int, str, str]]:
    with db.transaction(read_only=True) as session:
        rows = session.execute(
            text("SELECT position, name, name_key FROM case_staff WHERE case_id = :c ORDER BY 1"),
            {"c": case_id},
        )
        return [(position, name, key) for position, name, key in rows]


def _update(db: Database, actor: UserInfo, case_id: int, staff: str) -> None:
    with db.transaction() as session:
        case = cases.view_case(session, actor, case_id, record_view=False)
        cases.update_case(session, actor, case_id, case.version, CaseUpdate(staff_involved=staff))


def test_the_names_typed_when_a_case_is_logged_are_kept_one_by_one(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, phone_complaint(staff_involved="Dr. O'Brien; Nurse Lee"))
    assert _named(db, case.id) == [(0, "Dr. O'Brien", "obrien"), (1, "Nurse Lee", "lee")]


def test_editing_staff_involved_replaces_the_names_and_clearing_it_removes_them(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, phone_complaint(staff_involved="Dr. O'Brien, Nurse Lee"))
    _update(db, coordinator, case.id, "Nurse Lee\nDr. Haddad")
    assert _named(db, case.id) == [(0, "Nurse Lee", "lee"), (1, "Dr. Haddad", "haddad")]
    # Another edit that leaves the field alone keeps the names.
    with db.transaction() as session:
        current = cases.view_case(session, coordinator, case.id, record_view=False)
        cases.update_case(
            session, coordinator, case.id, current.version, CaseUpdate(location="Ward 4")
        )
    assert [key for _, _, key in _named(db, case.id)] == ["lee", "haddad"]
    _update(db, coordinator, case.id, "  ")
    assert _named(db, case.id) == []


def test_one_person_spelled_two_ways_on_two_cases_is_one_name_key(
    db: Database, coordinator: UserInfo
) -> None:
    log_case(db, coordinator, phone_complaint(staff_involved="Dr. O'Brien"))
    log_case(db, coordinator, phone_complaint(staff_involved="dr obrien; Lee"))
    with db.transaction(read_only=True) as session:
        counted = session.execute(
            text("SELECT name_key, COUNT(*) FROM case_staff GROUP BY name_key ORDER BY name_key")
        ).all()
    assert [tuple(row) for row in counted] == [("lee", 1), ("obrien", 2)]
