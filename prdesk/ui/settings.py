"""Window layout remembered between sessions, in an INI file in PR Desk's own config folder."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from prdesk.config import config_dir


def ui_settings() -> QSettings:
    """Kept next to the connection profile (not the registry), so PRDESK_HOME isolates it."""
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
