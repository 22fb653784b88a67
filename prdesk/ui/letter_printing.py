"""Printing letters' PDFs on paper: each page rendered at printer resolution, at its true size.

Pages are printed at 100 %, never scaled to fit: the address block must land in the
envelope's window. PDFium renders them (the same engine as the attachment preview),
at the printer's resolution up to 300 dpi, which is sharp on paper and keeps a page's
bitmap under 35 MB.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from prdesk.domain.errors import DomainError
from prdesk.ui.attachment_preview import _pdfium_lock
from prdesk.ui.operations import PlainOperation

MAX_DPI = 300


class PrintFailed(DomainError):
    """The printer could not be started or a PDF could not be read; the message says which."""


@dataclass(frozen=True)
class _Page:
    """One page of the job: which document, which page of it, and its size in points."""

    document: int
    index: int
    width: float
    height: float


def _pages(pdfs: Sequence[bytes]) -> list[_Page]:
    import pypdfium2 as pdfium

    pages: list[_Page] = []
    with _pdfium_lock:
        for number, pdf in enumerate(pdfs):
            try:
                document = pdfium.PdfDocument(pdf)
            except pdfium.PdfiumError:
                raise PrintFailed(
                    "A letter's PDF is damaged and cannot be printed; nothing was printed."
                ) from None
            try:
                for index in range(len(document)):
                    width, height = document.get_page_size(index)
                    pages.append(_Page(number, index, width, height))
            finally:
                document.close()
    return pages


def page_count(pdfs: Sequence[bytes]) -> int:
    return len(_pages(pdfs))


def _render(pdf: bytes, page: _Page, dpi: int) -> QImage:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    with _pdfium_lock:
        document = pdfium.PdfDocument(pdf)
        try:
            pdf_page = document[page.index]
            try:
                bitmap = pdf_page.render(
                    scale=dpi / 72,
                    fill_color=(255, 255, 255, 255),
                    force_bitmap_format=pdfium_raw.FPDFBitmap_BGRA,
                    rev_byteorder=True,
                )
                image = QImage(
                    bytes(bitmap.buffer),
                    bitmap.width,
                    bitmap.height,
                    bitmap.stride,
                    QImage.Format.Format_RGBA8888,
                ).copy()  # the copy owns its pixels; the bitmap's go with it
                bitmap.close()
                return image
            finally:
                pdf_page.close()
        finally:
            document.close()


def _chosen(pages: list[_Page], printer: QPrinter) -> list[_Page]:
    """The pages in the range the user chose (counted from 1 over the whole job)."""
    if printer.printRange() != QPrinter.PrintRange.PageRange or printer.fromPage() == 0:
        return pages
    first = max(printer.fromPage(), 1)
    last = printer.toPage() or len(pages)
    return pages[first - 1 : last]


def paint_pdfs(pdfs: Sequence[bytes], printer: QPrinter) -> int:
    """Prints the documents one after another in one job; returns the pages sent to it.

    Copies are repeated here unless the printer makes them itself.
    """
    pages = _chosen(_pages(pdfs), printer)
    if not pages:
        return 0
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if copies > 1 and printer.collateCopies():
        sequence = pages * copies
    else:
        sequence = [page for page in pages for _copy in range(copies)]
    dpi = min(printer.resolution(), MAX_DPI)
    printer.setFullPage(True)  # the origin is the paper's corner, as in the PDF
    _set_page_size(printer, sequence[0])
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(
            "The printer could not be started. Check that it is switched on and connected."
        )
    try:
        for number, page in enumerate(sequence):
            if number:
                _set_page_size(printer, page)
                printer.newPage()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            scale = printer.resolution() / 72
            target = QRectF(0, 0, page.width * scale, page.height * scale)
            painter.drawImage(target, _render(pdfs[page.document], page, dpi))
    finally:
        painter.end()
    return len(sequence)


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    return paint_pdfs([pdf], printer)


def _set_page_size(printer: QPrinter, page: _Page) -> None:
    # Matched to the nearest standard size, so the printer picks the tray of A4 or Letter.
    size = QPageSize(QSizeF(page.width, page.height), QPageSize.Unit.Point)
    if not printer.pageLayout().pageSize().isEquivalentTo(size):
        printer.setPageSize(size)


class PrinterChoice:
    """The print dialog: which printer, which pages, how many copies."""

    @classmethod
    def ask(cls, parent: QWidget | None, *, title: str, pages: int) -> QPrinter | None:
        """The printer as the user set it up, or None when they cancelled."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(f"Print {title}")
        dialog.setMinMax(1, max(pages, 1))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer


def print_pdfs(
    pdfs: Sequence[bytes],
    parent: QWidget,
    *,
    title: str,
    printed: Callable[[], None],
    failed: Callable[[str], None],
) -> bool:
    """Asks for a printer, then prints the documents as one job; False when cancelled.

    Rendering pages at printer resolution takes a moment a page, so it runs on a worker
    (QPainter may paint on a QPrinter outside the GUI thread) and the window stays
    responsive; `printed` or `failed` (with a message to show) follows.
    """
    try:
        pages = page_count(pdfs)
    except PrintFailed as error:
        failed(error.message)
        return False
    printer = PrinterChoice.ask(parent, title=title, pages=pages)
    if printer is None:
        return False
    documents = list(pdfs)
    (
        PlainOperation(parent, lambda: paint_pdfs(documents, printer))
        .alongside(long=True)
        .success(lambda _pages: printed())
        .failure(lambda error: failed(error.message))
        # Referenced here until the job is delivered, so the printer is never freed on the
        # worker (see operations.py).
        .done(lambda: _keep(printer))
        .run()
    )
    return True


def _keep(printer: QPrinter) -> None:
    """Nothing to do: naming the printer in the callback keeps it alive until now."""


def print_pdf(
    pdf: bytes,
    parent: QWidget,
    *,
    title: str,
    printed: Callable[[], None],
    failed: Callable[[str], None],
) -> bool:
    return print_pdfs([pdf], parent, title=title, printed=printed, failed=failed)
