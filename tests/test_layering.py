"""The architecture's one-way dependencies: ui -> export -> domain, never back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "prdesk"

FORBIDDEN = {
    "domain": (
        "PySide6",
        "shiboken6",
        "prdesk.ui",
        "prdesk.export",
        "reportlab",
        "prdesk.commands",
    ),
    "export": ("PySide6", "shiboken6", "prdesk.ui", "prdesk.commands"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_lower_layers_do_not_import_upper_layers_or_qt(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"prdesk/{layer} has no modules"
    offending = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in files
        for name in _imports(path)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert offending == []


def test_only_the_ui_package_imports_qt() -> None:
    outside_ui = [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts[:1]]
    offending = [str(p) for p in outside_ui if any(n.startswith("PySide6") for n in _imports(p))]
    assert offending == []
