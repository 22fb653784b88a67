"""The coordinator's desk: deadlines on cases, a full-text index, saved views, notifications.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 21:20:00
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from prdesk.domain import search_index
from prdesk.domain.models.cases import sort_name

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Cases logged before deadline policies existed get the CMS defaults: a grievance is
# acknowledged within 7 days, and every case is answered within 30.
_ACKNOWLEDGE_DAYS, _RESPONSE_DAYS = 7, 30
_FINISHED = ("resolved", "closed", "withdrawn")


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledge_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("response_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("clock_paused_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "closure_override_reason", sa.String(length=500), nullable=False, server_default=""
            )
        )
        batch_op.add_column(sa.Column("linked_case_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("patient_sort_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_cases_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            "ix_cases_patient_sort_name", ["patient_sort_name", "id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_linked_case_id_cases"), "cases", ["linked_case_id"], ["id"]
        )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("closure_override_reason", server_default=None)
        batch_op.alter_column("patient_sort_name", server_default=None)
    _backfill_sort_names(op.get_bind())

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_people_date_of_birth"), ["date_of_birth"], unique=False
        )
    op.create_table(
        "case_search",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_search_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_search")),
    )
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_saved_views_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
        sa.UniqueConstraint("owner_id", "name", name=op.f("uq_saved_views_owner_id")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_notifications_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_notifications_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index("ix_notifications_unread", "notifications", ["recipient_id", "read_at"])

    connection = op.get_bind()
    search_index.create_index_objects(connection)
    search_index.reindex_connection(connection, deletable=False)
    _backfill_deadlines(connection)


def _backfill_sort_names(connection: sa.Connection) -> None:
    # In Python, with the rule new cases use: SQLite's lower() leaves "Ł" as it is.
    people = sa.table("people", sa.column("id", sa.Integer()), sa.column("full_name", sa.String()))
    cases = sa.table(
        "cases", sa.column("patient_id", sa.Integer()), sa.column("patient_sort_name", sa.String())
    )
    names = [
        {"b_id": person_id, "sort": sort_name(full_name)}
        for person_id, full_name in connection.execute(
            sa.select(people.c.id, people.c.full_name).where(
                people.c.id.in_(sa.select(cases.c.patient_id))
            )
        )
    ]
    if names:
        connection.execute(
            cases.update()
            .where(cases.c.patient_id == sa.bindparam("b_id"))
            .values(patient_sort_name=sa.bindparam("sort")),
            names,
        )


def _backfill_deadlines(connection: sa.Connection) -> None:
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer()),
        sa.column("received_at", sa.DateTime(timezone=True)),
        sa.column("status", sa.String()),
        sa.column("is_grievance", sa.Boolean()),
        sa.column("acknowledge_due_on", sa.Date()),
        sa.column("response_due_on", sa.Date()),
        sa.column("due_on", sa.Date()),
        sa.column("clock_paused_on", sa.Date()),
    )
    updates = []
    today = date.today()
    for case_id, received_at, status, is_grievance in connection.execute(
        sa.select(cases.c.id, cases.c.received_at, cases.c.status, cases.c.is_grievance)
    ):
        received = _local_date(received_at)
        acknowledge = received + timedelta(days=_ACKNOWLEDGE_DAYS) if is_grievance else None
        respond = received + timedelta(days=_RESPONSE_DAYS)
        running = None if status in _FINISHED else (acknowledge or respond)
        # A case already waiting on the patient starts with its response clock stopped
        # from today (the CMS acknowledgement clock does not stop).
        paused = today if status == "waiting_on_patient" and acknowledge is None else None
        if paused is not None:
            running = None
        updates.append(
            {"b_id": case_id, "ack": acknowledge, "resp": respond, "due": running, "paused": paused}
        )
    if updates:
        connection.execute(
            cases.update()
            .where(cases.c.id == sa.bindparam("b_id"))
            .values(
                acknowledge_due_on=sa.bindparam("ack"),
                response_due_on=sa.bindparam("resp"),
                due_on=sa.bindparam("due"),
                clock_paused_on=sa.bindparam("paused"),
            ),
            updates,
        )


def _local_date(value: datetime | str) -> date:
    if isinstance(value, str):  # SQLite hands back the stored text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone().date()


def downgrade() -> None:
    search_index.drop_index_objects(op.get_bind())
    op.drop_index("ix_notifications_unread", table_name="notifications")
    op.drop_table("notifications")
    op.drop_table("saved_views")
    op.drop_table("case_search")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_date_of_birth"))
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cases_linked_case_id_cases"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_cases_due_on"))
        batch_op.drop_index("ix_cases_patient_sort_name")
        for column in (
            "patient_sort_name",
            "linked_case_id",
            "closure_override_reason",
            "clock_paused_on",
            "due_on",
            "response_due_on",
            "acknowledged_on",
            "acknowledge_due_on",
        ):
            batch_op.drop_column(column)
