"""Recording a case's outcome: what the investigation found and what the hospital did about it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.errors import ValidationError
from prdesk.domain.models import utcnow
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.services.case_access import check_version, clean, get_case
from prdesk.domain.services.mapping import case_detail

# Room for a thorough account (about ten printed pages each); more than this is a pasted
# document, which belongs on the timeline as an attachment, not in the committee summary.
OUTCOME_LIMIT = 20_000

_NAMES = {"findings": "the findings", "actions_taken": "the actions taken"}


def record_outcome(
    session: Session,
    actor: UserInfo,
    case_id: int,
    expected_version: int,
    findings: str,
    actions_taken: str,
) -> CaseDetail:
    """Saves the findings and the actions taken, as the grievance committee and the
    response letter report them. Either may be left empty while the work goes on."""
    require(actor.role, Action.EDIT_CASE)
    values = {"findings": clean(findings), "actions_taken": clean(actions_taken)}
    errors = {
        name: f"Keep {_NAMES[name]} to {OUTCOME_LIMIT:,} characters (they have {len(text):,})."
        for name, text in values.items()
        if len(text) > OUTCOME_LIMIT
    }
    if errors:
        raise ValidationError.from_fields(errors)
    case = get_case(session, case_id)
    check_version(case, expected_version)
    before = {name: getattr(case, name) for name in values}
    if before == values:
        return case_detail(session, case)
    case.findings, case.actions_taken = values["findings"], values["actions_taken"]
    case.updated_at = utcnow()
    session.flush()
    changed = [name for name in values if values[name] != before[name]]
    audit.record(
        session, actor, "update", "case", case.id, case_id=case.id,
        before={name: before[name] for name in changed},
        after={name: values[name] for name in changed},
    )  # fmt: skip
    return case_detail(session, case)
