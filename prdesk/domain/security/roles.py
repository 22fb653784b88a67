"""The PostgreSQL group roles that carry each PR Desk role's rights, and who may see which cases.

Every person logs in as their own PostgreSQL login role, a member of exactly one of
these groups; the grants and row-level security policies are given to the groups, so
the database knows who acts and limits them whatever client they connect with.
"""

from __future__ import annotations

from enum import StrEnum

from prdesk.domain.enums import Role

GROUP_ROLES: dict[Role, str] = {
    Role.ADMINISTRATOR: "prdesk_administrator",
    Role.COORDINATOR: "prdesk_coordinator",
    Role.REPRESENTATIVE: "prdesk_representative",
    Role.CLERK: "prdesk_clerk",
    Role.AUDITOR: "prdesk_auditor",
}


def group_role(role: Role) -> str:
    return GROUP_ROLES[role]


def role_of_group(name: str) -> Role | None:
    for role, group in GROUP_ROLES.items():
        if group == name:
            return role
    return None


# The shared setting (settings table) that says which cases representatives see.
REPRESENTATIVE_SCOPE_KEY = "access.representative_scope"


class RepresentativeScope(StrEnum):
    """Which cases a representative sees, as an administrator chose.

    Either way they see the cases assigned to them.
    """

    # ... and every case of the departments they work for (user_departments).
    DEPARTMENTS = "departments"
    # ... and every case nobody has taken yet.
    ASSIGNED_AND_UNASSIGNED = "assigned_and_unassigned"

    @property
    def label(self) -> str:
        if self is RepresentativeScope.DEPARTMENTS:
            return "Cases of their departments, and those assigned to them"
        return "Cases assigned to them, and cases nobody has taken yet"


DEFAULT_REPRESENTATIVE_SCOPE = RepresentativeScope.ASSIGNED_AND_UNASSIGNED
