"""Where an administrator rewrites the letter templates, with a live preview and every version kept."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain import letter_templates
from prdesk.domain.deadline_policy import Preset
from prdesk.domain.errors import ConflictError, DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import Letterhead
from prdesk.domain.services import letter_template_store as store
from prdesk.domain.services import organisation, policy
from prdesk.domain.services.letter_template_store import TemplateVersionInfo
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.letter_template_preview import TemplatePreview
from prdesk.ui.letter_template_source import TemplateSourceEdit
from prdesk.ui.merge_field_picker import MergeFieldPicker
from prdesk.ui.questions import ask_discard
from prdesk.ui.remembered_size import remember_layout
from prdesk.ui.template_history import TemplateHistory
from prdesk.ui.template_list import TemplateList, template_title, version_summary

NOTE_LIMIT = 300  # what the store keeps of a note


class TemplateNoteDialog(QDialog):
    """Asks, before saving, what changed: one optional line kept with the version."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save template")
        prompt = QLabel(f"Saving {title} as a new version. &What changed? (optional)")
        prompt.setWordWrap(True)
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_LIMIT)
        self.note.setPlaceholderText("e.g. Friendlier opening; added the interpreter line")
        self.note.setAccessibleName("What changed")
        prompt.setBuddy(self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(460, 130)

    @classmethod
    def ask(cls, parent: QWidget | None, title: str) -> str | None:
        """The note ("" when none is given), or None when the person chose Cancel."""
        dialog = cls(title, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.note.text().strip() if accepted else None


@dataclass(frozen=True)
class _Setting:
    """What the editor loads once: the templates, and what their preview prints on."""

    overview: tuple[TemplateVersionInfo, ...]
    letterhead: Letterhead
    preset: Preset


def _setting(session: Session) -> _Setting:
    return _Setting(
        store.templates_overview(session),
        organisation.letterhead(session),
        policy.deadline_policy(session).preset,
    )


class LetterTemplateEditor(QWidget):
    """Templates on the left; the text with its merge fields in the middle; the preview
    and the earlier versions on the right.

    Signals:
        saved: the TemplateVersionInfo of each version saved.
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle("Letter templates[*] — PR Desk")
        self._ctx = ctx
        self._allowed = ctx.may(Action.EDIT_TEMPLATES)
        self._opened: TemplateVersionInfo | None = None
        self._saving = False
        self.banner = InfoBar()
        self.templates = TemplateList()
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.picker = MergeFieldPicker()
        self.source = TemplateSourceEdit()
        self.problems = QLabel()
        self.problems.setProperty("role", "field-error")
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems in the template")
        self.problems.hide()
        self.preview = TemplatePreview()
        self.history = TemplateHistory()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.preview, "&Preview")
        self.tabs.addTab(self.history, "&History")
        self.save_button = QPushButton("&Save")
        self.save_button.setToolTip("Save as a new version (Ctrl+S)")
        self.save_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        self._lay_out()
        self._connect_signals()
        self.source.setReadOnly(True)
        self.history.allow_restoring(self._allowed)
        if not self._allowed:
            self.banner.show_message(
                "Only an administrator changes letter templates; you can read them here.",
                kind="info",
            )
        self.resize(1440, 880)
        (
            ctx.operation(self, _setting, read_only=True)
            .success(self._on_setting_loaded)
            .failure(lambda error: self.banner.show_message(error.message, kind="error"))
            .run()
        )

    def _lay_out(self) -> None:
        middle = QWidget()
        text_column = QVBoxLayout(middle)
        text_column.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.picker)
        split.addWidget(self.source)
        split.setStretchFactor(1, 3)
        split.setSizes([230, 520])
        text_column.addWidget(self.heading)
        text_column.addWidget(split, 1)
        text_column.addWidget(self.problems)
        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.addWidget(self.templates)
        columns.addWidget(middle)
        columns.addWidget(self.tabs)
        columns.setStretchFactor(1, 3)
        columns.setStretchFactor(2, 3)
        columns.setSizes([290, 600, 560])
        buttons = QHBoxLayout()
        hint = QLabel(
            "Letters already drafted keep the text they were drafted with; "
            "new letters use the newest version."
        )
        hint.setProperty("role", "hint")
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(columns, 1)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.templates.currentRowChanged.connect(self._on_template_chosen)
        self.picker.chosen.connect(self._on_field_chosen)
        self.source.textChanged.connect(self._on_text_changed)
        self.history.restored.connect(self._on_restored)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence.StandardKey.Find, self, self.picker.search.setFocus)

    # ------------------------------------------------------------------ loading

    def _on_setting_loaded(self, setting: _Setting) -> None:
        self.preview.set_letterhead(setting.letterhead, setting.preset)
        self.templates.show_templates(setting.overview)
        if setting.overview:
            self.templates.setCurrentRow(0)

    def choose(self, key: str, language: str) -> None:
        """Opens that template (keyboard users pick it from the list; tests call this)."""
        self.templates.choose(key, language)

    def opened(self) -> TemplateVersionInfo | None:
        """The version the text in the editor started from."""
        return self._opened

    def is_modified(self) -> bool:
        return self._opened is not None and self.text() != self._opened.source

    def text(self) -> str:
        return self.source.toPlainText()

    def _on_template_chosen(self, row: int) -> None:
        chosen = self.templates.key_at(row)
        if chosen is None or (self._opened is not None and chosen == self._current_key()):
            return
        if self.is_modified() and not self._may_discard():
            self.templates.blockSignals(True)
            self.templates.choose(*self._current_key())
            self.templates.blockSignals(False)
            return
        self._open(*chosen)

    def _current_key(self) -> tuple[str, str]:
        assert self._opened is not None
        return self._opened.key, self._opened.language

    def _may_discard(self) -> bool:
        assert self._opened is not None
        return ask_discard(
            self,
            "Unsaved changes",
            f"Your changes to {template_title(self._opened)} are not saved. Discard them?",
        )

    def _open(self, key: str, language: str) -> None:
        def work(session: Session) -> tuple[TemplateVersionInfo, ...]:
            return store.template_history(session, key, language)

        (
            self._ctx.operation(self, work, read_only=True)
            .success(self._on_opened)
            .failure(lambda error: self.banner.show_message(error.message, kind="error"))
            .run()
        )

    def _on_opened(self, versions: tuple[TemplateVersionInfo, ...]) -> None:
        current = versions[0]
        self._opened = current
        self.heading.setText(f"{template_title(current)} — {version_summary(current)}")
        self.source.setReadOnly(not self._allowed)
        self.source.setPlainText(current.source)
        self.history.show_history(versions)
        self.templates.describe(current)
        self._on_text_changed()

    # ------------------------------------------------------------------ editing

    def _on_field_chosen(self, path: str) -> None:
        if self._opened is not None and not self.source.isReadOnly():
            self.source.insert_field(path)

    def _on_text_changed(self) -> None:
        if self._opened is None:
            return
        found = letter_templates.problems(self.text())
        self.problems.setText("\n".join(f"• {problem}" for problem in found))
        self.problems.setVisible(bool(found))
        self._update_save(found)
        if found:
            self.preview.show_unusable(
                "The preview comes back once the problems under the text are put right."
            )
        else:
            self.preview.show_template(self._opened.key, self._opened.language, self.text())

    def _update_save(self, found: tuple[str, ...] | None = None) -> None:
        if found is None:
            found = letter_templates.problems(self.text())
        self.setWindowModified(self.is_modified())
        self.save_button.setEnabled(
            self._allowed and not self._saving and self.is_modified() and not found
        )

    def _on_restored(self, info: TemplateVersionInfo) -> None:
        if not self._allowed or (self.is_modified() and not self._may_discard()):
            return
        self.source.setPlainText(info.source)
        which = "the text as shipped" if info.shipped else f"the text of version {info.version}"
        self.banner.show_message(
            f"The editor now holds {which}. Save to make it the newest version.", kind="info"
        )

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        if not self.save_button.isEnabled() or self._opened is None:
            return
        note = TemplateNoteDialog.ask(self, template_title(self._opened))
        if note is None:
            return
        actor, opened, text = self._ctx.actor, self._opened, self.text()

        def work(session: Session) -> TemplateVersionInfo:
            return store.save_template(
                session, actor, opened.key, opened.language, text,
                based_on=opened.version, note=note,
            )  # fmt: skip

        self._saving = True
        self._update_save()
        self.banner.hide()
        (
            self._ctx.operation(self, work)
            .success(self._on_saved)
            .failure(self._on_save_failed)
            .done(self._on_save_done)
            .run()
        )

    def _on_save_done(self) -> None:
        self._saving = False
        self._update_save()

    def _on_saved(self, info: TemplateVersionInfo) -> None:
        earlier = tuple(
            version
            for version in self.history.versions_shown()
            if (version.key, version.language) == (info.key, info.language)
        )
        self._opened = info
        self.heading.setText(f"{template_title(info)} — {version_summary(info)}")
        self.history.show_history((info, *earlier))
        self.templates.describe(info)
        self.banner.show_message(
            f"Saved as version {info.version}. Letters drafted from now on use it.", kind="info"
        )
        self.saved.emit(info)

    def _on_save_failed(self, error: DomainError) -> None:
        if isinstance(error, ConflictError):
            self.banner.show_message(
                f"{error.message} Reload shows the newest version; your text is copied to "
                "the clipboard so you can paste it back.",
                kind="warning",
                actions=[("&Reload", self.reload)],
            )
        else:
            self.banner.show_message(error.message, kind="error")

    def reload(self) -> None:
        """Opens the newest version again, keeping the unsaved text on the clipboard."""
        if self._opened is None:
            return
        if self.is_modified():
            QGuiApplication.clipboard().setText(self.text())
        key, language = self._current_key()
        self._opened = None
        self._open(key, language)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_modified() and not self._may_discard():
            event.ignore()
            return
        event.accept()


def open_template_editor(ctx: AppContext, parent: QWidget) -> QWidget:
    """Shows the template editor beside the main window (the one already open, if any)."""
    editor = parent.findChild(LetterTemplateEditor)
    if editor is not None:
        editor.raise_()
        editor.activateWindow()
        return editor
    editor = LetterTemplateEditor(ctx, parent)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    remember_layout(editor, "template_editor")
    editor.show()
    return editor
