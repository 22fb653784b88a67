"""Which cases were open in tabs at quit, per database, to open them again at the next start.

Only case ids are kept, never a name or a case number, under a key made from the
database's identity (its file, or its URL without password), hashed so that the
settings file does not spell out where the database is.
"""

from __future__ import annotations

import hashlib
import json

from PySide6.QtCore import QSettings

from prdesk.config import database_identity
from prdesk.domain.database import Database

_GROUP = "open_cases"


def settings_key(db: Database) -> str:
    digest = hashlib.sha256(database_identity(db.url).encode("utf-8")).hexdigest()
    return f"{_GROUP}/{digest[:24]}"


def save_open_cases(
    settings: QSettings, db: Database, case_ids: list[int], front: int | None
) -> None:
    settings.setValue(settings_key(db), json.dumps({"cases": case_ids, "front": front}))


def saved_open_cases(settings: QSettings, db: Database) -> tuple[list[int], int | None]:
    """The case ids in tab order and the one in front; nothing when what is kept is unusable."""
    text = settings.value(settings_key(db))
    if not isinstance(text, str):
        return [], None
    try:
        data = json.loads(text)
    except ValueError:
        return [], None
    if not isinstance(data, dict):
        return [], None
    cases = data.get("cases")
    ids = [item for item in cases if _is_id(item)] if isinstance(cases, list) else []
    front = data.get("front")
    return list(dict.fromkeys(ids)), front if _is_id(front) and front in ids else None


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
