"""Saved views: the built-in ones, and a person saving, renaming and deleting their own."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseStatus
from prdesk.domain.errors import ConflictError, PermissionDenied, ValidationError
from prdesk.domain.models import AuditEvent
from prdesk.domain.queries import CaseFilter, Due, Flag
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import saved_views, users

CARDIOLOGY_GRIEVANCES = CaseFilter(
    grievance=True,
    open_only=True,
    department_ids=frozenset({4}),
    due=frozenset({Due.OVERDUE, Due.DUE_SOON}),
    flags=frozenset({Flag.SAFETY_CONCERN}),
    search="smith",
)


def _names(db: Database, actor: UserInfo) -> list[str]:
    with db.transaction(read_only=True) as session:
        return [view.name for view in saved_views.views(session, actor)]


def test_everyone_has_the_built_in_views(db: Database, coordinator: UserInfo) -> None:
    assert _names(db, coordinator) == [
        "All cases",
        "Open cases",
        "My open cases",
        "Unassigned",
        "Due this week",
        "Overdue",
        "Grievances open more than 7 days",
        "Waiting on a department",
    ]
    built_in = {view.name: view.criteria for view in saved_views.BUILT_IN_VIEWS}
    assert built_in["Waiting on a department"].statuses == {CaseStatus.WAITING_ON_DEPARTMENT}
    assert built_in["Grievances open more than 7 days"] == CaseFilter(
        grievance=True, open_more_than_days=7
    )


def test_a_saved_view_comes_back_with_its_filter(db: Database, coordinator: UserInfo) -> None:
    with db.transaction() as session:
        saved = saved_views.save_view(
            session, coordinator, "  Cardiology   grievances ", CARDIOLOGY_GRIEVANCES
        )
    assert saved.name == "Cardiology grievances"
    with db.transaction(read_only=True) as session:
        mine = saved_views.views(session, coordinator)[-1]
    assert mine.name == "Cardiology grievances" and not mine.built_in
    # The typed search narrows whichever view is shown; it is not kept in the view.
    expected = replace(CARDIOLOGY_GRIEVANCES, search="")
    assert mine.criteria == expected
    with db.transaction(read_only=True) as session:
        logged = session.scalars(select(AuditEvent).where(AuditEvent.entity == "saved_view"))
        assert [event.action for event in logged] == ["create"]


def test_rename_and_delete_ones_own_view(db: Database, coordinator: UserInfo) -> None:
    with db.transaction() as session:
        saved = saved_views.save_view(session, coordinator, "Mine", CaseFilter(unassigned=True))
    assert saved.view_id is not None and saved.version is not None
    with db.transaction() as session:
        renamed = saved_views.rename_view(
            session, coordinator, saved.view_id, saved.version, "Nobody's"
        )
    assert "Nobody's" in _names(db, coordinator) and "Mine" not in _names(db, coordinator)
    # A stale copy (another window) cannot rename or delete over the newer name.
    with pytest.raises(ConflictError), db.transaction() as session:
        saved_views.delete_view(session, coordinator, saved.view_id, saved.version)
    assert renamed.version is not None
    with db.transaction() as session:
        saved_views.delete_view(session, coordinator, saved.view_id, renamed.version)
    assert "Nobody's" not in _names(db, coordinator)


def test_names_must_be_given_and_unique(db: Database, coordinator: UserInfo) -> None:
    with db.transaction() as session:
        saved_views.save_view(session, coordinator, "Radiology", CaseFilter(open_only=True))
    for name, field_problem in (
        ("   ", "required"),
        ("radiology", "taken"),
        ("overdue", "taken"),
        ("x" * 101, "too_long"),
    ):
        with pytest.raises(ValidationError) as raised, db.transaction() as session:
            saved_views.save_view(session, coordinator, name, CaseFilter())
        assert raised.value.fields == {"name": field_problem}
    assert _names(db, coordinator).count("Radiology") == 1


def test_views_are_personal(db: Database, coordinator: UserInfo) -> None:
    with db.transaction() as session:
        saved = saved_views.save_view(session, coordinator, "Mine", CaseFilter(unassigned=True))
        colleague = users.resolve_actor(session, "sokafor", "Samuel Okafor")
    assert "Mine" not in _names(db, colleague)
    with db.transaction() as session:
        # The same name is free for someone else.
        saved_views.save_view(session, colleague, "Mine", CaseFilter())
    assert saved.view_id is not None and saved.version is not None
    with pytest.raises(PermissionDenied), db.transaction() as session:
        saved_views.delete_view(session, colleague, saved.view_id, saved.version)
    assert "Mine" in _names(db, coordinator)
