"""A dark palette, as the system hands PR Desk one in dark mode, for the tests of colours."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def dark_palette() -> QPalette:
    """Roughly what Windows gives Fusion in dark mode."""
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#202020"),
        (QPalette.ColorRole.WindowText, "#ffffff"),
        (QPalette.ColorRole.Base, "#1c1c1c"),
        (QPalette.ColorRole.AlternateBase, "#2b2b2b"),
        (QPalette.ColorRole.Text, "#ffffff"),
        (QPalette.ColorRole.Button, "#2d2d2d"),
        (QPalette.ColorRole.ButtonText, "#ffffff"),
        (QPalette.ColorRole.Highlight, "#0078d4"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
    ):
        palette.setColor(role, QColor(color))
    return palette
