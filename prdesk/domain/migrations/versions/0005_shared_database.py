"""The shared database: the audit trail by triggers, representatives' departments, presence.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from prdesk.domain.security import audit_triggers, row_security

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("client", sa.String(length=100), nullable=False, server_default="")
        )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("client", server_default=None)

    op.create_table(
        "user_departments",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_user_departments_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_departments_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "department_id", name=op.f("pk_user_departments")),
    )
    op.create_table(
        "case_presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("activity", sa.String(length=100), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_presence_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_case_presence_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_presence")),
        sa.UniqueConstraint("case_id", "client", name=op.f("uq_case_presence_case_id")),
    )
    with op.batch_alter_table("case_presence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_presence_case_id"), ["case_id"], unique=False)

    # Row security finds a representative's departments' cases, and the files of cases
    # they see, through these; an auditor reads one person's actions through the last.
    op.create_index(
        op.f("ix_case_departments_department_id"), "case_departments", ["department_id"]
    )
    op.create_index(op.f("ix_attachments_sha256"), "attachments", ["sha256"])
    op.create_index(op.f("ix_audit_log_username_id"), "audit_log", ["username", "id"])

    # After every table change above: on SQLite a rebuilt table loses its triggers.
    connection = op.get_bind()
    audit_triggers.install(connection)
    if connection.dialect.name == "postgresql":
        # Last, so that its grants and policies cover everything made before.
        row_security.install(connection)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        row_security.uninstall(connection)
    # First: the audit log refuses the table rebuild below while its protection stands.
    audit_triggers.uninstall(connection)
    op.drop_index(op.f("ix_audit_log_username_id"), table_name="audit_log")
    op.drop_index(op.f("ix_attachments_sha256"), table_name="attachments")
    op.drop_index(op.f("ix_case_departments_department_id"), table_name="case_departments")
    with op.batch_alter_table("case_presence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_presence_case_id"))
    if connection.dialect.name == "postgresql":
        # With the row-security policies that name them (representatives' departments).
        op.execute("DROP TABLE case_presence CASCADE")
        op.execute("DROP TABLE user_departments CASCADE")
    else:
        op.drop_table("case_presence")
        op.drop_table("user_departments")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("client")
