"""Drafting letters to the complainant from templates."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date
from sqlalchemy.orm import Session

from prdesk.domain import audit, letter_templates
from prdesk.domain.deadlines import response_due
from prdesk.domain.enums import DisclosureBasis, LetterStatus
from prdesk.domain.errors import NotFound
from prdesk.domain.models import Letter, User
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import CaseDetail, Letterhead, LetterInfo, UserInfo
from prdesk.domain.services.mapping import case_detail, letter_info, load_case
from prdesk.domain.services.organisation import letterhead


def draft_letter(
    session: Session,
    actor: UserInfo,
    case_id: int,
    template_key: str,
    *,
    language: str | None = None,
) -> LetterInfo:
    """Merges the case into a template and saves the result as a draft on the case.

    The letter is written in the addressee's preferred language when the template
    has it, unless a language is asked for. It is signed by the case's assignee,
    or by the person drafting it while the case is unassigned.
    """
    require(actor.role, Action.DRAFT_LETTER)
    tpl = letter_templates.template(template_key)
    case_row = load_case(session, case_id)
    if case_row is None:
        raise NotFound(f"Case {case_id} does not exist (it may have been deleted).")
    case = case_detail(session, case_row)
    chosen = letter_templates.choose_language(tpl, language, case.addressee.preferred_language)
    signatory = case.assignee or actor
    rendered = letter_templates.render(
        tpl.key, chosen, merge_fields(case, signatory, letterhead(session), chosen)
    )
    addressee = case.addressee
    letter = Letter(
        case_id=case.id,
        template_key=tpl.key,
        language=chosen,
        status=LetterStatus.DRAFT,
        subject=rendered.subject,
        recipient_name=addressee.full_name,
        recipient_address="\n".join(addressee.address_lines),
        salutation=addressee.greeting_name,
        body=rendered.body,
        signatory_name=signatory.display_name,
        signatory_title=signatory.job_title,
        created_by_id=actor.id,
    )
    session.add(letter)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "letter",
        letter.id,
        case_id=case.id,
        template=tpl.key,
        language=chosen,
    )
    author = session.get(User, actor.id)
    assert author is not None
    return letter_info(letter, author, case.number)


def merge_fields(
    case: CaseDetail, signatory: UserInfo, head: Letterhead, language: str
) -> dict[str, Any]:
    """The fields a template may use. Nothing else of the case is reachable from it."""

    def long_date(value: date) -> str:
        return format_date(value, "long", locale=language)

    recipient = case.addressee
    return {
        "case": {
            "number": case.number,
            "kind": case.kind.label,
            "kind_key": case.kind.value,
            "channel": case.channel.label,
            "received_date": long_date(case.received_at.astimezone().date()),
            "is_grievance": case.is_grievance,
            "desired_outcome": case.desired_outcome,
        },
        "patient": {"full_name": case.patient.full_name},
        "recipient": {
            "full_name": recipient.full_name,
            "greeting_name": recipient.greeting_name,
            "is_patient": case.complainant is None,
            # Without a basis on file (HIPAA 164.502(g), 164.510(b) or an authorization)
            # a letter to someone else must not speak of the patient's care.
            "may_discuss_care": case.complainant is None
            or case.disclosure_basis not in (None, DisclosureBasis.NONE_ON_FILE),
        },
        "contact": {
            "name": signatory.display_name,
            "title": signatory.job_title,
            "phone": signatory.phone or head.phone,
            "email": signatory.email or head.email,
        },
        "organisation": {
            "name": head.organisation,
            "department": head.department,
            "phone": head.phone,
            "email": head.email,
        },
        "dates": {
            "today": long_date(date.today()),
            # The case's own response date (moved by pauses and reopening); cases logged
            # before deadlines were kept get the default policy's.
            "response_due": long_date(case.response_due_on or response_due(case.received_at)),
        },
    }
