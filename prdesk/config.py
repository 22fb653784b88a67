"""Where PR Desk keeps its files, and which database it opens.

The database is chosen, first match wins: `--practice` (the practice database
of made-up cases, a file beside the embedded one), `--database URL`, the
PRDESK_DATABASE_URL environment variable, the saved connection profile, then the
embedded SQLite file in the per-user data folder. Profiles never hold a password:
it lives in the operating system's credential store (Windows Credential Manager).
TLS settings travel in the URL as libpq's own parameters (`sslmode`, `sslrootcert`),
so a URL copied from the profile works unchanged with psql and every other tool.
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
from prdesk.domain.errors import DatabaseUnavailable, ValidationError

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


def practice_database_path() -> Path:
    """The practice database: made-up cases to try PR Desk on, apart from the real ones."""
    return data_dir() / "practice.sqlite3"


def is_practice_url(url: URL) -> bool:
    """Whether this URL names the practice database file."""
    if url.get_backend_name() != "sqlite" or not url.database:
        return False
    return _same_file(Path(url.database), practice_database_path())


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def database_identity(url: URL) -> str:
    """What names a database across sessions, never its password: the file or the URL."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        with contextlib.suppress(OSError):
            return f"sqlite:{Path(url.database).resolve()}"
    plain = without_password(url).difference_update_query([_SSLMODE, _SSLROOTCERT])
    return plain.render_as_string(hide_password=False)


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

    @property
    def practice(self) -> bool:
        return self.source == "practice"


def choose_database(cli_url: str | None = None, *, practice: bool = False) -> DatabaseChoice:
    """`practice` (the --practice flag) outranks every other choice: made-up cases only."""
    if practice:
        path = practice_database_path()
        return DatabaseChoice(URL.create("sqlite", database=str(path)), "practice")
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
        save_password(stored, str(password))
    path = _profile_path()
    # Private to its user, as the data folder is: it names the shared database and login.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"url": stored.render_as_string(hide_password=False)}, indent=2) + "\n",
        encoding="utf-8",
    )


def save_password(url: URL, password: str) -> None:
    """Keeps the password of this login in the system's credential store ("remember me")."""
    try:
        keyring.set_password(KEYRING_SERVICE, _credential_name(without_password(url)), password)
    except keyring.errors.KeyringError:
        raise DatabaseUnavailable(
            "This computer has no credential store to keep the password in; sign in "
            "without remembering it and give it each time, or ask IT to enable one."
        ) from None


def forget_password(url: URL) -> None:
    """Removes the remembered password for this login, if there is one."""
    # Nothing stored, or no credential store: nothing to remove either way.
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(KEYRING_SERVICE, _credential_name(without_password(url)))


def clear_profile() -> bool:
    path = _profile_path()
    url = load_profile()
    if url is not None:
        forget_password(url)
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


# libpq's sslmode values, weakest first.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
_SSLMODE, _SSLROOTCERT = "sslmode", "sslrootcert"


@dataclass(frozen=True)
class TlsSettings:
    """How the connection is encrypted: libpq's sslmode and the CA certificate to trust.

    None means libpq's default: sslmode "prefer", and for verifying, the CA file in
    the user's PostgreSQL folder (~/.postgresql/root.crt, %APPDATA%\\postgresql\\root.crt).
    """

    sslmode: str | None = None
    ca_cert: Path | None = None

    def describe(self) -> str:
        mode = self.sslmode or "prefer (the default)"
        return f"{mode}, CA certificate: {self.ca_cert or 'none given'}"


def tls_settings(url: URL) -> TlsSettings:
    mode = url.query.get(_SSLMODE)
    cert = url.query.get(_SSLROOTCERT)
    return TlsSettings(
        sslmode=str(mode) if isinstance(mode, str) and mode else None,
        ca_cert=Path(cert) if isinstance(cert, str) and cert else None,
    )


def with_tls(url: URL, tls: TlsSettings) -> URL:
    """The URL with these TLS settings in place of any it had.

    Raises ValidationError naming the field (`sslmode`, `ca_cert`) when the mode is
    unknown or the certificate file is missing: found now, not as a puzzling
    refusal at the next start.
    """
    errors: dict[str, str] = {}
    if tls.sslmode is not None and tls.sslmode not in SSL_MODES:
        errors["sslmode"] = f"Unknown TLS mode '{tls.sslmode}': use one of {', '.join(SSL_MODES)}."
    cert: Path | None = None
    if tls.ca_cert is not None:
        cert = tls.ca_cert.expanduser().absolute()
        if not cert.is_file():
            errors["ca_cert"] = f"There is no CA certificate file at {cert}."
    if errors:
        raise ValidationError.from_fields(errors)
    url = url.difference_update_query([_SSLMODE, _SSLROOTCERT])
    values: dict[str, str] = {}
    if tls.sslmode is not None:
        values[_SSLMODE] = tls.sslmode
    if cert is not None:
        values[_SSLROOTCERT] = str(cert)
    return url.update_query_dict(values) if values else url
