"""This computer's preferences and remembered layout, in an INI file in PR Desk's config folder.

Every preference a person can change is declared here, once, as a `Preference`;
the Settings dialog edits them. Window layout (geometry, dock places, columns)
is remembered under its own keys by the screens themselves.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QSettings

from prdesk.config import config_dir

T = TypeVar("T", bool, int, str)


def ui_settings() -> QSettings:
    """Kept next to the connection profile (not the registry), so PRDESK_HOME isolates it."""
    folder = config_dir()
    # Qt would create the folder readable by everyone; it is private to its user. If it
    # cannot be made, Qt keeps the settings in memory, as for any unwritable file.
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)


@dataclass(frozen=True)
class Preference(Generic[T]):
    """One preference of this computer's: where it is kept, its default and its wording.

    Attributes:
        key: the INI key.
        default: the value until the person changes it; its type is the preference's.
        label: what the Settings dialog calls it.
        help: one sentence on what it changes.
        value_range: for a whole number, the lowest and highest it may be.
        suffix: for a whole number, its unit as shown after it (" minutes").
    """

    key: str
    default: T
    label: str
    help: str = ""
    value_range: tuple[int, int] = (0, 9999)
    suffix: str = ""

    def get(self, settings: QSettings | None = None) -> T:
        value = (settings or ui_settings()).value(self.key)
        if value is None:
            return self.default
        return cast(T, self._parse(str(value)))

    def _parse(self, text: str) -> bool | int | str:
        """An INI file gives back text; a value edited by hand into nonsense is the default."""
        if isinstance(self.default, bool):
            word = text.strip().lower()
            if word in ("true", "1", "yes"):
                return True
            if word in ("false", "0", "no"):
                return False
            return self.default
        if isinstance(self.default, int):
            try:
                number = int(text)
            except ValueError:
                return self.default
            low, high = self.value_range
            return min(max(number, low), high)
        return text

    def set(self, value: T, settings: QSettings | None = None) -> None:
        store = settings or ui_settings()
        store.setValue(self.key, value)
        store.sync()


REOPEN_CASES: Preference[bool] = Preference(
    "preferences/reopen_cases",
    True,
    "Open again the cases I had open when I last quit",
    "Each case opens in its own tab at start, as it was left; a case since closed to you is skipped.",
)

PREFERENCES: tuple[Preference[bool] | Preference[int] | Preference[str], ...] = (REOPEN_CASES,)
