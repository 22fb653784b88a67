"""Who is acting: the user record behind the workstation's or the database's login."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prdesk.domain.enums import FINISHED_STATUSES, Role
from prdesk.domain.errors import PermissionDenied
from prdesk.domain.models import Case, User
from prdesk.domain.readmodels import Reference, UserInfo
from prdesk.domain.services.mapping import user_info


def resolve_actor(
    session: Session,
    username: str,
    display_name: str | None = None,
    *,
    workstation_owner: bool = False,
) -> UserInfo:
    """The user for a login name, created on first sight.

    The first person to use a new shared database becomes its administrator;
    anyone after that starts as a representative until an administrator gives
    them another role. On an embedded database the workstation's own user
    (`workstation_owner`) is its administrator even when other users exist,
    such as the fictional staff of demo data.
    """
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        has_users = session.scalar(select(func.count()).select_from(User)) or 0
        administrator = workstation_owner or not has_users
        user = User(
            username=username,
            display_name=display_name or username,
            role=Role.ADMINISTRATOR if administrator else Role.REPRESENTATIVE,
        )
        session.add(user)
        session.flush()
    if not user.active:
        raise PermissionDenied(f"The account '{username}' is disabled; ask an administrator.")
    return user_info(user)


def active_users(session: Session, roles: set[Role] | None = None) -> list[UserInfo]:
    query = select(User).where(User.active.is_(True)).order_by(User.display_name)
    if roles:
        query = query.where(User.role.in_(roles))
    return [user_info(user) for user in session.scalars(query)]


def caseworkers(session: Session) -> list[Reference]:
    """People a case can be assigned to."""
    roles = {Role.ADMINISTRATOR, Role.COORDINATOR, Role.REPRESENTATIVE}
    return [Reference(user.id, user.display_name) for user in active_users(session, roles)]


def case_holders(session: Session) -> list[Reference]:
    """Everyone the case list can be filtered by: the caseworkers, then anyone no longer
    able to take cases who still holds open ones (marked so), since their cases must
    be found to be handed on."""
    holders = caseworkers(session)
    known = {holder.id for holder in holders}
    former = session.execute(
        select(User.id, User.display_name)
        .where(User.id.in_(select(Case.assignee_id).where(Case.status.not_in(FINISHED_STATUSES))))
        .order_by(func.lower(User.display_name))
    ).all()
    holders += [
        Reference(user_id, f"{name} (no longer taking cases)")
        for user_id, name in former
        if user_id not in known
    ]
    return holders
