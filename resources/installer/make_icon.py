"""Draws the Windows icon (prdesk.ico) and PNG sizes from resources/icons/prdesk.svg.

Usage: python resources/installer/make_icon.py [OUT_DIR]   (default: build/icon)

Each size is rendered from the drawing itself, not scaled down from the largest,
so the 16 and 20 pixel icons of the taskbar and Explorer stay sharp.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "resources" / "icons" / "prdesk.svg"
SIZES = (16, 20, 24, 32, 40, 48, 64, 256)


def render_png(svg: Path, size: int, out: Path) -> None:
    """Writes the drawing at `size` x `size` pixels on a transparent background as PNG."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icon: {svg} is not a drawing Qt can read")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):
        raise SystemExit(f"make_icon: {out} could not be written")


def make_icon(out_dir: Path, svg: Path = SOURCE) -> Path:
    """Writes prdesk-<size>.png for every size and prdesk.ico holding all of them."""
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    # Rendering needs a GUI application object, never a screen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    out_dir.mkdir(parents=True, exist_ok=True)
    images = []
    for size in SIZES:
        png = out_dir / f"prdesk-{size}.png"
        render_png(svg, size, png)
        with Image.open(png) as image:
            images.append(image.convert("RGBA"))
    largest = images[-1]
    ico = out_dir / "prdesk.ico"
    # Pillow stores the given images for their sizes instead of scaling the largest.
    largest.save(ico, format="ICO", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    return ico


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else ROOT / "build" / "icon"
    ico = make_icon(out_dir.resolve())
    print(f"make_icon: wrote {ico}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
