"""A look at an attachment without leaving PR Desk: images scaled to fit, PDFs page by page."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QMimeDatabase, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QIcon,
    QImage,
    QImageReader,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError
from prdesk.domain.readmodels import AttachmentInfo
from prdesk.domain.services import attachments
from prdesk.domain.services.attachments import AttachmentContent
from prdesk.ui import attachment_files
from prdesk.ui.context import AppContext
from prdesk.ui.operations import PlainOperation

# Pages are rendered this many pixels along their longer side: sharp in a preview
# pane on a high-density screen, and a letter-size page stays under 8 MB of pixels.
PAGE_PIXELS = 1600
# Photos from phones can be 50 megapixels; a preview does not need them whole.
IMAGE_PIXELS = 2400
# PDFium is not thread-safe; pages may be rendered from two workers.
_pdfium_lock = threading.Lock()


@dataclass(frozen=True)
class RenderedPage:
    """A PDF page as RGBA pixels, or why there is none.

    Attributes:
        problem: set when the PDF could not be rendered; the other fields are then empty.
    """

    index: int
    page_count: int
    width: int = 0
    height: int = 0
    stride: int = 0
    pixels: bytes = b""
    problem: str = ""


def render_page(data: bytes, index: int, longest_side: int = PAGE_PIXELS) -> RenderedPage:
    """Renders one page (counted from 0) on the calling thread; never raises for bad PDFs."""
    # Imported here: PDFium is loaded only when someone previews a PDF.
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    with _pdfium_lock:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return RenderedPage(
                index,
                0,
                problem="This PDF cannot be previewed: it is damaged or protected by a password.",
            )
        try:
            count = len(document)
            if count == 0:
                return RenderedPage(index, 0, problem="This PDF has no pages.")
            index = max(0, min(index, count - 1))
            page = document[index]
            try:
                width, height = page.get_size()
                scale = longest_side / max(width, height, 1.0)
                bitmap = page.render(
                    scale=scale,
                    fill_color=(255, 255, 255, 255),
                    force_bitmap_format=pdfium_raw.FPDFBitmap_BGRA,
                    rev_byteorder=True,  # RGBA, which QImage reads on any byte order
                )
                rendered = RenderedPage(
                    index, count, bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)
                )
                bitmap.close()
                return rendered
            finally:
                page.close()
        except pdfium.PdfiumError:
            return RenderedPage(index, 0, problem="This page of the PDF cannot be rendered.")
        finally:
            document.close()


def size_text(size: int) -> str:
    """A file size as people read it: 820 bytes, 14 KB, 3.2 MB."""
    if size < 1024:
        return f"{size} bytes" if size != 1 else "1 byte"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class ImageView(QWidget):
    """Paints an image scaled to fit, keeping its proportions, centred."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 160)

    def image(self) -> QImage:
        return self._image

    def set_image(self, image: QImage) -> None:
        self._image = image
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 540)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image.isNull():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        room = self.rect().adjusted(1, 1, -1, -1).size()
        size = self._image.deviceIndependentSize().toSize()
        # Larger pictures shrink to fit; smaller ones are not blown up into a blur.
        if size.width() > room.width() or size.height() > room.height():
            size = size.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(QPoint(0, 0), size)
        target.moveCenter(self.rect().center())
        painter.drawImage(target, self._image)
        # A hairline round it, so a white page stands out from a light background.
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(target.adjusted(-1, -1, 0, 0))
        painter.end()


class AttachmentPreview(QWidget):
    """Shows the chosen attachment; fetching its content is an audited view.

    Types that cannot be shown here get an icon, their name and size; every type
    can be opened with the system viewer or saved as a copy.

    Signals:
        shown: the AttachmentInfo, once its preview (or its icon) is on screen.
    """

    shown = Signal(object)

    _MESSAGE, _IMAGE, _FILE = range(3)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._info: AttachmentInfo | None = None
        self._pdf: bytes = b""
        self._page = 0
        self._page_count = 0
        # Bumped for every attachment shown: late results for an earlier one are dropped.
        self._generation = 0

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.details = QLabel()
        self.details.setProperty("role", "hint")

        self.message = QLabel()
        self.message.setObjectName("emptyState")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view = ImageView()
        self.file_icon = QLabel()
        self.file_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.file_name = QLabel()
        self.file_name.setTextFormat(Qt.TextFormat.PlainText)
        self.file_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.file_name.setWordWrap(True)
        self.file_note = QLabel()
        self.file_note.setTextFormat(Qt.TextFormat.PlainText)
        self.file_note.setProperty("role", "hint")
        self.file_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.file_note.setWordWrap(True)
        file_page = QWidget()
        file_layout = QVBoxLayout(file_page)
        file_layout.addStretch(1)
        for label in (self.file_icon, self.file_name, self.file_note):
            file_layout.addWidget(label)
        file_layout.addStretch(1)
        self.stack = QStackedWidget()
        for page in (self.message, self.view, file_page):
            self.stack.addWidget(page)

        self.previous_button = QToolButton()
        self.previous_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.previous_button.setToolTip("Previous page (Page Up)")
        self.previous_button.setAccessibleName("Previous page")
        self.next_button = QToolButton()
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.next_button.setToolTip("Next page (Page Down)")
        self.next_button.setAccessibleName("Next page")
        self.page_label = QLabel()
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_bar = QWidget()
        pages = QHBoxLayout(self.page_bar)
        pages.setContentsMargins(0, 0, 0, 0)
        pages.addStretch(1)
        pages.addWidget(self.previous_button)
        pages.addWidget(self.page_label)
        pages.addWidget(self.next_button)
        pages.addStretch(1)

        self.open_button = QPushButton("&Open with system viewer")
        self.open_button.setToolTip("Open the file in the program this computer uses for it")
        self.open_button.setAutoDefault(False)
        self.save_button = QPushButton("Save a &copy…")
        self.save_button.setToolTip("Save the file in a folder of your choice")
        self.save_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.page_bar)
        layout.addLayout(buttons)

        self.previous_button.clicked.connect(lambda: self.show_page(self._page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self._page + 1))
        # Only while the preview has the focus: elsewhere the keys scroll lists.
        for key, step in ((Qt.Key.Key_PageUp, -1), (Qt.Key.Key_PageDown, 1)):
            QShortcut(
                QKeySequence(key),
                self,
                lambda step=step: self.show_page(self._page + step),
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        self.open_button.clicked.connect(self.open_with_system_viewer)
        self.save_button.clicked.connect(self.save_copy)
        self.setAccessibleName("Attachment preview")
        self.clear()

    def info(self) -> AttachmentInfo | None:
        return self._info

    def image(self) -> QImage:
        """The image or page on screen (null when there is none)."""
        return self.view.image()

    def clear(self) -> None:
        self._generation += 1
        self._info = None
        self._pdf = b""
        self._page = self._page_count = 0
        self.view.set_image(QImage())
        self.title.clear()
        self.details.clear()
        self.page_bar.hide()
        self._show_message("Choose an attachment to see it here.")
        self.open_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def show_attachment(self, info: AttachmentInfo) -> None:
        self.clear()
        self._info = info
        self.title.setText(info.filename)
        self.details.setText(f"{self._type_name(info)} · {size_text(info.size)}")
        # Programs and scripts (an email's attachment) are saved, never run from here.
        self.open_button.setEnabled(attachment_files.may_open(info))
        self.save_button.setEnabled(True)
        if not self._previewable(info):
            self._show_file(info, "")
            return
        self._show_message(f"Loading {info.filename}…")
        generation, actor, attachment_id = self._generation, self._ctx.actor, info.id

        def fetch(session: Session) -> AttachmentContent:
            return attachments.attachment_content(session, actor, attachment_id)

        (
            self._ctx.operation(self, fetch)
            .success(lambda content: self._on_fetched(generation, content))
            .failure(lambda error: self._on_failed(generation, error))
            .run()
        )

    def show_page(self, index: int) -> None:
        """Turns to a page of the PDF on screen (counted from 0)."""
        if not self._pdf or not 0 <= index < self._page_count or index == self._page:
            return
        self._render(index)

    def page_text(self) -> str:
        return self.page_label.text()

    def open_with_system_viewer(self) -> None:
        if self._info is not None:
            attachment_files.open_with_system_viewer(self, self._ctx, self._info)

    def save_copy(self) -> None:
        if self._info is not None:
            attachment_files.save_copy(self, self._ctx, self._info)

    def _on_fetched(self, generation: int, content: AttachmentContent) -> None:
        if generation != self._generation:
            return
        if self._is_pdf(content.info):
            self._pdf = content.data
            self._render(0)
        else:
            self._show_image(content)

    def _on_failed(self, generation: int, error: DomainError) -> None:
        if generation == self._generation:
            self._show_message(error.message)

    def _render(self, index: int) -> None:
        generation, data = self._generation, self._pdf
        self.previous_button.setEnabled(False)
        self.next_button.setEnabled(False)
        (
            PlainOperation(self, lambda: render_page(data, index))
            .alongside()
            .success(lambda page: self._on_rendered(generation, page))
            .run()
        )

    def _on_rendered(self, generation: int, page: RenderedPage) -> None:
        if generation != self._generation or self._info is None:
            return
        if page.problem:
            self._pdf = b""
            self._show_file(self._info, page.problem)
            return
        image = QImage(
            page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGBA8888
        ).copy()  # the copy owns its pixels; `page.pixels` can go
        self._page, self._page_count = page.index, page.page_count
        self.page_label.setText(f"Page {page.index + 1} of {page.page_count}")
        self.previous_button.setEnabled(page.index > 0)
        self.next_button.setEnabled(page.index + 1 < page.page_count)
        self.page_bar.setVisible(page.page_count > 1)
        self.view.setAccessibleName(
            f"Page {page.index + 1} of {page.page_count} of {self._info.filename}"
        )
        self._show_picture(image)

    def _show_image(self, content: AttachmentContent) -> None:
        buffer = QBuffer()
        buffer.setData(QByteArray(content.data))
        reader = QImageReader(buffer)
        reader.setAutoTransform(True)  # photos taken sideways show upright
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > IMAGE_PIXELS:
            reader.setScaledSize(
                size.scaled(IMAGE_PIXELS, IMAGE_PIXELS, Qt.AspectRatioMode.KeepAspectRatio)
            )
        image = reader.read()
        if image.isNull():
            self._show_file(content.info, "This image cannot be shown here.")
            return
        self.view.setAccessibleName(f"Picture {content.info.filename}")
        self._show_picture(image)

    def _show_picture(self, image: QImage) -> None:
        self.view.set_image(image)
        self.stack.setCurrentIndex(self._IMAGE)
        self.shown.emit(self._info)

    def _show_file(self, info: AttachmentInfo, problem: str) -> None:
        icon = QIcon.fromTheme(QMimeDatabase().mimeTypeForName(info.media_type).iconName())
        if icon.isNull():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self.file_icon.setPixmap(icon.pixmap(64, 64))
        self.file_name.setText(info.filename)
        self.file_note.setText(
            problem or "PR Desk cannot show this kind of file. Open it with the system viewer."
        )
        self.stack.setCurrentIndex(self._FILE)
        self.shown.emit(info)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentIndex(self._MESSAGE)

    @staticmethod
    def _is_pdf(info: AttachmentInfo) -> bool:
        return info.media_type == "application/pdf" or info.filename.lower().endswith(".pdf")

    def _previewable(self, info: AttachmentInfo) -> bool:
        if self._is_pdf(info):
            return True
        readable = {bytes(kind.data()).decode() for kind in QImageReader.supportedMimeTypes()}
        return info.media_type in readable

    @staticmethod
    def _type_name(info: AttachmentInfo) -> str:
        kind = QMimeDatabase().mimeTypeForName(info.media_type)
        return kind.comment() if kind.isValid() and kind.comment() else info.media_type or "File"
