"""Alembic environment: runs migrations on the connection PR Desk hands it."""

from __future__ import annotations

from alembic import context

from prdesk.domain.models import Base
from prdesk.domain.search_index import is_index_object

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through `prdesk db upgrade`, which supplies the connection.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    render_as_batch=True,
    compare_type=True,
    # The full-text index is backend-specific SQL the models cannot describe.
    include_name=lambda name, type_, parents: not is_index_object(name, type_, parents),
)
with context.begin_transaction():
    context.run_migrations()
