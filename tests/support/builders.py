"""Cases as a coordinator would log them, for tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, Channel, DisclosureBasis, Relationship, Role
from prdesk.domain.models import User
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.services import cases, organisation, users
from prdesk.domain.services.case_input import NewCase, PersonInput
from prdesk.domain.services.mapping import user_info


def phone_complaint(patient_name: str = "Nguyễn Thị Hương", **changes: Any) -> NewCase:
    fields: dict[str, Any] = {
        "kind": CaseKind.COMPLAINT,
        "channel": Channel.PHONE,
        "patient": PersonInput(
            patient_name,
            medical_record_number="MRN00012345",
            phone="(555) 010-2000",
            address_line1="12 Elm Street",
            city="Springfield",
            region="IL",
            postal_code="62704",
        ),
        "description": "Waited six hours in the emergency department without an update.",
        "desired_outcome": "An explanation and an apology.",
    }
    fields.update(changes)
    return NewCase(**fields)


def raised_by_daughter(patient: str, daughter: str) -> NewCase:
    return phone_complaint(
        patient,
        complainant=PersonInput(
            daughter,
            address_line1="4 Oak Avenue",
            city="Springfield",
            region="IL",
            postal_code="62701",
        ),
        complainant_relationship=Relationship.CHILD,
        disclosure_basis=DisclosureBasis.INVOLVED_IN_CARE,
    )


def log_case(db: Database, actor: UserInfo, new: NewCase | None = None) -> CaseDetail:
    with db.transaction() as session:
        return cases.open_case(session, actor, new or phone_complaint())


def colleague(
    db: Database, username: str, display_name: str, role: Role = Role.REPRESENTATIVE
) -> UserInfo:
    """Another member of staff, with the role an administrator gave them."""
    with db.transaction() as session:
        users.resolve_actor(session, username, display_name)
        user = session.scalars(select(User).where(User.username == username)).one()
        user.role = role
        session.flush()
        return user_info(user)


def departments(db: Database, *names: str) -> dict[str, int]:
    """Departments by name, as the organisation's setup lists them."""
    with db.transaction() as session:
        return {name: organisation.ensure_department(session, name) for name in names}
