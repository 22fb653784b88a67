"""The case list's read side: every filter, every sort and the windows of rows, on both backends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, CaseStatus, Channel
from prdesk.domain.models import Case
from prdesk.domain.queries import (
    CaseFilter,
    Due,
    Flag,
    SortKey,
    Viewpoint,
    count_cases,
    list_cases,
)
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases, organisation, users
from tests.support.builders import log_case, phone_complaint

TODAY = date(2026, 11, 25)  # a Wednesday


@dataclass(frozen=True)
class Desk:
    """Four cases a coordinator might see on a Wednesday, and who works them."""

    me: UserInfo
    colleague: UserInfo
    cardiology: int
    radiology: int
    communication: int
    rudeness: int


def _received(days_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time()).replace(
        hour=12, tzinfo=UTC
    )


def _set(db: Database, case_id: int, **values: object) -> None:
    # Deadlines and statuses as the policy and workflow would have left them by today.
    with db.transaction() as session:
        session.execute(update(Case).where(Case.id == case_id).values(**values))


@pytest.fixture
def desk(db: Database, coordinator: UserInfo) -> Desk:
    with db.transaction() as session:
        colleague = users.resolve_actor(session, "sokafor", "Samuel Okafor")
        cardiology = organisation.ensure_department(session, "Cardiology")
        radiology = organisation.ensure_department(session, "Radiology")
        communication = organisation.ensure_category(session, "Communication")
        rudeness = organisation.ensure_category(session, "Communication", "Rudeness")
    anna = log_case(
        db,
        coordinator,
        phone_complaint(
            "Anna Bell",
            received_at=_received(1),
            department_ids=(cardiology,),
            category_ids=(rudeness,),
            safety_concern=True,
            resolved_at_once=True,  # so not a grievance
            assignee_id=coordinator.id,
        ),
    )
    ben = log_case(
        db,
        coordinator,
        phone_complaint(
            "Ben Chu",
            channel=Channel.LETTER,
            received_at=_received(12),
            department_ids=(radiology,),
            behavioural_alert=True,
        ),
    )
    carla = log_case(
        db,
        coordinator,
        phone_complaint(
            "Carla Diaz",
            kind=CaseKind.INFORMATION_REQUEST,
            channel=Channel.EMAIL,
            received_at=_received(30),
            assignee_id=colleague.id,
        ),
    )
    dora = log_case(
        db,
        coordinator,
        phone_complaint("Dora Evans", received_at=_received(40), resolved_at_once=True),
    )
    _set(db, anna.id, due_on=TODAY + timedelta(days=1), acknowledged_on=None)
    _set(db, ben.id, due_on=TODAY + timedelta(days=4))  # Sunday: this week, not soon
    _set(db, carla.id, due_on=TODAY - timedelta(days=2), status=CaseStatus.WAITING_ON_DEPARTMENT)
    _set(db, dora.id, due_on=None, status=CaseStatus.CLOSED)
    return Desk(coordinator, colleague, cardiology, radiology, communication, rudeness)


def _patients(db: Database, case_filter: CaseFilter, me: UserInfo) -> list[str]:
    view = Viewpoint(TODAY, me.id)
    with db.transaction(read_only=True) as session:
        rows = list_cases(session, case_filter, sort=SortKey.PATIENT, descending=False, view=view)
        assert count_cases(session, case_filter, view) == len(rows)
    return [row.patient_name for row in rows]


FILTERS: list[tuple[str, CaseFilter, list[str]]] = [
    ("everything", CaseFilter(), ["Anna Bell", "Ben Chu", "Carla Diaz", "Dora Evans"]),
    ("open", CaseFilter(open_only=True), ["Anna Bell", "Ben Chu", "Carla Diaz"]),
    (
        "status",
        CaseFilter(statuses=frozenset({CaseStatus.WAITING_ON_DEPARTMENT, CaseStatus.CLOSED})),
        ["Carla Diaz", "Dora Evans"],
    ),
    ("kind", CaseFilter(kinds=frozenset({CaseKind.INFORMATION_REQUEST})), ["Carla Diaz"]),
    (
        "channel",
        CaseFilter(channels=frozenset({Channel.LETTER, Channel.EMAIL})),
        ["Ben Chu", "Carla Diaz"],
    ),
    ("grievance", CaseFilter(grievance=True), ["Ben Chu"]),
    ("flag safety", CaseFilter(flags=frozenset({Flag.SAFETY_CONCERN})), ["Anna Bell"]),
    ("flag behaviour", CaseFilter(flags=frozenset({Flag.BEHAVIOURAL_ALERT})), ["Ben Chu"]),
    ("overdue", CaseFilter(due=frozenset({Due.OVERDUE})), ["Carla Diaz"]),
    ("due soon", CaseFilter(due=frozenset({Due.DUE_SOON})), ["Anna Bell"]),
    ("due this week", CaseFilter(due=frozenset({Due.DUE_THIS_WEEK})), ["Anna Bell", "Ben Chu"]),
    (
        "overdue or soon",
        CaseFilter(due=frozenset({Due.OVERDUE, Due.DUE_SOON})),
        ["Anna Bell", "Carla Diaz"],
    ),
    (
        "received from",
        CaseFilter(received_from=TODAY - timedelta(days=12)),
        ["Anna Bell", "Ben Chu"],
    ),
    (
        "received to",
        CaseFilter(received_to=TODAY - timedelta(days=30)),
        ["Carla Diaz", "Dora Evans"],
    ),
    (
        "received between",
        CaseFilter(
            received_from=TODAY - timedelta(days=30), received_to=TODAY - timedelta(days=12)
        ),
        ["Ben Chu", "Carla Diaz"],
    ),
    ("open more than 7 days", CaseFilter(open_more_than_days=7), ["Ben Chu", "Carla Diaz"]),
    ("search", CaseFilter(search="carla"), ["Carla Diaz"]),
    (
        "search and kind",
        CaseFilter(search="chu", kinds=frozenset({CaseKind.COMPLAINT})),
        ["Ben Chu"],
    ),
    ("hostile search", CaseFilter(search="\"' OR 1=1 -- *)"), []),
]


@pytest.mark.parametrize(
    ("criteria", "expected"), [f[1:] for f in FILTERS], ids=[f[0] for f in FILTERS]
)
def test_each_filter_finds_its_cases(
    db: Database, desk: Desk, criteria: CaseFilter, expected: list[str]
) -> None:
    assert _patients(db, criteria, desk.me) == expected


def test_people_departments_and_categories(db: Database, desk: Desk) -> None:
    me = desk.me
    assert _patients(db, CaseFilter(assigned_to_me=True), me) == ["Anna Bell"]
    assert _patients(db, CaseFilter(unassigned=True), me) == ["Ben Chu", "Dora Evans"]
    assert _patients(db, CaseFilter(assignee_ids=frozenset({desk.colleague.id})), me) == [
        "Carla Diaz"
    ]
    # Choices within one criterion are alternatives: mine or nobody's.
    assert _patients(db, CaseFilter(assigned_to_me=True, unassigned=True), me) == [
        "Anna Bell",
        "Ben Chu",
        "Dora Evans",
    ]
    # "Mine" means nothing to a viewer the query does not know.
    with db.transaction(read_only=True) as session:
        assert count_cases(session, CaseFilter(assigned_to_me=True), Viewpoint(TODAY)) == 0
    assert _patients(db, CaseFilter(department_ids=frozenset({desk.radiology})), me) == ["Ben Chu"]
    departments = frozenset({desk.radiology, desk.cardiology})
    assert _patients(db, CaseFilter(department_ids=departments), me) == ["Anna Bell", "Ben Chu"]
    # A parent category finds the cases filed under its subcategories.
    for category in (desk.communication, desk.rudeness):
        found = _patients(db, CaseFilter(category_ids=frozenset({category})), me)
        assert found == ["Anna Bell"]


def test_criteria_of_different_kinds_all_apply(db: Database, desk: Desk) -> None:
    combined = CaseFilter(
        open_only=True,
        due=frozenset({Due.DUE_THIS_WEEK}),
        flags=frozenset({Flag.BEHAVIOURAL_ALERT}),
    )
    assert _patients(db, combined, desk.me) == ["Ben Chu"]
    assert _patients(db, CaseFilter(grievance=True, assigned_to_me=True), desk.me) == []


@pytest.mark.parametrize("key", list(SortKey))
def test_every_column_sorts_both_ways_with_a_stable_window(
    db: Database, desk: Desk, key: SortKey
) -> None:
    view = Viewpoint(TODAY, desk.me.id)
    with db.transaction(read_only=True) as session:
        forward = [r.id for r in list_cases(session, sort=key, descending=False, view=view)]
        backward = [r.id for r in list_cases(session, sort=key, descending=True, view=view)]
        windows = [
            r.id
            for offset in range(0, 4, 3)
            for r in list_cases(
                session, sort=key, descending=False, offset=offset, limit=3, view=view
            )
        ]
    assert sorted(forward) == sorted(backward) and len(forward) == 4
    assert windows == forward  # pages join up with no case twice or missing
    if key in (SortKey.PATIENT, SortKey.RECEIVED):
        assert forward == backward[::-1]


def test_due_sorts_nearest_first_with_no_deadline_last(db: Database, desk: Desk) -> None:
    with db.transaction(read_only=True) as session:
        rows = list_cases(session, sort=SortKey.DUE, descending=False)
    assert [row.patient_name for row in rows] == [
        "Carla Diaz",
        "Anna Bell",
        "Ben Chu",
        "Dora Evans",
    ]


def test_a_row_carries_the_version_that_guards_acting_from_the_list(
    db: Database, desk: Desk
) -> None:
    with db.transaction(read_only=True) as session:
        carla = next(r for r in list_cases(session) if r.patient_name == "Carla Diaz")
    with db.transaction() as session:
        detail = cases.assign_case(session, desk.me, carla.id, carla.version, desk.me.id)
    assert detail.assignee is not None and detail.assignee.id == desk.me.id
    with db.transaction(read_only=True) as session:
        after = next(r for r in list_cases(session) if r.patient_name == "Carla Diaz")
    assert after.version == detail.version > carla.version


def test_filters_survive_a_round_trip_through_json() -> None:
    criteria = CaseFilter(
        statuses=frozenset({CaseStatus.NEW}),
        kinds=frozenset({CaseKind.COMPLAINT}),
        channels=frozenset({Channel.PHONE}),
        grievance=False,
        assignee_ids=frozenset({3, 1}),
        unassigned=True,
        assigned_to_me=True,
        department_ids=frozenset({2}),
        category_ids=frozenset({5}),
        received_from=date(2026, 1, 1),
        received_to=date(2026, 2, 1),
        open_more_than_days=0,
        due=frozenset({Due.OVERDUE}),
        flags=frozenset({Flag.SAFETY_CONCERN}),
        open_only=True,
    )
    assert CaseFilter.from_json(criteria.to_json()) == criteria
    # A criterion from another version, or a value this one does not know, is left out.
    assert CaseFilter.from_json(
        {"statuses": ["on_hold"], "colour": "red", "flags": ["safety_concern"]}
    ) == CaseFilter(flags=frozenset({Flag.SAFETY_CONCERN}))
