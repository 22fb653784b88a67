"""`prdesk profile set` with TLS settings, as IT sets up a workstation for the shared database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prdesk import config
from prdesk.cli import main
from prdesk.domain.database import Database

SERVER = "postgresql+psycopg://mgarcia@db.hospital.example:5432/prdesk"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def saved_url(home: Path) -> str:
    return str(json.loads((home / "connection.json").read_text(encoding="utf-8"))["url"])


def test_tls_mode_and_ca_certificate_are_saved_in_the_profile_and_shown(
    capsys: pytest.CaptureFixture[str], isolated_home: Path, tmp_path: Path
) -> None:
    ca = tmp_path / "hospital-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    code, _, err = run(
        capsys, "profile", "set", SERVER, "--sslmode", "verify-full", "--ca-cert", str(ca),
        "--no-check",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "sslmode=verify-full" in saved_url(isolated_home)

    code, out, _ = run(capsys, "profile", "show")
    assert code == 0
    assert f"TLS: verify-full, CA certificate: {ca}" in out

    # What the application connects with carries both, as libpq parameters.
    url = config.open_database(config.choose_database()).url
    assert url.query["sslmode"] == "verify-full"
    assert url.query["sslrootcert"] == str(ca)


def test_a_ca_certificate_that_does_not_exist_is_refused_and_nothing_is_saved(
    capsys: pytest.CaptureFixture[str], isolated_home: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-ca.pem"
    code, _, err = run(
        capsys, "profile", "set", SERVER, "--sslmode", "verify-ca", "--ca-cert", str(missing),
        "--no-check",
    )  # fmt: skip
    assert code == 1
    assert f"There is no CA certificate file at {missing}" in err
    assert not (isolated_home / "connection.json").exists()


def test_an_unknown_tls_mode_written_in_the_url_is_refused(
    capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    code, _, err = run(capsys, "profile", "set", f"{SERVER}?sslmode=always", "--no-check")
    assert code == 1
    assert "Unknown TLS mode 'always'" in err
    assert not (isolated_home / "connection.json").exists()


def test_the_option_replaces_the_mode_written_in_the_url(
    capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    code, _, _ = run(
        capsys, "profile", "set", f"{SERVER}?sslmode=allow", "--sslmode", "require", "--no-check"
    )
    assert code == 0
    assert config.tls_settings(config.choose_database().url).sslmode == "require"


def test_without_tls_settings_the_profile_says_the_default_applies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "profile", "set", SERVER, "--no-check")[0] == 0
    assert (
        "TLS: prefer (the default), CA certificate: none given" in run(capsys, "profile", "show")[1]
    )


@pytest.mark.postgresql
def test_a_required_tls_mode_reaches_the_server_when_the_profile_is_checked(
    capsys: pytest.CaptureFixture[str], isolated_home: Path, postgres_db: Database
) -> None:
    url = postgres_db.url.render_as_string(hide_password=False)
    # The test server speaks no TLS: asking for it must fail, and say why.
    code, _, err = run(capsys, "profile", "set", url, "--sslmode", "require")
    assert code == 1
    assert "SSL" in err
    assert not (isolated_home / "connection.json").exists()

    assert run(capsys, "profile", "set", url, "--sslmode", "disable")[0] == 0
    assert "sslmode=disable" in saved_url(isolated_home)


def test_forgetting_the_password_removes_it_from_the_credential_store(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "postgresql+psycopg://mgarcia:s3cret@db.hospital.example:5432/prdesk"
    assert run(capsys, "profile", "set", url, "--no-check")[0] == 0
    assert "password stored: yes" in run(capsys, "profile", "show")[1]
    code, out, _ = run(capsys, "profile", "forget-password")
    assert code == 0 and out.startswith("Forgot the password")
    assert "password stored: no" in run(capsys, "profile", "show")[1]
    assert config.choose_database().source == "connection profile"  # the connection stays
