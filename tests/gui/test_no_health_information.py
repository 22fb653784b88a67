"""A bug whose message quotes a patient leaves the name in no log, no error box, no temporary file."""

from __future__ import annotations

import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from prdesk.cli import main
from prdesk.domain.readmodels import AttachmentInfo
from prdesk.domain.services import cases
from prdesk.logs import log_path
from prdesk.ui import attachment_files, error_reports
from prdesk.ui.attachment_files import FOLDER_PREFIX, ViewerFolder
from prdesk.ui.context import AppContext
from prdesk.ui.error_dialog import ErrorDialog
from tests.gui.conftest import CaseMaker, shown_window, wait_idle

PATIENT = "Nguyễn Thị Hương"


def failing_view_case(*_args: object, **_kwargs: object) -> object:
    """A bug whose message, as bugs' messages do, repeats the data it choked on."""
    try:
        raise ValueError(f"cannot format date of birth for {PATIENT}")
    except ValueError as error:
        raise RuntimeError(f"case view of {PATIENT} failed: {error}") from error


def logged() -> str:
    return log_path().read_text(encoding="utf-8") if log_path().exists() else ""


def test_a_bug_while_opening_a_case_keeps_the_patient_out_of_the_box_and_the_log(
    qtbot: QtBot, ctx: AppContext, make_case: CaseMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(PATIENT)
    window = shown_window(ctx, qtbot)
    assert window.tabs is not None
    monkeypatch.setattr(cases, "view_case", failing_view_case)
    window.tabs.open_case(case.id)
    wait_idle(qtbot)

    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog)]
    assert len(shown) == 1 and shown[0].isVisible()
    report = shown[0].apology.text() + shown[0].report_text()
    assert "Something went wrong inside PR Desk" in report
    assert PATIENT not in report and "Nguy" not in report
    # The log says what a developer needs: both errors, where they were raised.
    log = logged()
    assert "builtins.RuntimeError at" in log
    assert "caused by builtins.ValueError at" in log
    assert "in failing_view_case" in log
    assert PATIENT not in log and "Nguy" not in log
    shown[0].close()


def test_a_bug_in_a_command_keeps_the_patient_out_of_the_terminal_and_the_log(
    ctx: AppContext,
    make_case: CaseMaker,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = make_case(PATIENT)
    monkeypatch.setattr(cases, "view_case", failing_view_case)
    database = ctx.db.url.render_as_string(hide_password=False)
    code = main(["--database", database, "case", "show", case.number])
    out, err = capsys.readouterr()
    assert code == 1
    assert "unexpected error (RuntimeError); this is a bug in PR Desk" in err
    assert PATIENT not in out + err
    log = logged()
    assert "caused by builtins.ValueError" in log
    assert PATIENT not in log


def test_files_opened_for_viewing_are_gone_when_pr_desk_quits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What PR Desk writes to the temporary folder: attachments opened in a viewer
    and emails dropped from Outlook, in one private folder, removed at quit (and at
    the next start after a crash)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = ViewerFolder()
    info = AttachmentInfo(
        id=7,
        case_id=1,
        entry_id=None,
        filename=f"Discharge summary {PATIENT}.pdf",
        media_type="application/pdf",
        size=8,
        sha256="0" * 64,
        added_at=datetime.now(UTC),
    )
    written = folder.write(info, b"%PDF-1.7")
    with folder.holding("message.eml", b"From: a@example.org") as held:
        assert held.exists()
    assert written.exists() and written.stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == [folder.path.name if folder.path else ""]
    assert folder.path is not None and folder.path.name.startswith(FOLDER_PREFIX)
    folder.remove()
    assert list(tmp_path.iterdir()) == []

    # A crashed session's folder is removed at the next start.
    crashed = tmp_path / f"{FOLDER_PREFIX}crashed"
    crashed.mkdir()
    (crashed / f"{PATIENT}.pdf").write_bytes(b"%PDF")
    assert attachment_files.remove_leftovers(tmp_path) == [crashed]
    assert list(tmp_path.iterdir()) == []


def test_a_bug_in_a_background_thread_is_logged_without_its_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    restore = error_reports.install_excepthook()
    try:
        worker = threading.Thread(target=failing_view_case)
        worker.start()
        worker.join()
    finally:
        restore()
    assert "builtins.RuntimeError at" in logged()
    assert PATIENT not in logged()
    assert PATIENT not in "".join(capsys.readouterr())
