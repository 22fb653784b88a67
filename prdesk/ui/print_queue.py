"""The print queue: approved letters printed in one job, then marked mailed, by a clerk or anyone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.database import Database
from prdesk.domain.enums import LetterStatus, SendMethod
from prdesk.domain.errors import DomainError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import LetterInfo, PrintQueueItem, UserInfo
from prdesk.domain.services import letter_sending, letter_workflow
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.formatting import local_date, local_datetime
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.letter_printing import print_pdfs
from prdesk.ui.letters_panel import open_composer
from prdesk.ui.operations import PlainOperation
from prdesk.ui.print_queue_model import PrintQueueModel

# Letters approved at other workstations show up within this time while the queue is on screen.
POLL_MS = 60_000


@dataclass(frozen=True)
class Batch:
    """Letters a step went through, and what stopped the others (one message each)."""

    letters: tuple[LetterInfo, ...]
    problems: tuple[str, ...]
    pdfs: tuple[bytes, ...] = ()

    def change(self) -> Change:
        return Change(
            frozenset(letter.case_id for letter in self.letters),
            frozenset({Change.LETTERS, Change.TIMELINE}),
        )


def confirm_reprint(parent: QWidget, items: Sequence[PrintQueueItem]) -> bool:
    """Asks before printing letters that were printed already: each is posted once."""
    lines = [
        f"{item.case_number} to {item.recipient_name}: printed "
        f"{local_datetime(item.printed_at)} by {item.printed_by_name or 'someone'}"
        for item in items
    ]
    answer = QMessageBox.question(
        parent,
        "Print again?",
        "These letters were printed already. Print them again only if the first copy is "
        "lost; each letter is posted once.\n\n" + "\n".join(lines),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def printable_batch(db: Database, actor: UserInfo, items: Sequence[PrintQueueItem]) -> Batch:
    """The PDFs to print, approved letters finalised first; one bad letter stops none other."""
    from prdesk.export.letter_files import printable_pdf  # ReportLab loads when first needed

    done: list[LetterInfo] = []
    pdfs: list[bytes] = []
    problems: list[str] = []
    for item in items:
        try:
            letter, pdf = printable_pdf(db, actor, item.letter_id, item.version)
        except DomainError as error:
            problems.append(f"{item.case_number} to {item.recipient_name}: {error.message}")
            continue
        done.append(letter)
        pdfs.append(pdf)
    return Batch(tuple(done), tuple(problems), tuple(pdfs))


def mail_batch(db: Database, actor: UserInfo, items: Sequence[PrintQueueItem]) -> Batch:
    """Records the letters as posted today by the user."""
    done: list[LetterInfo] = []
    problems: list[str] = []
    for item in items:
        try:
            with db.transaction() as session:
                # Printing has just finalised it: the queue's version may be a step behind.
                current = letter_workflow.letter_detail(session, actor, item.letter_id)
                done.append(
                    letter_sending.record_sent(
                        session,
                        actor,
                        item.letter_id,
                        current.version,
                        via=SendMethod.MAIL,
                        sent_on=date.today(),
                        sent_by=actor.display_name,
                    )
                )
        except DomainError as error:
            problems.append(f"{item.case_number} to {item.recipient_name}: {error.message}")
    return Batch(tuple(done), tuple(problems))


class PrintQueue(QWidget):
    """Lists the queue; "Print selected…" prints them in one job, "Mark mailed" records them.

    Enter opens a letter in its composer, read-only, with its own Print and Mark sent.

    Signals:
        printed: the ids of the letters sent to the printer.
        mailed: the ids of the letters marked mailed.
    """

    printed = Signal(list)
    mailed = Signal(list)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._stale = True
        self._loading = False
        self._keep: list[int] = []  # letters to select again after a reload
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.refresh)
        self.model = PrintQueueModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Print queue")
        self.table.setToolTip("Double-click a letter (or press Enter) to read it before printing")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.info = InfoBar()
        # Tests put a function returning the answer here.
        self.confirm_reprint = confirm_reprint
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Letters waiting")
        self.empty_label = QLabel("No letters are waiting to be printed.")
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_button = QPushButton("&Print selected…")
        self.print_button.setToolTip(
            "Print the selected letters in one job; approved ones are finalised first"
        )
        self.mail_button = QPushButton("Mark &mailed")
        self.mail_button.setToolTip("Record the selected printed letters as posted today")
        for button in (self.print_button, self.mail_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.mail_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        self.empty_label.hide()
        self.print_button.clicked.connect(self.print_selected)
        self.mail_button.clicked.connect(self.mark_mailed)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.activated.connect(self._on_activated)
        self._update_buttons()

    # ------------------------------------------------------------ loading

    def on_changed(self, change: Change) -> None:
        if Change.LETTERS in change.what or Change.ALL in change.what:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._poll.start()
        if self._stale:
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._poll.stop()

    def refresh(self) -> None:
        if self._loading:
            self._stale = True
            return
        self._loading, self._stale = True, False
        if not self._keep:
            self._keep = [item.letter_id for item in self.selected_items()]
        actor = self._ctx.actor
        (
            self._ctx.operation(
                self, lambda session: letter_sending.print_queue(session, actor), read_only=True
            )
            .success(self._show)
            .failure(lambda error: self.info.show_message(error.message, kind="error"))
            .done(self._loaded)
            .run()
        )

    def _loaded(self) -> None:
        self._loading = False
        if self._stale:
            self.refresh()

    def _show(self, items: tuple[PrintQueueItem, ...]) -> None:
        keep, self._keep = self._keep, []
        self.model.set_items(items)
        self.select_letters(keep)
        count = len(items)
        self.count_label.setText(
            f"{count} letter{'s' if count != 1 else ''} waiting" if count else ""
        )
        self.table.setVisible(bool(items))
        self.empty_label.setVisible(not items)
        self._update_buttons()

    # ------------------------------------------------------------ selection

    def selected_items(self) -> list[PrintQueueItem]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [item for row in rows if (item := self.model.item(row)) is not None]

    def select_letters(self, letter_ids: Sequence[int]) -> None:
        self.table.clearSelection()
        for letter_id in letter_ids:
            row = self.model.row_of_letter(letter_id)
            if row >= 0:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )

    def _on_activated(self, index: QModelIndex) -> None:
        item = self.model.item(index.row())
        if item is not None:
            open_composer(self._ctx, item.letter_id, self.window())

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.selected_items()
        allowed = self._ctx.may(Action.PRINT_LETTERS)
        self.print_button.setEnabled(allowed and bool(chosen))
        self.mail_button.setEnabled(
            allowed and any(item.status == LetterStatus.FINALISED for item in chosen)
        )

    # ------------------------------------------------------------ printing and posting

    def print_selected(self) -> None:
        chosen = self.selected_items()
        if not chosen or not self.print_button.isEnabled():
            return
        again = [item for item in chosen if item.printed_at is not None]
        if again and not self.confirm_reprint(self, again):
            return
        db, actor = self._ctx.db, self._ctx.actor
        self._run(
            lambda: printable_batch(db, actor, chosen),
            lambda batch: self._on_printable(batch, chosen),
        )

    def _on_printable(self, batch: Batch, chosen: list[PrintQueueItem]) -> None:
        if not batch.pdfs:
            self._report("Nothing was printed.", batch)
            return
        count = len(batch.letters)
        title = f"{count} letters" if count > 1 else batch.letters[0].subject
        ids = [letter.id for letter in batch.letters]
        self._keep = ids
        self.select_letters(ids)
        printed = [item for item in chosen if item.letter_id in ids]

        def sent() -> None:
            self._note_printed(ids, batch)
            self.printed.emit(ids)
            self._report(
                f"Printed {count} letter{'s' if count != 1 else ''}. Once they are in the "
                "post, mark them mailed.",
                batch,
                actions=[("Mark &mailed", lambda: self._mail(printed))],
            )

        started = print_pdfs(
            batch.pdfs,
            self,
            title=title,
            printed=sent,
            failed=lambda message: self.info.show_message(message, kind="error"),
        )
        if not started:
            self._report("Printing was cancelled; the letters stay in the queue.", batch)

    def _note_printed(self, ids: list[int], batch: Batch) -> None:
        actor = self._ctx.actor
        (
            self._ctx.operation(self, lambda s: letter_sending.mark_printed(s, actor, ids))
            .changes(batch.change())
            .failure(lambda error: self.info.show_message(error.message, kind="error"))
            .run()
        )

    def mark_mailed(self) -> None:
        """Records the selected printed (finalised) letters as posted today."""
        self._mail(
            [item for item in self.selected_items() if item.status == LetterStatus.FINALISED]
        )

    def _mail(self, chosen: list[PrintQueueItem]) -> None:
        if not chosen:
            return
        db, actor = self._ctx.db, self._ctx.actor
        self._run(lambda: mail_batch(db, actor, chosen), self._on_mailed)

    def _on_mailed(self, batch: Batch) -> None:
        count = len(batch.letters)
        self.mailed.emit([letter.id for letter in batch.letters])
        self._report(
            f"Marked {count} letter{'s' if count != 1 else ''} mailed on "
            f"{local_date(date.today())}."
            if count
            else "No letter was marked mailed.",
            batch,
        )

    def _run(self, work: Callable[[], Batch], then: Callable[[Batch], None]) -> None:
        self.print_button.setEnabled(False)
        self.mail_button.setEnabled(False)
        (
            PlainOperation(self, work, hub=self._ctx.hub)
            .changes(Batch.change)
            .success(then)
            .failure(lambda error: self.info.show_message(error.message, kind="error"))
            .done(self._update_buttons)
            .run()
        )

    def _report(
        self,
        text: str,
        batch: Batch,
        *,
        actions: Sequence[tuple[str, Callable[[], None]]] = (),
    ) -> None:
        if batch.problems:
            text += "\n\nNot done:\n" + "\n".join(batch.problems)
        self.info.show_message(text, kind="warning" if batch.problems else "info", actions=actions)
