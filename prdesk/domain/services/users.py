"""Who is acting: the user record behind the workstation's or the database's login."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from prdesk.domain.enums import FINISHED_STATUSES, Role
from prdesk.domain.errors import PermissionDenied
from prdesk.domain.models import Case, User
from prdesk.domain.readmodels import Reference, UserInfo
from prdesk.domain.security.roles import GROUP_ROLES
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

    On PostgreSQL a person's login is a member of one of PR Desk's group roles: who
    acts is then the login itself (whatever `username` says) and their role is their
    group's, which is what the database's grants and policies hold them to. Only a
    superuser or the tables' owner (the database administrator, who migrates) is
    an administrator when signed in as themself, and otherwise (acting for someone,
    as tools and tests do) taken by `username` and the users table, as on SQLite.
    """
    if session.get_bind().dialect.name == "postgresql":
        login, group = _database_login(session)
        if group is not None:
            return _member(session, login, group, display_name)
        if username == login:
            # The database administrator (a superuser or the tables' owner) signed in as
            # themself: the database lets them do anything, and so does PR Desk, even
            # when demo data or earlier people came first.
            return _member(session, login, Role.ADMINISTRATOR, display_name)
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


def _database_login(session: Session) -> tuple[str, Role | None]:
    """The session's login and its group's role; None for the database administrator.

    Refuses a login that is in no group and is not the administrator.
    """
    login, superuser, owner, groups = session.execute(
        text(
            "SELECT r.rolname, r.rolsuper,"
            " r.rolbypassrls OR coalesce(pg_has_role(session_user, c.relowner, 'MEMBER'), false),"
            " ARRAY(SELECT g.rolname FROM pg_roles g WHERE g.rolname = ANY(:groups)"
            "  AND pg_has_role(session_user, g.oid, 'USAGE'))"
            " FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('cases')"
            " WHERE r.rolname = session_user"
        ),
        {"groups": list(GROUP_ROLES.values())},
    ).one()
    if superuser:
        # As far as pg_has_role goes, a superuser is a member of every group.
        return str(login), None
    # Someone in two groups acts in the first of GROUP_ROLES' order (the strongest);
    # the database grants them the rights of both anyway.
    for role, group in GROUP_ROLES.items():
        if group in groups:
            return str(login), role
    if owner:
        return str(login), None
    raise PermissionDenied("Your database login is not set up for PR Desk; ask an administrator.")


def _member(session: Session, login: str, role: Role, display_name: str | None) -> UserInfo:
    """The user of a login in a PR Desk group, created on first sight in that group's role.

    The users row's role is kept in step with the group by the administration
    screens; until then the group, which the database enforces, is what counts.
    """
    user = session.scalar(select(User).where(User.username == login))
    if user is None:
        # The database lets a login add its own row only, and only in its own group's role.
        user = User(username=login, display_name=display_name or login, role=role)
        session.add(user)
        session.flush()
    if not user.active:
        raise PermissionDenied(f"The account '{login}' is disabled; ask an administrator.")
    return replace(user_info(user), role=role)


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
