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
    """Type and call stack of an exception, without its message or any values."""
    frames = traceback.extract_tb(error.__traceback__)
    where = " <- ".join(
        f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in reversed(frames)
    )
    return f"{type(error).__module__}.{type(error).__qualname__} at {where or 'unknown place'}"


def _ensure_handler() -> bool:
    if _logger.handlers:
        return True
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
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
