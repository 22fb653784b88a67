"""Drafting letters to the complainant from templates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain import audit, letter_templates, merge_fields
from prdesk.domain.enums import LetterStatus, Role
from prdesk.domain.errors import NotFound
from prdesk.domain.models import Letter, User
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import CaseDetail, LetterInfo, TimelineEntryInfo, UserInfo
from prdesk.domain.services.case_access import get_case
from prdesk.domain.services.letter_records import BODY_LIMIT, SUBJECT_LIMIT, clean_text
from prdesk.domain.services.letter_template_store import current_template
from prdesk.domain.services.mapping import case_detail, letter_info, user_info
from prdesk.domain.services.organisation import letterhead
from prdesk.domain.services.policy import deadline_policy


def draft_letter(
    session: Session,
    actor: UserInfo,
    case_id: int,
    template_key: str,
    *,
    language: str | None = None,
    corrects_letter_id: int | None = None,
) -> LetterInfo:
    """Merges the case into the current version of a template and saves it as a draft.

    The letter is written in the addressee's preferred language when the template has
    it, unless a language is asked for. It is signed by the case's assignee, or by the
    person drafting it while the case is unassigned. Steps taken start as every
    patient-facing entry of the timeline; the writer picks from them in the composer.
    """
    require(actor.role, Action.DRAFT_LETTER)
    tpl = letter_templates.template(template_key)
    case = _case(session, actor, case_id)
    if corrects_letter_id is not None:
        corrected = session.get(Letter, corrects_letter_id)
        if corrected is None or corrected.case_id != case_id:
            raise NotFound("The letter to correct is not on this case.")
    chosen = letter_templates.choose_language(tpl, language, case.addressee.preferred_language)
    signatory = case.assignee or actor
    version = current_template(session, tpl.key, chosen)
    fields = merge_fields.merge_values(merge_sources(session, case, signatory, chosen))
    rendered = letter_templates.render_source(version.source, fields, name=tpl.title.lower())
    what = f"subject the {tpl.title.lower()} template makes"
    subject = clean_text(rendered.subject, SUBJECT_LIMIT, what)
    body = clean_text(rendered.body, BODY_LIMIT, f"letter the {tpl.title.lower()} template makes")
    addressee = case.addressee
    letter = Letter(
        case_id=case.id,
        template_key=tpl.key,
        template_version=version.version,
        language=chosen,
        status=LetterStatus.DRAFT,
        subject=subject,
        recipient_name=addressee.full_name,
        recipient_address="\n".join(addressee.address_lines),
        salutation=addressee.greeting_name,
        body=body + "\n",
        signatory_id=signatory.id,
        signatory_name=signatory.display_name,
        signatory_title=signatory.job_title,
        created_by_id=actor.id,
        corrects_letter_id=corrects_letter_id,
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
        template_version=version.version,
        language=chosen,
        corrects_letter_id=corrects_letter_id,
    )
    author = session.get(User, actor.id)
    assert author is not None
    return letter_info(letter, author, case.number)


def merge_sources(
    session: Session, case: CaseDetail, signatory: UserInfo, language: str
) -> merge_fields.MergeSources:
    return merge_fields.MergeSources(
        case=case,
        signatory=signatory,
        coordinator=_coordinator(session, signatory),
        letterhead=letterhead(session),
        language=language,
        steps=merge_fields.steps_offered(case.timeline),
        today=date.today(),
        preset=deadline_policy(session).preset,
    )


def offered_steps(session: Session, actor: UserInfo, case_id: int) -> tuple[TimelineEntryInfo, ...]:
    """The timeline entries a letter may list as steps taken: patient-facing, never internal."""
    require(actor.role, Action.DRAFT_LETTER)
    return merge_fields.steps_offered(_case(session, actor, case_id).timeline)


def _case(session: Session, actor: UserInfo, case_id: int) -> CaseDetail:
    return case_detail(session, get_case(session, case_id))


def _coordinator(session: Session, signatory: UserInfo) -> UserInfo | None:
    """Whom a letter names as the department's coordinator: the signatory when they are
    one, else the first active coordinator by name."""
    if signatory.role == Role.COORDINATOR:
        return signatory
    user = session.scalars(
        select(User)
        .where(User.role == Role.COORDINATOR, User.active.is_(True))
        .order_by(User.display_name)
        .limit(1)
    ).first()
    return user_info(user) if user else None
