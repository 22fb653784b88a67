"""A case's deadlines under the policy: set when it opens, stopped, restarted and moved (pure).

Each function takes the case's clock as it is and returns it as it becomes, with a
sentence for every date that moved, which the service writes on the case's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from prdesk.domain.deadline_policy import (
    DEFAULT_POLICY,
    DeadlinePolicy,
    due_date,
    extend_for_pause,
    pause_length,
)
from prdesk.domain.enums import FINISHED_STATUSES, CaseKind, CaseStatus, LabelledEnum

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class AcknowledgementMethod(LabelledEnum):
    """How the complainant was told their case was received."""

    LETTER = "letter"
    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in_person"


@dataclass(frozen=True)
class CaseClock:
    """The deadline columns of a case."""

    acknowledge_due_on: date | None = None
    acknowledged_on: date | None = None
    response_due_on: date | None = None
    clock_paused_on: date | None = None

    @property
    def awaiting_acknowledgement(self) -> bool:
        return self.acknowledge_due_on is not None and self.acknowledged_on is None


@dataclass(frozen=True)
class ClockChange:
    """A clock as it becomes, and what moved (one sentence per moved date)."""

    clock: CaseClock
    notes: tuple[str, ...] = ()


def long_date(day: date) -> str:
    """ "12 Dec 2026": unambiguous in every locale, for text stored on the timeline."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def received_on(received_at: datetime) -> date:
    """The day a case came in, in the workstation's calendar: clocks count whole days."""
    return received_at.astimezone().date()


def opened(
    policy: DeadlinePolicy, received: date, *, kind: CaseKind, is_grievance: bool
) -> CaseClock:
    """The deadlines of a case received on `received`."""
    cal = policy.calendar
    acknowledge = None
    if policy.acknowledge.applies_to.covers(kind, is_grievance):
        acknowledge = due_date(policy.acknowledge, received, cal)
    return CaseClock(
        acknowledge_due_on=acknowledge, response_due_on=due_date(policy.respond, received, cal)
    )


def running_due(status: CaseStatus, clock: CaseClock, policy: DeadlinePolicy) -> date | None:
    """The deadline running now: acknowledge until acknowledged, then respond.

    None once the case is finished, and while the running clock is paused.
    """
    if status in FINISHED_STATUSES:
        return None
    paused = clock.clock_paused_on is not None
    if clock.awaiting_acknowledgement:
        return (
            None if paused and policy.acknowledge.pauses_for_patient else clock.acknowledge_due_on
        )
    return None if paused and policy.respond.pauses_for_patient else clock.response_due_on


def paused(clock: CaseClock, policy: DeadlinePolicy, today: date) -> ClockChange:
    """The case starts waiting on the patient: the clocks that pause for it stop today."""
    stops = policy.respond.pauses_for_patient or (
        clock.awaiting_acknowledgement and policy.acknowledge.pauses_for_patient
    )
    if not stops or clock.clock_paused_on is not None:
        return ClockChange(clock)
    return ClockChange(
        replace(clock, clock_paused_on=today),
        (f"Clock paused on {long_date(today)} while waiting on the patient",),
    )


def resumed(clock: CaseClock, policy: DeadlinePolicy, today: date) -> ClockChange:
    """The wait is over: each stopped clock's due date moves by the time it stood still."""
    paused_on = clock.clock_paused_on
    if paused_on is None:
        return ClockChange(clock)
    cal, notes = policy.calendar, []
    acknowledge, response = clock.acknowledge_due_on, clock.response_due_on
    if clock.awaiting_acknowledgement and policy.acknowledge.pauses_for_patient:
        assert acknowledge is not None
        acknowledge, days = extend_for_pause(policy.acknowledge, acknowledge, paused_on, today, cal)
        if acknowledge != clock.acknowledge_due_on:
            notes.append(
                _moved("Acknowledgement", clock.acknowledge_due_on, acknowledge)
                + f": clock paused {pause_length(policy.acknowledge, days)} waiting on the patient"
            )
    if response is not None and policy.respond.pauses_for_patient:
        response, days = extend_for_pause(policy.respond, response, paused_on, today, cal)
        if response != clock.response_due_on:
            notes.append(
                _moved("Response", clock.response_due_on, response)
                + f": clock paused {pause_length(policy.respond, days)} waiting on the patient"
            )
    if not notes:
        notes.append(f"Clock restarted on {long_date(today)}; no due date moved")
    new = replace(
        clock, acknowledge_due_on=acknowledge, response_due_on=response, clock_paused_on=None
    )
    return ClockChange(new, tuple(notes))


def reopened(clock: CaseClock, policy: DeadlinePolicy, today: date) -> ClockChange:
    """A finished case comes back: a full response period runs again from today.

    The complainant is owed a considered answer to what they came back with, so the
    response clock restarts rather than resuming where it stopped (often long past).
    An acknowledgement never given is owed from today too.
    """
    cal, notes = policy.calendar, []
    response = due_date(policy.respond, today, cal)
    acknowledge = clock.acknowledge_due_on
    if clock.awaiting_acknowledgement:
        acknowledge = due_date(policy.acknowledge, today, cal)
        if acknowledge != clock.acknowledge_due_on:
            notes.append(_moved("Acknowledgement", clock.acknowledge_due_on, acknowledge))
    if response != clock.response_due_on:
        notes.append(
            _moved("Response", clock.response_due_on, response)
            + f": case reopened, {policy.respond.describe()} to respond from today"
        )
    new = replace(
        clock, acknowledge_due_on=acknowledge, response_due_on=response, clock_paused_on=None
    )
    return ClockChange(new, tuple(notes))


def reclassified(
    clock: CaseClock,
    policy: DeadlinePolicy,
    received: date,
    *,
    kind: CaseKind,
    is_grievance: bool,
) -> ClockChange:
    """The case became (or stopped being) a grievance: which clocks apply is decided anew.

    The response due date is the policy's for every case, so it stays; the
    acknowledgement is owed (from the day received) only where its clock applies.
    """
    if clock.acknowledged_on is not None:
        return ClockChange(clock)
    fresh = opened(policy, received, kind=kind, is_grievance=is_grievance)
    if fresh.acknowledge_due_on == clock.acknowledge_due_on:
        return ClockChange(clock)
    if fresh.acknowledge_due_on is None:
        note = (
            f"Acknowledgement no longer due (was due {long_date(clock.acknowledge_due_on)}): "
            "the policy's acknowledgement clock does not apply to this case now"
            if clock.acknowledge_due_on
            else ""
        )
    else:
        note = _moved("Acknowledgement", clock.acknowledge_due_on, fresh.acknowledge_due_on)
        note += f": {policy.acknowledge.describe()} from the day received now apply"
    new = replace(clock, acknowledge_due_on=fresh.acknowledge_due_on)
    return ClockChange(new, (note,) if note else ())


def acknowledged(clock: CaseClock, on: date, how: AcknowledgementMethod) -> ClockChange:
    """The complainant was told their case was received."""
    when = f"{how.label.lower()} on {long_date(on)}"
    if clock.acknowledged_on is not None:
        note = f"Acknowledgement corrected to {when} (was {long_date(clock.acknowledged_on)})"
    else:
        note = f"Acknowledged by {when}"
        late = clock.acknowledge_due_on is not None and on > clock.acknowledge_due_on
        if late:
            assert clock.acknowledge_due_on is not None
            note += f", after it was due on {long_date(clock.acknowledge_due_on)}"
        if clock.response_due_on is not None:
            note += f"; response due {long_date(clock.response_due_on)}"
    return ClockChange(replace(clock, acknowledged_on=on), (note,))


def _moved(what: str, before: date | None, after: date | None) -> str:
    if before is None and after is not None:
        return f"{what} due date set to {long_date(after)}"
    if before is not None and after is not None:
        return f"{what} due date moved from {long_date(before)} to {long_date(after)}"
    return f"{what} no longer due"


def response_due(received_at: datetime, policy: DeadlinePolicy = DEFAULT_POLICY) -> date:
    """When a response to a case received at `received_at` is due under `policy`."""
    return due_date(policy.respond, received_on(received_at), policy.calendar)
