"""Alembic migrations of the PR Desk schema, shipped inside the package."""
