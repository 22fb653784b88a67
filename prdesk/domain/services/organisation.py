"""The organisation's shared settings and reference lists (departments, categories)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.enums import PaperFormat
from prdesk.domain.errors import ConflictError, NotFound, ValidationError
from prdesk.domain.models import Blob, Category, Department, Setting
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import Letterhead, Reference, UserInfo
from prdesk.domain.services.attachments import store_blob
from prdesk.domain.services.case_input import email_problem

LETTERHEAD_KEY = "letterhead"
# Set in the practice database only: its letters are marked as not real (Letterhead.practice).
PRACTICE_KEY = "practice_database"
# Shown until an administrator sets the real one; plain enough to print as it is.
DEFAULT_LETTERHEAD = Letterhead(organisation="Patient Relations Department", department="")
NAME_LIMIT = 200  # the columns' length


def letterhead(session: Session) -> Letterhead:
    setting = session.get(Setting, LETTERHEAD_KEY)
    if setting is None:
        return replace(DEFAULT_LETTERHEAD, practice=session.get(Setting, PRACTICE_KEY) is not None)
    value: dict[str, Any] = dict(setting.value)
    logo_sha256 = value.pop("logo_sha256", None)
    known = {field.name for field in fields(Letterhead)}
    value = {key: item for key, item in value.items() if key in known}
    value["practice"] = session.get(Setting, PRACTICE_KEY) is not None
    value["address_lines"] = tuple(value.get("address_lines", ()))
    if "paper" in value:
        value["paper"] = PaperFormat(value["paper"])
    if logo_sha256:
        value["logo"] = session.scalar(select(Blob.content).where(Blob.sha256 == logo_sha256))
    return Letterhead(**value)


LOGO_LIMIT = 2 * 1024 * 1024  # a letterhead logo is a small picture, not a scan of a page


def set_letterhead(session: Session, actor: UserInfo, value: Letterhead) -> Letterhead:
    require(actor.role, Action.MANAGE_ORGANISATION)
    if not value.organisation.strip():
        raise ValidationError("The organisation's name is printed on every letter: enter it.")
    data = asdict(value)
    data["address_lines"] = [line for line in value.address_lines if line.strip()]
    data["paper"] = value.paper.value
    del data["practice"]  # a property of the database, not of the letterhead
    logo = data.pop("logo")
    if logo:
        if len(logo) > LOGO_LIMIT:
            raise ValidationError("The logo is larger than 2 MB; use a smaller picture.")
        data["logo_sha256"] = store_blob(session, logo)
    setting = session.get(Setting, LETTERHEAD_KEY)
    if setting is None:
        session.add(Setting(key=LETTERHEAD_KEY, value=data))
    else:
        setting.value = data
    session.flush()
    audit.record(session, actor, "update", "setting", None, key=LETTERHEAD_KEY)
    return value


def departments(session: Session) -> list[Reference]:
    rows = session.scalars(
        select(Department).where(Department.active.is_(True)).order_by(Department.name)
    )
    return [Reference(d.id, d.name) for d in rows]


@dataclass(frozen=True)
class DepartmentContacts:
    """Whom a department's requests for statements go to, and whom to escalate to."""

    id: int
    name: str
    manager_name: str
    manager_email: str
    backup_name: str
    backup_email: str
    version: int

    @property
    def reference(self) -> Reference:
        return Reference(self.id, self.name)


def _contacts(department: Department) -> DepartmentContacts:
    return DepartmentContacts(
        id=department.id,
        name=department.name,
        manager_name=department.manager_name,
        manager_email=department.manager_email,
        backup_name=department.backup_name,
        backup_email=department.backup_email,
        version=department.version,
    )


def department_contacts(session: Session) -> list[DepartmentContacts]:
    """Every active department with its contacts, by name."""
    rows = session.scalars(
        select(Department).where(Department.active.is_(True)).order_by(Department.name)
    )
    return [_contacts(department) for department in rows]


def contacts_of(session: Session, department_id: int) -> DepartmentContacts:
    department = session.get(Department, department_id)
    if department is None:
        raise NotFound(f"Department {department_id} does not exist (it may have been removed).")
    return _contacts(department)


def set_department_contacts(
    session: Session,
    actor: UserInfo,
    department_id: int,
    expected_version: int,
    manager_name: str,
    manager_email: str,
    backup_name: str,
    backup_email: str,
) -> DepartmentContacts:
    """Records whom the department's requests go to; any of them may be left empty."""
    require(actor.role, Action.MANAGE_ORGANISATION)
    values = {
        "manager_name": _one_line(manager_name),
        "manager_email": manager_email.strip(),
        "backup_name": _one_line(backup_name),
        "backup_email": backup_email.strip(),
    }
    errors: dict[str, str] = {}
    for field in ("manager_name", "backup_name"):
        if len(values[field]) > NAME_LIMIT:
            errors[field] = f"Keep the name under {NAME_LIMIT} characters."
    for field in ("manager_email", "backup_email"):
        if values[field] and (problem := email_problem(values[field])):
            errors[field] = problem
    if values["backup_name"] and values["backup_name"] == values["manager_name"]:
        # Escalating to the person who has not answered changes nothing.
        errors["backup_name"] = "The backup reviewer must be someone other than the manager."
    if errors:
        raise ValidationError.from_fields(errors)
    department = session.get(Department, department_id)
    if department is None:
        raise NotFound(f"Department {department_id} does not exist (it may have been removed).")
    if department.version != expected_version:
        raise ConflictError(
            f"Someone else changed the contacts of {department.name} since you opened them. "
            "Reload to see their changes, then make yours again."
        )
    before = {field: getattr(department, field) for field in values}
    if before == values:
        return _contacts(department)
    for field, value in values.items():
        setattr(department, field, value)
    session.flush()
    audit.record(session, actor, "update", "department", department.id, before=before, after=values)
    return _contacts(department)


def _one_line(text: str) -> str:
    return " ".join(text.replace("\x00", "").split())


def categories(session: Session) -> list[Reference]:
    """Subcategories as "Parent > Child", then parents without children, sorted by path."""
    rows = list(session.scalars(select(Category).where(Category.active.is_(True))))
    parents_with_children = {c.parent_id for c in rows if c.parent_id is not None}
    choices = [Reference(c.id, c.path) for c in rows if c.id not in parents_with_children]
    return sorted(choices, key=lambda ref: ref.name.casefold())


def ensure_department(session: Session, name: str) -> int:
    department = session.scalar(select(Department).where(Department.name == name))
    if department is None:
        department = Department(name=name)
        session.add(department)
        session.flush()
    return department.id


def ensure_category(session: Session, parent: str, child: str | None = None) -> int:
    """Id of "parent" or "parent > child", creating either level as needed."""
    top = session.scalar(
        select(Category).where(Category.parent_id.is_(None), Category.name == parent)
    )
    if top is None:
        top = Category(name=parent)
        session.add(top)
        session.flush()
    if child is None:
        return top.id
    sub = session.scalar(
        select(Category).where(Category.parent_id == top.id, Category.name == child)
    )
    if sub is None:
        sub = Category(name=child, parent=top)
        session.add(sub)
        session.flush()
    return sub.id
