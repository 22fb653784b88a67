"""The "Filter" button: a menu of every criterion the list can be narrowed by, ticked when in force."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from prdesk.domain.enums import CaseKind, CaseStatus, Channel
from prdesk.domain.queries import CaseFilter, Due, Flag
from prdesk.ui.filter_choices import FilterChoices
from prdesk.ui.received_range_dialog import ReceivedRangeDialog

OPEN_LONGER_THAN = (7, 14, 30, 60)


class FilterButton(QToolButton):
    """Opens the filter menu (Alt+L); each choice changes the filter at once.

    Signals:
        filter_changed: the new CaseFilter.
    """

    filter_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText("Fi&lter")
        self.setToolTip("Add or remove filters (Alt+L)")
        self.setAccessibleName("Filter the cases")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._menu = QMenu(self)
        self._menu.aboutToShow.connect(self.build_menu)
        self.setMenu(self._menu)
        self._filter = CaseFilter()
        self._choices = FilterChoices()
        self._ask_range: Callable[[], None] = self._ask_received_range

    def show_filter(self, case_filter: CaseFilter) -> None:
        self._filter = case_filter

    def set_choices(self, choices: FilterChoices) -> None:
        self._choices = choices

    def find_action(self, submenu: str, text: str) -> QAction:
        """The menu entry under `submenu` ("" for the top level) whose text is `text`."""
        self.build_menu()
        menu: QMenu = self._menu
        if submenu:
            found = self._menu.findChild(QMenu, submenu)
            assert isinstance(found, QMenu)
            menu = found
        return next(action for action in menu.actions() if _plain(action.text()) == text)

    def build_menu(self) -> None:
        """Fills the menu to match the filter in force (called each time it opens)."""
        f, choices = self._filter, self._choices
        for stale in self._menu.findChildren(QMenu):
            # clear() leaves submenus alive: they are children, not owned actions.
            stale.setObjectName("")
            stale.deleteLater()
        self._menu.clear()
        status = self._submenu("&Status", len(f.statuses) + f.open_only)
        self._check(
            status, "Open cases (not finished)", f.open_only, replace(f, open_only=not f.open_only)
        )
        status.addSeparator()
        self._members(status, "statuses", CaseStatus, lambda m: m.label)
        self._members(self._submenu("&Kind", len(f.kinds)), "kinds", CaseKind, lambda m: m.label)
        grievance = self._submenu("&Grievance", f.grievance is not None)
        for value, label in ((True, "Grievances only"), (False, "Not grievances")):
            chosen = f.grievance is value
            self._check(grievance, label, chosen, replace(f, grievance=None if chosen else value))
        people = self._submenu(
            "&Assigned to", len(f.assignee_ids) + f.unassigned + f.assigned_to_me
        )
        self._check(people, "Me", f.assigned_to_me, replace(f, assigned_to_me=not f.assigned_to_me))
        self._check(
            people, "Nobody (unassigned)", f.unassigned, replace(f, unassigned=not f.unassigned)
        )
        people.addSeparator()
        self._references(people, "assignee_ids", choices.holders or choices.caseworkers)
        self._references(
            self._submenu("&Department", len(f.department_ids)),
            "department_ids",
            choices.departments,
        )
        self._references(
            self._submenu("Ca&tegory", len(f.category_ids)), "category_ids", choices.categories
        )
        self._members(
            self._submenu("&Channel", len(f.channels)), "channels", Channel, lambda m: m.label
        )
        self._members(self._submenu("D&ue", len(f.due)), "due", Due, lambda m: m.label)
        self._members(self._submenu("Fla&gs", len(f.flags)), "flags", Flag, lambda m: m.label)
        longer = self._submenu("&Open longer than", f.open_more_than_days is not None)
        for days in OPEN_LONGER_THAN:
            chosen = f.open_more_than_days == days
            self._check(
                longer,
                f"{days} days",
                chosen,
                replace(f, open_more_than_days=None if chosen else days),
            )
        received = self._menu.addAction("&Received between…")
        received.setCheckable(True)
        received.setChecked(bool(f.received_from or f.received_to))
        received.triggered.connect(lambda: self._ask_range())
        self._menu.addSeparator()
        clear = self._menu.addAction("Clear &all filters")
        clear.setEnabled(f != CaseFilter(search=f.search))
        clear.triggered.connect(lambda: self.filter_changed.emit(CaseFilter(search=f.search)))

    def _submenu(self, title: str, chosen: int) -> QMenu:
        """A submenu whose title says how many of its choices are ticked: "Status (2)"."""
        menu = self._menu.addMenu(f"{title} ({int(chosen)})" if chosen else title)
        menu.setObjectName(_plain(title))
        return menu

    def _check(self, menu: QMenu, text: str, checked: bool, result: CaseFilter) -> None:
        action = menu.addAction(text)
        action.setCheckable(True)
        action.setChecked(checked)
        action.triggered.connect(lambda: self.filter_changed.emit(result))

    def _members(
        self, menu: QMenu, name: str, members: Iterable[Any], label: Callable[[Any], str]
    ) -> None:
        chosen: frozenset[Any] = getattr(self._filter, name)
        for member in members:
            self._check(
                menu,
                label(member),
                member in chosen,
                _toggled(self._filter, name, member),
            )

    def _references(self, menu: QMenu, name: str, references: Iterable[Any]) -> None:
        chosen: frozenset[int] = getattr(self._filter, name)
        listed = list(references)
        if not listed:
            menu.addAction("(none yet)").setEnabled(False)
        for reference in listed:
            self._check(
                menu,
                reference.name.replace("&", "&&"),
                reference.id in chosen,
                _toggled(self._filter, name, reference.id),
            )

    def _ask_received_range(self) -> None:
        f = self._filter
        chosen = ReceivedRangeDialog.ask(self.window(), f.received_from, f.received_to)
        if chosen is not None:
            self.filter_changed.emit(replace(f, received_from=chosen[0], received_to=chosen[1]))


def _toggled(f: CaseFilter, name: str, member: object) -> CaseFilter:
    """The filter with `member` added to or taken from the set criterion `name`."""
    chosen: frozenset[Any] = getattr(f, name)
    changes: dict[str, Any] = {name: chosen ^ {member}}
    return replace(f, **changes)


def _plain(text: str) -> str:
    return text.replace("&", "")
