"""Files on the timeline: dropped or attached, previewed, opened with the system viewer, saved."""

from __future__ import annotations

import io
import stat
import struct
import sys
import warnings
from collections.abc import Iterator
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMimeData,
    QObject,
    QPointF,
    Qt,
    QUrl,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QImage,
)
from PySide6.QtWidgets import QApplication, QListWidget, QWidget
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from prdesk.domain.enums import TimelineKind
from prdesk.domain.models import Attachment, AuditEvent, Blob, TimelineEntry, utcnow
from prdesk.domain.readmodels import AttachmentInfo
from prdesk.domain.services import attachments, timeline
from prdesk.domain.services.attachments import NewAttachment
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.domain.services.timeline_reading import case_timeline
from prdesk.ui import attachment_files
from prdesk.ui.attachment_files import ViewerFolder, remove_leftovers
from prdesk.ui.attachment_limit_dialog import AttachmentLimitDialog
from prdesk.ui.attachment_preview import AttachmentPreview
from prdesk.ui.context import AppContext
from prdesk.ui.timeline_drop import OUTLOOK_CONTENT, OUTLOOK_NAMES, TimelineDrop
from tests.gui.conftest import CaseMaker, wait_idle

SHOTS = Path("/tmp/shots")


def _pdf(pages: int = 2) -> bytes:
    """A letter-size PDF with a heading on each page, as a scanner or a letter would give."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=letter)
    for number in range(1, pages + 1):
        page.setFont("Helvetica-Bold", 28)
        page.drawString(72, 680, f"Incident report, page {number}")
        page.setFont("Helvetica", 12)
        for line in range(20):
            page.drawString(
                72, 640 - line * 18, "Ward 4B, night shift: statement of the charge nurse."
            )
        page.showPage()
    page.save()
    return buffer.getvalue()


def _png(width: int = 300, height: int = 150, color: str = "#2e8540") -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    device = QBuffer(data)
    device.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(device, "PNG")
    return bytes(data.data())


def _email(tmp_path: Path) -> Path:
    message = EmailMessage()
    message["From"] = "Robert O'Brien <robert.obrien@example.com>"
    message["To"] = "Patient Relations <pr@hospital.example>"
    message["Subject"] = "Photos of the bruising, as promised"
    message["Date"] = "Tue, 24 Nov 2026 15:15:00 -0500"
    message.set_content("Dear team,\n\nHere are the photos of my father's arm.\n")
    message.add_attachment(_png(), maintype="image", subtype="png", filename="arm.png")
    path = tmp_path / "photos.eml"
    path.write_bytes(bytes(message))
    return path


def _send_drop(target: QWidget, mime: QMimeData) -> bool:
    """Drags the data over the widget and lets go; True when the drag was welcomed."""
    where = QPointF(20, 20)
    with warnings.catch_warnings():
        # PySide marks the only constructor there is as deprecated.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            where.toPoint(),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    return True


def _drop_files(target: QWidget, *paths: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return _send_drop(target, mime)


def _timeline(ctx: AppContext, qtbot: QtBot, case_id: int) -> tuple[QListWidget, TimelineDrop]:
    """A list standing in for the case's timeline, with dropping installed on it."""
    view = QListWidget()
    view.setAccessibleName("Timeline entries")
    view.resize(640, 360)
    qtbot.addWidget(view)
    drop = TimelineDrop(ctx, view)
    drop.set_case(case_id)
    view.show()
    return view, drop


def _attach(ctx: AppContext, case_id: int, filename: str, data: bytes) -> AttachmentInfo:
    """A file already on the case's timeline, as a colleague attached it."""
    with ctx.db.transaction() as session:
        (entry,) = timeline.add_entries(
            session,
            ctx.actor,
            case_id,
            [
                NewTimelineEntry(
                    TimelineKind.ATTACHMENT,
                    f"Attached {filename}",
                    attachments=(NewAttachment(filename, data),),
                )
            ],
        )
    return entry.attachments[0]


def _views(ctx: AppContext) -> int:
    with ctx.db.transaction(read_only=True) as session:
        return (
            session.scalar(
                select(func.count(AuditEvent.id)).where(
                    AuditEvent.action == "view", AuditEvent.entity == "attachment"
                )
            )
            or 0
        )


def test_dropped_files_become_entries_and_refused_files_are_named(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = make_case()
    view, drop = _timeline(ctx, qtbot, case.id)
    reports: list[str] = []
    drop.reported.connect(reports.append)
    report = tmp_path / "incident report.pdf"
    report.write_bytes(_pdf())
    photo = tmp_path / "ward 4B.png"
    photo.write_bytes(_png())
    email = _email(tmp_path)
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00" + bytes(200))

    assert _drop_files(view.viewport(), report, photo, email, program)
    wait_idle(qtbot)

    with ctx.db.transaction(read_only=True) as session:
        entries = {entry.summary: entry for entry in case_timeline(session, case.id)}
    attached_pdf = entries["Attached incident report.pdf"]
    assert attached_pdf.kind is TimelineKind.ATTACHMENT
    assert [a.filename for a in attached_pdf.attachments] == ["incident report.pdf"]
    assert attached_pdf.attachments[0].media_type == "application/pdf"
    assert [a.filename for a in entries["Attached ward 4B.png"].attachments] == ["ward 4B.png"]
    received = entries["Photos of the bruising, as promised"]
    assert received.kind is TimelineKind.EMAIL_RECEIVED
    assert "robert.obrien@example.com" in received.sender
    assert "pr@hospital.example" in received.recipients
    assert "photos of my father's arm" in received.body
    assert [a.filename for a in received.attachments] == ["arm.png"]
    assert not any("setup.exe" in summary for summary in entries)
    assert reports[-1].startswith("Added 3 entries to the timeline.")
    assert "setup.exe: " in reports[-1]
    assert not drop.overlay.isVisible()


def test_the_drop_highlight_shows_while_files_hover(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = make_case()
    view, drop = _timeline(ctx, qtbot, case.id)
    entries = [
        "Nov 20 — Phone call: daughter reports bruising",
        "Nov 21 — Note: asked ward 4B for the incident log",
    ]
    view.addItems(entries)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "statement.pdf"))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPointF(30, 30).toPoint(),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    assert drop.overlay.isVisible()
    assert drop.overlay.geometry() == view.rect()
    SHOTS.mkdir(exist_ok=True)
    view.grab().save(str(SHOTS / "timeline_drop_overlay.png"))
    QApplication.sendEvent(view.viewport(), QDragLeaveEvent())
    assert not drop.overlay.isVisible()


def test_without_a_case_or_the_right_to_add_nothing_is_taken(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = make_case()
    view, drop = _timeline(ctx, qtbot, case.id)
    drop.set_case(None)
    report = tmp_path / "report.pdf"
    report.write_bytes(_pdf(1))
    assert not _drop_files(view.viewport(), report)
    assert not drop.attach_action.isEnabled()


def test_the_same_pdf_dropped_twice_is_stored_once(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = make_case()
    view, _drop = _timeline(ctx, qtbot, case.id)
    report = tmp_path / "incident report.pdf"
    report.write_bytes(_pdf())
    _drop_files(view.viewport(), report)
    wait_idle(qtbot)
    copy = tmp_path / "incident report (copy).pdf"
    copy.write_bytes(report.read_bytes())
    _drop_files(view.viewport(), copy)
    wait_idle(qtbot)
    with ctx.db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count(Attachment.id))) == 2
        assert session.scalar(select(func.count()).select_from(Blob)) == 1
        assert session.scalar(select(func.count(TimelineEntry.id))) >= 2


def test_a_file_over_the_administrators_limit_is_refused_with_its_size(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    dialog = AttachmentLimitDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot)
    assert dialog.number.value() == 25
    dialog.number.setValue(1)
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "attachment_limit_dialog.png"))
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    assert saved.args == [1]
    with ctx.db.transaction(read_only=True) as session:
        assert attachments.attachment_limit_bytes(session) == 1024 * 1024

    case = make_case()
    view, drop = _timeline(ctx, qtbot, case.id)
    reports: list[str] = []
    drop.reported.connect(reports.append)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_pdf(1) + b"%" + bytes(1_600_000))
    _drop_files(view.viewport(), scan)
    wait_idle(qtbot)
    assert "Nothing" not in reports[-1]
    assert "• scan.pdf: “scan.pdf” is 1.6 MB, over the 1 MB limit for attachments." in reports[-1]
    with ctx.db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count(Attachment.id))) == 0


def test_attach_files_adds_the_chosen_files(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = make_case()
    view, drop = _timeline(ctx, qtbot, case.id)
    minutes = tmp_path / "meeting minutes.txt"
    minutes.write_text("Met the family with the ward manager on 24 November.\n")
    drop.choose_files = lambda: [minutes]  # type: ignore[method-assign]
    added: list[list[object]] = []
    drop.added.connect(added.append)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.setFocus()
    qtbot.keyClick(
        view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    wait_idle(qtbot)
    assert len(added) == 1
    with ctx.db.transaction(read_only=True) as session:
        summaries = [entry.summary for entry in case_timeline(session, case.id)]
    assert "Attached meeting minutes.txt" in summaries


def _outlook_drag(names: list[str], content: bytes) -> QMimeData:
    """What Outlook on Windows offers when messages are dragged out of it."""
    descriptor = struct.pack("<I", len(names))
    for name in names:
        record = bytearray(592)
        encoded = name.encode("utf-16-le")
        record[72 : 72 + len(encoded)] = encoded
        descriptor += bytes(record)
    mime = QMimeData()
    mime.setData(OUTLOOK_NAMES, descriptor)
    mime.setData(OUTLOOK_CONTENT, content)
    return mime


@pytest.fixture
def session_folder() -> Iterator[ViewerFolder]:
    """This session's private folder, removed afterwards as at quit."""
    folder = attachment_files.session_folder()
    yield folder
    folder.remove()


def test_a_message_dragged_out_of_outlook_is_read_from_its_content(
    ctx: AppContext,
    qtbot: QtBot,
    make_case: CaseMaker,
    tmp_path: Path,
    session_folder: ViewerFolder,
) -> None:
    case = make_case()
    view, drop = _timeline(ctx, qtbot, case.id)
    reports: list[str] = []
    drop.reported.connect(reports.append)
    message = _email(tmp_path).read_bytes()
    assert _send_drop(view.viewport(), _outlook_drag(["Photos of the bruising.eml"], message))
    wait_idle(qtbot)
    with ctx.db.transaction(read_only=True) as session:
        summaries = [entry.summary for entry in case_timeline(session, case.id)]
    assert "Photos of the bruising, as promised" in summaries
    # Nothing of the message stays on disk.
    folder = session_folder.path
    assert folder is not None
    assert [path.name for path in folder.iterdir()] == [".in-use.lock"]

    # Several messages at once, or no content: each is named with what to do instead.
    _send_drop(view.viewport(), _outlook_drag(["Re: bruising.msg", "Re: visit.msg"], b""))
    assert reports[-1].startswith("Not added:\n• Re: bruising.msg: Outlook did not hand over")
    assert "• Re: visit.msg: " in reports[-1]


def test_a_pdf_is_previewed_page_by_page(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    info = _attach(ctx, case.id, "incident report.pdf", _pdf(2))
    preview = AttachmentPreview(ctx)
    qtbot.addWidget(preview)
    preview.resize(520, 720)
    preview.show()
    with qtbot.waitSignal(preview.shown, timeout=10_000):
        preview.show_attachment(info)
    wait_idle(qtbot)
    image = preview.image()
    assert not image.isNull()
    assert image.width() / image.height() == pytest.approx(612 / 792, abs=0.01)
    colors = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert "#ffffff" in colors and len(colors) > 2  # white paper with dark text on it
    assert preview.page_text() == "Page 1 of 2"
    assert preview.previous_button.isEnabled() is False
    assert preview.details.text().endswith("KB")
    assert _views(ctx) == 1  # opening a file is in the audit log
    SHOTS.mkdir(exist_ok=True)
    preview.grab().save(str(SHOTS / "attachment_preview_pdf.png"))

    first = preview.image().copy()
    preview.next_button.click()
    wait_idle(qtbot)
    assert preview.page_text() == "Page 2 of 2"
    assert preview.image() != first
    assert not preview.next_button.isEnabled()
    preview.previous_button.click()
    wait_idle(qtbot)
    assert preview.page_text() == "Page 1 of 2"


def test_an_image_is_previewed_scaled_to_fit(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    info = _attach(ctx, case.id, "ward 4B.png", _png(300, 150, "#1e6fd9"))
    preview = AttachmentPreview(ctx)
    qtbot.addWidget(preview)
    preview.resize(520, 420)
    preview.show()
    with qtbot.waitSignal(preview.shown, timeout=10_000):
        preview.show_attachment(info)
    assert (preview.image().width(), preview.image().height()) == (300, 150)
    assert not preview.page_bar.isVisible()
    shot = preview.view.grab().toImage()
    middle = shot.pixelColor(shot.width() // 2, shot.height() // 2)
    assert middle.name() == "#1e6fd9"
    SHOTS.mkdir(exist_ok=True)
    preview.grab().save(str(SHOTS / "attachment_preview_image.png"))


def test_other_files_show_their_name_and_size_without_being_opened(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    info = _attach(ctx, case.id, "staffing rota.xlsx", b"PK\x03\x04" + bytes(30_000))
    preview = AttachmentPreview(ctx)
    qtbot.addWidget(preview)
    preview.resize(520, 420)
    preview.show()
    preview.show_attachment(info)
    wait_idle(qtbot)
    assert preview.file_name.text() == "staffing rota.xlsx"
    assert preview.details.text().endswith("29 KB")
    assert preview.open_button.isEnabled()
    assert _views(ctx) == 0
    SHOTS.mkdir(exist_ok=True)
    preview.grab().save(str(SHOTS / "attachment_preview_file.png"))
    preview.clear()
    assert preview.message.text() == "Choose an attachment to see it here."
    assert not preview.open_button.isEnabled()


class _Viewer(QObject):
    """Stands in for the program the system opens files with."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(Path(url.toLocalFile()))


def test_open_with_the_system_viewer_uses_a_private_folder_removed_at_quit(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = make_case()
    data = _pdf(1)
    info = _attach(ctx, case.id, "Re: incident report.pdf", data)
    folder = ViewerFolder(tmp_path)
    viewer = _Viewer()
    QDesktopServices.setUrlHandler("file", viewer, "open")
    try:
        parent = QWidget()
        qtbot.addWidget(parent)
        attachment_files.open_with_system_viewer(parent, ctx, info, folder=folder)
        wait_idle(qtbot)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    (opened,) = viewer.opened
    assert opened.name == "Re_ incident report.pdf"  # a colon is not allowed on Windows
    assert opened.read_bytes() == data
    assert folder.path is not None and opened.is_relative_to(folder.path)
    if sys.platform != "win32":
        assert stat.S_IMODE(opened.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.path.stat().st_mode) == 0o700
    assert _views(ctx) == 1

    # A folder of an earlier session that crashed goes at the next start; ours stays.
    crashed = tmp_path / f"{attachment_files.FOLDER_PREFIX}crashed"
    (crashed / "7").mkdir(parents=True)
    (crashed / "7" / "letter.pdf").write_bytes(data)
    assert remove_leftovers(tmp_path) == [crashed]
    assert opened.exists()

    private = folder.path
    folder.remove()
    assert not private.exists()


def test_save_a_copy_writes_the_whole_file(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    case = make_case()
    data = _png()
    info = _attach(ctx, case.id, "ward 4B.png", data)
    target = tmp_path / "copies" / "ward 4B.png"
    target.parent.mkdir()
    saved: list[Path] = []
    attachment_files.save_copy(
        None, ctx, info, ask_path=lambda _parent, _suggested: target, saved=saved.append
    )
    wait_idle(qtbot)
    assert saved == [target]
    assert target.read_bytes() == data
    assert [path.name for path in target.parent.iterdir()] == ["ward 4B.png"]


def test_a_damaged_pdf_says_so_and_can_still_be_opened(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    info = _attach(ctx, case.id, "scan.pdf", b"%PDF-1.4\n" + bytes(5_000))
    preview = AttachmentPreview(ctx)
    qtbot.addWidget(preview)
    preview.show()
    with qtbot.waitSignal(preview.shown, timeout=10_000):
        preview.show_attachment(info)
    wait_idle(qtbot)
    assert preview.file_note.text() == (
        "This PDF cannot be previewed: it is damaged or protected by a password."
    )
    assert preview.image().isNull()
    assert preview.open_button.isEnabled()


def test_a_program_attached_to_an_email_is_saved_but_never_run(
    ctx: AppContext, qtbot: QtBot
) -> None:
    program = AttachmentInfo(
        id=1, case_id=1, entry_id=1, filename="invoice.pdf.exe",
        media_type="application/octet-stream", size=10, sha256="0" * 64, added_at=utcnow(),
    )  # fmt: skip
    statement = replace(program, filename="statement.pdf", media_type="application/pdf")
    assert not attachment_files.may_open(program)
    assert attachment_files.may_open(statement)
    preview = AttachmentPreview(ctx)
    qtbot.addWidget(preview)
    preview.show_attachment(program)
    assert not preview.open_button.isEnabled() and preview.save_button.isEnabled()
