"""Recording a case's outcome: what was found and what was done, kept, audited, never lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, Determination, Role
from prdesk.domain.errors import ConflictError, PermissionDenied, ValidationError
from prdesk.domain.models import AuditEvent
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases
from prdesk.domain.services.case_outcome import OUTCOME_LIMIT, record_outcome
from tests.support.builders import colleague, log_case, phone_complaint

FOUND = "Triage was delayed by a surge of ambulance arrivals.\n\nNobody updated the family."
DONE = "Hourly updates to waiting families were re-briefed to all emergency staff."


def _audit(db: Database, case_id: int) -> list[AuditEvent]:
    with db.transaction(read_only=True) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.case_id == case_id,
                    AuditEvent.entity == "case",
                    AuditEvent.action == "update",
                )
                .order_by(AuditEvent.id)
            )
        )


def test_the_outcome_is_kept_on_the_case_and_in_the_audit_log(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        saved = record_outcome(session, coordinator, case.id, case.version, f"  {FOUND}\n", DONE)
    assert (saved.findings, saved.actions_taken) == (FOUND, DONE)
    assert saved.version > case.version
    with db.transaction(read_only=True) as session:
        reopened = cases.view_case(session, coordinator, case.number, record_view=False)
    assert (reopened.findings, reopened.actions_taken) == (FOUND, DONE)
    [event] = _audit(db, case.id)
    assert event.username == "mgarcia"
    assert event.details == {
        "before": {"findings": "", "actions_taken": ""},
        "after": {"findings": FOUND, "actions_taken": DONE},
    }

    # A correction to one of the two logs only that one.
    with db.transaction() as session:
        record_outcome(session, coordinator, case.id, saved.version, FOUND, DONE + " Done.")
    assert _audit(db, case.id)[-1].details == {
        "before": {"actions_taken": DONE},
        "after": {"actions_taken": DONE + " Done."},
    }


def test_saving_what_is_already_saved_changes_nothing(db: Database, coordinator: UserInfo) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        saved = record_outcome(session, coordinator, case.id, case.version, FOUND, "")
    with db.transaction() as session:
        again = record_outcome(session, coordinator, case.id, saved.version, FOUND + "  ", "")
    assert again.version == saved.version
    assert len(_audit(db, case.id)) == 1


def test_an_outcome_saved_over_a_newer_version_is_refused(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        record_outcome(session, coordinator, case.id, case.version, FOUND, DONE)
    with pytest.raises(ConflictError, match="changed by someone else"), db.transaction() as session:
        record_outcome(session, coordinator, case.id, case.version, "Something else", "")
    with db.transaction(read_only=True) as session:
        kept = cases.view_case(session, coordinator, case.id, record_view=False)
    assert (kept.findings, kept.actions_taken) == (FOUND, DONE)


def test_an_outcome_too_long_to_print_is_refused_field_by_field(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    pasted = "x" * (OUTCOME_LIMIT + 1)
    with pytest.raises(ValidationError) as refused, db.transaction() as session:
        record_outcome(session, coordinator, case.id, case.version, pasted, DONE)
    assert refused.value.fields == {
        "findings": f"Keep the findings to {OUTCOME_LIMIT:,} characters (they have 20,001)."
    }
    with pytest.raises(ValidationError) as refused, db.transaction() as session:
        record_outcome(session, coordinator, case.id, case.version, pasted, pasted)
    assert set(refused.value.fields) == {"findings", "actions_taken"}
    assert refused.value.message == "2 fields need attention."


def test_a_representative_records_an_outcome_but_an_auditor_may_not(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    representative = colleague(db, "jkim", "Ji-woo Kim")
    auditor = colleague(db, "audit", "Sam Auditor", Role.AUDITOR)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        record_outcome(session, auditor, case.id, case.version, FOUND, DONE)
    with db.transaction() as session:
        saved = record_outcome(session, representative, case.id, case.version, FOUND, DONE)
    assert saved.findings == FOUND


def test_whether_a_complaint_was_upheld_is_recorded_audited_and_kept_by_other_edits(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    assert case.determination is None
    with db.transaction() as session:
        saved = record_outcome(
            session, coordinator, case.id, case.version, FOUND, DONE,
            determination=Determination.PARTLY_UPHELD,
        )  # fmt: skip
    assert saved.determination is Determination.PARTLY_UPHELD
    assert _audit(db, case.id)[-1].details == {
        "before": {"findings": "", "actions_taken": "", "determination": None},
        "after": {"findings": FOUND, "actions_taken": DONE, "determination": "partly_upheld"},
    }

    # Saving only the texts, as before the determination was asked, keeps it.
    with db.transaction() as session:
        edited = record_outcome(session, coordinator, case.id, saved.version, FOUND, "Apologised.")
    with db.transaction(read_only=True) as session:
        kept = cases.view_case(session, coordinator, case.id, record_view=False)
    assert kept.determination is Determination.PARTLY_UPHELD
    assert _audit(db, case.id)[-1].details == {
        "before": {"actions_taken": DONE},
        "after": {"actions_taken": "Apologised."},
    }

    # "Not decided" takes it back off, and says so in the log.
    with db.transaction() as session:
        record_outcome(
            session, coordinator, case.id, edited.version, FOUND, "Apologised.",
            determination=None,
        )  # fmt: skip
    with db.transaction(read_only=True) as session:
        undecided = cases.view_case(session, coordinator, case.id, record_view=False)
    assert undecided.determination is None
    assert _audit(db, case.id)[-1].details == {
        "before": {"determination": "partly_upheld"},
        "after": {"determination": None},
    }


def test_a_compliment_is_not_upheld_or_not_upheld(db: Database, coordinator: UserInfo) -> None:
    praise = log_case(db, coordinator, phone_complaint(kind=CaseKind.COMPLIMENT))
    with pytest.raises(ValidationError) as refused, db.transaction() as session:
        record_outcome(
            session, coordinator, praise.id, praise.version, FOUND, DONE,
            determination=Determination.UPHELD,
        )  # fmt: skip
    assert refused.value.fields == {
        "determination": "Only complaints are upheld or not upheld; this case is recorded "
        "as \u201cCompliment\u201d."
    }
    with db.transaction(read_only=True) as session:
        kept = cases.view_case(session, coordinator, praise.id, record_view=False)
    assert (kept.findings, kept.determination) == ("", None)
    # Its texts are saved as ever; "not decided" is no claim about it.
    with db.transaction() as session:
        saved = record_outcome(
            session, coordinator, praise.id, praise.version, FOUND, DONE, determination=None
        )
    assert (saved.findings, saved.determination) == (FOUND, None)
