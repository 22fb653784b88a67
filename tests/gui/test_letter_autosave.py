"""A draft is never lost: saved as the writer pauses, kept on this computer when saving fails."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from prdesk.domain.database import Database
from prdesk.domain.errors import DatabaseUnavailable
from prdesk.domain.services import letter_workflow
from prdesk.domain.services.letter_workflow import LetterChanges
from prdesk.ui import letter_autosave
from prdesk.ui.context import AppContext
from prdesk.ui.letter_composer import LetterComposer
from prdesk.ui.letter_editor import changes_of
from tests.gui.conftest import CaseMaker, wait_idle
from tests.gui.test_letter_composer import (
    draft,
    open_composer,
    stored,
    type_at_end,
    wait_saved,
    words,
)

OFFLINE = "The database server cannot be reached: check the network connection."


@pytest.fixture(autouse=True)
def quick_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(letter_autosave, "IDLE_MS", 200)
    monkeypatch.setattr(letter_autosave, "RETRY_MS", 300)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """While it holds True, saving a draft fails as when the network is gone."""
    state = [True]
    real_save = letter_workflow.save_draft

    def save_draft(*args: Any, **kwargs: Any) -> Any:
        if state[0]:
            raise DatabaseUnavailable(OFFLINE)
        return real_save(*args, **kwargs)

    monkeypatch.setattr(letter_workflow, "save_draft", save_draft)
    return state


def test_nothing_is_saved_until_typing_stops(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(letter_autosave, "IDLE_MS", 2_000)
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    type_at_end(qtbot, composer, " One.")
    qtbot.wait(800)
    type_at_end(qtbot, composer, " Two.")
    qtbot.wait(800)
    assert stored(ctx, letter.id).version == letter.version
    wait_saved(qtbot, composer)
    assert "One. Two." in words(stored(ctx, letter.id).body)
    assert stored(ctx, letter.id).version == letter.version + 1


def test_save_now_saves_then_carries_on(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    calls: list[int] = []
    composer.save_now(lambda: calls.append(1))
    assert calls == [1]  # nothing unsaved: at once

    composer.editor.subject.setText("Your concerns about the emergency department")
    composer.save_now(lambda: calls.append(stored(ctx, letter.id).version))
    qtbot.waitUntil(lambda: len(calls) == 2)
    assert calls[1] == letter.version + 1
    assert stored(ctx, letter.id).subject == "Your concerns about the emergency department"

    composer.editor.subject.setText("Your visit to the emergency department")
    QTest.keyClick(composer.editor.subject, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert composer.autosave.is_saving()  # Ctrl+S saves at once, without waiting for a pause
    wait_saved(qtbot, composer)
    assert stored(ctx, letter.id).subject == "Your visit to the emergency department"


def test_closing_with_unsaved_text_saves_it_first(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(letter_autosave, "IDLE_MS", 60_000)
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    closed: list[int] = []
    composer.closed.connect(closed.append)
    type_at_end(qtbot, composer, " Written just before closing.")

    composer.close()
    qtbot.waitUntil(lambda: closed == [letter.id])
    assert not composer.isVisible()
    assert "Written just before closing." in words(stored(ctx, letter.id).body)
    assert not letter_autosave.recovery_path(ctx.db, letter.id).exists()


def test_a_failed_save_keeps_the_text_here_and_on_this_computer_then_retries(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot, offline: list[bool]
) -> None:
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    type_at_end(qtbot, composer, " Typed while the network was down.")
    qtbot.waitUntil(lambda: composer.status_label.text().startswith("Not saved"))

    status = composer.status_label.text()
    assert "database server cannot be reached" in status and "kept on this computer" in status
    assert "Typed while the network was down." in composer.editor.body.toPlainText()
    path = letter_autosave.recovery_path(ctx.db, letter.id)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["version"] == letter.version
    assert "Typed while the network was down." in words(kept["fields"]["body"])
    assert stored(ctx, letter.id).version == letter.version

    offline[0] = False  # the network is back: the next retry saves
    qtbot.waitUntil(lambda: composer.status_label.text().startswith("Saved "), timeout=5_000)
    wait_idle(qtbot)
    assert "Typed while the network was down." in words(stored(ctx, letter.id).body)
    assert not path.exists()


def test_closing_when_saving_fails_keeps_the_file_and_says_so(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot, offline: list[bool]
) -> None:
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    closed: list[int] = []
    composer.closed.connect(closed.append)
    type_at_end(qtbot, composer, " Not yet in the database.")

    composer.close()
    qtbot.waitUntil(composer.info.isVisible)
    assert composer.isVisible() and not closed
    assert "could not be saved before closing" in composer.info.text()
    assert "kept on this computer" in composer.info.text()
    assert composer.info.action_labels() == ["Try again", "Close anyway"]

    composer.info.trigger("Close anyway")
    assert closed == [letter.id]
    assert letter_autosave.recovery_path(ctx.db, letter.id).exists()
    wait_idle(qtbot)


def test_text_kept_on_this_computer_is_offered_when_the_letter_opens_again(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    mine = replace(changes_of(letter), body="The text that was kept.")
    letter_autosave.write_recovery(ctx.db, letter.id, letter.version, mine)
    asked: list[datetime] = []

    composer = LetterComposer(ctx, letter.id)
    qtbot.addWidget(composer)
    composer.ask_restore = lambda when: asked.append(when) or True  # type: ignore[func-returns-value]
    composer.show()
    qtbot.waitUntil(lambda: bool(asked))
    assert composer.editor.body.toPlainText() == "The text that was kept."
    assert abs(asked[0] - datetime.now(UTC)) < timedelta(minutes=1)
    wait_saved(qtbot, composer)
    assert stored(ctx, letter.id).body == "The text that was kept.\n"
    assert not letter_autosave.recovery_path(ctx.db, letter.id).exists()


def test_kept_text_older_than_the_saved_letter_is_not_offered(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    old = replace(changes_of(letter), body="An older text.")
    letter_autosave.write_recovery(ctx.db, letter.id, letter.version, old)
    with ctx.db.transaction() as session:
        letter_workflow.save_draft(
            session, ctx.actor, letter.id, letter.version, changes_of(letter)
        )
    composer = open_composer(ctx, qtbot, letter.id)
    composer.ask_restore = lambda when: pytest.fail("offered text older than the letter")
    assert "An older text." not in composer.editor.body.toPlainText()
    assert not letter_autosave.recovery_path(ctx.db, letter.id).exists()


def _someone_else_saves(ctx: AppContext, letter_id: int, version: int) -> None:
    with ctx.db.transaction() as session:
        current = letter_workflow.letter_detail(session, ctx.actor, letter_id)
        theirs = replace(changes_of(current), subject="Their subject")
        letter_workflow.save_draft(session, ctx.actor, letter_id, version, theirs)


def test_a_conflict_shows_both_versions_and_keep_mine_saves_over_theirs(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    _someone_else_saves(ctx, letter.id, letter.version)
    composer.editor.subject.setText("My subject")
    qtbot.waitUntil(composer.info.isVisible)
    wait_idle(qtbot)

    assert "Someone else saved this letter" in composer.info.text()
    assert composer.info.action_labels() == ["Keep mine", "Take theirs"]
    assert composer.right.currentWidget() is composer.their_version
    assert composer.their_version.subject.text() == "Their subject"
    assert composer.editor.subject.text() == "My subject"
    assert composer.status_label.text().startswith("Not saved: someone else changed")

    composer.info.trigger("Keep mine")
    wait_saved(qtbot, composer)
    assert stored(ctx, letter.id).subject == "My subject"
    assert composer.right.indexOf(composer.their_version) < 0


def test_take_theirs_shows_their_letter_and_drops_mine(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    _someone_else_saves(ctx, letter.id, letter.version)
    composer.editor.subject.setText("My subject")
    qtbot.waitUntil(composer.info.isVisible)
    wait_idle(qtbot)

    composer.info.trigger("Take theirs")
    wait_idle(qtbot)
    assert composer.editor.subject.text() == "Their subject"
    assert not composer.autosave.is_dirty()
    assert stored(ctx, letter.id).subject == "Their subject"
    assert composer.letter().version == stored(ctx, letter.id).version  # type: ignore[union-attr]
    assert not letter_autosave.recovery_path(ctx.db, letter.id).exists()


def test_closing_before_choosing_after_a_conflict_keeps_the_newest_text_here(
    ctx: AppContext, make_case: CaseMaker, qtbot: QtBot
) -> None:
    letter = draft(ctx, make_case().id)
    composer = open_composer(ctx, qtbot, letter.id)
    closed: list[int] = []
    composer.closed.connect(closed.append)
    _someone_else_saves(ctx, letter.id, letter.version)
    composer.editor.subject.setText("My subject")
    qtbot.waitUntil(composer.info.isVisible)
    wait_idle(qtbot)
    composer.editor.subject.setText("My subject, written after the conflict")

    composer.close()
    assert not closed and "Choose whose text to keep" in composer.info.text()
    composer.info.trigger("Close anyway")
    assert closed == [letter.id]
    kept = letter_autosave.read_recovery(ctx.db, letter.id)
    assert kept is not None and kept.changes.subject == "My subject, written after the conflict"
    assert stored(ctx, letter.id).subject == "Their subject"


def test_text_kept_for_one_database_is_never_offered_in_another(
    ctx: AppContext, tmp_path: Path
) -> None:
    training = Database(f"sqlite:///{tmp_path / 'training.db'}")
    typed = LetterChanges("Subject", "Ana", "Ana Souza", ("1 Main St",), "Training text\n")
    letter_autosave.write_recovery(training, 1, 1, typed)
    assert letter_autosave.read_recovery(training, 1) is not None
    assert letter_autosave.read_recovery(ctx.db, 1) is None
