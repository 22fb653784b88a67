"""Whether this start is PR Desk's first on this computer, so the assistant shows instead of the window."""

from __future__ import annotations

from prdesk import config
from prdesk.config import DatabaseChoice


def needs_assistant(choice: DatabaseChoice) -> bool:
    """Only when nothing was chosen (no --database, environment variable or saved
    connection) and the embedded database has not been made yet. A practice database,
    or a database named on purpose, never gets the assistant."""
    return choice.embedded and not config.embedded_database_path().exists()
