"""Cases as a coordinator would log them, for tests."""

from __future__ import annotations

from typing import Any

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, Channel, DisclosureBasis, Relationship
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.services import cases
from prdesk.domain.services.case_input import NewCase, PersonInput


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
