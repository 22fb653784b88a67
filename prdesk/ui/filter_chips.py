"""The filters in force as a row of chips; clicking a chip, or Delete on it, removes that filter."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

from PySide6 import QtGui
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from prdesk.domain.enums import LabelledEnum
from prdesk.domain.queries import CaseFilter, Due, Flag
from prdesk.ui.filter_choices import FilterChoices
from prdesk.ui.formatting import local_date

E = TypeVar("E", bound=LabelledEnum)


@dataclass(frozen=True)
class Chip:
    """One filter as shown, and the filter that is left once it is removed."""

    label: str
    without: CaseFilter


def _labels(members: frozenset[E]) -> str:
    """The members' labels in the enum's own order (New before Closed)."""
    kind = type(next(iter(members)))
    return ", ".join(member.label for member in kind if member in members)


def chips_for(f: CaseFilter, choices: FilterChoices) -> list[Chip]:
    """The chips of a filter, in the order of the Filter menu. The typed search is not a chip."""
    chips: list[Chip] = []
    if f.numbers:
        label = f"Case {', '.join(sorted(f.numbers))}"
        chips.append(Chip(label, replace(f, numbers=frozenset())))
    if f.open_only:
        chips.append(Chip("Open cases", replace(f, open_only=False)))
    if f.statuses:
        chips.append(Chip(f"Status: {_labels(f.statuses)}", replace(f, statuses=frozenset())))
    if f.kinds:
        chips.append(Chip(f"Kind: {_labels(f.kinds)}", replace(f, kinds=frozenset())))
    if f.grievance is not None:
        label = "Grievances only" if f.grievance else "Not grievances"
        chips.append(Chip(label, replace(f, grievance=None)))
    people = [choices.caseworker(i) for i in sorted(f.assignee_ids)]
    if f.unassigned:
        people.insert(0, "nobody")
    if f.assigned_to_me:
        people.insert(0, "me")
    if people:
        cleared = replace(f, assignee_ids=frozenset(), unassigned=False, assigned_to_me=False)
        chips.append(Chip(f"Assigned to: {', '.join(people)}", cleared))
    if f.department_ids:
        names = ", ".join(sorted(choices.department(i) for i in f.department_ids))
        chips.append(Chip(f"Department: {names}", replace(f, department_ids=frozenset())))
    if f.category_ids:
        names = ", ".join(sorted(choices.category(i) for i in f.category_ids))
        chips.append(Chip(f"Category: {names}", replace(f, category_ids=frozenset())))
    if f.channels:
        chips.append(Chip(f"Channel: {_labels(f.channels)}", replace(f, channels=frozenset())))
    if f.received_from or f.received_to:
        chips.append(Chip(received_label(f), replace(f, received_from=None, received_to=None)))
    if f.open_more_than_days is not None:
        label = f"Open more than {f.open_more_than_days} days"
        chips.append(Chip(label, replace(f, open_more_than_days=None)))
    if f.due:
        chips.append(
            Chip(" or ".join(d.label for d in Due if d in f.due), replace(f, due=frozenset()))
        )
    for flag in Flag:
        if flag in f.flags:
            chips.append(Chip(flag.label, replace(f, flags=f.flags - {flag})))
    return chips


def received_label(f: CaseFilter) -> str:
    if f.received_from and f.received_to:
        return f"Received {local_date(f.received_from)} – {local_date(f.received_to)}"
    if f.received_from:
        return f"Received from {local_date(f.received_from)}"
    return f"Received until {local_date(f.received_to)}"


class ChipButton(QToolButton):
    """A filter as a small rounded button: a click, Delete or Backspace removes it.

    Signals:
        removed: asked to be removed.
    """

    removed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterChip")
        self.setText(f"{label}  ✕")
        # Labels hold department and people's names: a tooltip would read them as HTML.
        self.setToolTip(QtGui.Qt.convertFromPlainText(f"Remove the filter “{label}” (Delete)"))
        self.setAccessibleName(f"Filter {label}")
        self.setAccessibleDescription("Press Delete to remove this filter")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.clicked.connect(self.removed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.removed.emit()
            return
        super().keyPressEvent(event)


class FilterChips(QWidget):
    """The chips of the current filter, side by side.

    Signals:
        filter_changed: the CaseFilter left after a chip was removed.
    """

    filter_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self._chips: list[tuple[ChipButton, Chip]] = []
        self._filter = CaseFilter()
        self._choices = FilterChoices()

    def show_filter(self, case_filter: CaseFilter, choices: FilterChoices | None = None) -> None:
        self._filter = case_filter
        if choices is not None:
            self._choices = choices
        focused = self.window().focusWidget()
        had_focus = next((n for n, (b, _) in enumerate(self._chips) if b is focused), None)
        for button, _chip in self._chips:
            button.hide()
            button.deleteLater()
        self._chips = []
        for chip in chips_for(case_filter, self._choices):
            button = ChipButton(chip.label)
            button.removed.connect(lambda chip=chip: self._remove(chip))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._chips.append((button, chip))
        self.setVisible(bool(self._chips))
        for button, _chip in self._chips:
            button.show()  # now, not when the layout gets to it: focus needs it shown
        if had_focus is not None and self._chips:
            # Removing chips one after another from the keyboard: focus stays in the row.
            self._chips[min(had_focus, len(self._chips) - 1)][0].setFocus()

    def labels(self) -> list[str]:
        return [chip.label for _button, chip in self._chips]

    def buttons(self) -> list[ChipButton]:
        return [button for button, _chip in self._chips]

    def _remove(self, chip: Chip) -> None:
        self.filter_changed.emit(chip.without)
