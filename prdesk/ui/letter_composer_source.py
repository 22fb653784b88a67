"""What the letter composer reads when it opens, and the title it shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from prdesk.domain.letter_templates import template
from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.domain.services import letter_workflow, organisation, signatures
from prdesk.domain.services.policy import deadline_policy
from prdesk.ui.context import AppContext
from prdesk.ui.letter_checks_panel import CheckRules


@dataclass(frozen=True)
class ComposerSource:
    """What the window reads once when it opens."""

    letter: LetterInfo
    letterhead: Letterhead
    signature: bytes | None
    rules: CheckRules


def read_source(session: Session, ctx: AppContext, letter_id: int) -> ComposerSource:
    letter = letter_workflow.letter_detail(session, ctx.actor, letter_id)
    letter_workflow.record_use(session, ctx.actor, letter, "view")
    rules = CheckRules(
        letter.template_key,
        letter.language,
        letter_workflow.answers_grievance(session, letter.case_id),
        deadline_policy(session).preset,
        letter.signatory_name,
    )
    signature = signatures.signature_image(session, letter.signatory_id)
    return ComposerSource(letter, organisation.letterhead(session), signature, rules)


def window_title(letter: LetterInfo) -> str:
    """ "PR-2026-000123 — Acknowledgement — Draft"."""
    kind = template(letter.template_key).title.split(" (")[0].split(" /")[0]
    return f"{letter.case_number} — {kind} — {letter.status.label} — PR Desk"
