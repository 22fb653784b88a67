"""Screenshots the GUI tests leave in /tmp/shots, to look at a screen as a coordinator sees it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

SHOTS = Path("/tmp/shots")


def save_screenshot(widget: QWidget, name: str) -> QImage:
    """Saves `widget` as /tmp/shots/NAME.png, laid out after its last change; the picture."""
    QApplication.processEvents()
    SHOTS.mkdir(exist_ok=True)
    picture = widget.grab()
    picture.save(str(SHOTS / f"{name}.png"))
    return picture.toImage()
