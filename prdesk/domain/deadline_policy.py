"""The department's deadline policy and the calendar arithmetic behind it (pure, no database).

A policy is data an administrator edits (stored as a Setting, see services/policy.py):
two clocks, to acknowledge and to respond, each with a length in calendar days, working
days or months, the cases it applies to and whether it stops while the department waits
on the patient; plus the holiday calendar that working days are counted against.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

import holidays

from prdesk.domain.enums import CaseKind, LabelledEnum
from prdesk.domain.errors import ValidationError


class Unit(LabelledEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"

    @property
    def label(self) -> str:
        return {"calendar_days": "calendar days", "working_days": "working days"}.get(
            self.value, self.value
        )


class AppliesTo(LabelledEnum):
    GRIEVANCES = "grievances"
    COMPLAINTS = "complaints"  # every complaint, grievance or not
    ALL_CASES = "all_cases"

    @property
    def label(self) -> str:
        return {"grievances": "Grievances", "complaints": "Complaints and grievances"}.get(
            self.value, "All cases"
        )

    def covers(self, kind: CaseKind, is_grievance: bool) -> bool:
        if self is AppliesTo.GRIEVANCES:
            return is_grievance
        if self is AppliesTo.COMPLAINTS:
            return kind is CaseKind.COMPLAINT or is_grievance
        return True


# The longest clocks an administrator may set: past these a typing slip is far likelier.
MAXIMUM_LENGTH = {Unit.CALENDAR_DAYS: 366, Unit.WORKING_DAYS: 260, Unit.MONTHS: 24}


@dataclass(frozen=True)
class Clock:
    length: int
    unit: Unit
    applies_to: AppliesTo = AppliesTo.ALL_CASES
    pauses_for_patient: bool = False

    def describe(self) -> str:
        unit = self.unit.label
        if self.length == 1:
            unit = {"calendar days": "calendar day", "working days": "working day"}.get(
                unit, "month"
            )
        return f"{self.length} {unit}"


class Preset(LabelledEnum):
    CMS = "cms"
    NHS = "nhs"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return {"cms": "US CMS", "nhs": "UK NHS", "custom": "Custom"}[self.value]


@dataclass(frozen=True)
class DeadlinePolicy:
    """Which clocks run on a case, and the calendar they count on.

    Attributes:
        acknowledge: the clock to acknowledge a case; it runs on the cases it applies to.
        respond: the clock for the (written) response. It runs on every case, whatever
            its kind: a compliment or a question is owed an answer too, and a deadline on
            every open case is what makes "due this week" and "overdue" mean something.
        country, subdivision: whose public holidays are not working days ("US", "CA").
        closure_days: the hospital's own days when the department is closed.
    """

    preset: Preset
    acknowledge: Clock
    respond: Clock
    country: str = "US"
    subdivision: str = ""
    closure_days: tuple[date, ...] = ()

    @property
    def calendar(self) -> HolidayCalendar:
        return holiday_calendar(self.country, self.subdivision, frozenset(self.closure_days))

    def to_json(self) -> dict[str, Any]:
        def clock(value: Clock) -> dict[str, Any]:
            return {
                "length": value.length,
                "unit": value.unit.value,
                "applies_to": value.applies_to.value,
                "pauses_for_patient": value.pauses_for_patient,
            }

        return {
            "preset": self.preset.value,
            "acknowledge": clock(self.acknowledge),
            "respond": clock(self.respond),
            "country": self.country,
            "subdivision": self.subdivision,
            "closure_days": [day.isoformat() for day in sorted(self.closure_days)],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DeadlinePolicy:
        """The stored policy; anything missing or unreadable falls back to the CMS preset's."""
        base = CMS_POLICY

        def clock(value: Any, default: Clock) -> Clock:
            if not isinstance(value, Mapping):
                return default
            try:
                return Clock(
                    length=int(value.get("length", default.length)),
                    unit=Unit(value.get("unit", default.unit)),
                    applies_to=AppliesTo(value.get("applies_to", default.applies_to)),
                    pauses_for_patient=bool(
                        value.get("pauses_for_patient", default.pauses_for_patient)
                    ),
                )
            except (TypeError, ValueError):
                return default

        days = []
        for text in data.get("closure_days", ()) or ():
            try:
                days.append(date.fromisoformat(str(text)))
            except ValueError:
                continue
        try:
            preset = Preset(data.get("preset", Preset.CUSTOM))
        except ValueError:
            preset = Preset.CUSTOM
        return cls(
            preset=preset,
            acknowledge=clock(data.get("acknowledge"), base.acknowledge),
            respond=clock(data.get("respond"), base.respond),
            country=str(data.get("country") or base.country),
            subdivision=str(data.get("subdivision") or ""),
            closure_days=tuple(sorted(set(days))),
        )


# 42 CFR 482.13(a)(2) and SOM Appendix A: a grievance is acknowledged (or the patient told it
# is still being worked on) within 7 days; the written response time frame is the hospital's
# own, 30 days by default. Waiting on the patient stops the response clock.
CMS_POLICY = DeadlinePolicy(
    preset=Preset.CMS,
    acknowledge=Clock(7, Unit.CALENDAR_DAYS, AppliesTo.GRIEVANCES, pauses_for_patient=False),
    respond=Clock(30, Unit.CALENDAR_DAYS, AppliesTo.ALL_CASES, pauses_for_patient=True),
    country="US",
)
# NHS Complaints Regulations 2009: acknowledge within 3 working days, respond within 6 months.
NHS_POLICY = DeadlinePolicy(
    preset=Preset.NHS,
    acknowledge=Clock(3, Unit.WORKING_DAYS, AppliesTo.COMPLAINTS, pauses_for_patient=False),
    respond=Clock(6, Unit.MONTHS, AppliesTo.ALL_CASES, pauses_for_patient=True),
    country="GB",
    subdivision="ENG",
)
PRESETS = {Preset.CMS: CMS_POLICY, Preset.NHS: NHS_POLICY}
DEFAULT_POLICY = CMS_POLICY


def matching_preset(policy: DeadlinePolicy) -> Preset:
    """The preset whose clocks and country the policy has (closure days aside), else custom."""
    for preset, model in PRESETS.items():
        if replace(policy, preset=preset, closure_days=()) == replace(model, closure_days=()):
            return preset
    return Preset.CUSTOM


def supported_countries() -> dict[str, tuple[str, ...]]:
    """Country codes the holiday calendar knows, with their subdivision codes."""
    return {code: tuple(subs) for code, subs in holidays.list_supported_countries().items()}


def subdivision_names(country: str) -> dict[str, str]:
    """A country's subdivisions with their own holidays, by code ("ENG": "England")."""
    try:
        calendar_class = holidays.country_holidays(country, years=[])
    except NotImplementedError:
        return {}
    names: dict[str, str] = {}
    for alias, code in calendar_class.subdivisions_aliases.items():
        names.setdefault(code, alias)  # the first alias is the name in the country's language
    return {code: names.get(code, code) for code in calendar_class.subdivisions}


def validate_policy(policy: DeadlinePolicy) -> None:
    """Raises ValidationError naming each field that cannot be accepted."""
    errors: dict[str, str] = {}
    for name, clock in (("acknowledge", policy.acknowledge), ("respond", policy.respond)):
        limit = MAXIMUM_LENGTH[clock.unit]
        if not 1 <= clock.length <= limit:
            errors[f"{name}.length"] = f"Give a length from 1 to {limit} {clock.unit.label}."
    if policy.respond.applies_to is not AppliesTo.ALL_CASES:
        errors["respond.applies_to"] = (
            "The response clock runs on every case, so that every open case has a deadline."
        )
    countries = supported_countries()
    if policy.country not in countries:
        errors["country"] = f"There is no holiday calendar for the country '{policy.country}'."
    elif policy.subdivision and policy.subdivision not in countries[policy.country]:
        errors["subdivision"] = (
            f"'{policy.subdivision}' is not a region of {policy.country} with its own holidays."
        )
    if errors:
        raise ValidationError.from_fields(errors)


class HolidayCalendar:
    """Which days the department works: not the weekend, a public holiday or a closure day.

    Attributes:
        country, subdivision: whose public holidays apply ("US", "CA").
        closure_days: the hospital's own closed days.
        weekend: the weekday numbers of the country's weekend (5, 6 in most).
    """

    def __init__(self, country: str, subdivision: str, closure_days: frozenset[date]) -> None:
        self.country, self.subdivision, self.closure_days = country, subdivision, closure_days
        # Raises NotImplementedError for an unknown country or subdivision.
        probe = holidays.country_holidays(country, subdiv=subdivision or None, years=[])
        self.weekend = frozenset(probe.weekend)
        self._closed_by_year: dict[int, frozenset[date]] = {}

    def is_working_day(self, day: date) -> bool:
        if day.weekday() in self.weekend:
            return False
        return day not in self._closed(day.year)

    def _closed(self, year: int) -> frozenset[date]:
        closed = self._closed_by_year.get(year)
        if closed is None:
            # Each year is looked up once: counting is then a set lookup per day, which
            # keeps 100,000 demo cases fast.
            public = holidays.country_holidays(
                self.country, subdiv=self.subdivision or None, years=year
            )
            closed = frozenset(public) | {d for d in self.closure_days if d.year == year}
            self._closed_by_year[year] = closed
        return closed

    def next_working_day(self, day: date) -> date:
        """The day itself when the department works that day, else the next day it does."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days from `start` (included) up to `end` (excluded)."""
        count, day = 0, start
        while day < end:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count


@cache
def holiday_calendar(
    country: str, subdivision: str, closure_days: frozenset[date]
) -> HolidayCalendar:
    return HolidayCalendar(country, subdivision, closure_days)


def add_working_days(start: date, count: int, cal: HolidayCalendar) -> date:
    """The day `count` working days after `start`; `start` itself is never counted.

    A case received on a Saturday and due in 3 working days is due on Wednesday
    (Monday, Tuesday, Wednesday), the same as one received on the Friday.
    """
    day = start
    while count > 0:
        day += timedelta(days=1)
        if cal.is_working_day(day):
            count -= 1
    return day


def add_months(start: date, count: int) -> date:
    """The same day `count` months later, or that month's last day (31 Jan + 1 = 28 Feb)."""
    month_index = start.month - 1 + count
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(clock: Clock, start: date, cal: HolidayCalendar) -> date:
    """When a clock started on `start` runs out.

    A calendar-day or month clock that ends on a day the department is closed runs to
    the next working day, as statutory time limits do: nobody can answer on a closed day.
    """
    if clock.unit is Unit.WORKING_DAYS:
        return add_working_days(start, clock.length, cal)
    if clock.unit is Unit.MONTHS:
        return cal.next_working_day(add_months(start, clock.length))
    return cal.next_working_day(start + timedelta(days=clock.length))


def extend_for_pause(
    clock: Clock, due: date, paused_on: date, resumed_on: date, cal: HolidayCalendar
) -> tuple[date, int]:
    """The due date pushed back by the time the clock stood still, and that time.

    The time is counted in the clock's own unit: working days for a working-day clock
    (a paused weekend costs nothing), calendar days otherwise (a month clock included:
    three weeks of waiting are three weeks, not "a month").
    """
    if resumed_on <= paused_on or paused_on >= due:
        # A clock that had already run out before it stopped owes nothing back: the
        # case stays late.
        return due, 0
    if clock.unit is Unit.WORKING_DAYS:
        paused = cal.working_days_between(paused_on, resumed_on)
        return add_working_days(due, paused, cal), paused
    paused = (resumed_on - paused_on).days
    return cal.next_working_day(due + timedelta(days=paused)), paused


def pause_length(clock: Clock, days: int) -> str:
    """ "7 days" or "5 working days", as a timeline entry says how long a clock stood still."""
    unit = "working day" if clock.unit is Unit.WORKING_DAYS else "day"
    return f"{days} {unit}{'' if days == 1 else 's'}"
