"""The status workflow a case follows."""

import pytest

from prdesk.domain.enums import CaseStatus as S
from prdesk.domain.enums import LetterStatus
from prdesk.domain.errors import ValidationError
from prdesk.domain.workflow import check_closing, check_transition, next_statuses, response_sent


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


def test_a_case_can_be_withdrawn_from_any_open_status() -> None:
    for status in S:
        if status.is_open:
            assert S.WITHDRAWN in next_statuses(status, has_assignee=True), status
            assert S.WITHDRAWN in next_statuses(status, has_assignee=False), status


def test_a_finished_case_can_be_reopened_and_worked_again() -> None:
    for finished in (S.RESOLVED, S.CLOSED, S.WITHDRAWN):
        check_transition(finished, S.REOPENED, has_assignee=True)
    assert S.INVESTIGATING in next_statuses(S.REOPENED, has_assignee=True)
    with pytest.raises(ValidationError, match="cannot go from 'Withdrawn' to 'Investigating'"):
        check_transition(S.WITHDRAWN, S.INVESTIGATING, has_assignee=True)


def test_only_sent_letters_other_than_acknowledgements_count_as_the_response() -> None:
    assert not response_sent([])
    assert not response_sent([("acknowledgement", LetterStatus.SENT)])
    assert not response_sent([("still_investigating", LetterStatus.SENT)])
    assert not response_sent([("grievance_determination", LetterStatus.FINALISED)])
    assert response_sent(
        [("acknowledgement", LetterStatus.SENT), ("grievance_determination", LetterStatus.SENT)]
    )


def test_a_grievance_is_resolved_or_closed_only_after_its_response_is_sent() -> None:
    check_closing(
        S.CLOSED, is_grievance=True, responded=True, may_override=False, override_reason=""
    )
    check_closing(
        S.CLOSED, is_grievance=False, responded=False, may_override=False, override_reason=""
    )
    check_closing(
        S.INVESTIGATING, is_grievance=True, responded=False, may_override=False, override_reason=""
    )
    for finished in (S.RESOLVED, S.CLOSED):
        with pytest.raises(ValidationError, match="until its written response letter has been"):
            check_closing(
                finished, is_grievance=True, responded=False, may_override=False, override_reason=""
            )


def test_a_coordinator_closes_an_unanswered_grievance_only_with_a_reason() -> None:
    with pytest.raises(ValidationError, match="Give the reason") as raised:
        check_closing(
            S.CLOSED, is_grievance=True, responded=False, may_override=True, override_reason="  "
        )
    assert "closure_override_reason" in raised.value.fields
    check_closing(
        S.CLOSED,
        is_grievance=True,
        responded=False,
        may_override=True,
        override_reason="Patient withdrew by phone and asked for no letter.",
    )
