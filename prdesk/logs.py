"""The error log: a rotating file in the per-user data folder, never holding health information.

A bug's message can quote patient data (PostgreSQL's "Failing row contains (...)"),
so only the exception's type and where it was raised are written, never its text,
notes, arguments or any values. The same report, under the same error id, is what
the person sees and can paste to their IT support desk.
"""

from __future__ import annotations

import logging
import platform
import secrets
import sys
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from prdesk import __version__, config

_logger = logging.getLogger("prdesk.errors")
# A report is several lines: the file gets it whole, the terminal of a command gets
# its own one-line summary instead.
_logger.propagate = False
_MOST_CAUSES = 5
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def log_path() -> Path:
    return config.data_dir() / "logs" / "prdesk.log"


def new_error_id() -> str:
    """Short enough to read out on the phone, random enough never to repeat in one log."""
    token = secrets.token_hex(4).upper()
    return f"{token[:4]}-{token[4:]}"


def short_path(filename: str) -> str:
    """A source file's path from its package folder on, so the report names no user's home."""
    path = Path(filename)
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return path.name
    roots = [_PACKAGE_ROOT] + [Path(entry).resolve() for entry in sys.path if entry]
    best: Path | None = None
    for root in roots:
        if resolved.is_relative_to(root) and (best is None or len(root.parts) > len(best.parts)):
            best = root
    if best is None:
        return path.name
    return resolved.relative_to(best).as_posix()


def describe_bug(error: BaseException) -> str:
    """Type and call stack of an exception and of those that led to it, without any
    message, note, source line or value: any of them may quote a patient.
    The place it was raised comes first."""
    parts = [_describe_one(error)]
    seen = {id(error)}
    cause = _cause_of(error)
    # A driver error wrapped by SQLAlchemy, wrapped again by PR Desk: each says where.
    while cause is not None and id(cause) not in seen and len(parts) < _MOST_CAUSES:
        seen.add(id(cause))
        parts.append("caused by " + _describe_one(cause))
        cause = _cause_of(cause)
    return "\n".join(parts)


def _cause_of(error: BaseException) -> BaseException | None:
    if error.__cause__ is not None:
        return error.__cause__
    return None if error.__suppress_context__ else error.__context__


def _describe_one(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    lines = [f"{type(error).__module__}.{type(error).__qualname__} at"]
    lines += [
        f"  {short_path(frame.filename)}:{frame.lineno} in {frame.name}"
        for frame in reversed(frames)
    ]
    if not frames:
        lines.append("  an unknown place")
    return "\n".join(lines)


def build_report(
    error: BaseException,
    error_id: str,
    details: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> str:
    """The report of one bug: what IT needs to find it, and nothing typed by anyone.

    `details` adds lines such as the Qt version or the window in front; the caller
    vouches that they hold no health information.
    """
    moment = now or datetime.now(UTC)
    local = moment.astimezone()
    lines = [
        "PR Desk error report",
        f"Error id: {error_id}",
        f"PR Desk version: {__version__}",
        f"Time: {moment:%Y-%m-%d %H:%M:%S} UTC ({local:%Y-%m-%d %H:%M:%S} local time, "
        f"UTC{local:%z})",
        f"Operating system: {platform.system()} {platform.release()} ({platform.machine()})",
        f"Python: {platform.python_version()}",
    ]
    lines += [f"{name}: {value}" for name, value in (details or {}).items()]
    lines.append("Error (where it was raised first): " + describe_bug(error))
    return "\n".join(lines)


def _ensure_handler() -> bool:
    path = log_path()
    for existing in list(_logger.handlers):
        if (
            isinstance(existing, RotatingFileHandler)
            and Path(existing.baseFilename) == path.absolute()
        ):
            return True
        # The data folder moved (PRDESK_HOME changed): write where it now is.
        _logger.removeHandler(existing)
        existing.close()
    try:
        # The data folder holds the embedded database too: private to its user
        # even when the log is the first thing written there.
        config.data_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return False
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s: %(message)s"))
    _logger.addHandler(handler)
    _logger.setLevel(logging.INFO)
    return True


def close_log() -> None:
    """Closes the log file, so its folder can be deleted (Windows keeps an open file);
    the next line written opens it again, wherever the data folder then is."""
    for handler in list(_logger.handlers):
        _logger.removeHandler(handler)
        handler.close()


def log_report(report: str) -> Path | None:
    """Writes a bug's report to the log; its path, or None if it cannot be written."""
    if not _ensure_handler():
        return None
    _logger.error("Unexpected error\n%s", report)
    return log_path()


def log_bug(error: BaseException, details: Mapping[str, str] | None = None) -> Path | None:
    """Writes a bug's report, under a new error id, to the log."""
    return log_report(build_report(error, new_error_id(), details))


def log_note(text: str) -> None:
    """One line of what PR Desk did (started, quit, a bug repeated), for reading the log
    in order. The text must hold no health information."""
    if _ensure_handler():
        _logger.info("%s", text)


def log_session_start() -> None:
    log_note(
        f"PR Desk {__version__} started (Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()})"
    )


def log_session_end() -> None:
    log_note(f"PR Desk {__version__} quit")
