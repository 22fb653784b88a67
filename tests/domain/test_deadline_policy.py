"""Deadline arithmetic: working days, holidays, closure days, months, pauses and the presets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from prdesk.domain import deadlines
from prdesk.domain.deadline_policy import (
    CMS_POLICY,
    NHS_POLICY,
    AppliesTo,
    Clock,
    DeadlinePolicy,
    Preset,
    Unit,
    add_months,
    add_working_days,
    due_date,
    extend_for_pause,
    holiday_calendar,
    matching_preset,
    validate_policy,
)
from prdesk.domain.deadlines import AcknowledgementMethod, CaseClock
from prdesk.domain.enums import CaseKind, CaseStatus
from prdesk.domain.errors import ValidationError

US = holiday_calendar("US", "", frozenset())
ENGLAND = holiday_calendar("GB", "ENG", frozenset())


def test_working_days_skip_the_weekend() -> None:
    # Thursday 5 Nov 2026 + 3 working days: Friday, Monday, Tuesday.
    assert add_working_days(date(2026, 11, 5), 3, US) == date(2026, 11, 10)
    assert add_working_days(date(2026, 11, 5), 0, US) == date(2026, 11, 5)


def test_a_case_received_on_a_weekend_counts_from_the_next_working_day() -> None:
    saturday, friday = date(2026, 11, 14), date(2026, 11, 13)
    assert add_working_days(saturday, 3, US) == date(2026, 11, 18)  # Mon, Tue, Wed
    assert add_working_days(friday, 3, US) == date(2026, 11, 18)


def test_public_holidays_are_not_working_days() -> None:
    # Thanksgiving (Thursday 26 Nov 2026) is skipped.
    assert add_working_days(date(2026, 11, 25), 1, US) == date(2026, 11, 27)
    # England: Christmas Friday, Boxing Day substituted on Monday 28 Dec.
    assert add_working_days(date(2026, 12, 24), 3, ENGLAND) == date(2026, 12, 31)


def test_a_case_received_on_a_holiday_counts_from_the_next_working_day() -> None:
    thanksgiving = date(2026, 11, 26)
    assert add_working_days(thanksgiving, 2, US) == date(2026, 11, 30)  # Fri 27, Mon 30


def test_the_hospitals_own_closure_days_count_as_holidays() -> None:
    closed = holiday_calendar("US", "", frozenset({date(2026, 11, 27)}))
    assert add_working_days(date(2026, 11, 25), 1, closed) == date(2026, 11, 30)


def test_a_subdivision_brings_its_own_holidays() -> None:
    scotland = holiday_calendar("GB", "SCT", frozenset())
    # St Andrew's Day, Monday 30 Nov 2026, is a holiday in Scotland only.
    assert scotland.is_working_day(date(2026, 11, 30)) is False
    assert ENGLAND.is_working_day(date(2026, 11, 30)) is True


def test_a_calendar_day_clock_ending_on_a_closed_day_runs_to_the_next_working_day() -> None:
    seven_days = Clock(7, Unit.CALENDAR_DAYS)
    assert due_date(seven_days, date(2026, 11, 2), US) == date(2026, 11, 9)  # a Monday
    # Received Thursday 19 Nov: the 7th day is Thanksgiving, so Friday 27 Nov.
    assert due_date(seven_days, date(2026, 11, 19), US) == date(2026, 11, 27)
    # Received Saturday 31 Oct: the 7th day is a Saturday, so Monday 9 Nov.
    assert due_date(seven_days, date(2026, 10, 31), US) == date(2026, 11, 9)


def test_months_end_on_the_same_day_or_the_months_last() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 15), 6) == date(2027, 2, 15)
    # 6 months from 28 Jun 2026 is Monday 28 Dec 2026, England's Boxing Day substitute.
    assert due_date(Clock(6, Unit.MONTHS), date(2026, 6, 28), ENGLAND) == date(2026, 12, 29)


def test_pausing_moves_a_calendar_clock_by_the_days_paused() -> None:
    clock = Clock(30, Unit.CALENDAR_DAYS)
    due, paused = extend_for_pause(
        clock, date(2026, 12, 10), date(2026, 11, 20), date(2026, 11, 27), US
    )
    assert (due, paused) == (date(2026, 12, 17), 7)
    # Pushed onto a Saturday, it runs to Monday.
    assert extend_for_pause(clock, date(2026, 12, 12), date(2026, 11, 20), date(2026, 11, 27), US)[
        0
    ] == date(2026, 12, 21)


def test_a_clock_that_ran_out_before_it_was_paused_stays_late() -> None:
    clock = Clock(30, Unit.CALENDAR_DAYS)
    late = date(2026, 11, 20)
    assert extend_for_pause(clock, late, date(2026, 11, 23), date(2026, 11, 30), US) == (late, 0)


def test_pausing_moves_a_working_day_clock_by_the_working_days_paused() -> None:
    clock = Clock(20, Unit.WORKING_DAYS)
    # Paused Friday 20 Nov to Friday 27 Nov: Fri, Mon, Tue, Wed (Thanksgiving excluded) = 4.
    due, paused = extend_for_pause(
        clock, date(2026, 12, 3), date(2026, 11, 20), date(2026, 11, 27), US
    )
    assert paused == 4
    assert due == date(2026, 12, 9)


def test_resuming_the_same_day_moves_nothing() -> None:
    clock = Clock(30, Unit.CALENDAR_DAYS)
    assert extend_for_pause(
        clock, date(2026, 12, 12), date(2026, 11, 20), date(2026, 11, 20), US
    ) == (
        date(2026, 12, 12),
        0,
    )


def test_cms_acknowledges_grievances_and_every_case_gets_a_response_date() -> None:
    received = date(2026, 11, 2)
    grievance = deadlines.opened(CMS_POLICY, received, kind=CaseKind.COMPLAINT, is_grievance=True)
    compliment = deadlines.opened(
        CMS_POLICY, received, kind=CaseKind.COMPLIMENT, is_grievance=False
    )
    assert grievance == CaseClock(date(2026, 11, 9), None, date(2026, 12, 2), None)
    assert compliment.acknowledge_due_on is None
    assert compliment.response_due_on == date(2026, 12, 2)


def test_nhs_acknowledges_every_complaint_in_three_working_days() -> None:
    received = date(2026, 12, 24)
    clock = deadlines.opened(NHS_POLICY, received, kind=CaseKind.COMPLAINT, is_grievance=False)
    assert clock.acknowledge_due_on == date(2026, 12, 31)
    assert clock.response_due_on == date(2027, 6, 24)


def test_the_running_deadline_is_the_acknowledgement_then_the_response() -> None:
    clock = CaseClock(date(2026, 11, 9), None, date(2026, 12, 2), None)
    assert deadlines.running_due(CaseStatus.NEW, clock, CMS_POLICY) == date(2026, 11, 9)
    done = deadlines.acknowledged(clock, date(2026, 11, 4), AcknowledgementMethod.PHONE)
    assert deadlines.running_due(CaseStatus.INVESTIGATING, done.clock, CMS_POLICY) == date(
        2026, 12, 2
    )
    assert done.notes == ("Acknowledged by phone on 4 Nov 2026; response due 2 Dec 2026",)
    for finished in (CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
        assert deadlines.running_due(finished, done.clock, CMS_POLICY) is None


def test_waiting_on_the_patient_stops_the_response_clock_and_resuming_moves_it() -> None:
    clock = CaseClock(date(2026, 11, 9), date(2026, 11, 4), date(2026, 12, 12), None)
    stopped = deadlines.paused(clock, CMS_POLICY, date(2026, 11, 20))
    assert stopped.clock.clock_paused_on == date(2026, 11, 20)
    assert deadlines.running_due(CaseStatus.WAITING_ON_PATIENT, stopped.clock, CMS_POLICY) is None
    going = deadlines.resumed(stopped.clock, CMS_POLICY, date(2026, 11, 27))
    assert going.clock.response_due_on == date(2026, 12, 21)  # 19 Dec is a Saturday
    assert going.clock.clock_paused_on is None
    assert going.notes == (
        "Response due date moved from 12 Dec 2026 to 21 Dec 2026: "
        "clock paused 7 days waiting on the patient",
    )


def test_a_clock_that_does_not_pause_keeps_running() -> None:
    policy = replace(CMS_POLICY, respond=replace(CMS_POLICY.respond, pauses_for_patient=False))
    clock = CaseClock(None, None, date(2026, 12, 12), None)
    assert deadlines.paused(clock, policy, date(2026, 11, 20)).clock == clock


def test_an_unacknowledged_case_keeps_its_acknowledgement_clock_while_waiting() -> None:
    clock = CaseClock(date(2026, 11, 9), None, date(2026, 12, 2), None)
    stopped = deadlines.paused(clock, CMS_POLICY, date(2026, 11, 5)).clock
    # CMS's acknowledgement clock does not pause: it is still the deadline running.
    assert deadlines.running_due(CaseStatus.WAITING_ON_PATIENT, stopped, CMS_POLICY) == date(
        2026, 11, 9
    )


def test_reopening_restarts_the_response_clock_from_today() -> None:
    clock = CaseClock(date(2026, 3, 9), date(2026, 3, 4), date(2026, 4, 1), None)
    change = deadlines.reopened(clock, CMS_POLICY, date(2026, 11, 2))
    assert change.clock.response_due_on == date(2026, 12, 2)
    assert change.notes == (
        "Response due date moved from 1 Apr 2026 to 2 Dec 2026: "
        "case reopened, 30 calendar days to respond from today",
    )


def test_becoming_a_grievance_makes_an_acknowledgement_due() -> None:
    received = date(2026, 11, 2)
    clock = deadlines.opened(CMS_POLICY, received, kind=CaseKind.COMPLAINT, is_grievance=False)
    change = deadlines.reclassified(
        clock, CMS_POLICY, received, kind=CaseKind.COMPLAINT, is_grievance=True
    )
    assert change.clock.acknowledge_due_on == date(2026, 11, 9)
    assert change.notes[0].startswith("Acknowledgement due date set to 9 Nov 2026")
    back = deadlines.reclassified(
        change.clock, CMS_POLICY, received, kind=CaseKind.COMPLAINT, is_grievance=False
    )
    assert back.clock.acknowledge_due_on is None
    assert back.notes[0].startswith("Acknowledgement no longer due (was due 9 Nov 2026)")


def test_a_policy_survives_being_stored_and_read_back() -> None:
    policy = replace(NHS_POLICY, preset=Preset.CUSTOM, closure_days=(date(2026, 12, 24),))
    assert DeadlinePolicy.from_json(policy.to_json()) == policy
    assert matching_preset(policy) is Preset.NHS
    assert matching_preset(replace(CMS_POLICY, respond=Clock(20, Unit.CALENDAR_DAYS))) is (
        Preset.CUSTOM
    )
    # A damaged setting never stops a case from being opened.
    assert DeadlinePolicy.from_json({"respond": {"unit": "fortnights"}}).respond == (
        CMS_POLICY.respond
    )


@pytest.mark.parametrize(
    ("policy", "field", "message"),
    [
        (
            replace(CMS_POLICY, respond=Clock(0, Unit.CALENDAR_DAYS)),
            "respond.length",
            "from 1 to 366",
        ),
        (replace(CMS_POLICY, acknowledge=Clock(30, Unit.MONTHS)), "acknowledge.length", "1 to 24"),
        (
            replace(CMS_POLICY, respond=Clock(30, Unit.CALENDAR_DAYS, AppliesTo.GRIEVANCES)),
            "respond.applies_to",
            "every case",
        ),
        (replace(CMS_POLICY, country="XX"), "country", "no holiday calendar"),
        (replace(CMS_POLICY, subdivision="ZZ"), "subdivision", "'ZZ' is not a region"),
    ],
)
def test_a_policy_that_cannot_work_is_refused_with_a_reason(
    policy: DeadlinePolicy, field: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as raised:
        validate_policy(policy)
    assert field in raised.value.fields
