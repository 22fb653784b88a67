"""A case and what hangs directly off it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prdesk.domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    Determination,
    DisclosureBasis,
    Relationship,
    Severity,
)
from prdesk.domain.models.base import Base, enum_column, utcnow
from prdesk.domain.models.organisation import Category, Department
from prdesk.domain.models.people import Person, User

case_departments = Table(
    "case_departments",
    Base.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    # Indexed: representatives who see their departments' cases are found through it.
    Column("department_id", ForeignKey("departments.id"), primary_key=True, index=True),
)

case_categories = Table(
    "case_categories",
    Base.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("categories.id"), primary_key=True),
)


class CaseNumberCounter(Base):
    """Last case number handed out per year.

    Incrementing this row inside the case's own transaction locks it until commit,
    so two workstations creating cases at the same moment get consecutive numbers.
    """

    __tablename__ = "case_number_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    __tablename__ = "cases"
    # With the id, so that PostgreSQL reads a page deep in the name order straight off
    # the index (3 ms at 100,000 cases, against 100 ms sorting each run of equal names).
    __table_args__ = (
        Index("ix_cases_patient_sort_name", "patient_sort_name", "id"),
        # Reports count the grievances received in each period through this.
        Index("ix_cases_grievance_received", "is_grievance", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[CaseKind] = mapped_column(enum_column(CaseKind), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    received_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), index=True)
    severity: Mapped[Severity] = mapped_column(enum_column(Severity), default=Severity.LOW)

    patient_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    # The patient's name as the list sorts it (sort_name()), kept on the case with an
    # index: a page deep in a list sorted by name is then an index range, not a walk
    # through every name before it (250 ms at 100,000 cases).
    patient_sort_name: Mapped[str] = mapped_column(String(200), default="")
    # Empty when the patient raised the case themself.
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    complainant_relationship: Mapped[Relationship | None] = mapped_column(enum_column(Relationship))
    disclosure_basis: Mapped[DisclosureBasis | None] = mapped_column(enum_column(DisclosureBasis))

    description: Mapped[str] = mapped_column(Text, default="")
    desired_outcome: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    staff_involved: Mapped[str] = mapped_column(String(500), default="")
    # What the investigation found and what the hospital did about it: the results the
    # response letter reports and the outcome the grievance committee reviews.
    findings: Mapped[str] = mapped_column(Text, default="")
    actions_taken: Mapped[str] = mapped_column(Text, default="")
    # Whether the review upheld the complaint, in part or not at all (the NHS return's outcome).
    determination: Mapped[Determination | None] = mapped_column(enum_column(Determination))

    # Flags that change how the case is handled, not just how it is sorted.
    safety_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    behavioural_alert: Mapped[bool] = mapped_column(Boolean, default=False)

    is_grievance: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    grievance_reason: Mapped[str] = mapped_column(String(500), default="")
    # True when a coordinator overrode the CMS classification; the reason says why.
    grievance_overridden: Mapped[bool] = mapped_column(Boolean, default=False)

    # Deadlines under the department's policy (deadline_policy.py), as local calendar dates.
    acknowledge_due_on: Mapped[date | None] = mapped_column(Date)
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    response_due_on: Mapped[date | None] = mapped_column(Date)
    # The deadline running now (acknowledge first, then respond); empty once the case is
    # finished or while its clock is paused. Stored so that lists filter and sort on it
    # through an index instead of computing it row by row.
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    # The day the response clock stopped to wait on the patient; empty while it runs.
    clock_paused_on: Mapped[date | None] = mapped_column(Date)
    # A grievance closed without a sent response letter: the coordinator's reason.
    closure_override_reason: Mapped[str] = mapped_column(String(500), default="")
    # An earlier case about the same matter, when a repeat contact was logged on its own.
    linked_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
    # When the case last reached Resolved or Closed from an open status; empty while it
    # is open (a reopened case is not resolved) and for a withdrawn one. The compliance
    # report measures the days to resolve from received_at to this.
    resolved_at: Mapped[datetime | None] = mapped_column()

    # Folded (lower-case, transliterated) text of the searchable fields; see search_text.py.
    search_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    patient: Mapped[Person] = relationship(foreign_keys=[patient_id])
    complainant: Mapped[Person | None] = relationship(foreign_keys=[complainant_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    departments: Mapped[list[Department]] = relationship(
        secondary=case_departments, order_by=Department.name
    )
    categories: Mapped[list[Category]] = relationship(
        secondary=case_categories, order_by=Category.name
    )

    __mapper_args__ = {"version_id_col": version}


def sort_name(name: str) -> str:
    """How names compare in the case list: "alice" between "Adam" and "Bob"."""
    return name.strip().lower()[:200]


class CaseStaff(Base):
    """A staff member the case names, one row per name in `cases.staff_involved`.

    Kept in step with that field by the case services, so that reports count cases per
    person in SQL. `name_key` is the name folded (case, accents, punctuation and titles
    such as "Dr." ignored), so "Dr. O'Brien" and "dr obrien" count as one person.
    """

    __tablename__ = "case_staff"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)


class CaseSearch(Base):
    """The folded words a case is found by: its own fields and its timeline's text.

    Kept apart from `cases` so that indexing a new timeline entry never writes the
    case row, whose version guards people's edits. The full-text index over it is
    backend-specific (FTS5 or a GIN index) and is created by the migrations.
    """

    __tablename__ = "case_search"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    document: Mapped[str] = mapped_column(Text, default="")
