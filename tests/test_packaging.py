"""An installed wheel carries what PR Desk needs at run time: fonts, templates, migrations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import pathlib, prdesk
from prdesk.assets import resource, resources_dir
from prdesk.domain import schema
from prdesk.domain.letter_templates import BUILT_IN
installed = pathlib.Path(prdesk.__file__).parent
assert resources_dir().is_relative_to(installed), resources_dir()
for font in ("NotoSans-Regular.ttf", "DroidSansFallbackFull.ttf", "NanumGothic.ttf", "NotoSansArabic-Regular.ttf"):
    assert resource("fonts", font).stat().st_size > 10_000, font
assert list(resources_dir().joinpath("fonts").glob("OFL-*.txt")), "font licences missing"
for template in BUILT_IN:
    for language in template.languages:
        resource("templates", "letters", f"{template.key}.{language}.md")
assert "PR Desk user guide" in resource("guide", "index.md").read_text(encoding="utf-8")
print("head", schema.head_revision(), "from", installed)
"""


@pytest.mark.slow
def test_an_installed_wheel_finds_its_fonts_templates_and_migrations(tmp_path: Path) -> None:
    wheels, site = tmp_path / "wheels", tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("prdesk-*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    # The wheel's copy comes first on the path, ahead of any source checkout.
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert f"from {site / 'prdesk'}" in result.stdout
