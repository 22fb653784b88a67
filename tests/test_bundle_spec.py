"""prdesk.spec puts PR Desk's resources and migrations where the frozen program looks for them."""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import prdesk
from prdesk import self_test_checks as checks
from prdesk.self_test import CheckFailed, Run

ROOT = Path(__file__).resolve().parents[1]


def bundle_data() -> ModuleType:
    path = ROOT / "resources" / "installer" / "bundle_data.py"
    spec = importlib.util.spec_from_file_location("bundle_data", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundle_holds_fonts_templates_icon_guide_and_migrations() -> None:
    datas = bundle_data().project_datas(ROOT)
    placed = {f"{dest}/{Path(source).name}" for source, dest in datas}

    # prdesk.assets looks in prdesk/resources beside the package's modules, and
    # prdesk.domain.schema in prdesk/domain/migrations, inside the bundle as in a wheel.
    for font in ("NotoSans-Regular.ttf", "NanumGothic.ttf", "NotoSansArabic-Regular.ttf"):
        assert f"prdesk/resources/fonts/{font}" in placed
    assert "prdesk/resources/fonts/OFL-Noto.txt" in placed
    assert "prdesk/resources/templates/letters/acknowledgement.en.md" in placed
    assert "prdesk/resources/icons/prdesk.svg" in placed
    assert "prdesk/resources/guide/index.md" in placed
    assert "prdesk/domain/migrations/env.py" in placed
    for migration in (ROOT / "prdesk" / "domain" / "migrations" / "versions").glob("0*.py"):
        assert f"prdesk/domain/migrations/versions/{migration.name}" in placed
    # Nothing the program does not read: caches, screenshots, the installer itself.
    assert not [p for p in placed if "__pycache__" in p or p.endswith(".pyc")]
    assert not [p for p in placed if "screenshots" in p or "installer" in p]
    assert all(Path(source).is_file() for source, _dest in datas)


def test_a_checkout_without_the_guide_does_not_build(tmp_path: Path) -> None:
    for folder in ("fonts", "templates", "icons"):
        shutil.copytree(ROOT / "resources" / folder, tmp_path / "resources" / folder)
    shutil.copytree(
        ROOT / "prdesk" / "domain" / "migrations", tmp_path / "prdesk/domain/migrations"
    )

    with pytest.raises(FileNotFoundError, match="resources/guide is missing"):
        bundle_data().project_datas(tmp_path)


def test_the_spec_leaves_out_the_gpl_outlook_reader_and_the_test_tools() -> None:
    tree = ast.parse((ROOT / "prdesk.spec").read_text(encoding="utf-8"))
    (analysis,) = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Analysis"
    ]
    excludes = {k.arg: ast.unparse(k.value) for k in analysis.keywords}["excludes"]
    assert excludes == "list(bundle_data.EXCLUDES)"
    for name in ("extract_msg", "keyrings.alt", "tkinter", "pytest", "hypothesis"):
        assert name in bundle_data().EXCLUDES


def test_an_application_folder_carrying_the_gpl_outlook_reader_fails_its_self_test(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    run = Run(folder=tmp_path)
    # The test environment has the outlook extra, as .venv has when the bundle is built.
    assert importlib.util.find_spec("extract_msg") is not None

    with pytest.raises(CheckFailed, match="holds extract-msg, the GPL-licensed Outlook reader"):
        checks.outlook_reader(run)

    # What a folder built from prdesk.spec gives: the module cannot be found.
    monkeypatch.setitem(sys.modules, "extract_msg", None)
    assert checks.outlook_reader(run) == (
        "not in the application folder; Outlook messages are asked for as .eml"
    )


def test_windows_gets_a_four_number_version_from_the_package_version() -> None:
    module = bundle_data()
    assert module.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert module.version_tuple("2.13.4.dev7+g1a2b") == (2, 13, 4, 0)
    # PyInstaller reads and writes version resources with pefile, installed on Windows only.
    pytest.importorskip("PyInstaller.utils.win32.versioninfo")
    info = str(module.version_info("2.13.4", "prdesk", "PR Desk (command line)"))
    assert "filevers=(2, 13, 4, 0)" in info
    assert "StringStruct('ProductVersion', '2.13.4')" in info
    assert "StringStruct('OriginalFilename', 'prdesk.exe')" in info


def test_the_folder_holds_a_window_program_and_a_console_program() -> None:
    tree = ast.parse((ROOT / "prdesk.spec").read_text(encoding="utf-8"))
    programs = {
        node.args[0].value: {k.arg: k.value for k in node.keywords}
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "program"
        and isinstance(node.args[0], ast.Constant)
    }
    assert set(programs) == {"PR Desk", "prdesk"}
    assert ast.literal_eval(programs["PR Desk"]["console"]) is False
    assert ast.literal_eval(programs["prdesk"]["console"]) is True


def _powershell_string(script: str, name: str) -> str:
    """The value of a PowerShell variable built from single-quoted strings joined by +."""
    start = script.index(f"${name} = ")
    end = script.index("\n$", start)
    parts = re.findall(r"'((?:[^']|'')*)'", script[start:end])
    return "".join(part.replace("''", "'") for part in parts)


def test_the_setup_program_carries_the_version_windows_shows() -> None:
    installer = ROOT / "resources" / "installer"
    build = (installer / "build-windows.ps1").read_text(encoding="utf-8")
    iss = (installer / "prdesk.iss").read_text(encoding="utf-8")
    # The build script's own version step, run as it runs it, from the clone's top.
    script = _powershell_string(build, "versionScript")
    assert '"' not in script  # Windows PowerShell 5.1 garbles double quotes passed to programs
    printed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.splitlines()

    numbers = ".".join(str(n) for n in bundle_data().version_tuple(prdesk.__version__))
    assert printed == [prdesk.__version__, numbers]
    assert '"/DAppNumericVersion=$numericVersion"' in build
    assert "VersionInfoVersion={#AppNumericVersion}" in iss
    assert "VersionInfoTextVersion={#AppVersion}" in iss


def test_a_warning_on_stderr_does_not_stop_the_windows_build() -> None:
    build = (ROOT / "resources" / "installer" / "build-windows.ps1").read_text(encoding="utf-8")
    native = build[build.index("function Invoke-Native") : build.index("function Invoke-Step")]
    step = build[build.index("function Invoke-Step") : build.index("function Find-Iscc")]

    # Under 'Stop', Windows PowerShell 5.1 ends the build at PyInstaller's first WARN line.
    assert "$ErrorActionPreference = 'Continue'" in native
    assert "Invoke-Native $Command" in step and "$LASTEXITCODE -ne 0" in step
    # Every program the build runs goes through them: the exit code decides.
    outside = re.sub(r"Invoke-(Step|Native)[^{]*\{[^}]*\}", "", build)
    assert not re.findall(r"^\s*&\s*\$(venvPython|isccPath)", outside, re.MULTILINE)
