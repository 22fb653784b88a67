"""The shape of the groups' rights: a table's grants per group and its row-level security policies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from prdesk.domain.enums import Role

A, C, R, K, U = (
    Role.ADMINISTRATOR,
    Role.COORDINATOR,
    Role.REPRESENTATIVE,
    Role.CLERK,
    Role.AUDITOR,
)
EVERYONE = (A, C, R, K, U)
CASEWORKERS = (C, R)


@dataclass(frozen=True)
class Policy:
    """One row-level security policy.

    Attributes:
        name: unique on its table.
        command: ALL, SELECT, INSERT, UPDATE or DELETE.
        roles: the groups it applies to.
        using: which existing rows it lets the groups see or change.
        check: which new or changed rows it lets them write.
    """

    name: str
    command: str
    roles: tuple[Role, ...]
    using: str | None = None
    check: str | None = None


@dataclass(frozen=True)
class TableRules:
    """A table's grants per group and, when `policies` is given, its row-level security.

    Attributes:
        grants: per group, GRANT clauses ("SELECT, INSERT", "UPDATE (status, version)").
    """

    table: str
    grants: Mapping[Role, tuple[str, ...]]
    policies: tuple[Policy, ...] = field(default=())
    row_security: bool = True


FULL = ("SELECT, INSERT, UPDATE, DELETE",)
READ = ("SELECT",)


def everyone_reads_admin_writes(table: str) -> TableRules:
    """Configuration: everyone reads it; only an administrator changes it."""
    return TableRules(
        table,
        {A: FULL, C: READ, R: READ, K: READ, U: READ},
        (
            Policy("administrators", "ALL", (A,), "true", "true"),
            Policy("everyone reads", "SELECT", (C, R, K, U), "true"),
        ),
    )
