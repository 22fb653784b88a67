"""The `prdesk` command: starts the application, or runs one task from the command line.

Exit status: 0 on success, 1 for an error the user can act on (one line on
stderr, no traceback), 2 for wrong usage.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from prdesk import __version__
from prdesk.commands import audit, cases, db, demo, letters, profile, reports, users
from prdesk.commands.context import CommandError, unexpected_error
from prdesk.domain.errors import DomainError

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    # --database may come before or after the subcommand; SUPPRESS keeps a value
    # given before it from being reset by the subparser's default.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database to open, e.g. postgresql+psycopg://user@host/prdesk or "
        "sqlite:///C:/path/prdesk.sqlite3 (default: PRDESK_DATABASE_URL, the saved "
        "profile, else the embedded database)",
    )
    common.add_argument(
        "--practice",
        action="store_true",
        default=argparse.SUPPRESS,
        help="open the practice database of made-up cases instead, to try PR Desk out",
    )
    parser = argparse.ArgumentParser(
        prog="prdesk",
        description="PR Desk: cases, timelines and letters for patient relations. "
        "Without a command, starts the application window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"PR Desk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this installation works (on a temporary database; with "
        "--database, also open that one read-only) and exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (db, cases, letters, demo, profile, audit, users, reports):
        module.register(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="prdesk: %(levelname)s: %(message)s")
    handler = getattr(args, "handler", None)
    try:
        if args.self_test:
            from prdesk.self_test import run_self_test

            return run_self_test(getattr(args, "database", None))
        if handler is None:
            return _start_gui(args)
        result: int = handler(args)
        return result
    except (DomainError, CommandError) as exc:
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        print(f"prdesk: error: {message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("prdesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`prdesk case list --json | head`): nothing more to say.
        # Point stdout at nothing so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug: one line for the user, the details in the log file
        print(f"prdesk: {unexpected_error(exc)}", file=sys.stderr)
        return EXIT_USER_ERROR


def _start_gui(args: argparse.Namespace) -> int:
    from prdesk import config
    from prdesk.commands.context import acting_username, open_for_command

    # Import Qt only when the window is wanted: command-line tasks start faster.
    from prdesk.ui.app import run_gui
    from prdesk.ui.first_run.detection import needs_assistant

    choice = config.choose_database(
        getattr(args, "database", None), practice=getattr(args, "practice", False)
    )
    if needs_assistant(choice):
        # Nothing is opened yet: opening the embedded database would create it, and
        # the assistant first asks where the cases are to be kept.
        first_run: int = run_gui(None, acting_username(choice))
        return first_run
    context = open_for_command(args, prepare=False)
    exit_code: int = run_gui(
        context.db,
        context.username,
        create_if_empty=context.choice.embedded or context.choice.practice,
        profile_in_use=context.choice.source == "connection profile",
    )
    return exit_code


if __name__ == "__main__":
    raise SystemExit(main())
