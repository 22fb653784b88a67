"""A case's investigation timeline: the add-a-step form, the filter bar, the entries and one in full."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QListView,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.readmodels import DepartmentRequestInfo, TimelineEntryInfo
from prdesk.domain.services import timeline
from prdesk.ui.context import AppContext
from prdesk.ui.timeline_delegate import TimelineDelegate
from prdesk.ui.timeline_entry_detail import TimelineEntryDetail
from prdesk.ui.timeline_entry_form import TimelineEntryForm
from prdesk.ui.timeline_filter_bar import TimelineFilterBar
from prdesk.ui.timeline_model import ENTRY_ROLE, TimelineModel

Index = QModelIndex | QPersistentModelIndex
_FORM_SPLIT = "timeline/formSplitter"
_DETAIL_SPLIT = "timeline/detailSplitter"
_FORWARD = (
    QAbstractItemView.CursorAction.MoveDown,
    QAbstractItemView.CursorAction.MoveNext,
    QAbstractItemView.CursorAction.MovePageDown,
    QAbstractItemView.CursorAction.MoveHome,
)


class _EntryList(QListView):
    """The list of cards; the keyboard and the mouse step over day headings.

    The layout of a newly shown case goes in batches until its first paint, so its
    first cards are painted before thousands of others are measured; every later one
    (a filter, a reload, a new width) lays out all rows at once, which keeps the
    scroll position.
    """

    def __init__(self) -> None:
        super().__init__()
        self._batch_next = False
        self._batching = False
        self.setBatchSize(60)

    def lay_out_next_in_batches(self) -> None:
        self._batch_next = True

    def finish_layout(self) -> None:
        """Lays out every row now, so that any of them can be scrolled to."""
        if self._batch_next or self._batching:
            self._batch_next = self._batching = False
            self.scheduleDelayedItemsLayout()
            self.executeDelayedItemsLayout()

    def doItemsLayout(self) -> None:
        # Until the first paint the width may still change as the window settles:
        # each layout till then is batched.
        self._batching = self._batch_next
        self.setLayoutMode(
            QListView.LayoutMode.Batched if self._batching else QListView.LayoutMode.SinglePass
        )
        super().doItemsLayout()
        # Later layouts are single passes; batches under way finish on their own.
        self.setLayoutMode(QListView.LayoutMode.SinglePass)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._batch_next = False
        super().paintEvent(event)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        index = super().moveCursor(action, modifiers)
        model = self.model()
        if not index.isValid() or index.data(ENTRY_ROLE) is not None:
            return index
        step = 1 if action in _FORWARD else -1
        for direction in (step, -step):
            row = index.row() + direction
            while 0 <= row < model.rowCount():
                candidate = model.index(row, 0)
                if candidate.data(ENTRY_ROLE) is not None:
                    return candidate
                row += direction
        return self.currentIndex()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Arriving from the keyboard with nothing chosen chooses the entry the cursor is
        # on, so the detail beside it is never empty while the list has the focus.
        current = self.currentIndex()
        if (
            event.reason() != Qt.FocusReason.MouseFocusReason
            and not self.selectionModel().hasSelection()
            and current.isValid()
            and current.data(ENTRY_ROLE) is not None
        ):
            self.selectionModel().select(current, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def selectionCommand(
        self, index: Index, event: QEvent | None = None
    ) -> QItemSelectionModel.SelectionFlag:
        if index.isValid() and index.data(ENTRY_ROLE) is None:
            return QItemSelectionModel.SelectionFlag.NoUpdate
        return super().selectionCommand(index, event)


class TimelinePanel(QGroupBox):
    """The form, the filter bar, the entries as cards and the chosen one in full.

    The case view feeds it each loaded case's entries; reloading the same case keeps
    the chosen entry and the scroll position.

    Signals:
        edit_requested: the TimelineEntryInfo to edit (Enter on it, or Edit…).
        delete_requested: the TimelineEntryInfo to delete (Delete on it, or Delete).
        attachment_activated: the AttachmentInfo to open.
    """

    edit_requested = Signal(object)
    delete_requested = Signal(object)
    attachment_activated = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Timeline", parent)
        self._ctx = ctx
        self._case_id: int | None = None
        self._selected_id: int | None = None  # kept while a filter hides it
        self._select_after_load: int | None = None
        self._resetting = False

        self.form = TimelineEntryForm(ctx)
        self.filter_bar = TimelineFilterBar()
        self.model = TimelineModel(self)
        self.list_view = _EntryList()
        self.list_view.setModel(self.model)
        self.delegate = TimelineDelegate(self.list_view)
        self.list_view.setItemDelegate(self.delegate)
        self.list_view.setAccessibleName("Timeline entries")
        self.list_view.setUniformItemSizes(False)
        self.list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list_view.verticalScrollBar().setSingleStep(24)
        # A scroll bar that comes and goes would change the cards' width, and so
        # their heights, and lay the whole list out again.
        self.list_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Cards are as wide as the list: a new width means new heights.
        self.list_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.list_view.setWordWrap(True)

        self.empty = QLabel()
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self._list_stack = QStackedWidget()
        self._list_stack.addWidget(self.list_view)
        self._list_stack.addWidget(self.empty)

        self.detail = TimelineEntryDetail()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self._list_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([460, 300])

        # The form above, the entries below: dragging the handle up folds the form
        # away to read a long timeline; Ctrl+N brings it back.
        entries = QWidget()
        below = QVBoxLayout(entries)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.filter_bar)
        below.addWidget(self.splitter, 1)
        self.form_splitter = QSplitter(Qt.Orientation.Vertical)
        self.form_splitter.setObjectName("timelineFormSplitter")
        self.form_splitter.addWidget(self.form)
        self.form_splitter.addWidget(entries)
        self.form_splitter.setCollapsible(0, True)
        self.form_splitter.setCollapsible(1, False)
        self.form_splitter.setStretchFactor(0, 0)
        self.form_splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form_splitter)
        self.setTabOrder(self.form.add_button, self.filter_bar.search)
        self.setTabOrder(self.filter_bar.order_button, self.list_view)

        self._connect_signals()
        self._show_counts()

    def _connect_signals(self) -> None:
        self.filter_bar.changed.connect(self._apply_filter)
        self.model.modelAboutToBeReset.connect(self._on_about_to_reset)
        self.model.modelReset.connect(self._on_reset)
        selection = self.list_view.selectionModel()
        selection.selectionChanged.connect(self._on_selection_changed)
        self.list_view.activated.connect(self._on_activated)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.list_view,
            self._request_delete,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.detail.edit_requested.connect(self.edit_requested)
        self.detail.delete_requested.connect(self.delete_requested)
        self.detail.attachment_activated.connect(self.attachment_activated)
        self.form.added.connect(self._on_added)
        # A field of a folded form reached by its Alt letter or Tab unfolds it.
        for field in self.form.findChildren(QWidget):
            field.installEventFilter(self)

    # -- what the case view calls

    def set_case(
        self,
        case_id: int,
        entries: Sequence[TimelineEntryInfo],
        requests: Iterable[DepartmentRequestInfo] = (),
    ) -> None:
        """Shows the case's entries; for the case already shown, keeps the place in it."""
        same_case = case_id == self._case_id
        anchor = self._scroll_anchor() if same_case else None
        if not same_case:
            self._selected_id = None
            self._select_after_load = None
            self.list_view.lay_out_next_in_batches()
        self._case_id = case_id
        self.form.set_case(case_id)
        self.model.set_entries(entries, requests)
        self.filter_bar.set_authors(self.model.authors())
        wanted, self._select_after_load = self._select_after_load, None
        if wanted is not None and self.model.row_of(wanted) is not None:
            self.select_entry(wanted)
        elif anchor is not None:
            self._restore_scroll(*anchor)
        else:
            self.list_view.scrollToTop()

    def selected_entry(self) -> TimelineEntryInfo | None:
        rows = self.list_view.selectionModel().selectedRows()
        return self.model.entry_at(rows[0].row()) if rows else None

    def select_entry(self, entry_id: int) -> bool:
        """Selects the entry and scrolls to it; False when it is not shown."""
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.list_view.finish_layout()
        self.list_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.list_view.scrollTo(index)
        return True

    def may_edit(self, entry: TimelineEntryInfo) -> bool:
        """Whether the person at this workstation may edit the entry."""
        return timeline.may_edit(self._ctx.actor, entry)

    def may_delete(self, entry: TimelineEntryInfo) -> bool:
        """Whether they may delete it: as editing, and a file attached by mistake too."""
        return timeline.may_delete(self._ctx.actor, entry)

    def form_shown(self) -> bool:
        return self.form_splitter.sizes()[0] > 0

    def show_form(self) -> None:
        """Unfolds the add-a-step form if it was dragged away."""
        sizes = self.form_splitter.sizes()
        wanted = self.form.sizeHint().height()
        self.form_splitter.setSizes([wanted, max(sum(sizes) - wanted, 0)])

    def save_state(self, settings: QSettings) -> None:
        """Remembers where the form and the detail pane were left."""
        settings.setValue(_FORM_SPLIT, self.form_splitter.saveState())
        settings.setValue(_DETAIL_SPLIT, self.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        for key, splitter in ((_FORM_SPLIT, self.form_splitter), (_DETAIL_SPLIT, self.splitter)):
            state = settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    # -- filtering and keeping the place

    def _apply_filter(self) -> None:
        bar = self.filter_bar
        self.model.set_newest_first(bar.newest_first())
        self.model.set_filter(bar.kinds(), bar.author_id(), bar.text())
        selected = self._selected_id
        row = self.model.row_of(selected) if selected is not None else None
        if row is not None:
            self.list_view.finish_layout()
            self.list_view.scrollTo(
                self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter
            )
        else:
            self.list_view.scrollToTop()

    def _on_about_to_reset(self) -> None:
        self._resetting = True

    def _on_reset(self) -> None:
        row = self.model.row_of(self._selected_id) if self._selected_id is not None else None
        if row is not None:
            self.list_view.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._resetting = False
        self._show_selected()
        self._show_counts()

    def _scroll_anchor(self) -> tuple[int, int] | None:
        """(entry id, pixels from the top) of the first entry in view; None at the very top."""
        bar = self.list_view.verticalScrollBar()
        if bar.value() == 0:
            return None  # the newest entries, including one just added, stay in view
        viewport = self.list_view.viewport()
        y = 0
        while y < viewport.height():
            index = self.list_view.indexAt(QPoint(viewport.width() // 2, y))
            if not index.isValid():
                break
            entry = self.model.entry_at(index.row())
            if entry is not None:
                return entry.id, self.list_view.visualRect(index).top()
            y = self.list_view.visualRect(index).bottom() + 1
        return None

    def _restore_scroll(self, entry_id: int, top: int) -> None:
        row = self.model.row_of(entry_id)
        if row is None:
            return
        rect = self.list_view.visualRect(self.model.index(row, 0))
        bar = self.list_view.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - top)

    def _show_counts(self) -> None:
        shown, total = self.model.visible_count(), self.model.total_count()
        self.filter_bar.set_counts(shown, total)
        if shown:
            self._list_stack.setCurrentWidget(self.list_view)
            return
        self.empty.setText(
            "No entries match. Change the search or the filters to see more."
            if total
            else "Nothing on the timeline yet. Steps added above appear here."
        )
        self._list_stack.setCurrentWidget(self.empty)

    # -- the chosen entry

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._resetting:
            return
        entry = self.selected_entry()
        self._selected_id = entry.id if entry is not None else None
        self._show_selected()

    def _show_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.detail.clear()
        else:
            self.detail.show_entry(
                entry,
                self.model.request_of(entry),
                may_edit=self.may_edit(entry),
                may_delete=self.may_delete(entry),
            )

    def _on_activated(self, index: QModelIndex) -> None:
        entry = self.model.entry_at(index.row())
        if entry is not None and self.may_edit(entry):
            self.edit_requested.emit(entry)

    def _request_delete(self) -> None:
        entry = self.selected_entry()
        if entry is not None and self.may_delete(entry):
            self.delete_requested.emit(entry)

    def _on_added(self, entry: TimelineEntryInfo) -> None:
        # The case reloads after the change is announced: the new step is chosen then.
        self._select_after_load = entry.id

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and not self.form_shown():
            self.show_form()
        return super().eventFilter(watched, event)

    # -- Ctrl+F searches the timeline while the keyboard is in it

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Find)
        ):
            # Claimed before the window's own Ctrl+F (find cases) can take it.
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Find):
            self.filter_bar.focus_search()
            return
        super().keyPressEvent(event)
