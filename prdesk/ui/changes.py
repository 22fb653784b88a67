"""The one application-level signal that says what the database changes touched."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class Change:
    """What an operation changed, so screens refresh only what they show.

    Attributes:
        case_ids: the cases touched (empty when the change is not about given cases).
        what: aspects touched: see the constants below; ALL means "assume anything".
    """

    case_ids: frozenset[int] = frozenset()
    what: frozenset[str] = frozenset()

    CASE = "case"
    TIMELINE = "timeline"
    LETTERS = "letters"
    ASSIGNMENT = "assignment"
    ALL = "all"

    @classmethod
    def to_case(cls, case_id: int, *what: str) -> Change:
        return cls(frozenset({case_id}), frozenset(what or (cls.CASE,)))

    @classmethod
    def everything(cls) -> Change:
        """Refresh all screens (F5, or after something whose effects are not tracked)."""
        return cls(frozenset(), frozenset({cls.ALL}))

    def touches_case(self, case_id: int) -> bool:
        return self.ALL in self.what or case_id in self.case_ids


class ChangeHub(QObject):
    """Carries every Change from the operation that made it to the screens that show it.

    Signals:
        changed: a Change, after the transaction that made it has committed.
    """

    changed = Signal(object)

    def announce(self, change: Change) -> None:
        self.changed.emit(change)
