"""The merge fields a letter template may use, their values for a case, and the marks of empty ones."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date

from prdesk.domain.deadline_policy import Preset
from prdesk.domain.deadlines import response_due
from prdesk.domain.enums import (
    CaseKind,
    Channel,
    DisclosureBasis,
    LabelledEnum,
    Relationship,
)
from prdesk.domain.merge_samples import sample_case
from prdesk.domain.readmodels import (
    CaseDetail,
    Letterhead,
    TimelineEntryInfo,
    UserInfo,
)
from prdesk.domain.rich_text import escape_plain, to_plain


@dataclass(frozen=True)
class MergeField:
    """One field of the catalogue the template editor lists.

    Attributes:
        path: what a template writes between braces, "group.field".
        sample: a plausible, fictional value the editor's preview shows.
    """

    path: str
    label: str
    group: str
    sample: str
    description: str = ""


class Markdown(str):
    """A value that is Markdown already (a list of steps): the renderer must not escape it."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Missing:
    """A field the case holds no value for. Falsy, so `{% if %}` can leave it out; printed
    as its mark, `[[group.field]]`, which the composer highlights and finalising refuses."""

    path: str

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return f"[[{self.path}]]"


MARK = re.compile(r"\[\[([a-z_]+(?:\.[a-z_]+)*)\]\]")
# A mark that went through a Markdown escape or the composer's round trip ("\[\[case\_x\]\]").
_ESCAPED_MARK_CHARACTER = re.compile(r"\\([\[\]_])")


def unfilled(text: str) -> tuple[str, ...]:
    """The paths of the marks left in a text, each once, in the order they first appear."""
    found = MARK.findall(_ESCAPED_MARK_CHARACTER.sub(r"\1", text))
    return tuple(dict.fromkeys(found))


# The groups in the order the template editor lists them, and the name each has in a path.
_GROUP_NAMES = {
    "patient": "Patient", "recipient": "Recipient", "case": "Case", "dates": "Dates",
    "deadlines": "Deadlines", "coordinator": "Coordinator", "representative": "Representative",
    "contact": "Contact person", "organisation": "Organisation", "investigation": "Investigation",
    "policy": "Policy",
}  # fmt: skip
GROUPS: tuple[str, ...] = tuple(_GROUP_NAMES.values())

# No medical record number: it identifies the patient to anyone who opens the envelope.
_CATALOGUE = (
    ("patient.full_name", "Full name", ""),
    ("patient.greeting_name", "Name in a greeting", "As the patient likes to be addressed."),
    ("patient.date_of_birth", "Date of birth", ""),
    ("patient.phone", "Phone", ""),
    ("patient.email", "Email", ""),
    ("patient.address", "Address", "Every line of the postal address, one under another."),
    ("recipient.full_name", "Full name", "Whom the letter goes to: the complainant, else the patient."),
    ("recipient.greeting_name", "Name in a greeting", ""),
    ("recipient.relationship", "Relationship to the patient", "Empty when the patient is the recipient."),
    ("recipient.is_patient", "Is the patient", "Yes when the letter goes to the patient."),
    ("recipient.may_discuss_care", "May be told about the patient's care",
     "Yes for the patient, or when a HIPAA basis to discuss the care is on file. "
     "Without one, a letter must not speak of the patient's care."),
    ("case.number", "Case number", ""),
    ("case.kind", "Kind", "Complaint, compliment, information request and so on."),
    ("case.kind_key", "Kind (for conditions)",
     "complaint, compliment, information_request, lost_belongings, appointment_access or other_feedback."),
    ("case.channel", "How it reached us", ""),
    ("case.received_date", "Date received", ""),
    ("case.subject", "What it is about", "The case's categories."),
    ("case.desired_outcome", "Outcome asked for", "In the complainant's words."),
    ("case.is_grievance", "Is a grievance", "Yes when the case is handled as a formal grievance."),
    ("dates.today", "Today", "The day the letter is drafted."),
    ("dates.acknowledged", "Date acknowledged", ""),
    ("dates.response_due", "Response due", "When the written response is due."),
    ("dates.completed", "Date of completion",
     "The day the letter is drafted: the written response completes the grievance process."),
    ("deadlines.acknowledge_by", "Acknowledge by", ""),
    ("deadlines.respond_by", "Respond by", "When the written response is due."),
    ("deadlines.extended_to", "New response date",
     "When the written response will come, as a still-investigating letter promises it."),
    ("coordinator.name", "Name", "The department's coordinator."),
    ("coordinator.title", "Job title", ""),
    ("coordinator.phone", "Phone", ""),
    ("coordinator.email", "Email", ""),
    ("representative.name", "Name", "The person the case is assigned to."),
    ("representative.title", "Job title", ""),
    ("representative.phone", "Phone", ""),
    ("representative.email", "Email", ""),
    ("contact.name", "Name", "Who signs the letter and whom the reader may contact."),
    ("contact.title", "Job title", ""),
    ("contact.phone", "Phone", "Their own, else the department's."),
    ("contact.email", "Email", "Their own, else the department's."),
    ("organisation.name", "Name", ""),
    ("organisation.department", "Department", ""),
    ("organisation.phone", "Phone", ""),
    ("organisation.email", "Email", ""),
    ("organisation.website", "Website", ""),
    ("organisation.address", "Address", "Every line of the letterhead's address."),
    ("investigation.steps_taken", "Steps taken",
     "A list of the patient-facing timeline entries chosen for the letter, with their dates."),
    ("investigation.findings", "Findings", "What the investigation found, from the case's outcome."),
    ("investigation.actions_taken", "Actions taken", "What the hospital did, from the case's outcome."),
    ("policy.nhs", "NHS complaints rules", "Yes when the department works under the NHS preset."),
    ("policy.ombudsman", "Ombudsman",
     "The body an NHS complaint may go to next, without an article (\"ask the ...\"); "
     "empty under other policies."),
)  # fmt: skip

# Spanish names of the vocabularies a letter prints; other languages read the English label.
_SPANISH: dict[LabelledEnum, str] = {
    CaseKind.COMPLAINT: "Queja",
    CaseKind.COMPLIMENT: "Felicitación",
    CaseKind.INFORMATION_REQUEST: "Solicitud de información",
    CaseKind.LOST_BELONGINGS: "Pertenencias perdidas",
    CaseKind.APPOINTMENT_ACCESS: "Acceso a citas",
    CaseKind.OTHER_FEEDBACK: "Otro comentario",
    Channel.PHONE: "Teléfono",
    Channel.EMAIL: "Correo electrónico",
    Channel.LETTER: "Carta",
    Channel.WALK_IN: "En persona",
    Channel.WEB_FORM: "Formulario web",
    Channel.PATIENT_PORTAL: "Portal del paciente",
    Channel.STAFF_REFERRAL: "Remitido por el personal",
    Relationship.SPOUSE_OR_PARTNER: "Cónyuge o pareja",
    Relationship.PARENT: "Padre o madre",
    Relationship.CHILD: "Hijo o hija",
    Relationship.OTHER_FAMILY: "Otro familiar",
    Relationship.FRIEND: "Amigo o amiga",
    Relationship.LEGAL_GUARDIAN: "Tutor legal",
    Relationship.ATTORNEY: "Abogado",
    Relationship.OTHER_REPRESENTATIVE: "Otro representante",
}
_OMBUDSMAN = {
    "en": "Parliamentary and Health Service Ombudsman",
    "es": "Defensor del Pueblo del Parlamento y del Servicio de Salud "
    "(Parliamentary and Health Service Ombudsman)",
}


@dataclass(frozen=True)
class MergeSources:
    """Everything a letter's fields are taken from.

    Attributes:
        signatory: who signs the letter; the reader's contact person.
        coordinator: the department's coordinator, when there is one.
        steps: the timeline entries chosen as the steps taken (see steps_offered).
        today: the day the letter is drafted.
        preset: the deadline policy's preset, for the rules a response follows.
    """

    case: CaseDetail
    signatory: UserInfo
    coordinator: UserInfo | None
    letterhead: Letterhead
    language: str
    steps: tuple[TimelineEntryInfo, ...]
    today: date
    preset: Preset = Preset.CMS


def merge_values(sources: MergeSources) -> dict[str, Any]:
    """The fields a template may use, as nested dicts. Nothing else of the case is reachable.

    Plain values are strings the renderer escapes; Markdown values go in as they are; an
    empty value is a Missing whose mark shows in the letter.
    """
    case, head = sources.case, sources.letterhead
    # "es-MX" reads as Spanish; Babel spells its locales "es_MX".
    language, locale = sources.language.split("-")[0].lower(), sources.language.replace("-", "_")
    recipient = case.addressee

    def when(day: date | None) -> str:
        return format_date(day, "long", locale=locale) if day else ""

    def label(member: LabelledEnum | None) -> str:
        if member is None:
            return ""
        return _SPANISH.get(member, member.label) if language == "es" else member.label

    def person(user: UserInfo | None) -> dict[str, Any]:
        if user is None:
            return {"name": "", "title": "", "phone": "", "email": ""}
        return {"name": user.display_name, "title": user.job_title, "phone": user.phone,
                "email": user.email}  # fmt: skip

    due = when(case.response_due_on or response_due(case.received_at))
    contact = person(sources.signatory)
    contact["phone"] = contact["phone"] or head.phone
    contact["email"] = contact["email"] or head.email
    values: dict[str, dict[str, Any]] = {
        "patient": {
            "full_name": case.patient.full_name,
            "greeting_name": case.patient.greeting_name,
            "date_of_birth": when(case.patient.date_of_birth),
            "phone": case.patient.phone,
            "email": case.patient.email,
            "address": _lines(case.patient.address_lines),
        },
        "recipient": {
            "full_name": recipient.full_name,
            "greeting_name": recipient.greeting_name,
            "relationship": label(case.complainant_relationship) if case.complainant else "",
            "is_patient": case.complainant is None,
            # Without a basis on file (HIPAA 164.502(g), 164.510(b) or an authorization)
            # a letter to someone else must not speak of the patient's care.
            "may_discuss_care": case.complainant is None
            or case.disclosure_basis not in (None, DisclosureBasis.NONE_ON_FILE),
        },
        "case": {
            "number": case.number,
            "kind": label(case.kind),
            "kind_key": case.kind.value,
            "channel": label(case.channel),
            "received_date": when(case.received_at.astimezone().date()),
            "subject": "; ".join(category.name for category in case.categories),
            "desired_outcome": case.desired_outcome,
            "is_grievance": case.is_grievance,
        },
        "dates": {
            "today": when(sources.today),
            "acknowledged": when(case.acknowledged_on),
            "response_due": due,
            "completed": when(sources.today),
        },
        "deadlines": {
            "acknowledge_by": when(case.acknowledge_due_on),
            "respond_by": due,
            "extended_to": due,
        },
        "coordinator": person(sources.coordinator),
        "representative": person(case.assignee),
        "contact": contact,
        "organisation": {
            "name": head.organisation,
            "department": head.department,
            "phone": head.phone,
            "email": head.email,
            "website": head.website,
            "address": _lines(head.address_lines),
        },
        "investigation": {
            "steps_taken": steps_markdown(sources.steps, locale),
            "findings": Markdown(escape_plain(case.findings)),
            "actions_taken": Markdown(escape_plain(case.actions_taken)),
        },
        "policy": {
            "nhs": sources.preset is Preset.NHS,
            "ombudsman": _OMBUDSMAN.get(language, _OMBUDSMAN["en"])
            if sources.preset is Preset.NHS
            else "",
        },
    }
    return {
        group: {name: _filled(value, f"{group}.{name}") for name, value in fields.items()}
        for group, fields in values.items()
    }


def _filled(value: Any, path: str) -> Any:
    if isinstance(value, str) and not value.strip():
        return Missing(path)
    return value


def _lines(lines: Sequence[str]) -> Markdown:
    """Address lines kept one under another: Markdown hard breaks, each line's text escaped."""
    return Markdown(escape_plain("\n".join(line for line in lines if line.strip())))


def steps_offered(entries: Sequence[TimelineEntryInfo]) -> tuple[TimelineEntryInfo, ...]:
    """The entries a letter may list as steps taken: those marked patient-facing, never an
    internal one, and none PR Desk wrote itself (status changes, letters, files); oldest first."""
    offered = [
        entry
        for entry in entries
        if entry.patient_facing and not entry.internal and not entry.kind.is_system
    ]
    return tuple(sorted(offered, key=lambda entry: entry.occurred_at))


def steps_markdown(entries: Sequence[TimelineEntryInfo], language: str) -> Markdown:
    """One list item per step, "- {date}: {summary}", in the order given."""
    locale = language.replace("-", "_")
    return Markdown(
        "\n".join(
            f"- {format_date(entry.occurred_at.astimezone().date(), 'long', locale=locale)}: "
            f"{escape_plain(' '.join(entry.summary.split()))}"
            for entry in entries
        )
    )


def sample_values(language: str, *, preset: Preset = Preset.CMS) -> dict[str, Any]:
    """The fields of a fictional case, for previewing a template as it is edited."""
    sample = sample_case(language)
    return merge_values(
        MergeSources(sample.case, sample.signatory, sample.coordinator, sample.letterhead,
                     language, sample.steps, sample.today, preset)
    )  # fmt: skip


def known_paths() -> frozenset[str]:
    return frozenset(field.path for field in FIELDS)


def _sample_text(values: Mapping[str, Any], path: str) -> str:
    group, name = path.split(".")
    value = values[group][name]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return to_plain(value) if isinstance(value, Markdown) else str(value)


def _catalogue() -> tuple[MergeField, ...]:
    # The samples are the preview's own values, so the catalogue and the preview agree.
    samples = sample_values("en", preset=Preset.NHS)
    return tuple(
        MergeField(
            path, label, _GROUP_NAMES[path.split(".")[0]], _sample_text(samples, path), about
        )
        for path, label, about in _CATALOGUE
    )


FIELDS: tuple[MergeField, ...] = _catalogue()
