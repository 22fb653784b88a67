"""Finding a case for a use case, and the checks every change to one starts with."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain.errors import ConflictError, NotFound
from prdesk.domain.models import Case
from prdesk.domain.services.mapping import load_case


def get_case(session: Session, case_ref: int | str) -> Case:
    if isinstance(case_ref, str):
        number = case_ref.strip().upper()
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        if case_id is None:
            raise NotFound(f"No case numbered {case_ref.strip()}.")
    else:
        case_id = case_ref
    case = load_case(session, case_id)
    if case is None:
        raise NotFound(f"Case {case_ref} does not exist (it may have been deleted).")
    return case


def check_version(case: Case, expected_version: int) -> None:
    if case.version != expected_version:
        raise ConflictError(
            f"Case {case.number} was changed by someone else since you opened it. "
            "Reload it to see their changes, then make yours again."
        )


def clean(text: str) -> str:
    # PostgreSQL cannot store NUL characters; they come only from odd pastes and mean nothing.
    return text.replace("\x00", "").strip()
