"""An administrator rewrites a letter template: merge fields, live problems, preview, versions."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from prdesk.domain import letter_templates
from prdesk.domain.deadline_policy import Preset
from prdesk.domain.enums import Role
from prdesk.domain.services import letter_template_store as store
from prdesk.domain.services import organisation
from prdesk.ui import letter_template_editor
from prdesk.ui.context import AppContext
from prdesk.ui.letter_template_editor import (
    LetterTemplateEditor,
    TemplateNoteDialog,
    open_template_editor,
)
from prdesk.ui.letter_template_preview import sample_preview
from tests.gui.conftest import wait_idle
from tests.support.builders import colleague

SENTENCE = "We have logged your concerns and a named person now looks after them."


def _shipped(language: str = "en") -> str:
    return letter_templates.shipped_source("acknowledgement", language)


# The window the editor is opened from; kept for the whole test, as the main window is.
_owners: list[QWidget] = []


@pytest.fixture(autouse=True)
def _forget_owners() -> Iterator[None]:
    yield
    _owners.clear()


def _open(ctx: AppContext, qtbot: QtBot) -> LetterTemplateEditor:
    main = QWidget()
    qtbot.addWidget(main)
    _owners.append(main)
    editor = open_template_editor(ctx, main)
    assert isinstance(editor, LetterTemplateEditor)
    qtbot.waitUntil(lambda: editor.opened() is not None)
    wait_idle(qtbot)
    return editor


def _type_at_end(editor: LetterTemplateEditor, text: str) -> None:
    editor.source.moveCursor(QTextCursor.MoveOperation.End)
    editor.source.insertPlainText(text)


def _opened(editor: LetterTemplateEditor) -> tuple[str, str, int] | None:
    """Which template the editor holds, in which language, from which version."""
    info = editor.opened()
    return (info.key, info.language, info.version) if info is not None else None


def _answer_note(monkeypatch: pytest.MonkeyPatch, note: str | None) -> None:
    monkeypatch.setattr(TemplateNoteDialog, "ask", classmethod(lambda _cls, _parent, _t: note))


def test_the_templates_are_listed_with_their_versions_and_the_first_is_opened(
    ctx: AppContext, qtbot: QtBot
) -> None:
    with ctx.db.transaction() as session:
        store.save_template(
            session, ctx.actor, "acknowledgement", "es", _shipped("es") + "\nP.D.", based_on=0
        )
    editor = _open(ctx, qtbot)
    rows = [editor.templates.item(row).text() for row in range(editor.templates.count())]
    assert len(rows) == 14
    assert rows[0] == "Acknowledgement · English\nas shipped"
    assert rows[1].startswith("Acknowledgement · Spanish\nversion 1 · edited by María García on ")
    assert editor.heading.text() == "Acknowledgement · English — as shipped"
    assert editor.text() == _shipped()
    assert not editor.save_button.isEnabled()  # nothing changed yet
    qtbot.waitUntil(lambda: editor.preview.pages.page_count() >= 1, timeout=20_000)
    wait_idle(qtbot)


def test_a_field_found_in_the_picker_goes_in_at_the_cursor(ctx: AppContext, qtbot: QtBot) -> None:
    editor = _open(ctx, qtbot)
    _type_at_end(editor, "\nWe will write to ")
    qtbot.keyClicks(editor.picker.search, "greeting")
    assert editor.picker.visible_paths() == ["patient.greeting_name", "recipient.greeting_name"]
    editor.picker.select("recipient.greeting_name")
    editor.picker.insert_button.click()
    assert editor.text().endswith("\nWe will write to {{ recipient.greeting_name }}")
    assert editor.picker.about.text().startswith("{{ recipient.greeting_name }}")

    # Enter in the search box inserts the first field found.
    editor.picker.search.clear()
    qtbot.keyClicks(editor.picker.search, "case number")
    qtbot.keyClick(editor.picker.search, Qt.Key.Key_Return)
    assert editor.text().endswith("{{ recipient.greeting_name }}{{ case.number }}")

    # A double-click on a field inserts it too.
    editor.picker.search.clear()
    tree = editor.picker.tree
    editor.picker.select("dates.response_due")
    tree.scrollToItem(tree.currentItem())
    where = tree.visualItemRect(tree.currentItem()).center()
    # As a mouse does it: a press and release, then the double-click.
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert editor.text().endswith("{{ case.number }}{{ dates.response_due }}")
    assert editor.problems.isHidden()
    assert editor.save_button.isEnabled()


def test_a_problem_shows_under_the_text_and_save_waits_until_it_is_fixed(
    ctx: AppContext, qtbot: QtBot
) -> None:
    editor = _open(ctx, qtbot)
    _type_at_end(editor, "\nYour social security number is {{ patient.ssn }}.")
    assert editor.problems.isVisible()
    assert "'{{ patient.ssn }}' is not a merge field" in editor.problems.text()
    assert not editor.save_button.isEnabled()
    assert "problems under the text" in editor.preview.pages.message.text()

    text = editor.text().replace("{{ patient.ssn }}", "{{ case.number }}")
    editor.source.setPlainText(text)
    assert editor.problems.isHidden()
    assert editor.save_button.isEnabled()


def test_saving_asks_what_changed_and_makes_a_new_version(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = _open(ctx, qtbot)
    _type_at_end(editor, f"\n\n{SENTENCE}\n")
    _answer_note(monkeypatch, "Say who looks after the case")
    with qtbot.waitSignal(editor.saved):
        qtbot.keyClick(editor.source, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot)

    with ctx.db.transaction(read_only=True) as session:
        current = store.current_template(session, "acknowledgement", "en")
    assert current.version == 1
    assert SENTENCE in current.source and current.note == "Say who looks after the case"
    assert editor.banner.text().startswith("Saved as version 1.")
    assert (
        editor.templates.item(0)
        .text()
        .startswith("Acknowledgement · English\nversion 1 · edited by María García on ")
    )
    assert editor.history.versions.count() == 2
    assert editor.history.versions.item(0).text().endswith("“Say who looks after the case”")
    assert not editor.save_button.isEnabled()  # saved: nothing left to save


def test_cancelling_the_note_saves_nothing(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = _open(ctx, qtbot)
    _type_at_end(editor, f"\n{SENTENCE}\n")
    _answer_note(monkeypatch, None)
    editor.save_button.click()
    wait_idle(qtbot)
    with ctx.db.transaction(read_only=True) as session:
        assert store.current_template(session, "acknowledgement", "en").version == 0
    assert editor.is_modified()


def test_an_earlier_version_can_be_restored_as_the_newest(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ctx.db.transaction() as session:
        store.save_template(
            session, ctx.actor, "acknowledgement", "en", _shipped() + f"\n{SENTENCE}\n",
            based_on=0, note="Added a sentence",
        )  # fmt: skip
    editor = _open(ctx, qtbot)
    editor.tabs.setCurrentWidget(editor.history)
    history = editor.history
    assert history.versions.item(1).text() == "Version 0 · as shipped"
    assert not history.restore_button.isEnabled()  # the newest is what the editor holds

    history.select_version(0)
    assert history.text.toPlainText() == _shipped()
    assert history.text.isReadOnly()
    history.restore_button.click()
    assert editor.text() == _shipped()
    assert "Save to make it the newest version" in editor.banner.text()

    _answer_note(monkeypatch, "Back to the shipped text")
    with qtbot.waitSignal(editor.saved):
        editor.save_button.click()
    with ctx.db.transaction(read_only=True) as session:
        versions = store.template_history(session, "acknowledgement", "en")
    assert [info.version for info in versions] == [2, 1, 0]
    assert versions[0].source == _shipped()


def test_unsaved_edits_are_kept_unless_the_administrator_discards_them(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = _open(ctx, qtbot)
    _type_at_end(editor, f"\n{SENTENCE}\n")
    answers: list[bool] = [False]
    monkeypatch.setattr(letter_template_editor, "ask_discard", lambda *_args: answers.pop())

    editor.choose("closure", "en")
    wait_idle(qtbot)
    assert _opened(editor) == ("acknowledgement", "en", 0)
    assert SENTENCE in editor.text()
    assert editor.templates.currentRow() == 0

    answers.append(True)
    editor.choose("closure", "en")
    qtbot.waitUntil(lambda: _opened(editor) == ("closure", "en", 0))
    assert editor.text() == letter_templates.shipped_source("closure", "en")

    _type_at_end(editor, "\nP.S.")
    answers.append(False)
    assert not editor.close()  # kept open: the edits are not saved
    assert editor.isVisible()


def test_a_version_saved_meanwhile_by_someone_else_is_not_overwritten(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = _open(ctx, qtbot)
    other = colleague(ctx.db, "dwhitfield", "Dana Whitfield", Role.ADMINISTRATOR)
    with ctx.db.transaction() as session:
        store.save_template(
            session, other, "acknowledgement", "en", _shipped() + "\nTheirs.\n", based_on=0
        )
    _type_at_end(editor, "\nMine.\n")
    _answer_note(monkeypatch, "")
    editor.save_button.click()
    wait_idle(qtbot)
    assert "Dana Whitfield saved version 1" in editor.banner.text()
    assert editor.banner.action_labels() == ["&Reload"]

    editor.banner.trigger("&Reload")
    qtbot.waitUntil(lambda: editor.opened() is not None)
    wait_idle(qtbot)
    assert editor.text().endswith("Theirs.\n")
    assert _opened(editor) == ("acknowledgement", "en", 1)
    assert QGuiApplication.clipboard().text().endswith("Mine.\n")


def test_someone_who_may_not_change_templates_can_only_read_them(
    ctx: AppContext, qtbot: QtBot
) -> None:
    with ctx.db.transaction() as session:
        store.save_template(
            session, ctx.actor, "acknowledgement", "en", _shipped() + "\nP.S.\n", based_on=0
        )
    coordinator = colleague(ctx.db, "dwhitfield", "Dana Whitfield", Role.COORDINATOR)
    editor = _open(replace(ctx, actor=coordinator), qtbot)
    assert "Only an administrator changes letter templates" in editor.banner.text()
    assert editor.source.isReadOnly()
    editor.picker.select("case.number")
    editor.picker.insert_button.click()
    assert editor.text() == _shipped() + "\nP.S.\n"
    assert not editor.save_button.isEnabled()
    editor.history.select_version(0)
    assert editor.history.text.toPlainText() == _shipped()
    assert not editor.history.restore_button.isEnabled()


def test_the_preview_is_the_sample_case_on_the_real_letterhead() -> None:
    head = replace(organisation.DEFAULT_LETTERHEAD, organisation="Lakeside Community Hospital")
    source = _shipped() + "\nThe Ombudsman: {{ policy.ombudsman }}\n"
    preview = sample_preview(source, "acknowledgement", "en", head, preset=Preset.CMS)
    text = PdfReader(io.BytesIO(preview.pdf)).pages[0].extract_text()
    assert "Lakeside Community Hospital" in text
    assert "Ana Delgado" in text and "Dear Ms. Delgado" in text
    # No ombudsman under the US rules: the field is left as a mark, as a letter would show it.
    assert preview.unfilled == ("policy.ombudsman",)
    nhs = sample_preview(source, "acknowledgement", "en", head, preset=Preset.NHS)
    assert nhs.unfilled == ()
