"""The letterhead's logo and the signatory's signature, checked once and ready to print.

Images come from administrators' uploads: a file that is not a picture, is cut short
or is absurdly large must never stop a letter from printing; it prints without it.
"""

from __future__ import annotations

import functools
import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

# Four times what prints (a 1.5 in wide logo at 300 dpi needs 450 px): sharper gains
# nothing on paper and only makes every PDF bigger and slower to build.
_LARGEST_SIDE = 1800
# Larger than any real logo; a picture claiming more pixels is refused before decoding.
_MOST_PIXELS = 60_000_000


@dataclass(frozen=True)
class Picture:
    """A decoded image: pixels for the PDF, PNG bytes for Word, and its proportions."""

    reader: ImageReader
    png: bytes
    width: int
    height: int

    def fitted(self, box_width: float, box_height: float) -> tuple[float, float]:
        """The printed size: as large as fits the box, keeping the proportions."""
        scale = min(box_width / self.width, box_height / self.height)
        return self.width * scale, self.height * scale


@functools.lru_cache(maxsize=16)
def picture(data: bytes | None) -> Picture | None:
    """The image in `data` (PNG, JPEG or another common format), or None if it is unusable.

    Cached, as the same logo and signatures print on every letter of a batch.
    """
    if not data:
        return None
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a decompression bomb below its hard limit.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > _MOST_PIXELS or not image.width or not image.height:
                return None
            image.load()
            image = _printable(image)
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    except Image.DecompressionBombWarning:
        return None
    png = io.BytesIO()
    image.save(png, format="PNG")
    return Picture(ImageReader(image), png.getvalue(), image.width, image.height)


def _printable(image: Image.Image) -> Image.Image:
    """RGB (or RGBA when transparent) and no larger than is useful on paper."""
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if transparent else "RGB")
    if max(image.size) > _LARGEST_SIDE:
        image.thumbnail((_LARGEST_SIDE, _LARGEST_SIDE), Image.Resampling.LANCZOS)
    return image
