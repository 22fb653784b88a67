"""Adding, correcting and deleting timeline entries as steps that Undo and Redo take back and forth.

Each step's database work runs in the background, one step at a time in the order
asked for: Ctrl+Z pressed three times quickly undoes three steps, each after the one
before has been saved. The QUndoStack moves at once; the database follows.

A step can fail when someone else changed its entry meanwhile. An edit then offers
the conflict dialog; anything else says what was not done. Either way, the history
is rebuilt to match what the database holds: the failed step and every other step on
that entry leave it, since undoing them would now overwrite a colleague's work.
QUndoStack cannot take a command out of its middle, so the stack is refilled with the
steps that remain (their work is not run again), and the steps themselves are plain
objects that outlive the commands Qt deletes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget
from sqlalchemy.orm import Session

from prdesk.domain.errors import ConflictError, DomainError, NotFound, ValidationError
from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.domain.services.timeline import (
    EntryChanges,
    EntryConflict,
    NewTimelineEntry,
    edit_entry,
    restore_entry,
)
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.entry_conflict_dialog import Choice, EntryConflictDialog
from prdesk.ui.entry_edit_dialog import EntryEditDialog
from prdesk.ui.timeline_steps import (
    AddEntry,
    DeleteEntry,
    EditEntry,
    Step,
    StepCommand,
    Work,
    short,
)


def confirm_delete(parent: QWidget | None, entry: TimelineEntryInfo) -> bool:
    """Asks before deleting; Cancel is the default, so a stray Enter deletes nothing."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Delete timeline entry",
        f"Delete “{short(entry.summary)}” from the timeline?",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText(
        "It leaves the timeline, letters and search. The audit log keeps its full text, "
        "and Undo (Ctrl+Z) brings it back."
    )
    delete = box.addButton("&Delete", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is delete


@dataclass
class _Job:
    step: Step
    forward: bool
    handled: bool = False


class TimelineUndo(QObject):
    """The undo history of one case's timeline, and the way every change to it is made.

    Attributes:
        stack: the QUndoStack; its createUndoAction/createRedoAction go in the Edit menu.
        dialog: the conflict or edit dialog open for a failed step (None when none is).

    Signals:
        failed: a message, when a step could not be done (the history was corrected).
        busy_changed: True while steps are being saved, False when all are.
    """

    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._widget = parent
        self.stack = QUndoStack(self)
        self.dialog: QDialog | None = None
        self._case_id: int | None = None
        self._suggestions: tuple[str, ...] = ()
        # The version of each entry as the last step on it left it.
        self._versions: dict[int, int] = {}
        self._queue: deque[_Job] = deque()
        self._running: _Job | None = None
        self._busy = False
        self._replaying = False

    # Asked for by the screens

    def set_case(self, case_id: int) -> None:
        if case_id == self._case_id:
            return
        self._case_id = case_id
        self._versions.clear()
        self._refill([])

    def set_suggestions(self, names: Sequence[str]) -> None:
        """Names offered in the People field when an edit is opened again."""
        self._suggestions = tuple(names)

    def is_busy(self) -> bool:
        return self._busy

    def add(
        self,
        new: NewTimelineEntry,
        on_added: Callable[[TimelineEntryInfo], None] | None = None,
        on_failed: Callable[[DomainError], None] | None = None,
    ) -> None:
        """Adds an entry; `on_failed` gets a refusal (else `failed` says it)."""
        if self._case_id is None:
            raise RuntimeError("set_case() first")
        step = AddEntry(new)
        step.on_done, step.on_failed = on_added, on_failed
        self.stack.push(StepCommand(self, step))

    def edit(self, entry: TimelineEntryInfo, changes: EntryChanges) -> None:
        """Saves `changes` to `entry`, against the version the person saw."""
        self.stack.push(StepCommand(self, EditEntry(entry, changes)))

    def delete(self, entry: TimelineEntryInfo) -> None:
        """Deletes `entry` (ask with confirm_delete first)."""
        self.stack.push(StepCommand(self, DeleteEntry(entry)))

    def delete_asking(self, parent: QWidget | None, entry: TimelineEntryInfo) -> bool:
        """Deletes `entry` if the person confirms; whether they did."""
        if not confirm_delete(parent, entry):
            return False
        self.delete(entry)
        return True

    def open_editor(self, entry: TimelineEntryInfo) -> EntryEditDialog:
        """Opens the edit dialog without waiting; saving it makes an Edit step."""
        dialog = EntryEditDialog(self._ctx, entry, self._suggestions, self._widget)
        dialog.finished.connect(lambda result: self._edit_from(dialog, result))
        self._show(dialog)
        return dialog

    def _edit_from(self, dialog: EntryEditDialog, result: int) -> None:
        self.dialog = None
        if result == QDialog.DialogCode.Accepted and dialog.may_save():
            self.edit(dialog.entry, dialog.changes())

    # The queue

    def enqueue(self, step: Step, *, forward: bool) -> None:
        """Runs the step's work after the steps asked for before it."""
        if self._replaying:
            return
        self._queue.append(_Job(step, forward))
        self._next()

    def _next(self) -> None:
        if self._running is not None:
            return
        if not self._queue:
            self._set_busy(False)
            return
        job = self._running = self._queue.popleft()
        self._set_busy(True)
        step, actor = job.step, self._ctx.actor
        # An action is saved against what the person saw; undo and redo against what the
        # step before them left.
        if not step.started and step.opened_version is not None:
            version = step.opened_version
        else:
            version = self._versions.get(step.entry_id, 0) if step.entry_id is not None else 0
        assert self._case_id is not None
        work = (
            step.forward(actor, self._case_id, version)
            if job.forward
            else step.backward(actor, version)
        )
        self._run(job, work, lambda info: self._succeeded(job, info), self._failed)

    def _run(
        self,
        job: _Job,
        work: Work,
        on_success: Callable[[TimelineEntryInfo], None],
        on_failure: Callable[[_Job, DomainError], None],
    ) -> None:
        assert self._case_id is not None
        job.handled = False

        def succeeded(info: TimelineEntryInfo) -> None:
            job.handled = True
            self._versions[info.id] = info.version
            on_success(info)

        def failed(error: DomainError) -> None:
            job.handled = True
            on_failure(job, error)

        (
            self._ctx.operation(self, work)
            .changes(Change.to_case(self._case_id, Change.TIMELINE))
            .success(succeeded)
            .failure(failed)
            .done(lambda: self._after_bug(job))
            .run()
        )

    def _after_bug(self, job: _Job) -> None:
        """A bug (already reported) left the step's outcome unknown: drop it and go on."""
        if not job.handled and self._running is job:
            step = job.step
            if not step.started and step.on_failed is not None:
                step.on_failed(DomainError("This step was not saved; check the timeline."))
            self._forget(lambda other: other is step)
            self._finish()

    def _finish(self) -> None:
        self._running = None
        self._next()

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    # Outcomes

    def _succeeded(self, job: _Job, info: TimelineEntryInfo) -> None:
        step = job.step
        first = not step.started
        step.started = True
        step.entry_id = info.id
        step.applied = job.forward
        if first and step.on_done is not None:
            step.on_done(info)
        self._finish()

    def _failed(self, job: _Job, error: DomainError) -> None:
        step = job.step
        if isinstance(step, EditEntry):
            if isinstance(error, EntryConflict):
                self._resolve(job, step.target(job.forward), error.current, error.message)
                return
            if isinstance(error, ValidationError) and not step.started:
                self._edit_again(job, step.entry, step.after, error, after_conflict=False)
                return
        if not step.started and step.on_failed is not None:
            step.on_failed(error)
        else:
            self.failed.emit(self._not_done(job, error))
        stale = isinstance(error, ConflictError | NotFound) and step.entry_id is not None
        self._forget(lambda s: s is step or (stale and s.entry_id == step.entry_id))
        self._finish()

    def _not_done(self, job: _Job, error: DomainError) -> str:
        step = job.step
        what = step.text()
        if step.started:
            what = f"{'Redo' if job.forward else 'Undo'} {what}"
        if isinstance(error, EntryConflict):
            if error.current is None:
                reason = "Someone deleted the entry meanwhile"
            else:
                who = error.current.edited_by_name or "Someone else"
                reason = f"{who} changed the entry meanwhile"
            return (
                f"Not done: {what}. {reason}; it stays as they left it, and your earlier "
                "steps on it were taken off the undo list."
            )
        return f"Not done: {what}. {error.message}"

    def _resolve(
        self, job: _Job, mine: EntryChanges, current: TimelineEntryInfo | None, message: str
    ) -> None:
        """Shows both versions and carries out the person's choice."""
        step = job.step
        known = step.entry.departments if isinstance(step, EditEntry) else ()
        names = {ref.id: ref.name for ref in known}
        dialog = EntryConflictDialog(
            self._ctx, mine, current, message, department_names=names, parent=self._widget
        )
        dialog.chosen.connect(lambda choice: self._on_choice(job, mine, current, choice))
        self._show(dialog)

    def _on_choice(
        self, job: _Job, mine: EntryChanges, current: TimelineEntryInfo | None, choice: Choice
    ) -> None:
        self.dialog = None
        step = job.step
        entry_id = step.entry_id
        assert entry_id is not None
        if choice is Choice.KEEP_MINE and current is not None:
            self._save_over(job, current, mine, after_conflict=True)
        elif choice is Choice.EDIT_AGAIN and current is not None:
            self._edit_again(job, current, mine, None, after_conflict=True)
        elif choice is Choice.RESTORE_MINE:
            actor = self._ctx.actor

            def restore(session: Session) -> TimelineEntryInfo:
                restored = restore_entry(session, actor, entry_id)
                return edit_entry(session, actor, entry_id, restored.version, mine)

            self._run(job, restore, lambda _info: self._reset_entry(entry_id), self._failed)
        else:
            if current is not None:
                self._versions[entry_id] = current.version
            self._reset_entry(entry_id)

    def _edit_again(
        self,
        job: _Job,
        base: TimelineEntryInfo,
        changes: EntryChanges,
        error: ValidationError | None,
        *,
        after_conflict: bool,
    ) -> None:
        """Opens the edit dialog on `changes` (with `error` marked); saving goes over `base`.

        `after_conflict`: `base` is someone else's newer version, not what this person opened.
        """
        dialog = EntryEditDialog(self._ctx, base, self._suggestions, self._widget)
        dialog.load(base, changes)
        if error is not None:
            dialog.show_errors(error)
        entry_id = base.id

        def finished(result: int) -> None:
            self.dialog = None
            if result == QDialog.DialogCode.Accepted and dialog.may_save():
                self._save_over(job, base, dialog.changes(), after_conflict=after_conflict)
            else:
                self._versions[entry_id] = base.version
                if job.step.started or after_conflict:
                    self._reset_entry(entry_id)
                else:
                    self._forget(lambda s: s is job.step)
                    self._finish()

        dialog.finished.connect(finished)
        self._show(dialog)

    def _save_over(
        self, job: _Job, base: TimelineEntryInfo, changes: EntryChanges, *, after_conflict: bool
    ) -> None:
        """Saves `changes` over `base` (their version, or the entry as first opened)."""
        actor, entry_id = self._ctx.actor, base.id
        step = job.step

        def saved(_info: TimelineEntryInfo) -> None:
            if isinstance(step, EditEntry) and not step.started:
                # The original edit, saved at last: undo goes back to what it replaced.
                step.started = step.applied = True
                step.before, step.after = EntryChanges.of(base), changes
                step.entry = base
                if after_conflict:
                    self._forget(lambda s: s is not step and s.entry_id == entry_id)
                self._finish()
            else:
                self._reset_entry(entry_id)

        def refused(job: _Job, error: DomainError) -> None:
            if isinstance(error, EntryConflict):
                self._resolve(job, changes, error.current, error.message)
            elif isinstance(error, ValidationError):
                self._edit_again(job, base, changes, error, after_conflict=after_conflict)
            else:
                self._failed(job, error)

        def work(session: Session) -> TimelineEntryInfo:
            return edit_entry(session, actor, entry_id, base.version, changes)

        self._run(job, work, saved, refused)

    def _reset_entry(self, entry_id: int) -> None:
        """Someone else's change came between: no step on this entry can be undone safely."""
        self._forget(lambda step: step.entry_id == entry_id)
        self._finish()

    def _show(self, dialog: QDialog) -> None:
        # Not exec(): the window goes on repainting, and so do the tests.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    # History

    def steps(self) -> list[Step]:
        """The steps in the stack, oldest first."""
        steps = []
        for index in range(self.stack.count()):
            command = self.stack.command(index)
            assert isinstance(command, StepCommand)
            steps.append(command.step)
        return steps

    def _forget(self, gone: Callable[[Step], bool]) -> None:
        """Takes steps out of the history and leaves it at what the database holds.

        Undo and redo asked for after the failed step are dropped: they assumed it had
        worked. Entries added, corrected or deleted meanwhile are still saved in turn.
        """
        waiting = [job for job in self._queue if job.forward and not job.step.started]
        self._queue = deque(waiting)
        steps = [step for step in self.steps() if not gone(step)]
        self._refill(steps, {id(job.step) for job in waiting})

    def _refill(self, steps: list[Step], waiting: set[int] | None = None) -> None:
        # Steps done in the database come first, since they were done in stack order;
        # steps still waiting to be made were pushed last and count as done.
        waiting = waiting or set()
        self._replaying = True
        try:
            self.stack.clear()
            for step in steps:
                self.stack.push(StepCommand(self, step))
            self.stack.setIndex(sum(1 for s in steps if s.applied or id(s) in waiting))
        finally:
            self._replaying = False
