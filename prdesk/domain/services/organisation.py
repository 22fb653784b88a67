"""The organisation's shared settings and reference lists (departments, categories)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.models import Category, Department, Setting
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import Letterhead, Reference, UserInfo

LETTERHEAD_KEY = "letterhead"
# Shown until an administrator sets the real one; plain enough to print as it is.
DEFAULT_LETTERHEAD = Letterhead(organisation="Patient Relations Department", department="")


def letterhead(session: Session) -> Letterhead:
    setting = session.get(Setting, LETTERHEAD_KEY)
    if setting is None:
        return DEFAULT_LETTERHEAD
    value: dict[str, Any] = dict(setting.value)
    value["address_lines"] = tuple(value.get("address_lines", ()))
    return Letterhead(**value)


def set_letterhead(session: Session, actor: UserInfo, value: Letterhead) -> Letterhead:
    require(actor.role, Action.MANAGE_ORGANISATION)
    data = asdict(value)
    data["address_lines"] = list(value.address_lines)
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
