"""Exporting the case list from the window: the file the coordinator gets, and what they are told."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from prdesk.domain.enums import Channel
from prdesk.domain.queries import CaseFilter, SortKey
from prdesk.ui.context import AppContext
from prdesk.ui.export_cases import export_case_view
from tests.gui.conftest import CaseMaker, wait_idle
from tests.support.dialogs import shown_message_box

SHOTS = Path("/tmp/shots")


def _parent(qtbot: QtBot) -> QWidget:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(800, 500)
    parent.show()
    return parent


def test_the_view_is_saved_as_a_workbook_in_its_order_and_columns(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    make_case("Ana Ångström", channel=Channel.LETTER)
    make_case("Nguyễn Thị Hương", complainant="Nguyễn Thị Mai")
    make_case("Łukasz Wójcik", channel=Channel.EMAIL)
    parent = _parent(qtbot)
    suggested: list[Path] = []

    def choose(_parent: QWidget | None, proposal: Path) -> Path:
        suggested.append(proposal)
        return tmp_path / "written"  # typed without an extension

    operation = export_case_view(
        ctx,
        parent,
        CaseFilter(channels=frozenset({Channel.LETTER, Channel.EMAIL})),
        SortKey.PATIENT,
        False,
        ["number", "patient", "raised_by", "a column from a newer version"],
        choose_path=choose,
    )
    assert operation is not None
    wait_idle(qtbot)
    box = shown_message_box(qtbot)
    assert box.text() == f"2 cases saved to written.xlsx\nin {tmp_path}."
    SHOTS.mkdir(exist_ok=True)
    box.grab().save(str(SHOTS / "export-done.png"))
    box.close()

    sheet = openpyxl.load_workbook(tmp_path / "written.xlsx")["Cases"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Number", "Patient", "Raised by"]
    assert [row[1:] for row in rows[1:]] == [["Ana Ångström", None], ["Łukasz Wójcik", None]]
    assert suggested[0].name.startswith("cases-") and suggested[0].suffix == ".xlsx"

    # The next export proposes the folder used this time.
    export_case_view(
        ctx, parent, CaseFilter(), SortKey.RECEIVED, True, ["number"],
        choose_path=lambda _p, proposal: suggested.append(proposal) or tmp_path / "all.csv",
    )  # fmt: skip
    wait_idle(qtbot)
    shown_message_box(qtbot).close()
    assert suggested[1].parent == tmp_path
    with (tmp_path / "all.csv").open(encoding="utf-8-sig", newline="") as file:
        assert len(list(csv.reader(file))) == 4


def test_cancelling_the_dialog_writes_nothing(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    make_case()
    parent = _parent(qtbot)
    before = set(tmp_path.iterdir())
    cancelled = export_case_view(
        ctx, parent, CaseFilter(), SortKey.RECEIVED, True, ["number"],
        choose_path=lambda _p, _s: None,
    )  # fmt: skip
    assert cancelled is None
    wait_idle(qtbot)
    assert set(tmp_path.iterdir()) == before


def test_a_folder_that_is_gone_is_explained_not_crashed_on(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, tmp_path: Path
) -> None:
    make_case()
    parent = _parent(qtbot)
    gone = tmp_path / "usb-stick" / "cases.xlsx"
    export_case_view(
        ctx, parent, CaseFilter(), SortKey.RECEIVED, True, ["number", "patient"],
        choose_path=lambda _p, _s: gone,
    )  # fmt: skip
    wait_idle(qtbot)
    box = shown_message_box(qtbot)
    assert box.windowTitle() == "Cases not exported"
    assert box.text() == (
        f"The cases could not be saved as {gone}: the folder {gone.parent} does not exist."
    )
    box.close()
    assert not gone.parent.exists()
