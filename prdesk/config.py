"""Where PR Desk keeps its files, and which database it opens.

The database is chosen, first match wins: `--database URL`, the
PRDESK_DATABASE_URL environment variable, the saved connection profile, then the
embedded SQLite file in the per-user data folder. Profiles never hold a password:
it lives in the operating system's credential store (Windows Credential Manager).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors
import platformdirs
from sqlalchemy.engine import URL

from prdesk.domain.database import Database, parse_url, without_password
from prdesk.domain.errors import DatabaseUnavailable

APP_NAME = "PR Desk"
KEYRING_SERVICE = "PR Desk database"
ENV_DATABASE_URL = "PRDESK_DATABASE_URL"
# One folder for settings and data together: portable installs and tests.
ENV_HOME = "PRDESK_HOME"


def config_dir() -> Path:
    home = os.environ.get(ENV_HOME)
    return Path(home) if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    home = os.environ.get(ENV_HOME)
    return Path(home) if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def embedded_database_path() -> Path:
    return data_dir() / "prdesk.sqlite3"


def _profile_path() -> Path:
    return config_dir() / "connection.json"


@dataclass(frozen=True)
class DatabaseChoice:
    """The database to open and why it was chosen (shown by `prdesk db current`)."""

    url: URL
    source: str

    @property
    def embedded(self) -> bool:
        return self.source == "embedded"


def choose_database(cli_url: str | None = None) -> DatabaseChoice:
    if cli_url:
        return DatabaseChoice(parse_url(cli_url), "--database")
    if os.environ.get(ENV_DATABASE_URL):
        return DatabaseChoice(parse_url(os.environ[ENV_DATABASE_URL]), ENV_DATABASE_URL)
    profile = load_profile()
    if profile is not None:
        return DatabaseChoice(profile, "connection profile")
    path = embedded_database_path()
    return DatabaseChoice(URL.create("sqlite", database=str(path)), "embedded")


def open_database(choice: DatabaseChoice) -> Database:
    """The Database, with the saved password when the URL has none."""
    password = None
    if choice.url.password is None and choice.url.get_backend_name() == "postgresql":
        password = saved_password(choice.url)
    return Database(choice.url, password=password)


def load_profile() -> URL | None:
    path = _profile_path()
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return parse_url(str(data["url"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DatabaseUnavailable(
            f"The saved connection profile {path} cannot be read ({exc}); "
            "set it again with `prdesk profile set URL`."
        ) from None


def save_profile(url: URL, password: str | None = None) -> None:
    """Saves the URL without its password; the password goes to the credential store.

    The password is stored first: if the credential store refuses it, no new
    profile takes effect.
    """
    password = password if password is not None else url.password
    stored = without_password(url)
    if password:
        try:
            keyring.set_password(KEYRING_SERVICE, _credential_name(stored), str(password))
        except keyring.errors.KeyringError:
            raise DatabaseUnavailable(
                "This computer has no credential store to keep the password in; save the "
                "profile without a password and give it each time, or ask IT to enable one."
            ) from None
    path = _profile_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"url": stored.render_as_string(hide_password=False)}, indent=2) + "\n",
        encoding="utf-8",
    )


def clear_profile() -> bool:
    path = _profile_path()
    url = load_profile()
    if url is not None:
        # Nothing stored, or no credential store: nothing to remove either way.
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(KEYRING_SERVICE, _credential_name(url))
    if path.exists():
        path.unlink()
        return True
    return False


def saved_password(url: URL) -> str | None:
    try:
        return keyring.get_password(KEYRING_SERVICE, _credential_name(without_password(url)))
    except keyring.errors.KeyringError:
        return None  # no credential store on this machine: connect without a password


def _credential_name(url: URL) -> str:
    """The key under which a password is stored: user@host:port/database."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"
