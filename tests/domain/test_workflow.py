"""The status workflow a case follows."""

import pytest

from prdesk.domain.enums import CaseStatus as S
from prdesk.domain.errors import ValidationError
from prdesk.domain.workflow import check_transition, next_statuses


def test_a_new_case_must_be_assigned_before_work_starts() -> None:
    assert S.INVESTIGATING not in next_statuses(S.NEW, has_assignee=False)
    with pytest.raises(ValidationError, match="Assign the case"):
        check_transition(S.ASSIGNED, S.INVESTIGATING, has_assignee=False)


def test_an_assigned_case_moves_through_investigation_to_resolution() -> None:
    check_transition(S.ASSIGNED, S.INVESTIGATING, has_assignee=True)
    check_transition(S.INVESTIGATING, S.WAITING_ON_DEPARTMENT, has_assignee=True)
    check_transition(S.WAITING_ON_DEPARTMENT, S.RESOLVED, has_assignee=True)
    check_transition(S.RESOLVED, S.CLOSED, has_assignee=True)


def test_a_closed_case_can_only_be_reopened() -> None:
    assert next_statuses(S.CLOSED, has_assignee=True) == [S.REOPENED]
    with pytest.raises(ValidationError, match="cannot go from 'Closed' to 'New'"):
        check_transition(S.CLOSED, S.NEW, has_assignee=True)


def test_every_status_has_a_way_forward() -> None:
    for status in S:
        assert next_statuses(status, has_assignee=True), status
