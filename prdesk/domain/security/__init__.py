"""What the database itself enforces: PostgreSQL roles and row security, and the audit trail."""
