"""Settings page "Preferences": this computer's preferences, made from their declarations, and its folders."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from prdesk import config
from prdesk.logs import log_path
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.settings import PREFERENCES, Preference, ui_settings
from prdesk.ui.settings_page import Scope, SettingsPage

AnyPreference = Preference[bool] | Preference[int] | Preference[str]
Editor = QCheckBox | QSpinBox | QLineEdit


def open_folder(path: Path) -> bool:
    """Shows the folder in the file manager; False if there is none to show."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def folders() -> tuple[tuple[str, Path], ...]:
    """Where PR Desk keeps this computer's files, as the page lists them."""
    return (
        ("Settings", config.config_dir()),
        ("Cases kept on this computer", config.data_dir()),
        ("Error log", log_path().parent),
    )


class WorkstationPage(SettingsPage):
    """Every Preference of prdesk.ui.settings, each edited by a field made for its type.

    Attributes:
        editors: the field of each preference, by its key.
        folder_buttons: the "Open folder" button of each folder, by its name.
    """

    title = "Preferences"
    summary = "How PR Desk behaves on this computer, and where it keeps its files here."
    scope = Scope.WORKSTATION
    keys = tuple(preference.key for preference in PREFERENCES)

    def __init__(self, ctx: AppContext | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.editors: dict[str, Editor] = {}
        preferences = QGroupBox("How PR Desk behaves here")
        form = QFormLayout(preferences)
        for preference in PREFERENCES:
            self._add_editor(form, preference)
        self.folder_buttons: dict[str, QPushButton] = {}
        places = QGroupBox("Folders")
        places_form = QFormLayout(places)
        for name, path in folders():
            places_form.addRow(f"{name}:", self._folder_row(name, path))
        self.banner = InfoBar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(preferences)
        layout.addWidget(places)
        layout.addStretch(1)

    def _add_editor(self, form: QFormLayout, preference: AnyPreference) -> None:
        editor: Editor
        if isinstance(preference.default, bool):
            editor = QCheckBox(preference.label)
            editor.toggled.connect(self.edited)
            form.addRow(editor)
        elif isinstance(preference.default, int):
            editor = QSpinBox()
            editor.setRange(*preference.value_range)
            editor.setSuffix(preference.suffix)
            editor.valueChanged.connect(self.edited)
            form.addRow(_buddy(preference.label, editor), editor)
        else:
            editor = QLineEdit()
            editor.textEdited.connect(self.edited)
            form.addRow(_buddy(preference.label, editor), editor)
        editor.setAccessibleName(preference.label)
        if preference.help:
            editor.setAccessibleDescription(preference.help)
            hint = QLabel(preference.help)
            hint.setWordWrap(True)
            hint.setProperty("role", "hint")
            form.addRow(hint)
        self.editors[preference.key] = editor

    def _folder_row(self, name: str, path: Path) -> QWidget:
        shown = QLabel(str(path))
        shown.setTextFormat(Qt.TextFormat.PlainText)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setWordWrap(True)
        button = QPushButton("Open folder")
        button.setAccessibleName(f"Open the folder: {name}")
        button.setAutoDefault(False)
        if not path.is_dir():
            button.setEnabled(False)
            button.setToolTip("PR Desk has written nothing there yet.")
        button.clicked.connect(lambda: open_folder(path))
        self.folder_buttons[name] = button
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(shown, 1)
        layout.addWidget(button)
        return row

    def load(self) -> None:
        settings = ui_settings()
        for preference in PREFERENCES:
            editor = self.editors[preference.key]
            editor.blockSignals(True)
            try:
                _show(editor, preference.get(settings))
            finally:
                editor.blockSignals(False)

    def is_modified(self) -> bool:
        settings = ui_settings()
        return any(
            _value(self.editors[preference.key]) != preference.get(settings)
            for preference in PREFERENCES
        )

    def save(self) -> None:
        settings = ui_settings()
        for preference in PREFERENCES:
            value = _value(self.editors[preference.key])
            if value != preference.get(settings):
                # Each editor was made for its preference's type, so the value has it.
                preference.set(value, settings)  # type: ignore[arg-type]
        if settings.status() != settings.Status.NoError:
            message = f"PR Desk could not write its settings file {settings.fileName()}."
            self.banner.show_message(message, kind="error")
            self.failed.emit(message)
            return
        self.banner.hide()
        self.saved.emit()


def _buddy(text: str, editor: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(editor)
    label.setWordWrap(True)
    return label


def _show(editor: Editor, value: bool | int | str) -> None:
    if isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value))
    else:
        editor.setText(str(value))


def _value(editor: Editor) -> bool | int | str:
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox):
        return editor.value()
    return editor.text()
