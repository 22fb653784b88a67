"""Pictures people choose for letters (a logo, a scanned signature): read, checked, previewed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QImage, QPixmap

from prdesk.domain.errors import ValidationError
from prdesk.ui.attachment_preview import size_text

PICTURE_FILTER = "Pictures (*.png *.jpg *.jpeg)"
_PICTURE_STARTS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def read_picture(path: Path, *, limit: int, what: str) -> bytes:
    """A PNG or JPEG file's bytes, or a ValidationError that says what is wrong with it."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ValidationError(
                f"{path.name} is {size_text(size)}; {what} may be at most {size_text(limit)}. "
                "Use a smaller picture."
            )
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(f"{path.name} cannot be read: {error.strerror or error}.") from None
    if not data.startswith(_PICTURE_STARTS) or QImage.fromData(data).isNull():
        raise ValidationError(f"{path.name} is not a PNG or JPEG picture; {what} must be one.")
    return data


def picture_pixmap(data: bytes | None, room: QSize) -> QPixmap:
    """The picture scaled down to fit `room` (a null pixmap when there is none)."""
    image = QImage.fromData(QByteArray(data)) if data else QImage()
    if image.isNull():
        return QPixmap()
    if image.width() > room.width() or image.height() > room.height():
        image = image.scaled(
            room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return QPixmap.fromImage(image)
