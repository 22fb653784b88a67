"""Locates the files shipped in resources/ (fonts, letter templates, icons)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resources_dir() -> Path:
    """The resources folder of this installation.

    An installed wheel carries it as prdesk/resources; a source checkout (and an
    editable install) keeps it at the top of the repository.
    """
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError(
        "PR Desk's resources folder is missing from this installation; reinstall the package."
    )


def resource(*parts: str) -> Path:
    """Path of one shipped file, e.g. resource("fonts", "NotoSans-Regular.ttf")."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"Shipped file {'/'.join(parts)} is missing; reinstall PR Desk.")
    return path
