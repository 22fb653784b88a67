"""Every keyboard shortcut of PR Desk's screens, declared once, grouped by where it works.

The menu commands' shortcuts are in prdesk/ui/actions.py SPECS. A test reads the
sources of prdesk/ui and fails when a screen gains a shortcut this list does not
have, or when an entry here names a key its screen no longer has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

Keys: TypeAlias = str | QKeySequence.StandardKey | Qt.Key
_Std = QKeySequence.StandardKey
_Key = Qt.Key


@dataclass(frozen=True)
class ScreenShortcut:
    """One shortcut of a screen.

    Attributes:
        keys: each key sequence that does it: portable text ("Ctrl+Shift+A"), a
            platform's standard key (Close is Ctrl+W on Linux, Ctrl+F4 on Windows)
            or a single key.
        does: what it does, as a coordinator would say it.
        source: the module of prdesk/ui that makes the shortcut.
        mnemonic: for an Alt+letter given by a label's "&", that label ("Fi&lter").
        also: the same keys as Qt may report them, bound too but not shown
            (Ctrl+Shift+Tab arrives as Ctrl+Backtab on some systems).
    """

    keys: tuple[Keys, ...]
    does: str
    source: str
    mnemonic: str = ""
    also: tuple[Keys, ...] = ()


@dataclass(frozen=True)
class ShortcutGroup:
    """The shortcuts that work in one place.

    Attributes:
        shown_with: the menu command (actions.py key) whose screen this is: without it
            shown and enabled, the person never sees the screen, so the group is left out.
    """

    where: str
    shortcuts: tuple[ScreenShortcut, ...]
    shown_with: str = ""


def _one(
    keys: Keys | tuple[Keys, ...], does: str, source: str, mnemonic: str = ""
) -> ScreenShortcut:
    return ScreenShortcut(keys if isinstance(keys, tuple) else (keys,), does, source, mnemonic)


SCREEN_SHORTCUTS: tuple[ShortcutGroup, ...] = (
    ShortcutGroup(
        "Edit menu",
        (
            _one(
                _Std.Undo,
                "Undo the last change to the timeline of the case in front",
                "main_window",
            ),
            _one(("Ctrl+Shift+Z", "Ctrl+Y"), "Redo what was undone", "main_window"),
        ),
        shown_with="find",
    ),
    ShortcutGroup(
        "Case list",
        (
            _one(_Key.Key_Return, "Open the chosen case", "case_list"),
            _one("Ctrl+Shift+A", "Assign the selected cases", "case_list"),
            _one(_Key.Key_Escape, "Clear the search, in the search box", "case_list"),
            _one("Alt+L", "Filter the list", "filter_menu", "Fi&lter"),
            _one("Alt+W", "Choose a view, or save the filters as one", "saved_views_bar", "Vie&w"),
            _one("Alt+X", "Export the list to Excel or CSV", "case_list", "E&xport…"),
            _one(_Key.Key_Delete, "Remove the filter chip that has the focus", "filter_chips"),
        ),
        shown_with="find",
    ),
    ShortcutGroup(
        "A case",
        (
            _one("Ctrl+L", "Draft a new letter", "case_view"),
            _one("Ctrl+Shift+A", "Attach files to the timeline", "timeline_drop"),
            _one("Ctrl+Shift+R", "Request a statement from a department", "case_requests_panel"),
            _one("Ctrl+Shift+S", "Committee summary of the case, as PDF", "case_view"),
            _one("Alt+C", "Record the outcome", "case_view", "Out&come…"),
            _one(
                "Alt+Y",
                "Reclassify as complaint or grievance",
                "classification_control",
                "Reclassif&y",
            ),
            _one("Ctrl+P", "Print the chosen letter, on the Letters tab", "letter_actions"),
        ),
        shown_with="find",
    ),
    ShortcutGroup(
        "Timeline",
        (
            _one("Ctrl+Return", "Add the step to the timeline", "timeline_entry_form"),
            _one(_Std.Delete, "Delete the chosen step, after asking", "timeline_panel"),
            _one(_Std.Find, "Search the timeline", "timeline_panel"),
            _one(
                _Key.Key_Escape,
                "Clear the timeline search, in the search box",
                "timeline_filter_bar",
            ),
        ),
        shown_with="find",
    ),
    ShortcutGroup(
        "Formatting text (timeline details, letters)",
        (
            _one("Ctrl+B", "Bold", "rich_text_edit"),
            _one("Ctrl+I", "Italic", "rich_text_edit"),
            _one("Ctrl+U", "Underline (letters)", "rich_text_edit"),
            _one("Ctrl+Shift+8", "Bulleted list", "rich_text_edit"),
            _one("Ctrl+Shift+7", "Numbered list", "rich_text_edit"),
            _one("Ctrl+Alt+1", "Heading", "rich_text_edit"),
            _one("Ctrl+Alt+2", "Subheading", "rich_text_edit"),
            _one("Ctrl+Space", "Clear formatting", "rich_text_edit"),
        ),
        shown_with="find",
    ),
    ShortcutGroup(
        "Letter composer",
        (
            _one("Ctrl+S", "Save the letter now", "letter_composer"),
            _one("Ctrl+Shift+T", "Choose the steps taken to list", "letter_composer"),
            _one("Ctrl+P", "Print the letter", "letter_actions"),
        ),
        shown_with="find",
    ),
    ShortcutGroup(
        "Attached files",
        (
            _one(
                (_Key.Key_PageUp, _Key.Key_PageDown),
                "Previous or next page of the preview",
                "attachment_preview",
            ),
            _one(_Std.Close, "Close the file's window", "attachment_window"),
        ),
        shown_with="find",
    ),
    ShortcutGroup(
        "New case window",
        (
            _one(("Ctrl+Return", "Ctrl+Enter"), "Save the case", "new_case_dialog"),
            _one("Ctrl+Shift+V", "Fill the case from an email or letter", "new_case_dialog"),
            _one(
                ("Ctrl+Return", "Ctrl+Enter"), "Fill the case from the pasted text", "paste_dialog"
            ),
        ),
        shown_with="new_case",
    ),
    ShortcutGroup(
        "Editing a timeline step, recording the outcome",
        (
            _one(("Ctrl+Return", "Ctrl+Enter"), "Save the changed step", "entry_edit_dialog"),
            _one("Ctrl+Return", "Save the outcome", "outcome_dialog"),
        ),
        shown_with="find",
    ),
    ShortcutGroup(
        "Dashboard",
        (
            _one((_Key.Key_Left, _Key.Key_Right), "Move between a chart's bars", "bar_chart"),
            _one((_Key.Key_Home, _Key.Key_End), "First or last bar", "bar_chart"),
            _one(_Key.Key_Return, "List the cases a figure or bar counts", "figure_tile"),
        ),
        shown_with="dashboard",
    ),
    ShortcutGroup(
        "Reports window",
        (
            _one(_Std.Refresh, "Compute the report again", "reports_window"),
            _one(_Std.Close, "Close the window", "reports_window"),
        ),
        shown_with="reports",
    ),
    ShortcutGroup(
        "Audit trail window",
        (
            _one(_Std.Refresh, "Read the trail again", "audit_log_view"),
            _one(_Std.Close, "Close the window", "audit_log_view"),
        ),
        shown_with="audit_trail",
    ),
    ShortcutGroup(
        "Letter templates",
        (
            _one(_Std.Save, "Save the template as a new version", "letter_template_editor"),
            _one(_Std.Find, "Search the merge fields", "letter_template_editor"),
            _one(
                (_Key.Key_Return, _Key.Key_Enter),
                "Insert the chosen merge field",
                "merge_field_picker",
            ),
        ),
        shown_with="letter_templates",
    ),
    ShortcutGroup(
        "Settings window",
        (
            _one(("Ctrl+Tab", "Ctrl+PgDown"), "Next page", "settings_dialog"),
            ScreenShortcut(
                ("Ctrl+Shift+Tab", "Ctrl+PgUp"),
                "Previous page",
                "settings_dialog",
                also=("Ctrl+Backtab",),
            ),
        ),
        shown_with="settings",
    ),
    ShortcutGroup(
        "User guide",
        (
            _one(_Std.Back, "Back to the page before", "help_window"),
            _one(_Std.Forward, "Forward again", "help_window"),
            _one(_Std.Find, "Search the guide", "help_window"),
            _one(_Std.Close, "Close the guide", "help_window"),
        ),
    ),
)


def key_text(keys: Keys) -> str:
    """How the keys read on this computer ("Ctrl+W", "⌘W").

    A standard key reads as its platform's first binding: `QKeySequence(standard_key)`,
    which the screens pass to their shortcuts, holds only that one.
    """
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def portable(keys: Keys) -> str:
    """One name per key, the same on every platform, to compare with the sources."""
    if isinstance(keys, QKeySequence.StandardKey):
        return f"StandardKey.{keys.name}"
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.PortableText)
