"""The letters composer: approval and sending, template versions, signatures.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Letters' columns that refer to users: who signs, submits, approves, finalises, records sending.
_USER_COLUMNS = (
    "signatory_id",
    "submitted_by_id",
    "approved_by_id",
    "finalised_by_id",
    "sent_recorded_by_id",
    "printed_by_id",
)


def upgrade() -> None:
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("template_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("copies_to", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("compliance_override", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("sent_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("sent_by_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("page_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("corrects_letter_id", sa.Integer(), nullable=True))
        for column in _USER_COLUMNS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_letters_{column}_users"), "users", [column], ["id"]
            )
        batch_op.create_foreign_key(
            batch_op.f("fk_letters_corrects_letter_id_letters"),
            "letters",
            ["corrects_letter_id"],
            ["id"],
        )
        batch_op.create_index(batch_op.f("ix_letters_status"), ["status"], unique=False)
    with op.batch_alter_table("letters", schema=None) as batch_op:
        for column in ("template_version", "copies_to", "compliance_override", "sent_by_name"):
            batch_op.alter_column(column, server_default=None)
    # Letters sent before sending was recorded in full: the day it was recorded is the
    # best account of when they went.
    as_date = "date(sent_at)" if op.get_bind().dialect.name == "sqlite" else "sent_at::date"
    op.execute(f"UPDATE letters SET sent_on = {as_date} WHERE sent_at IS NOT NULL")

    op.create_table(
        "letter_template_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_letter_template_versions_created_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_template_versions")),
        sa.UniqueConstraint(
            "key",
            "language",
            "version",
            name=op.f("uq_letter_template_versions_key"),
        ),
    )
    op.create_table(
        "signatures",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_signatures_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_signatures")),
    )


def downgrade() -> None:
    op.drop_table("signatures")
    op.drop_table("letter_template_versions")
    # The older schema knows only draft, finalised and sent.
    op.execute("UPDATE letters SET status = 'draft' WHERE status IN ('submitted', 'approved')")
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letters_status"))
        batch_op.drop_constraint(
            batch_op.f("fk_letters_corrects_letter_id_letters"), type_="foreignkey"
        )
        for column in _USER_COLUMNS:
            batch_op.drop_constraint(batch_op.f(f"fk_letters_{column}_users"), type_="foreignkey")
            batch_op.drop_column(column)
        for column in (
            "corrects_letter_id",
            "printed_at",
            "page_count",
            "sent_by_name",
            "sent_on",
            "compliance_override",
            "approved_at",
            "submitted_at",
            "updated_at",
            "copies_to",
            "template_version",
        ):
            batch_op.drop_column(column)
