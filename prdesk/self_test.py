"""`prdesk --self-test`: proves an installation works, on a temporary database of its own.

Each check prints one line; any failure ends in exit status 1. The checks use
made-up people only, and the user's own settings and data are never opened: the
run points PRDESK_HOME at a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from prdesk import __version__, config, logs
from prdesk.domain.database import Database
from prdesk.domain.readmodels import CaseDetail, UserInfo

EXIT_OK, EXIT_FAILED = 0, 1


class CheckFailed(Exception):
    """A check's finding, worded for the person running it."""


class Notice(Exception):
    """A finding worth a line that does not make the installation unusable."""


class Skipped(Exception):
    """A check that could not run because one it depends on failed."""


@dataclass
class Run:
    """What the checks hand on to each other.

    Attributes:
        folder: the temporary folder holding the database and the run's settings.
        database_url: the database given with --database, opened read-only.
        db, actor, case: the temporary database, its administrator, the case logged.
        letter_id: the letter drafted on that case.
    """

    folder: Path
    database_url: str | None = None
    db: Database | None = None
    actor: UserInfo | None = None
    case: CaseDetail | None = None
    letter_id: int | None = None

    def needs_database(self) -> tuple[Database, UserInfo]:
        if self.db is None or self.actor is None:
            raise Skipped("needs the temporary database")
        return self.db, self.actor

    def needs_case(self) -> tuple[Database, UserInfo, CaseDetail]:
        db, actor = self.needs_database()
        if self.case is None:
            raise Skipped("needs the case logged above")
        return db, actor, self.case


Check = tuple[str, Callable[[Run], str]]


def run_self_test(database_url: str | None = None, out: TextIO | None = None) -> int:
    """Runs every check, printing one line each; returns the exit status."""
    stream = out or sys.stdout
    failed = False
    with _isolated_folder() as folder:
        run = Run(folder=folder, database_url=database_url)
        try:
            for name, check in _checks(run):
                try:
                    detail = check(run)
                except CheckFailed as finding:
                    failed = True
                    _line(stream, "FAILED ", name, str(finding))
                except Notice as finding:
                    _line(stream, "warn ", name, str(finding))
                except Skipped as reason:
                    _line(stream, "--   ", name, f"not run, {reason}")
                except Exception as exc:  # a fault the check did not foresee: still one line
                    failed = True
                    _line(stream, "FAILED ", name, _describe(exc))
                else:
                    _line(stream, "ok   ", name, detail)
        finally:
            if run.db is not None:
                run.db.engine.dispose()
    if failed:
        _say(stream, f"PR Desk {__version__}: some checks FAILED")
        return EXIT_FAILED
    _say(stream, f"PR Desk {__version__}: all checks passed")
    return EXIT_OK


def _checks(run: Run) -> list[Check]:
    from prdesk import self_test_checks as checks

    listed: list[Check] = [
        ("Resources", checks.resources),
        ("Outlook reader", checks.outlook_reader),
    ]
    if run.database_url is not None:
        listed.append(("Database", checks.given_database))
    listed += [
        ("Temporary database", checks.temporary_database),
        ("Case", checks.log_case),
        ("Letter PDF", checks.letter_pdf),
        ("Letter in Word", checks.letter_word),
        ("Excel", checks.excel),
        ("Working days", checks.working_days),
        ("Dates in other languages", checks.dates),
        ("Phone numbers", checks.phone_numbers),
        ("Search text", checks.search_text),
        ("PostgreSQL driver", checks.postgresql_driver),
        ("Password store", checks.password_store),
        ("Qt", checks.qt_started),
        ("Application icon", checks.application_icon),
        ("Main window", checks.main_window),
    ]
    return listed


def _line(stream: TextIO, status: str, name: str, detail: str) -> None:
    _say(stream, f"{status} {name}: {detail}")


def _say(stream: TextIO, text: str) -> None:
    """One line in whatever encoding the output has. Redirected to a file on Windows it
    is the ANSI code page (cp1252), which has no Korean or Arabic: such characters are
    written as \\u escapes rather than ending the run half way."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text = text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        text = text.encode("ascii", "backslashreplace").decode("ascii")
    print(text, file=stream, flush=True)


def _describe(exc: BaseException) -> str:
    """One line naming the fault; the self-test's data is made up, so nothing private shows."""
    text = " ".join(str(exc).split())
    if len(text) > 300:
        text = text[:297] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@contextmanager
def _isolated_folder() -> Iterator[Path]:
    """A temporary PRDESK_HOME, so nothing of the user's own settings is read or written.

    Windows cannot delete a file that is still open: the log the window's start opened
    there is closed first, and whatever still cannot be removed is left to the system's
    cleaning of its temporary folder rather than failing the run.
    """
    before = os.environ.get(config.ENV_HOME)
    with tempfile.TemporaryDirectory(
        prefix="prdesk-self-test-", ignore_cleanup_errors=True
    ) as name:
        os.environ[config.ENV_HOME] = name
        try:
            yield Path(name)
        finally:
            logs.close_log()
            if before is None:
                os.environ.pop(config.ENV_HOME, None)
            else:
                os.environ[config.ENV_HOME] = before
