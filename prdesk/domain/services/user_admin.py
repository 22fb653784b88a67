"""Managing who works in PR Desk: adding people, their roles, departments and access.

On PostgreSQL each person is also a login role in their role's group (see
security.login_roles), changed in the same transaction as their `users` row. On
the embedded database there are no logins: the rows are the department's people,
whom cases are assigned to and who sign letters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from prdesk.domain import audit
from prdesk.domain.enums import Role
from prdesk.domain.errors import ConflictError, NotFound, ValidationError
from prdesk.domain.models import Department, Setting, User, user_departments
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import Reference, UserInfo
from prdesk.domain.security import login_roles
from prdesk.domain.security.roles import (
    DEFAULT_REPRESENTATIVE_SCOPE,
    REPRESENTATIVE_SCOPE_KEY,
    RepresentativeScope,
)
from prdesk.domain.services import user_checks


@dataclass(frozen=True)
class UserAccount:
    """One person as the administration screen shows them."""

    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    email: str
    job_title: str
    departments: tuple[Reference, ...]
    version: int

    @property
    def department_names(self) -> str:
        return ", ".join(department.name for department in self.departments)


@dataclass(frozen=True)
class NewUser:
    """Someone to add. On PostgreSQL, `password` makes a new login with it; `existing_login`
    adopts one IT already made; neither makes a login that signs on without a password
    (LDAP, Kerberos, Windows sign-on). Both are ignored on the embedded database."""

    username: str
    display_name: str
    role: Role
    email: str = ""
    job_title: str = ""
    department_ids: tuple[int, ...] = ()
    password: str | None = None
    existing_login: bool = False


@dataclass(frozen=True)
class UserEdit:
    """Everything the edit form changes at once; `version` is the one the form was loaded at."""

    user_id: int
    version: int
    display_name: str
    role: Role
    email: str = ""
    job_title: str = ""
    department_ids: tuple[int, ...] = ()


def list_users(session: Session) -> list[UserAccount]:
    """Everyone, active first, by name."""
    users = session.scalars(select(User).order_by(User.active.desc(), User.display_name, User.id))
    departments = _departments_by_user(session)
    return [_account(user, departments.get(user.id, ())) for user in users]


def user_account(session: Session, user_id: int) -> UserAccount:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That person is no longer in PR Desk.")
    return _account(user, _departments_by_user(session, user_id).get(user_id, ()))


def user_id_of(session: Session, username: str) -> int:
    user_id = session.scalar(select(User.id).where(User.username == username.strip()))
    if user_id is None:
        raise NotFound(f"Nobody with the login '{username.strip()}' works in PR Desk.")
    return user_id


def department_ids(session: Session, names: Iterable[str]) -> tuple[int, ...]:
    """The ids of departments named as people type them (case does not matter)."""
    known = {
        name.casefold(): department_id
        for department_id, name in session.execute(
            select(Department.id, Department.name).where(Department.active.is_(True))
        )
    }
    ids: list[int] = []
    for name in names:
        department_id = known.get(name.strip().casefold())
        if department_id is None:
            raise ValidationError.from_fields(
                {"departments": f"There is no department called '{name.strip()}'."}
            )
        ids.append(department_id)
    return tuple(dict.fromkeys(ids))


def add_user(session: Session, actor: UserInfo, new: NewUser) -> UserAccount:
    """Adds a person, and on PostgreSQL their login in the same transaction."""
    require(actor.role, Action.MANAGE_USERS)
    username = new.username.strip()
    postgres = session.get_bind().dialect.name == "postgresql"
    errors = user_checks.person_problems(new.display_name, new.email, new.job_title)
    try:
        user_checks.check_username(username, postgres=postgres)
    except ValidationError as error:
        errors.update(error.fields)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        errors["username"] = f"'{username}' is already in PR Desk; edit them instead."
    if postgres and not errors:
        errors.update(user_checks.login_problems(session, username, new))
    if errors:
        raise ValidationError.from_fields(errors)
    user = User(
        username=username,
        display_name=new.display_name.strip(),
        role=new.role,
        email=new.email.strip(),
        job_title=new.job_title.strip(),
        active=True,
    )
    session.add(user)
    session.flush()
    departments = _replace_departments(session, user.id, new.department_ids)
    if postgres:
        if new.existing_login:
            login_roles.adopt_login(session, username, new.role)
        else:
            login_roles.create_login(session, username, new.role, new.password)
    audit.record(
        session,
        actor,
        "create",
        "user",
        user.id,
        username=username,
        role=new.role.value,
        departments=[department.name for department in departments],
    )
    return _account(user, departments)


def edit_user(session: Session, actor: UserInfo, edit: UserEdit) -> UserAccount:
    """Saves the edit form: name, role, email, job title and departments together."""
    require(actor.role, Action.MANAGE_USERS)
    user = _locked(session, edit.user_id, edit.version)
    errors = user_checks.person_problems(edit.display_name, edit.email, edit.job_title)
    if errors:
        raise ValidationError.from_fields(errors)
    changes: dict[str, Any] = {}
    for field, value in (
        ("display_name", edit.display_name.strip()),
        ("email", edit.email.strip()),
        ("job_title", edit.job_title.strip()),
    ):
        if getattr(user, field) != value:
            setattr(user, field, value)
            changes[field] = value
    if edit.role is not user.role:
        _change_role(session, actor, user, edit.role)
        changes["role"] = edit.role.value
    before = _departments_by_user(session, user.id).get(user.id, ())
    departments = _replace_departments(session, user.id, edit.department_ids)
    if set(before) != set(departments):
        changes["departments"] = [department.name for department in departments]
    _bump(session, user)
    if changes:
        audit.record(session, actor, "update", "user", user.id, username=user.username, **changes)
    return _account(user, departments)


def set_role(
    session: Session, actor: UserInfo, user_id: int, role: Role, *, version: int | None = None
) -> UserAccount:
    require(actor.role, Action.MANAGE_USERS)
    user = _locked(session, user_id, version)
    if role is not user.role:
        before = user.role
        _change_role(session, actor, user, role)
        _bump(session, user)
        audit.record(
            session,
            actor,
            "update",
            "user",
            user.id,
            username=user.username,
            role=role.value,
            previous_role=before.value,
        )
    return user_account(session, user.id)


def set_departments(
    session: Session,
    actor: UserInfo,
    user_id: int,
    ids: Iterable[int],
    *,
    version: int | None = None,
) -> UserAccount:
    """The departments someone works for (which cases they see where that is the rule)."""
    require(actor.role, Action.MANAGE_USERS)
    user = _locked(session, user_id, version)
    departments = _replace_departments(session, user.id, tuple(ids))
    _bump(session, user)
    audit.record(
        session,
        actor,
        "update",
        "user",
        user.id,
        username=user.username,
        departments=[department.name for department in departments],
    )
    return _account(user, departments)


def disable_user(
    session: Session, actor: UserInfo, user_id: int, *, version: int | None = None
) -> UserAccount:
    """They can no longer sign in; their cases, entries and letters stay theirs."""
    require(actor.role, Action.MANAGE_USERS)
    user = _locked(session, user_id, version)
    if user.id == actor.id or user.username == actor.username:
        raise ValidationError("You cannot disable yourself; ask another administrator.")
    if user.active and user.role is Role.ADMINISTRATOR:
        _keep_an_administrator(session, user)
    return _set_active(session, actor, user, active=False)


def enable_user(
    session: Session, actor: UserInfo, user_id: int, *, version: int | None = None
) -> UserAccount:
    require(actor.role, Action.MANAGE_USERS)
    return _set_active(session, actor, _locked(session, user_id, version), active=True)


def representative_scope(session: Session) -> RepresentativeScope:
    setting = session.get(Setting, REPRESENTATIVE_SCOPE_KEY)
    try:
        return RepresentativeScope(setting.value) if setting else DEFAULT_REPRESENTATIVE_SCOPE
    except ValueError:
        # A value written by a newer PR Desk: fall back to the narrower view.
        return DEFAULT_REPRESENTATIVE_SCOPE


def set_representative_scope(
    session: Session, actor: UserInfo, scope: RepresentativeScope
) -> RepresentativeScope:
    """Which cases representatives see, on every workstation (the database enforces it)."""
    require(actor.role, Action.MANAGE_USERS)
    setting = session.get(Setting, REPRESENTATIVE_SCOPE_KEY, with_for_update=True)
    if setting is None:
        session.add(Setting(key=REPRESENTATIVE_SCOPE_KEY, value=scope.value))
    elif setting.value != scope.value:
        setting.value = scope.value
    else:
        return scope
    session.flush()
    audit.record(
        session, actor, "update", "setting", None, key=REPRESENTATIVE_SCOPE_KEY, value=scope.value
    )
    return scope


def _locked(session: Session, user_id: int, version: int | None) -> User:
    """The row, locked until commit, refusing an edit made on an older version of it."""
    user = session.get(User, user_id, with_for_update=True, populate_existing=True)
    if user is None:
        raise NotFound("That person is no longer in PR Desk.")
    if version is not None and user.version != version:
        raise ConflictError(
            f"Someone else changed {user.display_name} since you opened them. "
            "Reload and make your change again."
        )
    return user


def _bump(session: Session, user: User) -> None:
    # Departments live in another table: writing the row anyway moves its version
    # on, so a form opened before this change cannot silently undo it.
    flag_modified(user, "display_name")
    session.flush()


def _change_role(session: Session, actor: UserInfo, user: User, role: Role) -> None:
    if user.active and user.role is Role.ADMINISTRATOR:
        _keep_an_administrator(session, user)
    user.role = role
    session.flush()
    if _has_login(session, user.username):
        login_roles.set_login_role(session, user.username, role)


def _has_login(session: Session, username: str) -> bool:
    # People without a login of their own (demo staff, someone who only signs letters)
    # are rows alone: there is nothing on the server to regroup or lock. A superuser
    # bypasses every grant anyway, and is left exactly as the DBA made it.
    return session.get_bind().dialect.name == "postgresql" and login_roles.managed_login(
        session, username
    )


def _keep_an_administrator(session: Session, leaving: User) -> None:
    # Locking every administrator's row serialises two administrators demoting
    # each other at the same moment: the second sees the first one's change.
    others = session.scalars(
        select(User.id)
        .where(User.role == Role.ADMINISTRATOR, User.active.is_(True), User.id != leaving.id)
        .with_for_update()
    ).all()
    if not others:
        raise ValidationError(
            f"{leaving.display_name} is the last active administrator; make someone else "
            "administrator first."
        )


def _set_active(session: Session, actor: UserInfo, user: User, *, active: bool) -> UserAccount:
    if user.active != active:
        user.active = active
        session.flush()
        if _has_login(session, user.username):
            login_roles.set_login_enabled(session, user.username, active)
        audit.record(
            session,
            actor,
            "enable" if active else "disable",
            "user",
            user.id,
            username=user.username,
        )
    return user_account(session, user.id)


def _replace_departments(
    session: Session, user_id: int, ids: tuple[int, ...]
) -> tuple[Reference, ...]:
    wanted = tuple(dict.fromkeys(ids))
    found = {
        department_id: name
        for department_id, name in session.execute(
            select(Department.id, Department.name).where(Department.id.in_(wanted))
        )
    }
    if len(found) != len(wanted):
        raise ValidationError.from_fields(
            {"departments": "A chosen department no longer exists; reload and choose again."}
        )
    current = set(
        session.scalars(
            select(user_departments.c.department_id).where(user_departments.c.user_id == user_id)
        )
    )
    if current != set(wanted):
        session.execute(delete(user_departments).where(user_departments.c.user_id == user_id))
        if wanted:
            session.execute(
                insert(user_departments),
                [{"user_id": user_id, "department_id": d} for d in wanted],
            )
    return tuple(sorted((Reference(d, found[d]) for d in wanted), key=lambda r: r.name.casefold()))


def _departments_by_user(
    session: Session, user_id: int | None = None
) -> dict[int, tuple[Reference, ...]]:
    query = (
        select(user_departments.c.user_id, Department.id, Department.name)
        .join(Department, Department.id == user_departments.c.department_id)
        .order_by(Department.name)
    )
    if user_id is not None:
        query = query.where(user_departments.c.user_id == user_id)
    result: dict[int, list[Reference]] = {}
    for owner, department_id, name in session.execute(query):
        result.setdefault(owner, []).append(Reference(department_id, name))
    return {owner: tuple(refs) for owner, refs in result.items()}


def _account(user: User, departments: tuple[Reference, ...]) -> UserAccount:
    return UserAccount(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        active=user.active,
        email=user.email,
        job_title=user.job_title,
        departments=departments,
        version=user.version,
    )
