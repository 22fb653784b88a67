"""The steps of a timeline's undo history: adding, correcting and deleting an entry, and back.

A step is a plain object that knows the database work that makes or unmakes it; the
QUndoCommand that holds it only hands it to the queue (timeline_undo) that runs the
work. Qt deletes commands when the history is rebuilt; the steps outlive them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QUndoCommand
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError
from prdesk.domain.readmodels import TimelineEntryInfo, UserInfo
from prdesk.domain.services.timeline import (
    EntryChanges,
    NewTimelineEntry,
    add_entry,
    delete_entry,
    edit_entry,
    restore_entry,
)

Work = Callable[[Session], TimelineEntryInfo]
SUMMARY_SHOWN = 40


def short(summary: str) -> str:
    """A summary short enough for a menu item."""
    summary = " ".join(summary.split())
    return summary if len(summary) <= SUMMARY_SHOWN else summary[: SUMMARY_SHOWN - 1] + "…"


class Step:
    """One change to the timeline and the work that makes or unmakes it.

    Attributes:
        entry_id: the entry changed (None until an added entry is saved).
        summary: what the menu names it by.
        started: whether it was ever made; the first making is the original action.
        applied: whether its change is in the database now.
        opened_version: the entry's version as the person saw it, for the first making.
    """

    verb = ""

    def __init__(
        self, entry_id: int | None, summary: str, opened_version: int | None = None
    ) -> None:
        self.entry_id = entry_id
        self.summary = summary
        self.opened_version = opened_version
        self.started = False
        self.applied = False
        self.on_done: Callable[[TimelineEntryInfo], None] | None = None
        self.on_failed: Callable[[DomainError], None] | None = None

    def text(self) -> str:
        return f"{self.verb} “{short(self.summary)}”"

    def forward(self, actor: UserInfo, case_id: int, version: int) -> Work:
        raise NotImplementedError

    def backward(self, actor: UserInfo, version: int) -> Work:
        raise NotImplementedError


class AddEntry(Step):
    """Redo adds the entry (the first time) or restores it; undo deletes it."""

    verb = "Add"

    def __init__(self, new: NewTimelineEntry) -> None:
        super().__init__(None, new.summary)
        self.new = new

    def forward(self, actor: UserInfo, case_id: int, version: int) -> Work:
        new, entry_id = self.new, self.entry_id
        if entry_id is None:
            return lambda session: add_entry(session, actor, case_id, new)
        return lambda session: restore_entry(session, actor, entry_id)

    def backward(self, actor: UserInfo, version: int) -> Work:
        entry_id = self.entry_id
        assert entry_id is not None
        return lambda session: delete_entry(session, actor, entry_id, version)


class EditEntry(Step):
    """Redo saves the new state, undo the old one, each against the version last seen."""

    verb = "Edit"

    def __init__(self, entry: TimelineEntryInfo, changes: EntryChanges) -> None:
        super().__init__(entry.id, changes.summary, entry.version)
        self.entry = entry
        self.before = EntryChanges.of(entry)
        self.after = changes

    def target(self, forward: bool) -> EntryChanges:
        return self.after if forward else self.before

    def forward(self, actor: UserInfo, case_id: int, version: int) -> Work:
        entry_id, after = self.entry.id, self.after
        return lambda session: edit_entry(session, actor, entry_id, version, after)

    def backward(self, actor: UserInfo, version: int) -> Work:
        entry_id, before = self.entry.id, self.before
        return lambda session: edit_entry(session, actor, entry_id, version, before)


class DeleteEntry(Step):
    """Redo deletes the entry (it stays in the audit log); undo restores it."""

    verb = "Delete"

    def __init__(self, entry: TimelineEntryInfo) -> None:
        super().__init__(entry.id, entry.summary, entry.version)

    def forward(self, actor: UserInfo, case_id: int, version: int) -> Work:
        entry_id = self.entry_id
        assert entry_id is not None
        return lambda session: delete_entry(session, actor, entry_id, version)

    def backward(self, actor: UserInfo, version: int) -> Work:
        entry_id = self.entry_id
        assert entry_id is not None
        return lambda session: restore_entry(session, actor, entry_id)


class StepQueue(Protocol):
    """What runs the steps, one at a time in the order asked for."""

    def enqueue(self, step: Step, *, forward: bool) -> None: ...


class StepCommand(QUndoCommand):
    """What the QUndoStack holds: its undo and redo hand the step to the queue that runs it."""

    def __init__(self, owner: StepQueue, step: Step) -> None:
        super().__init__(step.text())
        self.owner = owner
        self.step = step

    def redo(self) -> None:
        self.owner.enqueue(self.step, forward=True)

    def undo(self) -> None:
        self.owner.enqueue(self.step, forward=False)
