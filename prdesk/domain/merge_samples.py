"""The fictional case a template is previewed with while an administrator edits it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from prdesk.domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    ContactPreference,
    DisclosureBasis,
    Relationship,
    Role,
    Severity,
    TimelineKind,
)
from prdesk.domain.readmodels import (
    CaseDetail,
    Letterhead,
    PersonInfo,
    Reference,
    TimelineEntryInfo,
    UserInfo,
)


@dataclass(frozen=True)
class SampleCase:
    """A plausible grievance raised by the patient's daughter, with every field filled."""

    case: CaseDetail
    signatory: UserInfo
    coordinator: UserInfo
    letterhead: Letterhead
    steps: tuple[TimelineEntryInfo, ...]
    today: date


# The fictional case's own words, in the languages templates are written in.
_SAMPLE_TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "greetings": ("Mrs. Delgado", "Ms. Delgado"),
        "representative": "Patient Relations Representative",
        "coordinator": "Patient Relations Coordinator",
        "subject": "Communication > Waiting times",
        "desired_outcome": "An explanation and an apology.",
        "findings": "The emergency department was very busy that evening, and staff did not "
        "keep you updated about the wait as they should have.",
        "actions_taken": "Staff now update everyone in the waiting room at least once an "
        "hour.\nThe department manager has shared your experience with the whole team.",
        "steps": (
            "Spoke with the nurse in charge of the emergency department that evening",
            "Reviewed the waiting room records for the evening of the visit",
            "Met the department manager to agree changes",
        ),
    },
    "es": {
        "greetings": ("Sra. Delgado", "Sra. Delgado"),
        "representative": "Representante de Atención al Paciente",
        "coordinator": "Coordinadora de Atención al Paciente",
        "subject": "Comunicación > Tiempos de espera",
        "desired_outcome": "Una explicación y una disculpa.",
        "findings": "El servicio de urgencias tenía mucho trabajo esa noche, y el personal no "
        "le mantuvo informado sobre la espera como debía hacerlo.",
        "actions_taken": "El personal ahora informa a todas las personas en la sala de espera "
        "al menos una vez por hora.\nLa jefa del servicio ha compartido su experiencia con todo "
        "el equipo.",
        "steps": (
            "Hablamos con la enfermera a cargo del servicio de urgencias esa noche",
            "Revisamos los registros de la sala de espera de la noche de la visita",
            "Nos reunimos con la jefa del servicio para acordar cambios",
        ),
    },
}


def sample_case(language: str) -> SampleCase:
    """The fictional case, with its free text in the language when there is a version in it."""

    def person(name: str, greeting: str, phone: str, email: str, *lines: str) -> PersonInfo:
        return PersonInfo(
            id=0, full_name=name, salutation_name=greeting, date_of_birth=date(1948, 4, 12),
            medical_record_number=None, phone=phone, email=email, address_lines=lines,
            preferred_language=language, contact_preference=ContactPreference.LETTER, version=1,
        )  # fmt: skip

    def user(name: str, title: str, phone: str, email: str, role: Role) -> UserInfo:
        return UserInfo(0, email.split("@")[0], name, role, title, email, phone)

    def step(day: int, summary: str) -> TimelineEntryInfo:
        at = datetime(2026, 3, day, 12, tzinfo=UTC)
        return TimelineEntryInfo(0, TimelineKind.NOTE, at, at, "Luis Ortega", summary, "",
                                 patient_facing=True, internal=False, version=1)  # fmt: skip

    text = _SAMPLE_TEXT.get(language, _SAMPLE_TEXT["en"])
    representative = user("Luis Ortega", text["representative"], "(555) 010-3104",
                          "l.ortega@example.org", Role.REPRESENTATIVE)  # fmt: skip
    received = datetime(2026, 3, 2, 12, tzinfo=UTC)
    case = CaseDetail(
        id=0, number="PR-2026-000123", kind=CaseKind.COMPLAINT, channel=Channel.LETTER,
        status=CaseStatus.INVESTIGATING, severity=Severity.MODERATE, received_at=received,
        patient=person("Maria Delgado", text["greetings"][0], "(555) 010-4477",
                       "maria.delgado@example.com", "48 Willow Lane", "Springfield, IL 62704"),
        complainant=person("Ana Delgado", text["greetings"][1], "(555) 010-4478",
                           "ana.delgado@example.com", "9 Birch Court", "Springfield, IL 62701"),
        complainant_relationship=Relationship.CHILD,
        disclosure_basis=DisclosureBasis.INVOLVED_IN_CARE,
        description="", desired_outcome=text["desired_outcome"], location="",
        staff_involved="", safety_concern=False, behavioural_alert=False, is_grievance=True,
        grievance_reason="", grievance_overridden=False, departments=(),
        categories=(Reference(0, text["subject"]),), assignee=representative,
        created_by=representative, created_at=received, updated_at=received, timeline=(),
        letters=(), version=1, acknowledge_due_on=date(2026, 3, 9),
        acknowledged_on=date(2026, 3, 4), response_due_on=date(2026, 4, 1),
        findings=text["findings"], actions_taken=text["actions_taken"],
    )  # fmt: skip
    coordinator = user("Dana Whitfield", text["coordinator"], "(555) 010-3100",
                       "d.whitfield@example.org", Role.COORDINATOR)  # fmt: skip
    head = Letterhead(
        "Riverside General Hospital", "Patient Relations", ("1200 River Road",
        "Springfield, IL 62701"), "(555) 010-3000", "patientrelations@example.org",
        "www.example.org",
    )  # fmt: skip
    steps = tuple(
        step(day, summary) for day, summary in zip((5, 9, 16), text["steps"], strict=True)
    )
    return SampleCase(case, representative, coordinator, head, steps, date(2026, 3, 27))
