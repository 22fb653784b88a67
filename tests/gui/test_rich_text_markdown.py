"""What is typed with emphasis in a timeline entry is stored as Markdown that reads the same."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from prdesk.ui.markdown_document import read_markdown, to_markdown
from prdesk.ui.rich_text_edit import RichTextEdit


def test_bold_words_where_qt_wraps_its_markdown_are_kept_as_typed(qtbot: QtBot) -> None:
    edit = RichTextEdit("Details")
    qtbot.addWidget(edit)
    garbled_by_qt = 0
    for words_before in range(30):
        edit.set_markdown(
            "Called the daughter, "
            + "and " * words_before
            + "she said the **night nurse**. The ward (**7B**) was *full*, and **3 March "
            "2026** was the date."
        )
        on_screen = edit.toPlainText()
        garbled_by_qt += (
            read_markdown(to_markdown(edit.editor.document())).toPlainText() != on_screen
        )
        assert read_markdown(edit.markdown()).toPlainText() == on_screen, edit.markdown()
    assert garbled_by_qt  # Qt's own 80-column wrapping breaks some of these
