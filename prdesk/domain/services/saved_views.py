"""Named case-list views: the built-in ones every desk has, and those each person saves."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.enums import CaseStatus
from prdesk.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from prdesk.domain.models import SavedView
from prdesk.domain.permissions import Action, require
from prdesk.domain.queries import CaseFilter, Due
from prdesk.domain.readmodels import UserInfo

NAME_LENGTH = 100


@dataclass(frozen=True)
class SavedViewInfo:
    """A view as the list offers it.

    Attributes:
        key: stable identity: "builtin:<name>" or "user:<id>".
        view_id, version: the saved row behind a user's own view (None for built-in views).
    """

    key: str
    name: str
    criteria: CaseFilter
    view_id: int | None = None
    version: int | None = None

    @property
    def built_in(self) -> bool:
        return self.view_id is None


def _built_in(key: str, name: str, criteria: CaseFilter) -> SavedViewInfo:
    return SavedViewInfo(f"builtin:{key}", name, criteria)


# Code, not rows: they mean the same for everyone, and "my" and "overdue" are
# resolved for the person and the day when the list is queried.
BUILT_IN_VIEWS: tuple[SavedViewInfo, ...] = (
    _built_in("all", "All cases", CaseFilter()),
    _built_in("open", "Open cases", CaseFilter(open_only=True)),
    _built_in("mine", "My open cases", CaseFilter(assigned_to_me=True, open_only=True)),
    _built_in("unassigned", "Unassigned", CaseFilter(unassigned=True, open_only=True)),
    _built_in("due_this_week", "Due this week", CaseFilter(due=frozenset({Due.DUE_THIS_WEEK}))),
    _built_in("overdue", "Overdue", CaseFilter(due=frozenset({Due.OVERDUE}))),
    _built_in(
        "grievances_open_7_days",
        "Grievances open more than 7 days",
        CaseFilter(grievance=True, open_more_than_days=7),
    ),
    _built_in(
        "waiting_on_department",
        "Waiting on a department",
        CaseFilter(statuses=frozenset({CaseStatus.WAITING_ON_DEPARTMENT})),
    ),
)


def views(session: Session, actor: UserInfo) -> list[SavedViewInfo]:
    """The built-in views, then the person's own in name order."""
    require(actor.role, Action.VIEW_CASE)
    own = session.scalars(select(SavedView).where(SavedView.owner_id == actor.id))
    mine = sorted((_info(view) for view in own), key=lambda info: info.name.casefold())
    return [*BUILT_IN_VIEWS, *mine]


def save_view(session: Session, actor: UserInfo, name: str, criteria: CaseFilter) -> SavedViewInfo:
    """Keeps the filter under a name of the person's choosing.

    The typed search is not part of a view: it narrows whichever view is shown.
    """
    require(actor.role, Action.VIEW_CASE)
    clean = _valid_name(session, actor, name)
    view = SavedView(owner_id=actor.id, name=clean, criteria=replace(criteria, search="").to_json())
    session.add(view)
    session.flush()
    audit.record(session, actor, "create", "saved_view", view.id, name=clean)
    return _info(view)


def rename_view(
    session: Session, actor: UserInfo, view_id: int, expected_version: int, name: str
) -> SavedViewInfo:
    view = _own_view(session, actor, view_id, expected_version)
    clean = _valid_name(session, actor, name, renaming=view.id)
    if clean != view.name:
        previous, view.name = view.name, clean
        session.flush()
        audit.record(session, actor, "update", "saved_view", view.id, before=previous, after=clean)
    return _info(view)


def delete_view(session: Session, actor: UserInfo, view_id: int, expected_version: int) -> None:
    view = _own_view(session, actor, view_id, expected_version)
    audit.record(session, actor, "delete", "saved_view", view.id, name=view.name)
    session.delete(view)
    session.flush()


def _own_view(session: Session, actor: UserInfo, view_id: int, expected_version: int) -> SavedView:
    require(actor.role, Action.VIEW_CASE)
    view = session.get(SavedView, view_id)
    if view is None:
        raise NotFound("That view no longer exists.")
    if view.owner_id != actor.id:
        raise PermissionDenied("Only the person who saved a view may change it.")
    if view.version != expected_version:
        raise ConflictError(
            f"The view “{view.name}” was changed in another window. Look at it again first."
        )
    return view


def _valid_name(
    session: Session, actor: UserInfo, name: str, *, renaming: int | None = None
) -> str:
    clean = " ".join(name.replace("\x00", "").split())
    if not clean:
        raise ValidationError("Give the view a name.", {"name": "required"})
    if len(clean) > NAME_LENGTH:
        raise ValidationError(
            f"A view's name can be at most {NAME_LENGTH} characters.", {"name": "too_long"}
        )
    others = select(SavedView.name).where(SavedView.owner_id == actor.id)
    if renaming is not None:
        others = others.where(SavedView.id != renaming)
    taken = {view.name.casefold() for view in BUILT_IN_VIEWS}
    taken |= {other.casefold() for other in session.scalars(others)}
    if clean.casefold() in taken:
        raise ValidationError(f"There is already a view named “{clean}”.", {"name": "taken"})
    return clean


def _info(view: SavedView) -> SavedViewInfo:
    return SavedViewInfo(
        f"user:{view.id}", view.name, CaseFilter.from_json(view.criteria), view.id, view.version
    )
