"""Keeping `case_staff` in step with what a case's "Staff involved" says."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert

from prdesk.domain.models import CaseStaff
from prdesk.domain.staff_names import staff_names


def staff_rows(case_id: int, staff_involved: str) -> list[dict[str, Any]]:
    """The case_staff rows for one case (also for the demo data and the migration)."""
    return [
        {"case_id": case_id, "position": position, "name": name, "name_key": key}
        for position, (name, key) in enumerate(staff_names(staff_involved))
    ]


def record_staff(connection: Connection, case_id: int, staff_involved: str) -> None:
    """Replaces the case's named staff with those `staff_involved` names now."""
    connection.execute(delete(CaseStaff).where(CaseStaff.case_id == case_id))
    rows = staff_rows(case_id, staff_involved)
    if rows:
        connection.execute(insert(CaseStaff), rows)
