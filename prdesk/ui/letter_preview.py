"""The letter exactly as it will print, redrawn a moment after each edit, page under page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from prdesk.domain.errors import DomainError
from prdesk.domain.readmodels import Letterhead, LetterInfo
from prdesk.export import letter_files
from prdesk.export.letter_pdf import render_letter_pdf
from prdesk.ui.attachment_preview import RenderedPage, render_page
from prdesk.ui.context import AppContext
from prdesk.ui.operations import PlainOperation

# Pixels along a page's longer side: sharp at the width of half a screen, and a
# US Letter page stays near 6 MB of pixels.
PREVIEW_PIXELS = 1400
_PAGE_GAP = 12


@dataclass(frozen=True)
class PreviewPages:
    """The pages of a letter's PDF as pixels, or why there are none."""

    pages: tuple[RenderedPage, ...]
    problem: str = ""


def render_pages(pdf: bytes, longest_side: int = PREVIEW_PIXELS) -> PreviewPages:
    """Every page of `pdf`, rendered on the calling thread (a worker's)."""
    first = render_page(pdf, 0, longest_side)
    if first.problem:
        return PreviewPages((), first.problem)
    rest = (render_page(pdf, index, longest_side) for index in range(1, first.page_count))
    pages = (first, *rest)
    problem = next((page.problem for page in pages if page.problem), "")
    return PreviewPages(tuple(page for page in pages if not page.problem), problem)


def _image(page: RenderedPage) -> QImage:
    # The copy owns its pixels, so the worker's buffer can go.
    return QImage(
        page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGBA8888
    ).copy()


class LetterPreview(QWidget):
    """Pages of the letter stacked in a scroll area, each as wide as the pane.

    A draft is rendered from the text on screen, `DELAY_MS` after the last edit, on a
    worker of its own; a render that an edit overtook is dropped. A finalised or sent
    letter shows its stored bytes: what was kept is what is shown.

    Signals:
        rendered: the page count, once new pages are on screen.
    """

    rendered = Signal(int)
    DELAY_MS = 500

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._letterhead: Letterhead | None = None
        self._signature: bytes | None = None
        self._waiting: LetterInfo | None = None
        self._images: list[QImage] = []
        # Bumped for every render asked for: only the newest one's pages are shown.
        self._generation = 0
        self._running = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self._render_waiting)

        self.page_label = QLabel()
        self.page_label.setAccessibleName("Page count")
        self.state_label = QLabel()
        self.state_label.setProperty("role", "hint")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        heading = QHBoxLayout()
        heading.addWidget(QLabel("<b>As it will print</b>"))
        heading.addStretch(1)
        heading.addWidget(self.state_label)
        heading.addWidget(self.page_label)

        self.message = QLabel()
        self.message.setObjectName("emptyState")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._pages = QWidget()
        # The grey around the pages, and the message on it, come from the theme's sheet.
        self._pages.setObjectName("previewPages")
        self._page_layout = QVBoxLayout(self._pages)
        self._page_layout.setContentsMargins(_PAGE_GAP, _PAGE_GAP, _PAGE_GAP, _PAGE_GAP)
        self._page_layout.setSpacing(_PAGE_GAP)
        self._page_layout.addWidget(self.message)
        self._page_layout.addStretch(1)
        self._labels: list[QLabel] = []
        self.pages_area = QScrollArea()
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setFrameShape(QFrame.Shape.NoFrame)
        self.pages_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.pages_area.setWidget(self._pages)
        self.pages_area.setAccessibleName("Letter preview")
        self.pages_area.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.pages_area, 1)
        self._show_message("Preparing the preview…")

    # What to show

    def set_sources(self, letterhead: Letterhead, signature: bytes | None) -> None:
        """The letterhead and signature every draft is printed with (read once)."""
        self._letterhead, self._signature = letterhead, signature
        if self._waiting is not None:
            self._render_waiting()

    def show_draft(self, letter: LetterInfo, *, at_once: bool = False) -> None:
        """Renders `letter` (with the text on screen) after a pause in typing."""
        self._waiting = letter
        self._generation += 1
        if at_once:
            self._timer.stop()
            self._render_waiting()
        else:
            self._timer.start()

    def show_stored(self, letter: LetterInfo) -> None:
        """Shows the stored PDF of a finalised or sent letter."""
        self._timer.stop()
        self._waiting = None
        self._generation += 1
        db, actor, letter_id = self._ctx.db, self._ctx.actor, letter.id
        self._start(lambda: letter_files.letter_pdf(db, actor, letter_id, purpose="view"))

    def page_count(self) -> int:
        return len(self._images)

    def images(self) -> list[QImage]:
        return list(self._images)

    def is_current(self) -> bool:
        """Whether the pages shown are of the latest text (nothing waits or renders)."""
        return not self._running and not self._timer.isActive() and self._waiting is None

    # Rendering

    def _render_waiting(self) -> None:
        letter, head, signature = self._waiting, self._letterhead, self._signature
        if letter is None or head is None or self._running:
            return  # what waits is rendered once the letterhead (or the running render) is in
        self._waiting = None
        self._start(lambda: render_letter_pdf(letter, head, signature=signature))

    def _start(self, make_pdf: Callable[[], bytes]) -> None:
        generation = self._generation
        self._running += 1
        self.state_label.setText("Updating…")
        (
            PlainOperation(self, lambda: render_pages(make_pdf()))
            .alongside(long=True)
            .success(lambda pages: self._on_rendered(generation, pages))
            .failure(lambda error: self._on_failed(generation, error))
            .done(self._on_done)
            .run()
        )

    def _on_done(self) -> None:
        self._running -= 1
        if self._waiting is not None and not self._timer.isActive():
            self._render_waiting()
        if not self._running:
            self.state_label.clear()

    def _on_rendered(self, generation: int, pages: PreviewPages) -> None:
        if generation != self._generation:
            return  # an edit came after this render was asked for
        if not pages.pages:
            self._show_message(pages.problem or "The letter could not be shown.")
            return
        self._images = [_image(page) for page in pages.pages]
        count = len(self._images)
        self.page_label.setText("1 page" if count == 1 else f"{count} pages")
        self.message.hide()
        while len(self._labels) < count:
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self._page_layout.insertWidget(len(self._labels), label)
            self._labels.append(label)
        for index, label in enumerate(self._labels):
            label.setVisible(index < count)
            label.setAccessibleName(f"Page {index + 1} of {count}")
        self._fit_pages()
        self.rendered.emit(count)

    def _on_failed(self, generation: int, error: DomainError) -> None:
        if generation == self._generation:
            self._show_message(f"The preview could not be made: {error.message}")

    def _show_message(self, text: str) -> None:
        self._images = []
        self.page_label.clear()
        for label in self._labels:
            label.hide()
        self.message.setText(text)
        self.message.show()

    # Fitting the pages to the pane

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.pages_area.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_pages()
        return super().eventFilter(watched, event)

    def _fit_pages(self) -> None:
        width = self.pages_area.viewport().width() - 2 * _PAGE_GAP
        if width <= 0:
            return
        ratio = self.devicePixelRatioF()
        for image, label in zip(self._images, self._labels, strict=False):
            pixmap = QPixmap.fromImage(
                image.scaledToWidth(
                    round(width * ratio), Qt.TransformationMode.SmoothTransformation
                )
            )
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
            # The scroll area must make room for the whole page, not squeeze it.
            label.setFixedHeight(round(pixmap.height() / ratio))
