"""The investigation timeline editor: richer entries, requests to departments, attachments.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 00:00:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from prdesk.domain.rich_text import escape_plain, to_plain

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REQUEST_ENTRY_COLUMNS = ("request_entry_id", "response_entry_id", "escalation_entry_id")
_DEPARTMENT_CONTACTS = ("manager_name", "manager_email", "backup_name", "backup_email")


def upgrade() -> None:
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("people", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("sender", sa.String(length=320), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("recipients", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("edited_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deleted_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_timeline_entries_edited_by_id_users"), "users", ["edited_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_timeline_entries_deleted_by_id_users"),
            "users",
            ["deleted_by_id"],
            ["id"],
        )
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        for column in ("people", "sender", "recipients"):
            batch_op.alter_column(column, server_default=None)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("findings", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("actions_taken", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("findings", server_default=None)
        batch_op.alter_column("actions_taken", server_default=None)

    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachments_timeline_entry_id"), ["timeline_entry_id"], unique=False
        )

    with op.batch_alter_table("departments", schema=None) as batch_op:
        for column in _DEPARTMENT_CONTACTS:
            length = 320 if column.endswith("email") else 200
            batch_op.add_column(
                sa.Column(column, sa.String(length=length), nullable=False, server_default="")
            )
    with op.batch_alter_table("departments", schema=None) as batch_op:
        for column in _DEPARTMENT_CONTACTS:
            batch_op.alter_column(column, server_default=None)

    op.create_table(
        "timeline_entry_departments",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_timeline_entry_departments_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["timeline_entries.id"],
            name=op.f("fk_timeline_entry_departments_entry_id_timeline_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "entry_id", "department_id", name=op.f("pk_timeline_entry_departments")
        ),
    )
    op.create_table(
        "department_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("request_entry_id", sa.Integer(), nullable=False),
        sa.Column("addressed_to", sa.String(length=200), nullable=False),
        sa.Column("addressed_email", sa.String(length=320), nullable=False),
        sa.Column("backup_reviewer", sa.String(length=200), nullable=False),
        sa.Column("backup_email", sa.String(length=320), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("response_entry_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalation_entry_id", sa.Integer(), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_department_requests_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_department_requests_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["escalation_entry_id"],
            ["timeline_entries.id"],
            name=op.f("fk_department_requests_escalation_entry_id_timeline_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["request_entry_id"],
            ["timeline_entries.id"],
            name=op.f("fk_department_requests_request_entry_id_timeline_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["response_entry_id"],
            ["timeline_entries.id"],
            name=op.f("fk_department_requests_response_entry_id_timeline_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department_requests")),
    )
    op.create_index(
        op.f("ix_department_requests_case_id"), "department_requests", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_department_requests_due_on"), "department_requests", ["due_on"], unique=False
    )
    for column in _REQUEST_ENTRY_COLUMNS:
        op.create_index(
            op.f(f"ix_department_requests_{column}"),
            "department_requests",
            [column],
            unique=False,
        )
    _bodies_to_markdown(op.get_bind())


def _bodies_to_markdown(connection: sa.Connection) -> None:
    # Bodies were plain text until now; escaped, they read the same as Markdown.
    _convert_bodies(connection, escape_plain)


def _convert_bodies(connection: sa.Connection, convert: Callable[[str], str]) -> None:
    entries = sa.table(
        "timeline_entries", sa.column("id", sa.Integer()), sa.column("body", sa.Text())
    )
    updates = [
        {"b_id": entry_id, "body": converted}
        for entry_id, body in connection.execute(
            sa.select(entries.c.id, entries.c.body).where(entries.c.body != "")
        )
        if (converted := convert(body)) != body
    ]
    if updates:
        connection.execute(
            entries.update()
            .where(entries.c.id == sa.bindparam("b_id"))
            .values(body=sa.bindparam("body")),
            updates,
        )


def downgrade() -> None:
    # The release before reads bodies as plain text: give it the words without markup.
    _convert_bodies(op.get_bind(), to_plain)
    for column in _REQUEST_ENTRY_COLUMNS:
        op.drop_index(op.f(f"ix_department_requests_{column}"), table_name="department_requests")
    op.drop_index(op.f("ix_department_requests_due_on"), table_name="department_requests")
    op.drop_index(op.f("ix_department_requests_case_id"), table_name="department_requests")
    op.drop_table("department_requests")
    op.drop_table("timeline_entry_departments")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        for column in reversed(_DEPARTMENT_CONTACTS):
            batch_op.drop_column(column)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("actions_taken")
        batch_op.drop_column("findings")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_timeline_entry_id"))
    # Entries deleted by then show again: losing them would lose a record.
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_timeline_entries_deleted_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_timeline_entries_edited_by_id_users"), type_="foreignkey"
        )
        for column in (
            "deleted_by_id",
            "deleted_at",
            "edited_by_id",
            "edited_at",
            "recipients",
            "sender",
            "people",
        ):
            batch_op.drop_column(column)
