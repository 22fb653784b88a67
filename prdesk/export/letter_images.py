"""The letterhead's logo and the signatory's signature, checked once and ready to print.

Images come from administrators' uploads: a file that is not a picture, is cut short
or is absurdly large must never stop a letter from printing; it prints without it.
The same logo and signatures go on every letter of a batch, so each image is decoded
and compressed for the PDF once, not once per letter.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import warnings
import zlib
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError
from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFObjectReference
from reportlab.pdfgen.canvas import Canvas

# Four times what prints (a 1.5 in wide logo at 300 dpi needs 450 px): sharper gains
# nothing on paper and only makes every PDF bigger and slower to build.
_LARGEST_SIDE = 1800
# Larger than any real logo; a picture claiming more pixels is refused before decoding.
_MOST_PIXELS = 60_000_000
_COLOUR_SPACES = {"L": "DeviceGray", "RGB": "DeviceRGB"}


@dataclass(frozen=True)
class Picture:
    """A usable image: its PDF image object, bytes Word can show, and its proportions.

    Attributes:
        image: the PDF image (and `mask`, its transparency), compressed once; each PDF
            gets its own shallow copy, sharing the compressed bytes.
        file: PNG or JPEG bytes, for documents other than PDFs.
    """

    image: PDFImageXObject
    mask: PDFImageXObject | None
    file: bytes
    width: int
    height: int

    def fitted(self, box_width: float, box_height: float) -> tuple[float, float]:
        """The printed size: as large as fits the box, keeping the proportions."""
        scale = min(box_width / self.width, box_height / self.height)
        return self.width * scale, self.height * scale

    def draw(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        """Draw at (x, y) (bottom left), `width` by `height` points.

        What `Canvas.drawImage` does, minus decoding and compressing the image again
        for every PDF: the image object is added to the PDF once and drawn by name.
        """
        document = canvas._doc
        name = self.image.name
        registered = document.getXObjectName(name)
        if document.idToObject.get(registered) is None:
            image = copy.copy(self.image)
            canvas._setXObjects(image)
            document.Reference(image, registered)
            document.addForm(name, image)
            if self.mask is not None:
                mask_name = document.getXObjectName(self.mask.name)
                if document.idToObject.get(mask_name) is None:
                    mask = copy.copy(self.mask)
                    canvas._setXObjects(mask)
                    image.smask = document.Reference(mask, mask_name)
                else:
                    image.smask = PDFObjectReference(mask_name)
        canvas._currentPageHasImages = 1
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(width, height)
        canvas._code.append(f"/{registered} Do")
        canvas.restoreState()
        canvas._formsinuse.append(name)


@functools.lru_cache(maxsize=16)
def picture(data: bytes | None) -> Picture | None:
    """The image in `data` (PNG, JPEG or another common format), or None if it is unusable."""
    if not data:
        return None
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a decompression bomb below its hard limit.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if not 0 < image.width * image.height <= _MOST_PIXELS:
                return None
            image.load()
            return _picture(image, data)
    except (
        OSError,
        ValueError,
        SyntaxError,
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return None


def _picture(image: Image.Image, data: bytes) -> Picture:
    name = hashlib.sha256(data).hexdigest()[:32]
    if image.format == "JPEG" and image.mode in _COLOUR_SPACES and max(image.size) <= _LARGEST_SIDE:
        # A JPEG goes into the PDF as it is: PDF readers decode JPEG themselves.
        jpeg = _xobject(name, image.size, image.mode, data, "DCTDecode")
        return Picture(jpeg, None, data, image.width, image.height)
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    grey = image.mode in ("1", "L", "LA")
    image = image.convert(("LA" if grey else "RGBA") if transparent else ("L" if grey else "RGB"))
    if max(image.size) > _LARGEST_SIDE:
        image.thumbnail((_LARGEST_SIDE, _LARGEST_SIDE), Image.Resampling.LANCZOS)
    png = io.BytesIO()
    image.save(png, format="PNG")
    mask: PDFImageXObject | None = None
    if transparent:
        alpha = image.getchannel("A")
        if alpha.getextrema() != (255, 255):
            mask = _flate(f"{name}a", alpha)
        image = image.convert("L" if grey else "RGB")
    return Picture(_flate(name, image), mask, png.getvalue(), image.width, image.height)


def _flate(name: str, image: Image.Image) -> PDFImageXObject:
    return _xobject(name, image.size, image.mode, zlib.compress(image.tobytes()), "FlateDecode")


def _xobject(
    name: str, size: tuple[int, int], mode: str, stream: bytes, compression: str
) -> PDFImageXObject:
    image = PDFImageXObject(name)
    image.width, image.height = size
    image.bitsPerComponent = 8
    image.colorSpace = _COLOUR_SPACES[mode]
    image.streamContent = stream
    image._filters = (compression,)
    image.mask = None
    return image
