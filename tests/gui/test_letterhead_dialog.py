"""An administrator sets the letterhead (logo, paper) and people set the signature on their letters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import PaperFormat, Role
from prdesk.domain.services import organisation, signatures
from prdesk.ui.context import AppContext
from prdesk.ui.letterhead_dialog import LetterheadDialog, edit_letterhead
from prdesk.ui.signature_dialog import SignatureDialog, edit_signature
from tests.gui.conftest import wait_idle
from tests.support.builders import colleague

_owners: list[QWidget] = []


@pytest.fixture(autouse=True)
def _forget_owners() -> Iterator[None]:
    yield
    _owners.clear()


def _main(qtbot: QtBot) -> QWidget:
    """The window the dialogs are opened from."""
    main = QWidget()
    qtbot.addWidget(main)
    _owners.append(main)
    return main


def _picture(path: Path, width: int = 300, height: int = 100) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.fillRect(10, 10, height - 20, height - 20, QColor("#1e6fd9"))
    painter.end()
    assert image.save(str(path))
    return path


def _letterhead_dialog(ctx: AppContext, qtbot: QtBot) -> LetterheadDialog:
    main = _main(qtbot)
    edit_letterhead(ctx, main)
    qtbot.waitUntil(lambda: main.findChild(LetterheadDialog) is not None)
    dialog = main.findChild(LetterheadDialog)
    assert dialog is not None
    wait_idle(qtbot)
    return dialog


def test_the_letterhead_with_its_logo_and_paper_is_saved(
    ctx: AppContext, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = _letterhead_dialog(ctx, qtbot)
    assert dialog.organisation.text() == "Patient Relations Department"  # until one is set
    dialog.organisation.setText("Riverside General Hospital")
    dialog.department.setText("Patient Relations")
    dialog.address.setPlainText("1200 River Road\n\nSpringfield, IL 62701\n")
    dialog.phone.setText("(555) 010-3000")
    dialog.email.setText("patientrelations@example.org")
    dialog.website.setText("www.example.org")
    logo = _picture(tmp_path / "logo.png")
    assert dialog.use_logo_file(logo)
    assert not dialog.logo.pixmap().isNull()
    with qtbot.waitSignal(dialog.preview.shown, timeout=20_000):
        dialog.paper.set_value(PaperFormat.A4)
    assert dialog.paper.currentText() == "A4, DIN 5008 window envelope"
    page = dialog.preview.page_images()[0]
    assert round(page.height() / page.width(), 2) == round(297 / 210, 2)  # an A4 sheet

    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    wait_idle(qtbot)
    with ctx.db.transaction(read_only=True) as session:
        saved = organisation.letterhead(session)
    assert saved.organisation == "Riverside General Hospital"
    assert saved.address_lines == ("1200 River Road", "Springfield, IL 62701")
    assert saved.logo == logo.read_bytes()
    assert saved.paper is PaperFormat.A4

    # Opened again, it shows what was saved; removing the logo takes it off the letters.
    again = _letterhead_dialog(ctx, qtbot)
    assert again.paper.value() is PaperFormat.A4
    assert not again.logo.pixmap().isNull()
    again.remove_logo.click()
    with qtbot.waitSignal(again.saved):
        again.save()
    with ctx.db.transaction(read_only=True) as session:
        assert organisation.letterhead(session).logo is None


def test_a_logo_over_2_mb_or_not_a_picture_is_refused_with_the_reason(
    ctx: AppContext, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = _letterhead_dialog(ctx, qtbot)
    huge = tmp_path / "scan.png"
    huge.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(3 * 1024 * 1024))
    assert not dialog.use_logo_file(huge)
    assert dialog.logo_error.text() == (
        "scan.png is 3.0 MB; a logo may be at most 2.0 MB. Use a smaller picture."
    )
    assert dialog.letterhead().logo is None

    document = tmp_path / "logo.docx"
    document.write_bytes(b"PK\x03\x04 a Word document")
    assert not dialog.use_logo_file(document)
    assert dialog.logo_error.text() == "logo.docx is not a PNG or JPEG picture; a logo must be one."


def test_an_empty_organisation_name_is_refused_on_save(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = _letterhead_dialog(ctx, qtbot)
    dialog.organisation.setText("  ")
    dialog.save()
    wait_idle(qtbot)
    assert "organisation's name is printed on every letter" in dialog.banner.text()
    assert dialog.isVisible()


def test_only_an_administrator_changes_the_letterhead(ctx: AppContext, qtbot: QtBot) -> None:
    clerk = colleague(ctx.db, "pclerk", "Pat Clerk", Role.CLERK)
    dialog = _letterhead_dialog(AppContext(ctx.db, clerk, ctx.hub), qtbot)
    assert dialog.organisation.isReadOnly()
    assert not dialog.choose_logo.isEnabled()
    assert not dialog.save_button.isEnabled()


def _signature_dialog(ctx: AppContext, qtbot: QtBot) -> SignatureDialog:
    main = _main(qtbot)
    edit_signature(ctx, main)
    qtbot.waitUntil(lambda: main.findChild(SignatureDialog) is not None)
    dialog = main.findChild(SignatureDialog)
    assert dialog is not None
    wait_idle(qtbot)
    return dialog


def test_an_administrator_sets_a_colleagues_signature(
    ctx: AppContext, qtbot: QtBot, tmp_path: Path
) -> None:
    luis = colleague(ctx.db, "lortega", "Luis Ortega")
    dialog = _signature_dialog(ctx, qtbot)
    assert dialog.person.currentText() == "María García"
    assert [dialog.person.itemText(i) for i in range(dialog.person.count())] == [
        "Luis Ortega",
        "María García",
    ]
    dialog.choose_person(luis.id)
    wait_idle(qtbot)
    signature = _picture(tmp_path / "signature.png", 360, 90)
    assert dialog.use_image_file(signature)
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    with ctx.db.transaction(read_only=True) as session:
        assert signatures.signature_image(session, luis.id) == signature.read_bytes()
        assert signatures.signature_image(session, ctx.actor.id) is None


def test_a_representative_sets_and_removes_only_their_own_signature(
    ctx: AppContext, qtbot: QtBot, tmp_path: Path
) -> None:
    luis = colleague(ctx.db, "lortega", "Luis Ortega")
    mine = AppContext(ctx.db, luis, ctx.hub)
    dialog = _signature_dialog(mine, qtbot)
    assert dialog.person.count() == 1 and not dialog.person.isEnabled()
    assert dialog.use_image_file(_picture(tmp_path / "signature.png", 360, 90))
    with qtbot.waitSignal(dialog.saved):
        dialog.save()

    again = _signature_dialog(mine, qtbot)
    assert again.image() is not None and not again.picture.pixmap().isNull()
    again.remove.click()
    assert again.picture.text().startswith("No signature")
    with qtbot.waitSignal(again.saved):
        again.save()
    with ctx.db.transaction(read_only=True) as session:
        assert signatures.signature_image(session, luis.id) is None
