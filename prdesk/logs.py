"""The error log: a rotating file in the per-user data folder, never holding health information.

Database errors carry no statement parameters (engines are created with
hide_parameters), and nothing here logs record contents.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from prdesk import config

_logger = logging.getLogger("prdesk.errors")


def log_path() -> Path:
    return config.data_dir() / "logs" / "prdesk.log"


def _ensure_handler() -> bool:
    if _logger.handlers:
        return True
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return False
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _logger.addHandler(handler)
    _logger.setLevel(logging.INFO)
    _logger.propagate = False
    return True


def log_exception(exc: BaseException, context: str = "unexpected error") -> Path | None:
    """Writes the traceback to the log; returns the log's path, or None if it cannot be written."""
    if not _ensure_handler():
        return None
    _logger.error(context, exc_info=(type(exc), exc, exc.__traceback__))
    return log_path()
