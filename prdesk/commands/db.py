"""`prdesk db upgrade` and `prdesk db current`: the schema of the database."""

from __future__ import annotations

import argparse
from typing import Any

from prdesk.commands.context import open_for_command
from prdesk.domain import schema


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    db = commands.add_parser("db", help="create, upgrade or inspect the database schema")
    sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = sub.add_parser(
        "upgrade", parents=[common], help="create or upgrade the schema to this version"
    )
    upgrade.set_defaults(handler=run_upgrade)
    current = sub.add_parser(
        "current", parents=[common], help="show which database is used and its schema version"
    )
    current.set_defaults(handler=run_current)


def run_upgrade(args: argparse.Namespace) -> int:
    context = open_for_command(args, prepare=False, create_if_empty=True)
    before = schema.schema_state(context.db)
    after = schema.upgrade(context.db)
    if before.current == after.current:
        print(f"{context.db.display_name}: schema {after.current} is already up to date.")
    else:
        print(
            f"{context.db.display_name}: upgraded from {before.current or 'empty'} to {after.current}."
        )
    return 0


def run_current(args: argparse.Namespace) -> int:
    context = open_for_command(args, prepare=False)
    state = schema.schema_state(context.db)
    if state.up_to_date:
        status = "up to date"
    elif state.empty:
        status = "empty: created on first use, or run `prdesk db upgrade`"
    elif not state.known:
        status = "made by a newer PR Desk"
    else:
        status = "older: run `prdesk db upgrade`"
    print(f"database: {context.db.display_name}")
    print(f"chosen by: {context.choice.source}")
    print(f"schema:   {state.current or 'none'} (this version: {state.head}) - {status}")
    return 0
