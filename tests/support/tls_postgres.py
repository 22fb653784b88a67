"""A throwaway PostgreSQL cluster with TLS on, its own CA, and a server certificate for 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

DATABASE = "prdesk_tls"


@dataclass(frozen=True)
class TlsServer:
    """Where the cluster listens, the CA that signed its certificate, and one that did not.

    Attributes:
        port: on 127.0.0.1; the login `postgres` is trusted (no password).
        ca_cert: the CA certificate that verifies the server (verify-full works).
        wrong_ca_cert: another CA's certificate, which must be refused.
        database: an empty database, made for the tests.
    """

    port: int
    ca_cert: Path
    wrong_ca_cert: Path
    database: str = DATABASE


def _unavailable(reason: str) -> None:
    if os.environ.get("PRDESK_REQUIRE_POSTGRES"):
        pytest.fail(f"PRDESK_REQUIRE_POSTGRES is set but {reason}")
    pytest.skip(reason)


def _binaries() -> Path | None:
    """The newest PostgreSQL's programs (Debian keeps them out of PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, timeout=60)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _make_certificates(folder: Path) -> None:
    """Two CAs, and a server certificate for localhost and 127.0.0.1 signed by the first."""
    for ca in ("ca", "wrong-ca"):
        _run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-keyout", f"{ca}.key", "-out", f"{ca}.crt", "-subj", f"/CN=PR Desk test {ca}"],
            folder,
        )  # fmt: skip
    (folder / "server.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    _run(
        ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
         "-out", "server.csr", "-subj", "/CN=localhost"],
        folder,
    )  # fmt: skip
    _run(
        ["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
         "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext"],
        folder,
    )  # fmt: skip


@pytest.fixture(scope="session")
def tls_postgres() -> Iterator[TlsServer]:
    """The cluster, started once for the session, stopped and deleted afterwards."""
    binaries = _binaries()
    if binaries is None:
        _unavailable("initdb is not installed (/usr/lib/postgresql/*/bin), so no TLS server")
    assert binaries is not None
    if shutil.which("openssl") is None:
        _unavailable("the openssl command is missing, so no certificates for a TLS server")
    root = Path(tempfile.mkdtemp(prefix="prdesk-tls-"))
    data = root / "data"
    started = False
    try:
        _make_certificates(root)
        (root / "server.key").chmod(0o600)
        if os.geteuid() == 0:
            for path in (root, *root.iterdir()):
                shutil.chown(path, "postgres", "postgres")
        port = _free_port()
        _run(
            _as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
                          "--auth=trust", "--encoding=UTF8", "--no-sync"]),
            root,
        )  # fmt: skip
        with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {port}\n"
                f"unix_socket_directories = '{root}'\nssl = on\n"
                f"ssl_cert_file = '{root / 'server.crt'}'\nssl_key_file = '{root / 'server.key'}'\n"
                "fsync = off\n"
            )
        _run(
            _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-l",
                          str(root / "server.log"), "-w", "start"]),
            root,
        )  # fmt: skip
        started = True
        admin = create_engine(
            f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres",
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
        admin.dispose()
        yield TlsServer(port, root / "ca.crt", root / "wrong-ca.crt")
    finally:
        if started:
            subprocess.run(
                _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate",
                              "stop"]),
                check=False, capture_output=True, timeout=60,
            )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)
