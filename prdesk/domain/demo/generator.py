"""Planning demo cases: the hospital they come to, who raised them, and each step taken since.

The hospital's letterhead, departments, categories and staff are set up once. Planning is then
pure (a seeded random generator in, plain rows out), so the same seed on the same day gives the
same cases. Ids and case numbers are added when a batch is written.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import InitVar, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate, pairwise
from typing import Any

from prdesk.domain import deadlines
from prdesk.domain.classification import IntakeFacts, classify
from prdesk.domain.deadline_policy import DeadlinePolicy, add_working_days
from prdesk.domain.deadlines import AcknowledgementMethod, ClockChange
from prdesk.domain.demo import names, stories
from prdesk.domain.demo.hospital import Organisation
from prdesk.domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    Determination,
    Role,
    Severity,
    TimelineKind,
)
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services.department_requests import WORKING_DAYS_TO_ANSWER

S, T = CaseStatus, TimelineKind
_KINDS, _CHANNELS = tuple(CaseKind), tuple(Channel)
_STATUSES, _SEVERITIES = tuple(S), tuple(Severity)
_RESOLVING = (S.RESOLVED, S.CLOSED)
_DETERMINATIONS, _DETERMINATION_WEIGHTS = tuple(Determination), (30, 35, 35)
# Cumulative weights, in each enum's order: complaints and phone calls are the most common.
_KIND_CUM = list(accumulate((46, 14, 12, 8, 12, 8)))
_CHANNEL_CUM = list(accumulate((34, 20, 7, 10, 12, 11, 6)))
# Spoken cases come in office hours and are logged at once; written ones at any hour.
_SPOKEN = frozenset({Channel.PHONE, Channel.WALK_IN, Channel.STAFF_REFERRAL})
# Status weights by a case's age in days: recent cases are being worked, old ones closed;
# a few come back (reopened) or are withdrawn by the person who raised them.
_STATUS_BY_AGE = (
    (3, list(accumulate((49, 30, 19, 0, 0, 0, 0, 0, 2)))),
    (14, list(accumulate((10, 15, 32, 15, 12, 10, 3, 1, 2)))),
    (45, list(accumulate((0, 3, 19, 12, 8, 24, 29, 3, 2)))),
    (float("inf"), list(accumulate((0, 0, 2, 1, 1, 5, 86, 2, 3)))),
)
# How acknowledgements go out, by weight, in AcknowledgementMethod's order.
_HOW_CUM = list(accumulate((40, 35, 20, 5)))
_HOW = tuple(AcknowledgementMethod)
# Kinds that need no investigation: they go from assigned straight to resolved or closed.
_QUICK = frozenset({CaseKind.COMPLIMENT, CaseKind.INFORMATION_REQUEST, CaseKind.OTHER_FEEDBACK})
# Steps that a response letter may cite as "what we did on your behalf".
_FACING = frozenset({T.STAFF_INTERVIEW, T.RECORD_REVIEW, T.MEETING, T.DEPARTMENT_RESPONSE})
_STEP_COUNTS = (2, 3, 3, 4, 4, 5, 6)
_CASEWORKERS = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.REPRESENTATIVE})
_ANSWER = T.DEPARTMENT_RESPONSE


@dataclass(eq=False)
class PersonDraft:
    """A `people` row to insert; `id` is set when its batch is written."""

    row: dict[str, Any]
    is_patient: bool
    created_at: InitVar[datetime]
    id: int | None = None

    def __post_init__(self, created_at: datetime) -> None:
        self.row.update(id=None, created_at=created_at, version=1)


@dataclass
class CasePlan:
    """One case, planned.

    Attributes:
        row: its `cases` columns, all but the id, number, people and search text.
        entries: its `timeline_entries` rows, all but the case id (and their ids).
        letter_at: when an acknowledgement letter was drafted, if one was.
        requests: its `department_requests` rows, pointing at entries by their place in
            `entries` (request, response, escalation) until the entries have ids.
    """

    row: dict[str, Any]
    patient: PersonDraft
    complainant: PersonDraft | None
    creator: UserInfo
    assignee: UserInfo | None = None
    department_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    entries: tuple[dict[str, Any], ...] = ()
    letter_at: datetime | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)


def _addressed(name: str, email: str) -> str:
    """As a request entry names its addressee (see services/department_requests.py)."""
    return f"{name} <{email}>" if name and email else name or email


def reference_time(today: date) -> datetime:
    """Local midnight starting `today`. Nothing generated is later, so nothing is in the future."""
    return datetime.combine(today, time()).astimezone(UTC)


class Planner:
    """Draws cases one by one from a seeded random generator."""

    def __init__(
        self, rng: random.Random, org: Organisation, today: date, policy: DeadlinePolicy
    ) -> None:
        self.rng, self.org, self.today, self.policy = rng, org, today, policy
        self.reference = reference_time(today)
        # Users kept from an earlier run may have had their role changed since.
        self.workers = [u for u in org.staff if u.active and u.role in _CASEWORKERS]
        coordinators = [u for u in self.workers if u.role is Role.COORDINATOR]
        self.coordinator = (coordinators or self.workers)[0]
        # Patients come back: some cases are about someone the department already knows.
        self.recent_patients: deque[PersonDraft] = deque(maxlen=500)
        # Review outcomes from a generator of their own, seeded from this one's state without
        # drawing from it, so that a seed gives the same cases as before outcomes were kept.
        self.verdicts = random.Random(rng.getstate()[1][0])

    def arrivals(self, count: int) -> list[tuple[datetime, Channel]]:
        """When and how `count` cases came in over about two years, oldest first.

        Volume grows toward today, and a tenth lands in the last two weeks so that
        every stage of the workflow has cases in it.
        """
        rng, found = self.rng, []
        for _ in range(count):
            age = rng.uniform(1, 14) if rng.random() < 0.1 else 1 + 729 * (1 - rng.random() ** 0.5)
            channel = rng.choices(_CHANNELS, cum_weights=_CHANNEL_CUM)[0]
            hours = rng.uniform(8, 18) if channel in _SPOKEN else rng.uniform(0, 24)
            local = datetime.combine(self.today - timedelta(days=int(age)), time())
            received = (local + timedelta(hours=hours)).astimezone(UTC)
            found.append((received.replace(microsecond=0), channel))
        found.sort(key=lambda arrival: arrival[0])
        return found

    def plan(self, received_at: datetime, channel: Channel) -> CasePlan:
        rng = self.rng
        minutes = rng.randint(2, 30) if channel in _SPOKEN else rng.randint(10, 18 * 60)
        created_at = min(received_at + timedelta(minutes=minutes), self.reference)
        kind = rng.choices(_KINDS, cum_weights=_KIND_CUM)[0]
        row: dict[str, Any] = dict(
            kind=kind, channel=channel, received_at=received_at, created_at=created_at,
            complainant_relationship=None, disclosure_basis=None, grievance_overridden=False,
            version=1,
        )  # fmt: skip
        complainant, phrase = None, None
        if self.recent_patients and rng.random() < 0.08:
            patient = rng.choice(self.recent_patients)
        else:
            person, raiser = names.patient_and_raiser(rng, self.today, rng.random() < 0.3)
            patient = PersonDraft(person, True, created_at)
            self.recent_patients.append(patient)
            if raiser is not None:
                complainant, phrase = PersonDraft(raiser.row, False, created_at), raiser.phrase
                row["complainant_relationship"] = raiser.relationship
                row["disclosure_basis"] = raiser.disclosure_basis
        child = (created_at.date() - patient.row["date_of_birth"]).days < 18 * 365
        told = stories.tell(rng, kind, phrase, child)
        categories = [told.story.category]
        if kind is CaseKind.COMPLAINT and rng.random() < 0.3:
            categories.append(("Communication", "Lack of information"))
        plan = CasePlan(row, patient, complainant, rng.choice(self.workers))
        plan.department_ids = tuple(self.org.departments[name] for name in told.departments)
        plan.category_ids = tuple(dict.fromkeys(self.org.categories[c] for c in categories))
        self._describe(row, told)
        self._work(plan, told)
        return plan

    def _describe(self, row: dict[str, Any], told: stories.Told) -> None:
        rng, story = self.rng, told.story
        severity = rng.choices(_SEVERITIES, story.severity)[0]
        facts = IntakeFacts(
            kind=row["kind"],
            channel=row["channel"],
            resolved_at_once=rng.random() < 0.3,
            billing_only=story.billing_only,
            written_response_requested=rng.random() < 0.15,
            needs_investigation=rng.random() < 0.4,
        )
        verdict = classify(facts)
        row.update(
            description=told.description,
            desired_outcome=told.desired_outcome,
            location=told.location,
            staff_involved=told.staff_involved,
            severity=severity,
            safety_concern=rng.random() < story.safety + 0.3 * (severity is Severity.SEVERE),
            behavioural_alert=rng.random() < 0.02,
            is_grievance=verdict.is_grievance,
            grievance_reason=verdict.reason,
        )

    def _work(self, plan: CasePlan, told: stories.Told) -> None:
        """Status, assignee and timeline, each status move one the workflow allows."""
        rng, row = self.rng, plan.row
        start: datetime = row["created_at"]
        age_days = (self.reference - row["received_at"]).total_seconds() / 86400
        weights = next(cum for limit, cum in _STATUS_BY_AGE if age_days < limit)
        status = row["status"] = rng.choices(_STATUSES, cum_weights=weights)[0]
        path = [S.NEW] if status is S.NEW else [S.NEW, S.ASSIGNED]
        if status not in path and (status.is_open or row["kind"] not in _QUICK):
            path += [S.INVESTIGATING, S.RESOLVED] if status is S.CLOSED else [S.INVESTIGATING]
        if status is S.REOPENED:
            # Back after a resolution, or after it was closed too.
            path += [S.RESOLVED, S.CLOSED] if rng.random() < 0.6 else [S.RESOLVED]
        path += [] if status in path else [status]
        plan.assignee = None if status is S.NEW else rng.choice(self.workers)
        end = self.reference
        if not status.is_open:
            days = rng.uniform(3, 35) if row["is_grievance"] else rng.uniform(0.1, 10)
            end = min(start + timedelta(days=days), self.reference)
        moves = list(pairwise(path))
        # Assignment and the start of the investigation come first, closing moves last.
        lead = [move for move in moves if move[1] in (S.ASSIGNED, S.INVESTIGATING)]
        steps = self._steps(plan, told, 3 if status is S.NEW else rng.choice(_STEP_COUNTS))
        events: list[Any] = [*lead, *steps, *moves[len(lead) :]]
        span = int((end - start).total_seconds())
        times = [start + timedelta(seconds=s) for s in sorted(rng.randint(0, span) for _ in events)]
        entries: list[dict[str, Any]] = []
        for when, event in zip(times, events, strict=True):
            recorded = min(when + timedelta(seconds=rng.randint(0, 5400)), self.reference)
            if isinstance(event[0], CaseStatus):
                # The coordinator assigns; whoever has the case moves it on from there.
                author = self.coordinator if event[1] is S.ASSIGNED else plan.assignee
                kind, body, facing, internal = T.STATUS_CHANGE, "", False, True
                summary = f"Status changed from {event[0].label} to {event[1].label}"
            else:
                kind, summary, body = event
                author = plan.assignee if plan.assignee and rng.random() < 0.85 else plan.creator
                facing = kind in _FACING and rng.random() < 0.6
                noted = kind is T.NOTE and (rng.random() < 0.5 or "alert" in summary)
                internal = noted or kind is T.ESCALATION
            author_id = (author or plan.creator).id
            entries.append(
                dict(kind=kind, occurred_at=when, recorded_at=recorded, author_id=author_id,
                     summary=summary, body=body, patient_facing=facing, internal=internal,
                     version=1)
            )  # fmt: skip
        entries += self._deadlines(plan, times[-1])
        self._requests(plan, entries)
        plan.entries = tuple(entries)
        last_change = max(entry["recorded_at"] for entry in entries)
        if row["kind"] is not CaseKind.COMPLIMENT and rng.random() < 0.48:
            # Drafted by whoever has the case, once they have it.
            drafted = times[0] if lead else start
            plan.letter_at = min(drafted + timedelta(seconds=rng.randint(300, 36000)), end)
            last_change = max(last_change, plan.letter_at)
        resolving = [
            when
            for when, event in zip(times, events, strict=True)
            if isinstance(event[0], CaseStatus)
            and event[1] in _RESOLVING
            and event[0] not in _RESOLVING
        ]
        finished = status in _RESOLVING
        judged = finished and row["kind"] is CaseKind.COMPLAINT
        row.update(
            resolved_at=resolving[-1] if finished and resolving else None,
            determination=(
                self.verdicts.choices(_DETERMINATIONS, _DETERMINATION_WEIGHTS)[0]
                if judged
                else None
            ),
            assignee_id=plan.assignee.id if plan.assignee else None,
            created_by_id=plan.creator.id,
            updated_at=last_change,
            closed_at=times[-1] if status is S.CLOSED else None,
            closure_override_reason="",
        )

    def _deadlines(self, plan: CasePlan, last_event: datetime) -> list[dict[str, Any]]:
        """The deadline columns, from the policy as open_case and the status moves set them,
        and the timeline entries those would have written (acknowledged, paused, reopened)."""
        rng, row, policy = self.rng, plan.row, self.policy
        status, received = row["status"], deadlines.received_on(row["received_at"])
        change = ClockChange(
            deadlines.opened(policy, received, kind=row["kind"], is_grievance=row["is_grievance"])
        )
        entries: list[dict[str, Any]] = []

        def note(change: ClockChange, at: datetime) -> None:
            author = (plan.assignee or plan.creator).id
            for summary in change.notes:
                entries.append(
                    dict(kind=T.STATUS_CHANGE, occurred_at=at, recorded_at=at, author_id=author,
                         summary=summary, body="", patient_facing=False, internal=True, version=1)
                )  # fmt: skip

        due = change.clock.acknowledge_due_on
        if due is not None and rng.random() < (0.1 if status is S.NEW else 0.85):
            # Mostly within the time allowed, now and then a few days late.
            latest = (due - received).days + (3 if rng.random() < 0.1 else 0)
            on = min(received + timedelta(days=rng.randint(0, max(latest, 0))), self.today)
            at = datetime.combine(on, time(9)).astimezone(UTC) + timedelta(
                minutes=rng.randint(0, 8 * 60)
            )
            at = min(max(at, row["received_at"] + timedelta(minutes=5)), self.reference)
            how = rng.choices(_HOW, cum_weights=_HOW_CUM)[0]
            change = deadlines.acknowledged(change.clock, at.astimezone().date(), how)
            note(change, at)
        moved_on = last_event.astimezone().date()
        if status is S.WAITING_ON_PATIENT:
            change = deadlines.paused(change.clock, policy, moved_on)
            note(change, last_event)
        elif status is S.REOPENED:
            change = deadlines.reopened(change.clock, policy, moved_on)
            note(change, last_event)
        clock = change.clock
        row.update(
            acknowledge_due_on=clock.acknowledge_due_on,
            acknowledged_on=clock.acknowledged_on,
            response_due_on=clock.response_due_on,
            clock_paused_on=clock.clock_paused_on,
            due_on=deadlines.running_due(status, clock, policy),
        )
        return entries

    def _requests(self, plan: CasePlan, entries: list[dict[str, Any]]) -> None:
        """Ties a request for a statement to the department's response, if one came; on an
        open case a request still waits, and one long overdue may have been escalated."""
        rng, kinds = self.rng, [entry["kind"] for entry in entries]
        if T.DEPARTMENT_REQUEST not in kinds or not plan.department_ids:
            return
        asked = kinds.index(T.DEPARTMENT_REQUEST)
        answer = next((i for i in range(asked + 1, len(kinds)) if kinds[i] is _ANSWER), None)
        if answer is None and not plan.row["status"].is_open:
            return  # a note of a request made by telephone, long settled
        contacts = self.org.contacts[plan.department_ids[0]]
        request = entries[asked]
        request["departments"] = [contacts.id]
        request["recipients"] = _addressed(contacts.manager_name, contacts.manager_email)
        requested_on = request["occurred_at"].astimezone().date()
        row: dict[str, Any] = dict(
            department_id=contacts.id, request=asked, response=None, escalation=None,
            addressed_to=contacts.manager_name, addressed_email=contacts.manager_email,
            backup_reviewer=contacts.backup_name, backup_email=contacts.backup_email,
            due_on=add_working_days(requested_on, WORKING_DAYS_TO_ANSWER, self.policy.calendar),
            answered_at=None, escalated_at=None, version=1,
        )  # fmt: skip
        if answer is not None:
            entries[answer]["departments"] = [contacts.id]
            entries[answer]["sender"] = request["recipients"]
            row.update(response=answer, answered_at=entries[answer]["occurred_at"])
        elif (
            contacts.backup_name
            and row["due_on"] < self.today - timedelta(days=2)
            and rng.random() < 0.5
        ):
            at = datetime.combine(row["due_on"] + timedelta(days=1), time(10))
            at = min(at.astimezone(UTC) + timedelta(minutes=rng.randint(0, 300)), self.reference)
            summary = (
                f"Escalated to {contacts.backup_name} — {contacts.name} has not answered "
                f"the request of {deadlines.long_date(requested_on)}"
            )
            entries.append(
                dict(kind=T.ESCALATION, occurred_at=at, recorded_at=at,
                     author_id=request["author_id"], summary=summary, body="",
                     patient_facing=False, internal=True, version=1, departments=[contacts.id],
                     recipients=_addressed(contacts.backup_name, contacts.backup_email))
            )  # fmt: skip
            row.update(escalation=len(entries) - 1, escalated_at=at)
        plan.requests.append(row)

    def _steps(self, plan: CasePlan, told: stories.Told, count: int) -> list[stories.Step]:
        """Investigation steps in the order they are usually taken."""
        rng, row = self.rng, plan.row
        pool = stories.COMPLIMENT_STEPS if row["kind"] is CaseKind.COMPLIMENT else stories.STEPS
        chosen = sorted(rng.sample(range(len(pool)), min(count, len(pool))))
        steps = [pool[index] for index in chosen]
        if row["safety_concern"]:
            steps[0] = stories.ESCALATION
        if row["behavioural_alert"]:
            steps[-1] = stories.ALERT_NOTE
        addressee = (plan.complainant or plan.patient).row
        contact = addressee["salutation_name"] or addressee["full_name"]
        slots = {"contact": contact, "dept": told.departments[0], "staff": told.staff}
        return [
            (kind, text.format_map(slots), body.format_map(slots)) for kind, text, body in steps
        ]
