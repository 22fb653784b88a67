"""Reports: when a case was resolved, what its review concluded, and the staff it names.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from prdesk.domain.security import audit_triggers, row_security
from prdesk.domain.services.case_staff import staff_rows

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Cases whose staff are read and written per round trip while filling case_staff.
_BATCH = 5000

# The last move into Resolved or Closed on the case's timeline (PR Desk writes these
# entries itself, "Status changed from Investigating to Resolved"), not counting the
# close of an already resolved case, which keeps the day it was resolved.
_RESOLVED_AT = """
UPDATE cases SET resolved_at = coalesce(
    (SELECT max(t.occurred_at) FROM timeline_entries t
      WHERE t.case_id = cases.id AND t.kind = 'status_change'
        AND (t.summary LIKE 'Status changed from % to Resolved%'
             OR (t.summary LIKE 'Status changed from % to Closed%'
                 AND t.summary NOT LIKE 'Status changed from Resolved to Closed%'))),
    closed_at, updated_at)
WHERE status IN ('resolved', 'closed')
"""


def upgrade() -> None:
    connection = op.get_bind()
    # First: the backfill below is derived from rows already audited, and SQLite's
    # triggers are written column by column, so they are made again for the new columns.
    audit_triggers.uninstall(connection)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("determination", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "case_staff",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_staff_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "position", name=op.f("pk_case_staff")),
    )
    op.create_index(op.f("ix_case_staff_name_key"), "case_staff", ["name_key"])
    # Reports count received grievances per period: this keeps them to an index range.
    op.create_index("ix_cases_grievance_received", "cases", ["is_grievance", "received_at"])

    op.execute(_RESOLVED_AT)
    _fill_case_staff(connection)

    audit_triggers.install(connection)
    if connection.dialect.name == "postgresql":
        # Last, so that its grants and policies cover the new table.
        row_security.install(connection)


def _fill_case_staff(connection: sa.Connection) -> None:
    case_staff = sa.table(
        "case_staff",
        sa.column("case_id"),
        sa.column("position"),
        sa.column("name"),
        sa.column("name_key"),
    )
    last_id = 0
    while True:
        batch = connection.execute(
            sa.text(
                "SELECT id, staff_involved FROM cases WHERE id > :last AND staff_involved <> '' "
                "ORDER BY id LIMIT :size"
            ),
            {"last": last_id, "size": _BATCH},
        ).all()
        if not batch:
            return
        rows = [row for case_id, text in batch for row in staff_rows(case_id, text)]
        if rows:
            connection.execute(sa.insert(case_staff), rows)
        last_id = batch[-1][0]


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        row_security.uninstall(connection)
    audit_triggers.uninstall(connection)
    op.drop_index("ix_cases_grievance_received", table_name="cases")
    op.drop_index(op.f("ix_case_staff_name_key"), table_name="case_staff")
    if connection.dialect.name == "postgresql":
        op.execute("DROP TABLE case_staff CASCADE")
    else:
        op.drop_table("case_staff")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("determination")
    audit_triggers.install(connection)
    if connection.dialect.name == "postgresql":
        row_security.install(connection)
