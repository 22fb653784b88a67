"""One case in its own tab: header, details, assignment, and the work: timeline, requests, letters."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.errors import DomainError, NotFound, PermissionDenied
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import AttachmentInfo, CaseDetail, TimelineEntryInfo
from prdesk.domain.services import cases
from prdesk.ui.assign_bar import AssignBar
from prdesk.ui.attachment_window import AttachmentWindow
from prdesk.ui.case_conflict import CaseChoice, CaseConflict, CaseConflictDialog
from prdesk.ui.case_control import CaseControl
from prdesk.ui.case_details import CaseDetails
from prdesk.ui.case_header import CaseHeader
from prdesk.ui.case_requests_panel import CaseRequestsPanel
from prdesk.ui.case_summary_export import export_case_summary
from prdesk.ui.case_watch import CaseWatch
from prdesk.ui.changes import Change
from prdesk.ui.classification_control import ClassificationControl
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.letters_panel import LettersPanel
from prdesk.ui.outcome_dialog import OutcomeDialog
from prdesk.ui.people_field import case_people
from prdesk.ui.presence_banner import PresenceBanner, PresenceTracker
from prdesk.ui.remembered_size import keep_splitter
from prdesk.ui.settings import ui_settings
from prdesk.ui.status_control import StatusControl
from prdesk.ui.timeline_drop import TimelineDrop
from prdesk.ui.timeline_panel import TimelinePanel


class CaseView(QWidget):
    """Loads the case with `view_case` (which records the opening in the audit log).

    Reloads itself whenever a Change names its case.

    Signals:
        loaded: the CaseDetail, each time it was (re)loaded.
        title_changed: the tab title (the case number).
        unavailable: a message, when the case cannot be shown at all (the tab should close).
        load_settled: a load finished, whether it showed the case or not.
    """

    loaded = Signal(object)
    title_changed = Signal(str)
    unavailable = Signal(str)
    load_settled = Signal()

    def __init__(
        self,
        ctx: AppContext,
        case_id: int,
        detail: CaseDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self._loading = False
        self._reload_again = False

        self.header = CaseHeader()
        self.assign_bar = AssignBar(ctx)
        self.status_control = StatusControl(ctx)
        self.classification = ClassificationControl(ctx)
        self.info = InfoBar()
        self.details = CaseDetails()
        self.timeline = TimelinePanel(ctx)
        self.undo = self.timeline.form.undo
        self.drop = TimelineDrop(ctx, self.timeline.list_view)
        self.requests = CaseRequestsPanel(ctx)
        self.letters = LettersPanel(ctx)
        self._attachment_window: AttachmentWindow | None = None
        self.conflict_dialog: CaseConflictDialog | None = None
        self.watch = CaseWatch(ctx, self, case_id)
        # Colleagues in the same case see this tab as "viewing", or "editing" while typing.
        self.presence = PresenceBanner(ctx, case_id)
        self._tracker = PresenceTracker.of(ctx)
        self._tracker.hold(case_id, "tab")
        tracker = self._tracker
        self.destroyed.connect(lambda: tracker.release_all(case_id, "tab", "timeline"))
        # Where the timeline's form and detail pane were left, for every case alike.
        self.timeline.restore_state(ui_settings())

        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        details_scroll.setWidget(self.details)
        # Wrapped text is measured for the width left beside the scroll bar; a bar
        # that appears afterwards would narrow the text and clip its last line.
        details_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        # The timeline needs the height; requests and letters are a tab away, their
        # tab titles saying what is outstanding.
        self.work = QTabWidget()
        self.work.setDocumentMode(True)
        self.work.addTab(self.timeline, "Timeline")
        self.work.addTab(self.requests, "Requests")
        self.work.addTab(self.letters, "Letters")
        for panel in (self.timeline, self.requests, self.letters):
            panel.setTitle("")  # the tab says what it is
            panel.setFlat(True)
        self.work.setCornerWidget(self._case_actions(), Qt.Corner.TopRightCorner)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(details_scroll)
        splitter.addWidget(self.work)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 6)
        splitter.setChildrenCollapsible(False)
        # Stretch factors only share out space beyond the size hints; start at 40/60,
        # unless the person has moved the divider: then where they left it, in every case.
        splitter.setSizes([440, 760])
        keep_splitter(splitter, "case_view/splitter")

        # The controls get a row of their own: beside the header's badges they would
        # push the window wider than a 1280-pixel screen.
        controls = QHBoxLayout()
        controls.addWidget(self.status_control)
        controls.addSpacing(24)
        controls.addWidget(self.assign_bar)
        controls.addSpacing(24)
        controls.addWidget(self.classification)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(controls)
        layout.addWidget(self.presence)
        layout.addWidget(self.info)
        layout.addWidget(splitter, 1)

        # Who else is here is read right after the case's own controls, before its work.
        QWidget.setTabOrder(self.classification.button, self.presence.label)
        # The case's actions sit beside the Timeline / Requests / Letters tabs: read them
        # with the tabs, before the page below.
        QWidget.setTabOrder(self.work.tabBar(), self.attach_button)
        QWidget.setTabOrder(self.attach_button, self.outcome_button)
        QWidget.setTabOrder(self.outcome_button, self.summary_button)
        self._connect_signals()
        if detail is not None:
            self._show(detail)
        else:
            self.reload()

    def _case_actions(self) -> QWidget:
        self.attach_button = QToolButton()
        self.attach_button.setDefaultAction(self.drop.attach_action)
        self.outcome_button = QPushButton("Out&come…")
        self.outcome_button.setToolTip("What the investigation found and what was done about it")
        self.outcome_button.setEnabled(self._ctx.may(Action.EDIT_CASE))
        self.summary_button = QPushButton("Committee summary…")
        self.summary_button.setToolTip(
            "A print-ready PDF of the case for the grievance committee (Ctrl+Shift+S)"
        )
        self.summary_button.setShortcut("Ctrl+Shift+S")
        self.summary_button.setEnabled(self._ctx.may(Action.VIEW_CASE))
        for button in (self.outcome_button, self.summary_button):
            button.setAutoDefault(False)
        corner = QWidget()
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 0, 2)
        row.addWidget(self.attach_button)
        row.addWidget(self.outcome_button)
        row.addWidget(self.summary_button)
        return corner

    def has_unsaved_input(self) -> bool:
        """Whether closing this case would lose typed text (a timeline step not yet added)."""
        return self.timeline.form.has_input()

    def _connect_signals(self) -> None:
        self.assign_bar.conflicted.connect(self._on_conflict)
        self.assign_bar.failed.connect(self._on_error_message)
        self.status_control.conflicted.connect(self._on_conflict)
        self.status_control.failed.connect(self._on_error_message)
        self.classification.conflicted.connect(self._on_conflict)
        self.classification.failed.connect(self._on_error_message)
        self.timeline.form.failed.connect(self._on_error_message)
        form = self.timeline.form
        for typed in (form.summary.textChanged, form.people.textChanged, form.body.changed):
            typed.connect(self._on_typed)
        # Changing the timeline: edits and deletes go through the case's undo history.
        self.timeline.edit_requested.connect(self._edit_entry)
        self.timeline.delete_requested.connect(self._delete_entry)
        self.timeline.attachment_activated.connect(self.show_attachment)
        self.undo.failed.connect(self._on_error_message)
        self.drop.reported.connect(self._on_report)
        self.requests.conflicted.connect(self._on_conflict)
        for control in (self.assign_bar, self.status_control, self.classification):
            control.conflict_found.connect(
                lambda conflict, c=control: self.resolve_conflict(c, conflict)
            )
        self.requests.failed.connect(self._on_error_message)
        self.watch.outdated.connect(lambda: self.reload(opening=False))
        for splitter in (self.timeline.form_splitter, self.timeline.splitter):
            splitter.splitterMoved.connect(lambda *_: self.timeline.save_state(ui_settings()))
        self.outcome_button.clicked.connect(self.record_outcome)
        self.summary_button.clicked.connect(self.export_summary)
        # Ctrl+L from anywhere in the case: a new letter, on the Letters tab.
        QShortcut(
            QKeySequence("Ctrl+L"),
            self,
            self.new_letter,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    def _on_typed(self) -> None:
        if self.timeline.form.has_input():
            self._tracker.hold(self.case_id, "timeline", "a timeline entry")
        else:
            self._tracker.release(self.case_id, "timeline")

    def reload(self, *, opening: bool = True) -> None:
        """Loads the case; `opening` records it in the audit log as opened (HIPAA)."""
        # One load at a time; a change announced meanwhile loads once more afterwards.
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        actor, case_id = self._ctx.actor, self.case_id
        (
            self._ctx.operation(
                self,
                lambda session: cases.view_case(session, actor, case_id, record_view=opening),
                read_only=not opening,
            )
            .success(self._show)
            .failure(self._on_load_failed)
            .done(self._load_done)
            .run()
        )

    def _load_done(self) -> None:
        self._loading = False
        self.load_settled.emit()
        if self._reload_again:
            self._reload_again = False
            self.reload(opening=False)

    def on_changed(self, change: Change) -> None:
        # Refreshing a case already open on screen is not a new opening.
        if change.touches_case(self.case_id):
            self.reload(opening=False)

    def _show(self, detail: CaseDetail) -> None:
        self.detail = detail
        self.watch.loaded(detail)
        self.header.show_case(detail)
        self.assign_bar.set_case(detail)
        self.status_control.set_case(detail)
        self.classification.set_case(detail)
        self.details.show_case(detail)
        self.timeline.set_case(detail.id, detail.timeline, detail.requests)
        self.undo.set_case(detail.id)
        self.timeline.form.set_suggestions(case_people(detail))
        self.drop.set_case(detail.id)
        self.requests.set_case(detail)
        self.letters.set_case(detail)
        self._title_work_tabs(detail)
        self.title_changed.emit(detail.number)
        self.loaded.emit(detail)

    def _title_work_tabs(self, detail: CaseDetail) -> None:
        today = date.today()
        waiting = [r for r in detail.requests if r.outstanding]
        overdue = sum(r.is_overdue(today) for r in waiting)
        if overdue:
            requests = f"Requests ({len(waiting)}, {overdue} overdue)"
        else:
            requests = f"Requests ({len(waiting)})" if waiting else "Requests"
        self.work.setTabText(self.work.indexOf(self.requests), requests)
        self.work.setTabText(
            self.work.indexOf(self.letters),
            f"Letters ({len(detail.letters)})" if detail.letters else "Letters",
        )

    def _edit_entry(self, entry: TimelineEntryInfo) -> None:
        dialog = self.undo.open_editor(entry)
        holder, tracker, case_id = f"entry {entry.id}", self._tracker, self.case_id
        tracker.hold(case_id, holder, "a timeline entry")
        dialog.finished.connect(lambda _result: tracker.release_all(case_id, holder))

    def _delete_entry(self, entry: TimelineEntryInfo) -> None:
        self.undo.delete_asking(self, entry)

    def show_attachment(self, info: AttachmentInfo) -> AttachmentWindow:
        if self._attachment_window is None:
            self._attachment_window = AttachmentWindow(self._ctx, self)
        self._attachment_window.show_attachment(info)
        return self._attachment_window

    def record_outcome(self) -> None:
        if self.detail is None:
            return
        # While the dialog is open, colleagues in the case see "editing the outcome".
        self._tracker.hold(self.case_id, "outcome", "the outcome")
        try:
            OutcomeDialog.ask(self, self._ctx, self.detail)
        finally:
            self._tracker.release(self.case_id, "outcome")

    def new_letter(self) -> None:
        self.work.setCurrentWidget(self.letters)
        self.letters.new_letter()

    def export_summary(self) -> None:
        if self.detail is not None:
            export_case_summary(self._ctx, self, self.detail)

    def _on_report(self, message: str) -> None:
        self.info.show_message(message, kind="info")

    def _on_load_failed(self, error: DomainError) -> None:
        if self.detail is None and isinstance(error, (NotFound, PermissionDenied)):
            self.unavailable.emit(error.message)
        else:
            self.info.show_message(
                error.message,
                kind="error",
                actions=[("&Retry", lambda: self.reload(opening=self.detail is None))],
            )

    def _on_conflict(self, message: str) -> None:
        self.info.show_message(
            message,
            kind="warning",
            actions=[("&Reload", lambda: self.reload(opening=False))],
        )

    def resolve_conflict(self, control: CaseControl, conflict: CaseConflict) -> CaseConflictDialog:
        """Both versions side by side; the person's choice is carried out when made."""
        dialog = CaseConflictDialog(conflict, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda choice: self._on_conflict_choice(control, conflict, choice))
        self.conflict_dialog = dialog
        dialog.open()
        return dialog

    def _on_conflict_choice(
        self, control: CaseControl, conflict: CaseConflict, choice: CaseChoice
    ) -> None:
        if choice is CaseChoice.KEEP_MINE:
            control.keep_mine(conflict)
            return
        self._show(conflict.theirs)
        if choice is CaseChoice.EDIT_AGAIN:
            control.edit_again(conflict)

    def _on_error_message(self, message: str) -> None:
        self.info.show_message(message, kind="error")
