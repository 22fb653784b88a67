"""Recording a case's outcome: what the investigation found and what the hospital did about it."""

from __future__ import annotations

from enum import Enum
from typing import Any, Final, Literal

from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.enums import CaseKind, Determination
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


class _Unchanged(Enum):
    KEEP = "keep"


# Leaves the recorded determination as it is (callers that only edit the two texts).
KEEP: Final = _Unchanged.KEEP


def record_outcome(
    session: Session,
    actor: UserInfo,
    case_id: int,
    expected_version: int,
    findings: str,
    actions_taken: str,
    *,
    determination: Determination | Literal[_Unchanged.KEEP] | None = KEEP,
) -> CaseDetail:
    """Saves the findings and the actions taken, as the grievance committee and the
    response letter report them. Either may be left empty while the work goes on.

    `determination` is whether the review upheld the complaint (None: not decided yet);
    left out, the one recorded stays.
    """
    require(actor.role, Action.EDIT_CASE)
    values: dict[str, Any] = {"findings": clean(findings), "actions_taken": clean(actions_taken)}
    errors = {
        name: f"Keep {_NAMES[name]} to {OUTCOME_LIMIT:,} characters (they have {len(text):,})."
        for name, text in values.items()
        if len(text) > OUTCOME_LIMIT
    }
    case = get_case(session, case_id)
    if determination is not KEEP:
        if determination is not None and case.kind is not CaseKind.COMPLAINT:
            errors["determination"] = (
                "Only complaints are upheld or not upheld; this case is recorded as "
                f"\u201c{case.kind.label}\u201d."
            )
        values["determination"] = determination
    if errors:
        raise ValidationError.from_fields(errors)
    check_version(case, expected_version)
    before = {name: getattr(case, name) for name in values}
    if before == values:
        return case_detail(session, case)
    for name, value in values.items():
        setattr(case, name, value)
    case.updated_at = utcnow()
    session.flush()
    changed = [name for name in values if values[name] != before[name]]
    audit.record(
        session, actor, "update", "case", case.id, case_id=case.id,
        before={name: before[name] for name in changed},
        after={name: values[name] for name in changed},
    )  # fmt: skip
    return case_detail(session, case)
