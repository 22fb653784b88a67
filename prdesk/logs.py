"""The error log: a rotating file in the per-user data folder, never holding health information.

A bug's message can quote patient data (PostgreSQL's "Failing row contains (...)"),
so only the exception's type and where it was raised are written, never its text
or any values.
"""

from __future__ import annotations

import logging
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from prdesk import config

_logger = logging.getLogger("prdesk.errors")


def log_path() -> Path:
    return config.data_dir() / "logs" / "prdesk.log"


def describe_bug(error: BaseException) -> str:
    """Type and call stack of an exception and of those that led to it, without any
    message, note, source line or value: any of them may quote a patient."""
    parts = [_describe_one(error)]
    seen = {id(error)}
    cause = _cause_of(error)
    # A driver error wrapped by SQLAlchemy, wrapped again by PR Desk: each says where.
    while cause is not None and id(cause) not in seen and len(parts) < _MOST_CAUSES:
        seen.add(id(cause))
        parts.append(_describe_one(cause))
        cause = _cause_of(cause)
    return "; caused by ".join(parts)


_MOST_CAUSES = 5


def _cause_of(error: BaseException) -> BaseException | None:
    if error.__cause__ is not None:
        return error.__cause__
    return None if error.__suppress_context__ else error.__context__


def _describe_one(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = " <- ".join(
        f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in reversed(frames)
    )
    return f"{type(error).__module__}.{type(error).__qualname__} at {where or 'unknown place'}"


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


def log_bug(error: BaseException) -> Path | None:
    """Writes where a bug happened to the log; its path, or None if it cannot be written."""
    if not _ensure_handler():
        return None
    _logger.error("Unexpected error: %s", describe_bug(error))
    return log_path()
