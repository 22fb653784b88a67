"""The fictional hospital demo cases happen in: its letterhead, departments, categories and staff."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from prdesk.domain.demo import names, stories
from prdesk.domain.enums import Role
from prdesk.domain.models import Setting, User
from prdesk.domain.readmodels import Letterhead, UserInfo
from prdesk.domain.services import organisation
from prdesk.domain.services.mapping import user_info
from prdesk.domain.services.organisation import DepartmentContacts

LETTERHEAD = Letterhead(
    organisation="Riverside General Hospital",
    department="Patient Relations",
    address_lines=("4850 Magnolia Avenue", "Riverside, CA 92506"),
    phone="(951) 555-0100",
    email="patient.relations@riverside-general.example",
    website="www.riverside-general.example",
)
# The audit log names the generator, not a person, for the letterhead it sets.
_GENERATOR = UserInfo(0, "prdesk-demo-data", "Demo data generator", Role.ADMINISTRATOR)


@dataclass(frozen=True)
class Organisation:
    """The reference rows that demo cases point at, by name."""

    departments: dict[str, int]
    categories: dict[tuple[str, str], int]
    staff: tuple[UserInfo, ...]
    contacts: dict[int, DepartmentContacts] = field(default_factory=dict)


def prepare_organisation(session: Session) -> Organisation:
    """The letterhead (unless one is set), departments, categories and staff, made once."""
    if session.get(Setting, organisation.LETTERHEAD_KEY) is None:
        organisation.set_letterhead(session, _GENERATOR, LETTERHEAD)
    departments = {
        name: organisation.ensure_department(session, name) for name in stories.DEPARTMENTS
    }
    for name, department_id in departments.items():
        known = organisation.contacts_of(session, department_id)
        manager, backup = stories.DEPARTMENT_CONTACTS.get(name, ("", ""))
        # Contacts an administrator has set are theirs to keep.
        if not known.manager_name and manager:
            organisation.set_department_contacts(
                session, _GENERATOR, department_id, known.version,
                manager, _work_email(manager), backup, _work_email(backup),
            )  # fmt: skip
    contacts = {
        department_id: organisation.contacts_of(session, department_id)
        for department_id in departments.values()
    }
    categories = {
        (parent, child): organisation.ensure_category(session, parent, child)
        for parent, children in stories.CATEGORY_TREE.items()
        for child in children
    }
    staff = []
    for username, display_name, role, title, extension in names.STAFF:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(
                username=username, display_name=display_name, role=Role(role), job_title=title,
                email=f"{username}@riverside-general.example",
                phone=f"{LETTERHEAD.phone} ext. {extension}",
            )  # fmt: skip
            session.add(user)
            session.flush()
        staff.append(user_info(user))
    return Organisation(departments, categories, tuple(staff), contacts)


def _work_email(name: str) -> str:
    """ "Dr. Nguyễn Thị Lan" -> "nguyen.thi.lan@riverside-general.example"; "" for no one."""
    plain = unicodedata.normalize("NFKD", name.removeprefix("Dr. "))
    words = re.findall(r"[a-z]+", plain.encode("ascii", "ignore").decode().lower())
    return f"{'.'.join(words)}@riverside-general.example" if words else ""
