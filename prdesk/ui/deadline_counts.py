"""The status area's deadline counts ("3 overdue · 5 due soon"), each a click away from its cases."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError
from prdesk.domain.queries import DUE_SOON_DAYS, Viewpoint
from prdesk.domain.workload import DeadlineCounts, Figure, counts_only_own_cases, deadline_counts
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.style import SAFETY_COLOR, readable_on

# Counted again this often, so that other workstations' saves and midnight show up.
REFRESH_MS = 60_000
# Several saves in a row make one count, not one each.
CHANGE_DELAY_MS = 500
_DUE_SOON_COLOR = "#8a5a00"


class DeadlineCountsWidget(QWidget):
    """Two buttons: the open cases past their deadline, and those due soon.

    Coordinators see the whole department's; representatives their own.

    Signals:
        filter_requested: the CaseFilter of the cases behind the clicked count.
    """

    filter_requested = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._counts: DeadlineCounts | None = None
        self._generation = 0
        whose = "your" if counts_only_own_cases(ctx.actor.role) else "the department's"
        self.overdue = self._button(
            "overdue", f"List {whose} open cases past their deadline", SAFETY_COLOR
        )
        self.due_soon = self._button(
            "due soon",
            f"List {whose} open cases due within {DUE_SOON_DAYS} days, today included",
            _DUE_SOON_COLOR,
        )
        self.separator = QLabel("·")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(2)
        layout.addWidget(self.overdue)
        layout.addWidget(self.separator)
        layout.addWidget(self.due_soon)
        self.overdue.clicked.connect(lambda: self._request(Figure.OVERDUE))
        self.due_soon.clicked.connect(lambda: self._request(Figure.DUE_SOON))

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._refresh_timer.start()
        self._change_timer = QTimer(self)
        self._change_timer.setSingleShot(True)
        self._change_timer.setInterval(CHANGE_DELAY_MS)
        self._change_timer.timeout.connect(self.refresh)
        self.refresh()

    def _button(self, what: str, tip: str, color: str) -> QToolButton:
        button = QToolButton()
        button.setAutoRaise(True)
        button.setText(f"… {what}")
        button.setToolTip(tip)
        button.setProperty("tip", tip)  # put back after a failure's explanation
        button.setAccessibleName(f"Cases {what}")
        button.setAccessibleDescription(tip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setProperty("alertColor", color)
        button.setEnabled(False)
        return button

    @property
    def counts(self) -> DeadlineCounts | None:
        return self._counts

    # -- slots

    def on_changed(self, change: Change) -> None:
        del change
        self._change_timer.start()

    def refresh(self) -> None:
        self._change_timer.stop()
        self._generation += 1
        generation = self._generation
        actor = self._ctx.actor

        def count(session: Session) -> DeadlineCounts:
            return deadline_counts(session, actor, Viewpoint(viewer_id=actor.id))

        (
            self._ctx.operation(self, count, read_only=True)
            .success(lambda counts: self._show(generation, counts))
            .failure(lambda error: self._show_failure(generation, error))
            .run()
        )

    def _show(self, generation: int, counts: DeadlineCounts) -> None:
        if generation != self._generation:
            return
        self._counts = counts
        for button, number, what in (
            (self.overdue, counts.overdue, "overdue"),
            (self.due_soon, counts.due_soon, "due soon"),
        ):
            button.setText(f"{number:,} {what}")
            button.setAccessibleName(f"{number} cases {what}")
            button.setToolTip(str(button.property("tip")))
            button.setEnabled(True)
            # Only a count that needs attention takes colour; zero stays quiet.
            color = readable_on(button.property("alertColor"), button) if number else ""
            button.setStyleSheet(
                f"QToolButton {{ color: {color}; font-weight: bold; }}" if color else ""
            )

    def _show_failure(self, generation: int, error: DomainError) -> None:
        # Asked every minute: a dropped network shows here quietly, not as a message box.
        if generation != self._generation:
            return
        for button in (self.overdue, self.due_soon):
            button.setEnabled(False)
            button.setToolTip(f"Deadlines could not be counted: {error.message}")

    def _request(self, figure: Figure) -> None:
        if self._counts is not None:
            self.filter_requested.emit(self._counts.case_filter(figure))
