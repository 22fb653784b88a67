"""What every subcommand needs: the database, the acting user, and error reporting."""

from __future__ import annotations

import argparse
import getpass
from dataclasses import dataclass
from pathlib import Path

from prdesk import config
from prdesk.domain import schema
from prdesk.domain.database import Database
from prdesk.domain.errors import DatabaseUnavailable
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import users
from prdesk.logs import log_bug


class CommandError(Exception):
    """A user error found by the command line itself (a file that cannot be written...)."""


@dataclass(frozen=True)
class CommandContext:
    db: Database
    choice: config.DatabaseChoice
    username: str


def acting_username(choice: config.DatabaseChoice) -> str:
    """Who acts: the PostgreSQL login on a shared database, else the operating-system user."""
    if choice.url.get_backend_name() == "postgresql" and choice.url.username:
        return choice.url.username
    return getpass.getuser()


def open_for_command(
    args: argparse.Namespace, *, prepare: bool = True, create_if_empty: bool = False
) -> CommandContext:
    """Opens the chosen database; with `prepare`, checks its schema first.

    The embedded and the practice database are created and migrated on first use. Any other
    database must already exist and hold PR Desk's schema, unless
    `create_if_empty` (`db upgrade`, `demo-data`): a mistyped path or URL must not
    quietly become a new, empty PR Desk database.
    """
    choice = config.choose_database(
        getattr(args, "database", None), practice=getattr(args, "practice", False)
    )
    create = choice.embedded or choice.practice or create_if_empty
    if choice.url.get_backend_name() == "sqlite" and not create:
        path = choice.url.database or ""
        if path and path != ":memory:" and not Path(path).exists():
            raise DatabaseUnavailable(f"There is no database file at {path}.")
    db = config.open_database(choice)
    if prepare:
        db.check_connection()
        schema.ensure_ready(db, create_if_empty=create)
    return CommandContext(db=db, choice=choice, username=acting_username(choice))


def actor(context: CommandContext) -> UserInfo:
    with context.db.transaction() as session:
        return users.resolve_actor(
            session, context.username, workstation_owner=context.db.dialect == "sqlite"
        )


def unexpected_error(exc: BaseException) -> str:
    """Logs the traceback and returns the line to show the user instead of it."""
    path = log_bug(exc)
    where = f"details were written to {path}" if path else "the log file could not be written"
    return f"unexpected error ({type(exc).__name__}); this is a bug in PR Desk: {where}"
