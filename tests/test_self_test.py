"""`prdesk --self-test`: what IT sees after installing, on a sound and on a broken installation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import prdesk
from prdesk.domain import schema

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def self_test(
    *args: str, cwd: Path, pythonpath: Path | None = None, encoding: str = "utf-8"
) -> subprocess.CompletedProcess[str]:
    """Runs `prdesk --self-test` as IT would, from a folder other than the source tree,
    its output written in `encoding` (cp1252: redirected to a file on Windows)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": encoding}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-m", "prdesk", "--self-test", *args],
        capture_output=True,
        text=True,
        encoding=encoding,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def test_a_sound_installation_passes_every_check_without_touching_the_users_data(
    isolated_home: Path, tmp_path: Path
) -> None:
    result = self_test(cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == f"PR Desk {prdesk.__version__}: all checks passed"
    for check in (
        "Resources",
        "Outlook reader",
        "Temporary database",
        "Case",
        "Letter PDF",
        "Letter in Word",
        "Excel",
        "Working days",
        "Dates in other languages",
        "Phone numbers",
        "Search text",
        "PostgreSQL driver",
        "Qt",
        "Application icon",
        "Main window",
    ):
        assert any(line.startswith(f"ok    {check}: ") for line in lines), check
    assert (
        "ok    Letter PDF: 1 page, fonts embedded, Vietnamese, Korean and Arabic names read back"
        in lines
    )
    assert f"migrated to schema {schema.head_revision()}" in result.stdout
    assert "Traceback" not in result.stderr
    # The user's own settings and embedded database were never created or opened.
    assert list(isolated_home.iterdir()) == []


def _installation_missing(tmp_path: Path, shipped: str) -> Path:
    """A copy of the package whose resources folder lacks one file ("fonts/X.ttf")."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "prdesk", site / "prdesk", ignore=shutil.ignore_patterns("__pycache__"))
    # The package finds resources/ beside it, as in a source checkout.
    resources = site / "resources"
    for folder in ("fonts", "templates", "icons", "guide"):
        shutil.copytree(ROOT / "resources" / folder, resources / folder)
    (resources / shipped).unlink()
    return site


@pytest.mark.parametrize("shipped", ["fonts/NanumGothic.ttf", "guide/index.md"])
def test_a_missing_file_fails_with_one_clear_line_and_no_traceback(
    tmp_path: Path, shipped: str
) -> None:
    site = _installation_missing(tmp_path, shipped)

    result = self_test(cwd=tmp_path, pythonpath=site)

    assert result.returncode == 1
    assert (
        f"FAILED  Resources: Shipped file {shipped} is missing; reinstall PR Desk."
        in result.stdout.splitlines()
    )
    assert result.stdout.splitlines()[-1] == f"PR Desk {prdesk.__version__}: some checks FAILED"
    assert "Traceback" not in result.stdout + result.stderr


def test_output_redirected_in_a_windows_code_page_still_runs_every_check(
    isolated_home: Path, tmp_path: Path
) -> None:
    # `prdesk --self-test > result.txt` on Windows writes cp1252, which has no Korean.
    result = self_test(cwd=tmp_path, encoding="cp1252")

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == f"PR Desk {prdesk.__version__}: all checks passed"
    (dates,) = [line for line in lines if line.startswith("ok    Dates in other languages: ")]
    assert "26 de noviembre de 2026" in dates
    assert "2026\\ub144 11\\uc6d4 26\\uc77c" in dates  # the Korean date, spelt out
    assert any(line.startswith("ok    Main window: ") for line in lines)
    assert "error" not in result.stderr
    # Nothing went to the person's own error log either.
    assert list(isolated_home.iterdir()) == []


def test_the_temporary_folder_is_left_with_no_log_open_in_it(tmp_path: Path) -> None:
    """Windows cannot delete an open file: the log the window's start opened in the
    temporary folder must be closed before the folder is removed."""
    script = (
        "import logging, os\n"
        "from prdesk.self_test import run_self_test\n"
        "with open(os.devnull, 'w', encoding='utf-8') as out:\n"
        "    status = run_self_test(out=out)\n"
        "logger = logging.getLogger('prdesk.errors')\n"
        "print(status)\n"
        "for handler in logger.handlers:\n"
        "    print(getattr(handler, 'baseFilename', type(handler).__name__))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    status, *still_open = result.stdout.splitlines()
    assert status == "0"
    assert [path for path in still_open if "prdesk-self-test-" in path] == []


def test_a_database_file_that_does_not_exist_fails(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "prdesk.sqlite3"

    result = self_test("--database", f"sqlite:///{missing}", cwd=tmp_path)

    assert result.returncode == 1
    assert f"FAILED  Database: There is no database file at {missing}." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not missing.parent.exists()


def test_an_existing_database_is_only_read(tmp_path: Path, sqlite_template: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "prdesk.sqlite3"
    shutil.copy(sqlite_template, path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)

    result = self_test("--database", f"sqlite:///{path}", cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        f"ok    Database: sqlite:///{path}: schema {schema.head_revision()}, current "
        "(opened read-only)" in result.stdout.splitlines()
    )
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in folder.iterdir()) == ["prdesk.sqlite3"]
