"""Every setting is declared on exactly one settings page, and each page edits what it declares."""

from __future__ import annotations

import ast
import importlib
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

import prdesk.domain
from prdesk import config
from prdesk.domain.models import Base
from prdesk.domain.services import organisation
from prdesk.logs import log_path
from prdesk.ui import settings
from prdesk.ui.context import AppContext
from prdesk.ui.settings import PREFERENCES, Preference, ui_settings
from prdesk.ui.settings_page import Scope
from prdesk.ui.settings_pages import PAGES, workstation
from prdesk.ui.settings_pages.workstation import WorkstationPage
from tests.gui.conftest import wait_idle

DOMAIN = Path(prdesk.domain.__file__).parent

# Settings kept elsewhere than the settings table or this computer's INI file, each
# with the proof that the place exists: a page may declare these too.
OTHER_STORES = {
    "connection profile": lambda: callable(config.save_profile),
    "remembered password": lambda: callable(config.save_password),
    "signature": lambda: "signatures" in Base.metadata.tables,
}


# Rows of the settings table that no person edits, each with the reason.
NOT_EDITED = {
    organisation.PRACTICE_KEY: "marks the practice database when it is made",
}


def stored_setting_keys() -> set[str]:
    """Every key the domain writes a Setting row under, read from the code itself,
    but for those in NOT_EDITED."""
    keys: set[str] = set()
    for path in DOMAIN.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Setting"
        ]
        if not calls:
            continue
        module_name = ".".join(path.relative_to(DOMAIN.parent.parent).with_suffix("").parts)
        namespace = vars(importlib.import_module(module_name))
        for call in calls:
            key = next(k.value for k in call.keywords if k.arg == "key")
            value = eval(compile(ast.Expression(key), str(path), "eval"), dict(namespace))
            assert isinstance(value, str), f"{path}: a Setting key that is not text"
            keys.add(value)
    return keys - NOT_EDITED.keys()


def test_the_domain_stores_the_settings_we_know_of() -> None:
    """The scan finds the writers (or the check below would pass on nothing)."""
    assert {
        "intake.mrn_format",
        "attachment_limit_mb",
        "workstation.idle_lock_minutes",
        "access.representative_scope",
    } <= stored_setting_keys()


def test_every_stored_setting_is_declared_on_exactly_one_page() -> None:
    declared = Counter(key for page in PAGES for key in page.keys)
    for key in sorted(stored_setting_keys()):
        assert declared[key] == 1, f"setting {key!r} is declared on {declared[key]} pages"
    preferences = {preference.key for preference in PREFERENCES}
    assert preferences <= set(WorkstationPage.keys)
    assert all(declared[key] == 1 for key in preferences)


def test_a_page_declares_only_keys_something_stores() -> None:
    known = stored_setting_keys() | {preference.key for preference in PREFERENCES}
    for name, exists in OTHER_STORES.items():
        assert exists(), f"{name!r} is kept nowhere any more"
        known.add(name)
    for page in PAGES:
        assert page.title and page.summary, f"{page.__name__} needs a title and a summary"
        for key in page.keys:
            assert key in known, f"{page.__name__} declares {key!r}, which nothing stores"


def test_a_page_declaring_a_setting_twice_or_a_made_up_one_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The checks above fail when the catalogue goes wrong."""
    from prdesk.ui.settings_pages.intake import IntakePage

    monkeypatch.setattr(IntakePage, "keys", (*IntakePage.keys, "workstation.idle_lock_minutes"))
    with pytest.raises(AssertionError, match=r"idle_lock_minutes"):
        test_every_stored_setting_is_declared_on_exactly_one_page()
    monkeypatch.setattr(IntakePage, "keys", ("intake.mrn_format", "intake.colour"))
    with pytest.raises(AssertionError, match=r"intake\.colour"):
        test_a_page_declares_only_keys_something_stores()


def test_organisation_pages_are_the_ones_kept_for_everyone() -> None:
    stored = stored_setting_keys()
    for page in PAGES:
        if set(page.keys) & stored:
            assert page.scope is Scope.ORGANISATION, page.__name__


def test_preferences_are_generated_from_their_declarations(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A yes/no preference is a checkbox, a number a spin box, text a line; each round-trips."""
    recent = Preference("preferences/recent_cases", 10, "Cases listed under Recent", "", (1, 50))
    initials = Preference("preferences/initials", "", "Initials on notes")
    monkeypatch.setattr(workstation, "PREFERENCES", (*PREFERENCES, recent, initials))
    page = WorkstationPage(ctx)
    qtbot.addWidget(page)
    page.load()
    reopen = page.editors[settings.REOPEN_CASES.key]
    count = page.editors[recent.key]
    text = page.editors[initials.key]
    assert isinstance(reopen, QCheckBox) and reopen.text() == settings.REOPEN_CASES.label
    assert reopen.isChecked()  # its default
    assert isinstance(count, QSpinBox) and (count.minimum(), count.maximum()) == (1, 50)
    assert count.value() == 10 and count.accessibleName() == "Cases listed under Recent"
    assert isinstance(text, QLineEdit)
    assert not page.is_modified()

    reopen.setChecked(False)
    count.setValue(25)
    text.setText("MG")
    assert page.is_modified()
    with qtbot.waitSignal(page.saved):
        page.save()
    ini = Path(ui_settings().fileName()).read_text(encoding="utf-8")
    assert "reopen_cases=false" in ini and "recent_cases=25" in ini and "initials=MG" in ini
    assert settings.REOPEN_CASES.get() is False
    assert (recent.get(), initials.get()) == (25, "MG")
    again = WorkstationPage(ctx)
    qtbot.addWidget(again)
    again.load()
    assert not again.editors[settings.REOPEN_CASES.key].isChecked()  # type: ignore[union-attr]
    assert not again.is_modified()


def test_a_preference_edited_into_nonsense_is_its_default(ctx: AppContext) -> None:
    store = ui_settings()
    store.setValue(settings.REOPEN_CASES.key, "perhaps")
    store.sync()
    assert settings.REOPEN_CASES.get() is True
    wide = Preference("preferences/wide", 5, "Width", "", (1, 9))
    store.setValue(wide.key, "400")
    assert wide.get(store) == 9


def test_this_computers_folders_are_shown_with_a_button_to_open_them(
    ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []

    def open_folder(path: Path) -> bool:
        opened.append(path)
        return True

    monkeypatch.setattr(workstation, "open_folder", open_folder)
    config.data_dir().mkdir(parents=True, exist_ok=True)
    page = WorkstationPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot)
    shown = [label.text() for label in page.findChildren(QLabel)]
    assert str(config.data_dir()) in shown and str(log_path().parent) in shown
    page.folder_buttons["Cases kept on this computer"].click()
    assert opened == [config.data_dir()]
    logs = page.folder_buttons["Error log"]
    assert not logs.isEnabled()  # nothing logged yet on this computer
    assert logs.accessibleName() == "Open the folder: Error log"
