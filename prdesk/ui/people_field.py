"""Who was involved in a timeline step: names separated by ";" or ",", completed from the case."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QWidget

from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.staff_names import STAFF_SEPARATOR

_SEPARATOR = re.compile(r"[;,]")
# Keys the open list of suggestions answers; the line edit must not act on them too.
_POPUP_KEYS = (
    Qt.Key.Key_Enter,
    Qt.Key.Key_Return,
    Qt.Key.Key_Escape,
    Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab,
)


def split_people(text: str) -> tuple[str, ...]:
    """The names in `text`, each once, in the order typed."""
    names: dict[str, str] = {}
    for part in _SEPARATOR.split(text):
        name = " ".join(part.split())
        if name:
            names.setdefault(name.casefold(), name)
    return tuple(names.values())


def case_people(detail: CaseDetail) -> tuple[str, ...]:
    """Names worth offering on a case: patient, complainant, staff involved, and everyone
    already named on its timeline."""
    names: list[str] = [detail.patient.full_name]
    if detail.complainant is not None:
        names.append(detail.complainant.full_name)
    names.extend(STAFF_SEPARATOR.split(detail.staff_involved))
    for entry in detail.timeline:
        names.extend(entry.people)
    return split_people(";".join(names))


class PeopleField(QLineEdit):
    """A line edit whose last name is completed from `set_suggestions`; `people()` gives the names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("People involved")
        self.setPlaceholderText("Names, separated by ;")
        self.setClearButtonEnabled(True)
        self._suggestions: tuple[str, ...] = ()
        self._model = QStringListModel(self)
        self.name_completer = QCompleter(self._model, self)
        self.name_completer.setWidget(self)
        self.name_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # "kow" finds "Mr Kowalczyk": people remember surnames, not how a name was written.
        self.name_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name_completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.name_completer.activated.connect(self.complete_with)
        self.textEdited.connect(self._on_edited)

    def set_suggestions(self, names: Iterable[str]) -> None:
        self._suggestions = split_people(";".join(names))

    def suggestions(self) -> tuple[str, ...]:
        return self._suggestions

    def people(self) -> tuple[str, ...]:
        return split_people(self.text())

    def set_people(self, names: Iterable[str]) -> None:
        self.setText("; ".join(names))

    def _popup(self) -> QAbstractItemView:
        popup = self.name_completer.popup()
        assert popup is not None  # a completer always makes its popup
        return popup

    def _current_name(self) -> tuple[int, str]:
        """Where the name being typed starts, and what of it is typed so far."""
        before = self.text()[: self.cursorPosition()]
        start = max(before.rfind(";"), before.rfind(",")) + 1
        return start, before[start:].lstrip()

    def _on_edited(self, _text: str) -> None:
        _start, typed = self._current_name()
        if not typed:
            self._popup().hide()
            return
        chosen = {name.casefold() for name in self.people()}
        self._model.setStringList([n for n in self._suggestions if n.casefold() not in chosen])
        self.name_completer.setCompletionPrefix(typed)
        if self.name_completer.completionCount() == 0:
            self._popup().hide()
            return
        self.name_completer.complete()

    def complete_with(self, name: str) -> None:
        """Replaces the name being typed with `name`, ready for the next one."""
        start, _typed = self._current_name()
        end = self.cursorPosition()
        rest = self.text()[end:]
        following = _SEPARATOR.search(rest)
        rest = rest[following.start() :] if following else ""
        head = self.text()[:start]
        head = head + " " if head else head
        text = f"{head}{name}; {rest.lstrip(';, ')}".rstrip()
        self.setText(text + (" " if text.endswith(";") else ""))
        self.setCursorPosition(len(head) + len(name) + 2)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._popup().isVisible() and event.key() in _POPUP_KEYS:
            event.ignore()
            return
        super().keyPressEvent(event)
