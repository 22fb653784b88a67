"""The first-run assistant: where the cases are kept, the database prepared, the first settings."""
