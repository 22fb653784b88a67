"""The application's commands, declared once: text, shortcut, menu, icon, toolbar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QToolBar, QWidget

from prdesk.domain.permissions import Action
from prdesk.ui.icons import icon


@dataclass(frozen=True)
class ActionSpec:
    """One command.

    Attributes:
        needs: what the user's role must allow for the command to be enabled.
        shown_with: without this, the command is not shown at all (a clerk sees no
            case commands, a representative no reports).
    """

    key: str
    text: str
    menu: str
    shortcut: str = ""
    tip: str = ""
    icon: str | None = None  # a drawing in resources/icons/actions
    toolbar: bool = False
    needs: tuple[Action, ...] = ()
    shown_with: Action | None = None


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "new_case",
        "&New case…",
        "&File",
        "Ctrl+N",
        "Log a new case",
        "new_case",
        toolbar=True,
        needs=(Action.OPEN_CASE,),
        shown_with=Action.VIEW_CASE,
    ),
    ActionSpec(
        "close_tab",
        "&Close case",
        "&File",
        "Ctrl+W",
        "Close the case tab",
        needs=(Action.VIEW_CASE,),
        shown_with=Action.VIEW_CASE,
    ),
    ActionSpec(
        "signature",
        "My &signature…",
        "&File",
        "",
        "The scanned signature printed above your name on letters",
        needs=(Action.DRAFT_LETTER,),
    ),
    ActionSpec(
        "practice",
        "&Practice database",
        "&File",
        "",
        "Try things out on made-up cases, away from the department's real ones",
    ),
    ActionSpec(
        "settings",
        "S&ettings…",
        "&File",
        "Ctrl+,",
        "This computer's connection, the organisation, your signature and the deadlines",
    ),
    ActionSpec("quit", "&Quit", "&File", "Ctrl+Q", "Quit PR Desk"),
    ActionSpec(
        "refresh",
        "&Refresh",
        "&View",
        "F5",
        "Reload the list and the open cases",
        "refresh",
        toolbar=True,
    ),
    ActionSpec(
        "find",
        "&Find",
        "&View",
        "Ctrl+F",
        "Search the case list, or the timeline of the case in front",
        "find",
        toolbar=True,
        needs=(Action.VIEW_CASE,),
        shown_with=Action.VIEW_CASE,
    ),
    ActionSpec(
        "notifications",
        "&Notifications",
        "&View",
        "Ctrl+Shift+N",
        "Show unread notifications, such as new safety concerns",
    ),
    ActionSpec(
        "dashboard",
        "Dash&board",
        "&View",
        "Ctrl+Shift+B",
        "Open cases, deadlines, workload and what came in this month, each a click from its cases",
        needs=(Action.VIEW_REPORTS,),
        shown_with=Action.VIEW_REPORTS,
    ),
    ActionSpec(
        "reports",
        "R&eports…",
        "&View",
        # Ctrl+Shift+R asks a department for a statement on an open case.
        "Ctrl+Alt+R",
        "Compliance, trends, the NHS return and the committee report, to read, print or export",
        needs=(Action.VIEW_REPORTS,),
        shown_with=Action.VIEW_REPORTS,
    ),
    ActionSpec(
        "workload",
        "&Workload",
        "&View",
        "Ctrl+Shift+W",
        "Open, due-soon and overdue cases per caseworker",
        needs=(Action.VIEW_CASE,),
        shown_with=Action.VIEW_CASE,
    ),
    ActionSpec(
        "waiting_on_departments",
        "Waiting on &departments",
        "&View",
        "Ctrl+Shift+E",
        "Statements and reviews requested from departments and not yet answered",
        needs=(Action.VIEW_CASE,),
        shown_with=Action.VIEW_CASE,
    ),
    ActionSpec(
        "print_queue",
        "&Print queue",
        "&View",
        "Ctrl+Shift+P",
        "Approved letters waiting to be printed and posted",
        needs=(Action.PRINT_LETTERS,),
    ),
    ActionSpec(
        "audit_trail",
        "&Audit trail…",
        "&View",
        "Ctrl+Shift+H",
        "Who did what, and when: every change, opening, print and export",
        needs=(Action.VIEW_AUDIT_LOG,),
    ),
    ActionSpec(
        "case_audit_trail",
        "Audit trail of this &case…",
        "&View",
        "Ctrl+Alt+H",
        "Every change, opening, print and export of the case in front",
        needs=(
            Action.VIEW_AUDIT_LOG,
            Action.VIEW_CASE,
        ),
    ),
    ActionSpec(
        "lock",
        "&Lock now",
        "&View",
        "Ctrl+Shift+L",
        "Cover every PR Desk window until your password is typed again",
    ),
    ActionSpec(
        "users",
        "&Users…",
        "Adm&inistration",
        "",
        "Who works in PR Desk, their roles and departments, and which cases representatives see",
        needs=(Action.MANAGE_USERS,),
    ),
    ActionSpec(
        "deadline_policy",
        "&Deadline policy…",
        "Adm&inistration",
        "Ctrl+Shift+D",
        "When cases must be acknowledged and answered, and the holidays not counted",
        needs=(Action.MANAGE_ORGANISATION,),
    ),
    ActionSpec(
        "mrn_format",
        "&Record number format…",
        "Adm&inistration",
        "",
        "The format every medical record number typed at intake must have",
        needs=(Action.MANAGE_ORGANISATION,),
    ),
    ActionSpec(
        "department_contacts",
        "Department &contacts…",
        "Adm&inistration",
        "",
        "Whom each department's requests go to, and whom to escalate to",
        needs=(Action.MANAGE_ORGANISATION,),
    ),
    ActionSpec(
        "attachment_limit",
        "&Attachment size limit…",
        "Adm&inistration",
        "",
        "The largest file that may be attached to a case",
        needs=(Action.MANAGE_ORGANISATION,),
    ),
    ActionSpec(
        "letter_templates",
        "&Letter templates…",
        "Adm&inistration",
        "",
        "The wording of every letter, in each language, with its earlier versions",
        needs=(Action.EDIT_TEMPLATES,),
    ),
    ActionSpec(
        "letterhead",
        "Letter&head…",
        "Adm&inistration",
        "",
        "The organisation's name, address, logo and paper size printed on letters",
        needs=(Action.MANAGE_ORGANISATION,),
    ),
    ActionSpec(
        "idle_lock",
        "Automatic loc&k…",
        "Adm&inistration",
        "",
        "Minutes without input before every workstation locks",
    ),
    ActionSpec(
        "user_guide", "&User guide", "&Help", "F1", "How to log, investigate and answer a case"
    ),
    ActionSpec(
        "shortcuts",
        "&Keyboard shortcuts",
        "&Help",
        "Ctrl+/",
        "Every shortcut, for working without the mouse",
    ),
    ActionSpec(
        "log_folder",
        "Open the &log folder",
        "&Help",
        "",
        "Where PR Desk records its errors, to send to your IT support desk",
    ),
    ActionSpec(
        "test_error",
        "&Test error reporting",
        "&Help",
        "",
        "Shows what an error report looks like and checks that the log can be written",
    ),
    ActionSpec("about", "&About PR Desk", "&Help"),
)


class Actions:
    """The QActions of one window, by key (`actions["new_case"]`)."""

    def __init__(self, parent: QWidget) -> None:
        self._actions: dict[str, QAction] = {}
        for spec in SPECS:
            action = QAction(spec.text, parent)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
            tip = spec.tip or spec.text.replace("&", "").rstrip("…")
            if spec.shortcut:
                tip = f"{tip} ({spec.shortcut})"
            action.setToolTip(tip)
            action.setStatusTip(tip)
            if spec.icon is not None:
                action.setIcon(icon(spec.icon))
            self._actions[spec.key] = action

    def __getitem__(self, key: str) -> QAction:
        return self._actions[key]

    def allow(self, may: Callable[[Action], bool]) -> None:
        """Enables what the role allows; hides what it is never to see."""
        for spec in SPECS:
            action = self._actions[spec.key]
            if spec.needs:
                action.setEnabled(all(may(need) for need in spec.needs))
            if spec.shown_with is not None and not may(spec.shown_with):
                action.setVisible(False)

    def fill_menus(self, menu_bar: QMenuBar) -> None:
        menus: dict[str, QMenu] = {}
        for spec in SPECS:
            if spec.menu not in menus:
                menus[spec.menu] = menu_bar.addMenu(spec.menu)
            menu = menus[spec.menu]
            if spec.key == "quit":
                menu.addSeparator()
            menu.addAction(self._actions[spec.key])

    def fill_toolbar(self, toolbar: QToolBar) -> None:
        for spec in SPECS:
            if spec.toolbar:
                toolbar.addAction(self._actions[spec.key])
