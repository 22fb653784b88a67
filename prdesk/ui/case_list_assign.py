"""Assigning the cases selected in the list, one operation per case, from an "Assign to" menu."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtWidgets import QMenu, QWidget
from sqlalchemy.orm import Session

from prdesk.domain.errors import ConflictError, DomainError
from prdesk.domain.readmodels import CaseDetail, CaseRow, Reference, UserInfo
from prdesk.domain.services import cases
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext


def assign_seen(
    session: Session, actor: UserInfo, row: CaseRow, assignee_id: int | None
) -> CaseDetail:
    """Assigns the case unless someone changed it since the list showed it."""
    try:
        return cases.assign_case(session, actor, row.id, row.version, assignee_id)
    except ConflictError:
        raise ConflictError(
            f"Case {row.number} was changed by someone else since the list was loaded; "
            "look at it again before assigning it."
        ) from None


class CaseAssigner(QObject):
    """Knows who cases can go to, and gives the chosen cases to one of them.

    Signals:
        finished: (how many were assigned, messages of those that were not).
    """

    finished = Signal(int, list)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.caseworkers: tuple[Reference, ...] = ()

    def fill_menu(self, menu: QMenu, rows: Sequence[CaseRow]) -> None:
        """One entry per caseworker, ticked when every chosen case is already theirs."""
        if not self.caseworkers:
            menu.addAction("(nobody to assign to)").setEnabled(False)
        for person in self.caseworkers:
            action = menu.addAction(person.name.replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(bool(rows) and all(row.assignee_id == person.id for row in rows))
            action.triggered.connect(lambda _=False, pid=person.id: self.assign(rows, pid))
        menu.addSeparator()
        unassign = menu.addAction("&Nobody (take back)")
        unassign.triggered.connect(lambda: self.assign(rows, None))

    def assign(self, rows: Sequence[CaseRow], assignee_id: int | None) -> None:
        actor = self._ctx.actor
        todo = [row for row in rows if row.assignee_id != assignee_id]
        if not todo:
            self.finished.emit(0, [])
            return
        # Each batch keeps its own tally: a second batch started before the first is
        # done must not swallow the first one's results (or its refusals).
        batch = _Batch(len(todo), self.finished)
        for row in todo:
            self._assign_one(actor, row, assignee_id, batch)

    def _assign_one(
        self, actor: UserInfo, row: CaseRow, assignee_id: int | None, batch: _Batch
    ) -> None:
        def work(session: Session) -> CaseDetail:
            return assign_seen(session, actor, row, assignee_id)

        (
            self._ctx.operation(self, work)
            .changes(Change.to_case(row.id, Change.CASE, Change.ASSIGNMENT))
            .success(lambda _detail: batch.one_done(None))
            .failure(lambda error: batch.one_done(_problem(row, error)))
            .run()
        )


class _Batch:
    """The cases of one "Assign to" choice, counted down as their saves come back."""

    def __init__(self, size: int, finished: SignalInstance) -> None:
        self._left, self._assigned = size, 0
        self._problems: list[str] = []
        self._finished = finished

    def one_done(self, problem: str | None) -> None:
        if problem is None:
            self._assigned += 1
        else:
            self._problems.append(problem)
        self._left -= 1
        if self._left == 0:
            self._finished.emit(self._assigned, list(self._problems))


def _problem(row: CaseRow, error: DomainError) -> str:
    return error.message if row.number in error.message else f"{row.number}: {error.message}"


def assign_menu(parent: QWidget, assigner: CaseAssigner, rows: Sequence[CaseRow]) -> QMenu:
    menu = QMenu("&Assign to", parent)
    assigner.fill_menu(menu, rows)
    return menu
