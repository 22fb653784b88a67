"""The organisation's lists a case-list filter chooses from: departments, categories, caseworkers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from prdesk.domain.readmodels import Reference
from prdesk.domain.services import organisation, users


@dataclass(frozen=True)
class FilterChoices:
    departments: tuple[Reference, ...] = ()
    categories: tuple[Reference, ...] = ()
    # Who cases can be given to; and who holds cases (former colleagues too), to filter by.
    caseworkers: tuple[Reference, ...] = ()
    holders: tuple[Reference, ...] = ()

    def department(self, department_id: int) -> str:
        return _name(self.departments, department_id, "department")

    def category(self, category_id: int) -> str:
        return _name(self.categories, category_id, "category")

    def caseworker(self, user_id: int) -> str:
        return _name(self.holders or self.caseworkers, user_id, "person")


def _name(references: tuple[Reference, ...], wanted: int, what: str) -> str:
    found = next((ref.name for ref in references if ref.id == wanted), None)
    return found if found is not None else f"a former {what}"


def load_choices(session: Session) -> FilterChoices:
    """Runs in an operation: the lists as they are now."""
    return FilterChoices(
        tuple(organisation.departments(session)),
        tuple(organisation.categories(session)),
        tuple(users.caseworkers(session)),
        tuple(users.case_holders(session)),
    )
