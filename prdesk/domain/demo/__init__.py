"""`prdesk demo-data`: realistic fictional cases, people, timelines and letters, written fast.

`generate_demo_data` plans cases with a seeded random generator (generator.py, drawing on
names.py and stories.py) and writes them with executemany inserts, a transaction per batch:
the ORM would take many minutes for 100,000 cases. Ids are reserved up front.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from operator import itemgetter
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from prdesk.domain import letter_templates, models, search_index
from prdesk.domain.case_numbers import format_case_number
from prdesk.domain.database import Database
from prdesk.domain.deadline_policy import Preset
from prdesk.domain.demo import names
from prdesk.domain.demo.generator import CasePlan, Planner
from prdesk.domain.demo.hospital import prepare_organisation
from prdesk.domain.enums import LetterStatus, TimelineKind
from prdesk.domain.letter_templates import RenderedLetter
from prdesk.domain.merge_fields import MergeSources, merge_values
from prdesk.domain.models.base import UtcDateTime
from prdesk.domain.models.cases import sort_name
from prdesk.domain.readmodels import CaseDetail, Letterhead
from prdesk.domain.search_text import case_search_text
from prdesk.domain.services.case_staff import staff_rows
from prdesk.domain.services.mapping import person_info
from prdesk.domain.services.organisation import letterhead
from prdesk.domain.services.policy import deadline_policy

__all__ = ["BATCH_SIZE", "DemoSummary", "generate_demo_data"]

BATCH_SIZE = 2000
_Rows = dict[str, list[dict[str, Any]]]  # rows to insert, by table
# What the search column holds of each person: the same fields cases.py gives it.
_SEARCHED = itemgetter("full_name", "medical_record_number", "phone", "email")


@dataclass(frozen=True)
class DemoSummary:
    """What one run added (cases to letters), and the reference data the cases use."""

    cases: int
    people: int
    timeline_entries: int
    letters: int
    users: int
    departments: int
    categories: int


def generate_demo_data(
    db: Database,
    cases: int,
    *,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH_SIZE,
) -> DemoSummary:
    """Adds `cases` fictional cases, with their people, timelines and draft letters.

    The same seed on the same day gives the same data. Running it again on the same
    database adds more: numbers continue, and departments, categories and users are
    reused. A database that already has cases gets a seed derived from their count too,
    so a second run does not repeat the first one's patients. `progress(done, total)` is
    called after each batch of `batch` cases (smaller batches: a livelier progress line).
    The schema must be in place (`schema.ensure_ready`).
    """
    if cases < 0:
        raise ValueError("the number of cases cannot be negative")
    if batch < 1:
        raise ValueError("a batch holds at least one case")
    with db.transaction() as session:
        org = prepare_organisation(session)
        policy = deadline_policy(session)
        writer = _BatchWriter(letterhead(session), policy.preset)
        existing = session.scalar(select(func.count(models.Case.id))) or 0
    rng = random.Random(seed if not existing else f"{seed}/{existing}")
    planner = Planner(rng, org, date.today(), policy)
    arrivals = planner.arrivals(cases)
    for start in range(0, cases, batch):
        plans = [planner.plan(at, channel) for at, channel in arrivals[start : start + batch]]
        with db.transaction() as session:
            writer.write(session.connection(), plans)
        if progress is not None:
            progress(start + len(plans), cases)
    db.refresh_statistics()
    count = writer.counts
    return DemoSummary(
        cases, count["people"], count["timeline_entries"], count["letters"],
        len(org.staff), len(org.departments), len(org.categories),
    )  # fmt: skip


def _reserve_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """Ids for `count` new rows, which no concurrent insert can take as well.

    PostgreSQL hands them out from the table's sequence, which so never falls behind the ids
    in use. On SQLite the batch's transaction holds the write lock (BEGIN IMMEDIATE).
    """
    if connection.dialect.name == "postgresql":
        query = "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        return list(connection.scalars(text(query), {"table": table.name, "n": count}))
    highest = connection.scalar(select(func.max(table.c.id))) or 0
    return list(range(highest + 1, highest + count + 1))


def _reserve_numbers(connection: Connection, years: list[int]) -> list[str]:
    """Numbers for cases received in `years`, from the counters open_case takes them from."""
    counter, following = models.CaseNumberCounter, {}
    upsert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    for year, count in sorted(Counter(years).items()):
        connection.execute(upsert(counter).values(year=year, last_value=0).on_conflict_do_nothing())
        taken = connection.execute(
            update(counter)
            .where(counter.year == year)
            .values(last_value=counter.last_value + count)
            .returning(counter.last_value)
        ).scalar_one()
        following[year] = itertools.count(taken - count + 1)
    return [format_case_number(year, next(following[year])) for year in years]


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany at the driver, each value bound as SQLAlchemy would bind it.

    Core spends some 20 µs a row preparing parameters, more than the database takes to store
    it. Here each column's type gives its bind processor once, and an instant on SQLite gets
    its stored form in one C call. Columns the plan leaves out get their model default.
    """
    defaults = _defaults(table, rows[0])
    if defaults:
        rows = [{**defaults, **row} for row in rows]
    dialect, columns = connection.dialect, [table.c[name] for name in rows[0]]
    binders = [
        _sqlite_instant
        if dialect.name == "sqlite" and isinstance(column.type, UtcDateTime)
        else column.type.dialect_impl(dialect).bind_processor(dialect)
        for column in columns
    ]
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    pairs = [(column.name, bind) for column, bind in zip(columns, binders, strict=True)]
    values = [tuple(bind(row[n]) if bind else row[n] for n, bind in pairs) for row in rows]
    connection.exec_driver_sql(sql, values)


def _defaults(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for column in table.c:
        default = column.default
        if column.name in row or default is None or column.primary_key:
            continue
        if default.is_scalar:
            found[column.name] = default.arg  # type: ignore[attr-defined]
        elif default.is_callable and column.name != "version":
            found[column.name] = default.arg(None)  # type: ignore[attr-defined]
    return found


def _sqlite_instant(value: datetime | None) -> str | None:
    """The text SQLAlchemy stores for an instant on SQLite: UTC, no offset, microseconds."""
    return None if value is None else value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


class _BatchWriter:
    """Turns planned cases into rows and inserts them, one batch per call."""

    def __init__(self, head: Letterhead, preset: Preset) -> None:
        self.letters = _Acknowledgements(head, preset)
        self.counts: Counter[str] = Counter()  # rows written so far, by table

    def write(self, connection: Connection, plans: list[CasePlan]) -> None:
        # A returning patient is in the database already, or earlier in this batch.
        people = [p for plan in plans for p in (plan.patient, plan.complainant) if p]
        new_people = [p for p in dict.fromkeys(people) if p.id is None]
        people_ids = _reserve_ids(connection, _TABLES["people"], len(new_people))
        for person, person_id in zip(new_people, people_ids, strict=True):
            person.id = person.row["id"] = person_id
            if person.is_patient:
                person.row["medical_record_number"] = names.medical_record_number(person_id)
        rows: _Rows = {name: [] for name in _TABLES}
        rows["people"] = [person.row for person in new_people]
        case_ids = _reserve_ids(connection, _TABLES["cases"], len(plans))
        # Numbered by the year a case came in, in local time as open_case numbers them.
        years = [plan.row["received_at"].astimezone().year for plan in plans]
        numbers = _reserve_numbers(connection, years)
        for plan, case_id, number in zip(plans, case_ids, numbers, strict=True):
            self._add_case(rows, plan, case_id, number)
        self._link_requests(connection, rows, plans)
        for name, table in _TABLES.items():
            if rows[name]:
                _insert(connection, table, rows[name])
                self.counts[name] += len(rows[name])

    def _link_requests(self, connection: Connection, rows: _Rows, plans: list[CasePlan]) -> None:
        """Gives the entries ids, so that requests and departments can point at them."""
        entries = rows["timeline_entries"]
        entry_ids = _reserve_ids(connection, _TABLES["timeline_entries"], len(entries))
        for entry, entry_id in zip(entries, entry_ids, strict=True):
            entry["id"] = entry_id
            entry.setdefault("sender", "")
            entry.setdefault("recipients", "")
            for department_id in entry.pop("departments", ()):
                rows["timeline_entry_departments"].append(
                    {"entry_id": entry_id, "department_id": department_id}
                )
        for plan, case in zip(plans, rows["cases"], strict=True):
            for planned in plan.requests:
                request = dict(planned, case_id=case["id"])
                for role in ("request", "response", "escalation"):
                    place = request.pop(role)
                    request[f"{role}_entry_id"] = (
                        None if place is None else plan.entries[place]["id"]
                    )
                rows["department_requests"].append(request)

    def _add_case(self, rows: _Rows, plan: CasePlan, case_id: int, number: str) -> None:
        row, complainant = plan.row, plan.complainant
        searched = [_SEARCHED(person.row) for person in (plan.patient, complainant) if person]
        text = case_search_text(number, searched, row["description"], row["desired_outcome"])
        row.update(id=case_id, number=number, patient_id=plan.patient.id, search_text=text)
        row["patient_sort_name"] = sort_name(plan.patient.row["full_name"])
        row["complainant_id"] = complainant.id if complainant else None
        rows["cases"].append(row)
        for department_id in plan.department_ids:
            rows["case_departments"].append({"case_id": case_id, "department_id": department_id})
        for category_id in plan.category_ids:
            rows["case_categories"].append({"case_id": case_id, "category_id": category_id})
        for entry in plan.entries:
            entry["case_id"] = case_id
        rows["timeline_entries"] += plan.entries
        rows["case_staff"] += staff_rows(case_id, row["staff_involved"])
        searched_entries = [
            f"{entry['summary']} {entry.get('body', '')}"
            for entry in plan.entries
            if not TimelineKind(entry["kind"]).is_system
        ]
        rows["case_search"].append(
            {"case_id": case_id, "document": search_index.document(text, searched_entries)}
        )
        if plan.letter_at is not None:
            rows["letters"].append(self.letters.draft(plan))
        details = dict(number=number, kind=row["kind"].value, grievance=row["is_grievance"])
        rows["audit_log"].append(
            dict(at=row["created_at"], username=plan.creator.username, action="create",
                 entity="case", entity_id=case_id, case_id=case_id,
                 details={**details, "overridden": False})
        )  # fmt: skip


class _Acknowledgements:
    """Acknowledgement letters as `services.letters.draft_letter` writes them, without a
    database round trip per letter: the merge fields come from the planned rows."""

    def __init__(self, head: Letterhead, preset: Preset) -> None:
        self.head = head
        self.preset = preset
        self.template = letter_templates.template("acknowledgement")
        self.sources = {
            language: letter_templates.shipped_source(self.template.key, language)
            for language in self.template.languages
        }

    def draft(self, plan: CasePlan) -> dict[str, Any]:
        """The `letters` row of a draft, made from the merge fields draft_letter uses."""
        # person_info only reads attributes: a namespace is far cheaper than an ORM object.
        patient, complainant = (
            person_info(cast(models.Person, SimpleNamespace(**person.row))) if person else None
            for person in (plan.patient, plan.complainant)
        )
        assert patient is not None
        known: dict[str, Any] = {name: plan.row.get(name) for name in _DETAIL_COLUMNS}
        # Demo cases have no recorded outcome yet.
        known["findings"] = known["findings"] or ""
        known["actions_taken"] = known["actions_taken"] or ""
        case = CaseDetail(
            patient=patient, complainant=complainant, departments=(), categories=(),
            assignee=plan.assignee, created_by=plan.creator, timeline=(), letters=(), **known,
        )  # fmt: skip
        addressee, signatory, tpl = case.addressee, plan.assignee or plan.creator, self.template
        language = letter_templates.choose_language(tpl, None, addressee.preferred_language)
        rendered = self._render(language, merge_values(self.sources_for(case, language)))
        return dict(
            case_id=case.id, template_key=tpl.key, language=language,
            status=LetterStatus.DRAFT, subject=rendered.subject,
            recipient_name=addressee.full_name,
            recipient_address="\n".join(addressee.address_lines),
            salutation=addressee.greeting_name, body=rendered.body,
            signatory_name=signatory.display_name, signatory_title=signatory.job_title,
            created_by_id=signatory.id, created_at=plan.letter_at, finalised_at=None,
            sent_at=None, sent_via="", pdf=None, pdf_sha256=None, version=1,
        )  # fmt: skip

    def sources_for(self, case: CaseDetail, language: str) -> MergeSources:
        """What draft_letter merges, less the coordinator: no demo letter names one."""
        return MergeSources(
            case=case,
            signatory=case.assignee or case.created_by,
            coordinator=None,
            letterhead=self.head,
            language=language,
            steps=(),
            today=date.today(),
            preset=self.preset,
        )

    def _render(self, language: str, merged: dict[str, Any]) -> RenderedLetter:
        return letter_templates.render_source(
            self.sources[language], merged, name="acknowledgement"
        )


# The case details that are `cases` columns as they are; draft() supplies the others.
_DETAIL_COLUMNS = [f.name for f in fields(CaseDetail) if f.name in models.Case.__table__.c]
# Letters, requests and audit events get their ids from the database: nothing in a batch
# points at them. sorted_tables puts the tables in foreign-key order.
_WRITTEN = {"people", "cases", "case_departments", "case_categories", "timeline_entries"}
_WRITTEN |= {"letters", "audit_log", "case_search", "timeline_entry_departments"}
_WRITTEN |= {"department_requests", "case_staff"}
_TABLES = {t.name: t for t in models.Base.metadata.sorted_tables if t.name in _WRITTEN}
