"""The practice database: made-up cases to try PR Desk on, never mixed with the real ones."""

from __future__ import annotations

import dataclasses
import io
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.engine import URL

from prdesk.config import embedded_database_path, practice_database_path
from prdesk.domain.database import Database
from prdesk.domain.demo.practice import prepare_practice
from prdesk.domain.models import Letter
from prdesk.domain.services import letter_workflow, organisation, users
from prdesk.export import render_letter_pdf
from prdesk.export.letter_files import letter_pdf
from prdesk.ui import practice
from prdesk.ui.changes import ChangeHub
from prdesk.ui.context import AppContext
from tests.gui.conftest import shown_window, wait_idle

MARK = "PRACTICE — NOT A REAL LETTER"
BAR_TEXT = (
    "Practice database: every case here is made up. "
    "Nothing you do here reaches the department's cases."
)


def _context(db: Database) -> AppContext:
    with db.transaction() as session:
        actor = users.resolve_actor(session, "mgarcia", "María García")
    return AppContext(db, actor, ChangeHub())


@pytest.fixture
def practice_db(sqlite_template: Path) -> Iterator[Database]:
    """The practice database file as PR Desk creates it on first start: empty."""
    path = practice_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sqlite_template, path)
    db = Database(URL.create("sqlite", database=str(path)))
    yield db
    db.dispose()


@pytest.fixture
def practice_ctx(practice_db: Database, qtbot: QtBot) -> Iterator[AppContext]:
    yield _context(practice_db)
    wait_idle(qtbot, timeout=30_000)


class Starter:
    """Records the processes PR Desk asks to start, instead of starting them."""

    def __init__(self, works: bool = True) -> None:
        self.calls: list[tuple[str, list[str]]] = []
        self.works = works

    def __call__(self, program: str, arguments: Sequence[str]) -> bool:
        self.calls.append((program, list(arguments)))
        return self.works


@pytest.fixture
def starter(monkeypatch: pytest.MonkeyPatch) -> Starter:
    recorder = Starter()
    monkeypatch.setattr(practice, "start_process", recorder)
    monkeypatch.setattr(practice, "confirm_switch", lambda parent, to_practice: True)
    monkeypatch.setattr(sys, "argv", ["prdesk"])
    return recorder


def test_the_practice_window_says_so_and_fills_itself_with_made_up_cases(
    practice_ctx: AppContext, qtbot: QtBot
) -> None:
    window = shown_window(practice_ctx, qtbot)
    assert window.windowTitle() == "PR Desk — Practice (made-up cases)"
    bar = window.practice_bar
    assert bar is not None and bar.isVisible()
    assert bar.label.text() == BAR_TEXT
    assert bar.return_button.text() == "Return to your own database"
    assert window.commands["practice"].text() == "Return to your own &database"
    case_list = window.case_list
    assert case_list is not None
    qtbot.waitUntil(lambda: case_list.count_label.text() == "300 cases", timeout=30_000)
    assert case_list.model.rowCount() > 0
    assert bar.progress.text() == "300 made-up cases are ready to practise on."
    # The person's own database was never opened, let alone created.
    assert not embedded_database_path().exists()
    window.close()


def test_a_practice_database_with_cases_is_left_as_it_is(
    practice_ctx: AppContext, qtbot: QtBot
) -> None:
    prepare_practice(practice_ctx.db, 20)
    window = shown_window(practice_ctx, qtbot)
    case_list = window.case_list
    assert case_list is not None
    qtbot.waitUntil(lambda: case_list.count_label.text() == "20 cases", timeout=10_000)
    assert window.practice_bar is not None and not window.practice_bar.progress.isVisible()
    window.close()


def test_the_own_database_has_no_practice_bar(ctx: AppContext, qtbot: QtBot) -> None:
    window = shown_window(ctx, qtbot)
    assert window.practice_bar is None
    assert window.windowTitle() == "PR Desk"
    assert window.commands["practice"].text() == "Open the &practice database"
    window.close()


def test_opening_the_practice_database_restarts_pr_desk_on_it(
    ctx: AppContext, qtbot: QtBot, starter: Starter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        sys, "argv", ["prdesk", "--database", "postgresql+psycopg://mgarcia:s3cret@dbhost/prdesk"]
    )
    window = shown_window(ctx, qtbot)
    window.commands["practice"].trigger()
    # The same database goes along, for the way back; its password never does.
    assert starter.calls == [
        (
            sys.executable,
            [
                "-m",
                "prdesk",
                "--database",
                "postgresql+psycopg://mgarcia@dbhost/prdesk",
                "--practice",
            ],
        )
    ]
    assert not window.isVisible()


def test_a_bundled_pr_desk_restarts_itself_back_on_the_own_database(
    practice_ctx: AppContext, qtbot: QtBot, starter: Starter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", r"C:\Program Files\PR Desk\PR Desk.exe")
    monkeypatch.setattr(sys, "argv", [r"C:\Program Files\PR Desk\PR Desk.exe", "--practice"])
    window = shown_window(practice_ctx, qtbot)
    assert window.practice_bar is not None
    window.practice_bar.return_button.click()
    assert starter.calls == [(r"C:\Program Files\PR Desk\PR Desk.exe", [])]
    assert not window.isVisible()


def test_nothing_happens_when_the_person_thinks_better_of_it(
    ctx: AppContext, qtbot: QtBot, starter: Starter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(practice, "confirm_switch", lambda parent, to_practice: False)
    window = shown_window(ctx, qtbot)
    window.commands["practice"].trigger()
    assert starter.calls == []
    assert window.isVisible()
    window.close()


def test_the_window_stays_when_pr_desk_cannot_start_again(
    ctx: AppContext, qtbot: QtBot, starter: Starter
) -> None:
    starter.works = False
    window = shown_window(ctx, qtbot)
    assert not practice.switch_practice(window)
    assert len(starter.calls) == 1
    assert window.isVisible()
    window.close()


def test_letters_from_the_practice_database_say_they_are_not_real(
    practice_db: Database, sqlite_db: Database
) -> None:
    actor = _context(practice_db).actor  # the first user: the administrator
    prepare_practice(practice_db, 30)
    with practice_db.transaction() as session:
        letter_id = session.scalars(select(Letter.id).order_by(Letter.id)).first()
        assert letter_id is not None
        head = organisation.letterhead(session)
        info = letter_workflow.letter_detail(session, actor, letter_id)
    assert head.practice
    reader = PdfReader(io.BytesIO(letter_pdf(practice_db, actor, letter_id)))
    assert MARK in reader.pages[0].extract_text()
    # Every page of a long letter, not only the first.
    long_letter = dataclasses.replace(info, body="\n\n".join(["A paragraph of the letter."] * 120))
    pages = PdfReader(io.BytesIO(render_letter_pdf(long_letter, head))).pages
    assert len(pages) > 1
    assert all(MARK in page.extract_text() for page in pages)
    # The department's own letters carry no such mark.
    with sqlite_db.transaction() as session:
        own = organisation.letterhead(session)
    assert not own.practice
    own_pdf = PdfReader(io.BytesIO(render_letter_pdf(long_letter, own)))
    assert all(MARK not in page.extract_text() for page in own_pdf.pages)


def test_editing_the_letterhead_keeps_the_practice_mark(practice_db: Database) -> None:
    actor = _context(practice_db).actor
    prepare_practice(practice_db, 1)
    with practice_db.transaction() as session:
        head = organisation.letterhead(session)
        organisation.set_letterhead(
            session,
            actor,
            dataclasses.replace(head, organisation="Lakeside Clinic", practice=False),
        )
    with practice_db.transaction() as session:
        again = organisation.letterhead(session)
    assert again.organisation == "Lakeside Clinic" and again.practice
