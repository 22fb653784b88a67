"""A PDF's pages one under another, as a reader scrolls a letter; rendered off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from prdesk.ui.attachment_preview import RenderedPage, render_page
from prdesk.ui.operations import PlainOperation

# Sharp enough for a preview beside an editor, small enough to render a page in a blink.
PAGE_PIXELS = 1100


def render_pages(data: bytes, longest_side: int = PAGE_PIXELS) -> tuple[RenderedPage, ...]:
    """Every page of the PDF, on the calling thread; a PDF that cannot be read gives one
    RenderedPage whose `problem` says so."""
    first = render_page(data, 0, longest_side)
    if first.problem:
        return (first,)
    rest = (render_page(data, index, longest_side) for index in range(1, first.page_count))
    return (first, *rest)


class PageView(QWidget):
    """One page, as wide as there is room for (never blown up past its pixels)."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = image
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumWidth(120)

    def image(self) -> QImage:
        return self._image

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        shown = min(width, self._image.width())
        return max(1, round(shown * self._image.height() / max(self._image.width(), 1)))

    def sizeHint(self) -> QSize:
        return QSize(420, self.heightForWidth(420))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        width = min(self.width(), self._image.width())
        target = QRect(QPoint(0, 0), QSize(width, self.heightForWidth(width)))
        target.moveCenter(self.rect().center())
        painter.drawImage(target, self._image)
        # A hairline round the sheet, so a white page stands out from the grey around it.
        painter.setPen(QColor("#9aa0a6"))
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        painter.end()


class PdfPages(QScrollArea):
    """Shows PDF bytes page by page. While a new PDF renders, the last one stays on
    screen, so a preview that refreshes as someone types does not flicker.

    Signals:
        shown: the number of pages, once they are on screen.
    """

    shown = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, page_pixels: int = PAGE_PIXELS) -> None:
        super().__init__(parent)
        self._page_pixels = page_pixels
        # Bumped for every PDF asked for: a late result for an earlier one is dropped.
        self._generation = 0
        self._pages: list[PageView] = []
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Pages")
        sheet = QWidget()
        sheet.setBackgroundRole(QPalette.ColorRole.Mid)
        sheet.setAutoFillBackground(True)
        self._layout = QVBoxLayout(sheet)
        self._layout.setContentsMargins(12, 12, 12, 12)
        self._layout.setSpacing(12)
        self.message = QLabel()
        self.message.setObjectName("emptyState")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self.message)
        self._layout.addStretch(1)
        self.setWidget(sheet)
        self.message.hide()

    def show_pdf(self, data: bytes) -> None:
        """Renders the PDF on a worker and shows its pages when they are ready."""
        self._generation += 1
        generation, pixels = self._generation, self._page_pixels
        (
            PlainOperation(self, lambda: render_pages(data, pixels))
            .alongside()
            .success(lambda pages: self._on_rendered(generation, pages))
            .run()
        )

    def show_message(self, text: str) -> None:
        """A sentence in place of the pages (why there is nothing to show)."""
        self._generation += 1
        self._set_pages([])
        self.message.setText(text)
        self.message.show()

    def page_count(self) -> int:
        return len(self._pages)

    def page_images(self) -> list[QImage]:
        return [page.image() for page in self._pages]

    def _on_rendered(self, generation: int, pages: tuple[RenderedPage, ...]) -> None:
        if generation != self._generation:
            return
        if pages and pages[0].problem:
            self.show_message(pages[0].problem)
            return
        images = [
            # The copy owns its pixels; the rendered bytes can go.
            QImage(
                page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGBA8888
            ).copy()
            for page in pages
        ]
        self.message.hide()
        self._set_pages(images)
        self.shown.emit(len(images))

    def _set_pages(self, images: list[QImage]) -> None:
        for page in self._pages:
            self._layout.removeWidget(page)
            page.hide()  # at once: deleteLater would leave it on screen until the next pass
            page.deleteLater()
        self._pages = []
        for number, image in enumerate(images, start=1):
            page = PageView(image)
            page.setAccessibleName(f"Page {number} of {len(images)}")
            self._layout.insertWidget(self._layout.count() - 1, page)
            page.show()
            self._pages.append(page)
