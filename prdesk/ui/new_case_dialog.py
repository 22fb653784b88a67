"""The "New case" dialog: the intake form, saved in the background, errors shown on the fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain.email_intake import IntakeDraft, UnreadableMessage, parse_eml
from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail, Reference
from prdesk.domain.services import cases, duplicates, organisation
from prdesk.domain.services.case_input import NewCase, PersonInput
from prdesk.domain.services.duplicates import PossibleDuplicate
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.duplicate_panel import DuplicatePanel
from prdesk.ui.email_drop import EmailDrop
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.intake_form import IntakeForm
from prdesk.ui.paste_dialog import PasteDialog
from prdesk.ui.questions import ask_discard
from prdesk.ui.remembered_size import remember_layout

_ReferenceLists = tuple[list[Reference], list[Reference]]
# Long enough that a duplicate search is not run for every letter of a name being typed.
DUPLICATE_CHECK_DELAY_MS = 400


def _reference_lists(session: Session) -> _ReferenceLists:
    return organisation.departments(session), organisation.categories(session)


class NewCaseDialog(QDialog):
    """Logs a new case. Stays open, with everything typed, until the save succeeds.

    Use `open()` (not exec) so the rest of the application keeps running; tests
    fill `form` or call `load()`, then `save()`.

    Signals:
        saved: the CaseDetail of the new case, after it was committed.
        contact_added: the CaseDetail of an open case the contact was added to instead.
    """

    saved = Signal(object)
    contact_added = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._saving = False
        self.setWindowTitle("New case — PR Desk")
        self.resize(1180, 800)
        remember_layout(self, "new_case_dialog", place=False)

        self.banner = InfoBar()
        self.form = IntakeForm(may_override=ctx.may(Action.ASSIGN_CASE))
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._scroll.setWidget(self.form)
        self.duplicates = DuplicatePanel()
        self._draft: IntakeDraft | None = None
        self._duplicate_checks = 0
        self._duplicate_timer = QTimer(self)
        self._duplicate_timer.setSingleShot(True)
        self._duplicate_timer.setInterval(DUPLICATE_CHECK_DELAY_MS)
        self.paste_button = QPushButton("Paste email or letter…")
        self.paste_button.setAutoDefault(False)
        self.paste_button.setToolTip(
            "Fill the case from the text of an email or letter (Ctrl+Shift+V); "
            "an .eml file can also be dropped on this window"
        )
        self.email_drop = EmailDrop(self)

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save case")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.save_button, cancel):
            # Enter in a field must not save a half-typed case: only Ctrl+Enter saves.
            button.setAutoDefault(False)
            button.setDefault(False)
        self.save_button.setToolTip("Save the case (Ctrl+Enter)")
        hint = QLabel("Ctrl+Enter saves · Esc cancels")
        hint.setProperty("role", "hint")

        bottom = QHBoxLayout()
        bottom.addWidget(self.paste_button)
        bottom.addWidget(hint)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.duplicates)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(bottom)

        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        QShortcut(QKeySequence("Ctrl+Shift+V"), self, self.paste_email_or_letter)
        self.paste_button.clicked.connect(self.paste_email_or_letter)
        # Bound methods, not lambdas: a lambda holding the dialog would keep it alive.
        self.email_drop.dropped.connect(self.fill_from_eml)
        self.email_drop.failed.connect(self._show_problem)
        patient = self.form.patient
        edits = [patient.full_name, patient.date_of_birth]
        if patient.mrn is not None:
            edits.append(patient.mrn)
        for edit in edits:
            edit.textChanged.connect(self._duplicate_timer.start)
        self._duplicate_timer.timeout.connect(self.check_duplicates)
        self.duplicates.add_requested.connect(self.add_contact_to)
        self.duplicates.link_requested.connect(self.duplicates.set_linked)
        self.form.kind.setFocus()
        self._load_reference_lists()

    # -- filling in

    def load(self, new: NewCase) -> None:
        self.form.load(new)

    def values(self) -> NewCase:
        linked = self.duplicates.linked
        return replace(self.form.values(), linked_case_id=linked.case_id if linked else None)

    # -- from an email or a letter

    def paste_email_or_letter(self) -> None:
        draft = PasteDialog.ask(self)
        if draft is not None:
            self.fill_from_draft(draft)

    def fill_from_eml(self, data: bytes, file_name: str = "") -> None:
        try:
            draft = parse_eml(data)
        except UnreadableMessage as error:
            prefix = f"{file_name}: " if file_name else ""
            self._show_problem(prefix + error.message)
            return
        self.fill_from_draft(draft)

    def _show_problem(self, message: str) -> None:
        self.banner.show_message(message, kind="error")

    def fill_from_draft(self, draft: IntakeDraft) -> None:
        """Fills the form from an email or letter; asks first if it would replace typed text."""
        if self.form.has_input() and not self.confirm_replace():
            return
        self._draft = draft
        self.form.load(draft.new_case())
        what = draft.channel.label.lower()
        if draft.has_sender:
            sender = draft.sender_name or draft.sender_email
            self.banner.show_message(
                f"Filled from the {what} from {sender}, entered as the person raising it. "
                "Check the details and add the patient.",
                actions=[("Sender is the patient", self.sender_is_patient)],
            )
            self.form.patient.full_name.setFocus()
        else:
            self.banner.show_message(
                f"Filled from the {what}. Enter who wrote it and the patient's details."
            )
            self.form.patient.full_name.setFocus()

    def sender_is_patient(self) -> None:
        """Moves the sender from "person raising it" to the patient, if the patient is empty."""
        form = self.form
        if form.patient.has_input():
            self.banner.show_message(
                "The patient's fields are already filled in: clear them first.", kind="warning"
            )
            return
        sender = form.complainant.values()
        form.patient.load(sender)
        form.complainant.load(PersonInput(full_name=""))
        form.relationship.set_value(None)
        form.disclosure.set_value(None)
        form.raised_by_other.setChecked(False)
        form.patient.full_name.setFocus()

    def confirm_replace(self) -> bool:
        """Asks before an email replaces what was typed; tests replace this."""
        return ask_discard(
            self,
            "Replace what you typed?",
            "Filling the case from this email or letter replaces what you typed. Discard it?",
        )

    # -- the same patient with an open case

    def check_duplicates(self) -> None:
        """Looks for open cases of the patient typed so far (in the background)."""
        patient = self.form.patient
        name = patient.full_name.text()
        mrn = patient.mrn.text() if patient.mrn is not None else ""
        try:
            born: date | None = patient.date_of_birth.date_value()
        except ValueError:
            born = None
        self._duplicate_checks += 1
        check = self._duplicate_checks
        if not mrn.strip() and not (name.strip() and born is not None):
            self.duplicates.show_matches([])
            return
        (
            self._ctx.operation(
                self,
                lambda session: duplicates.find_duplicates(session, name, born, mrn),
                read_only=True,
            )
            .success(lambda found: self._on_duplicates(check, found))
            .failure(lambda error: None)  # a missed hint must not interrupt the call being taken
            .run()
        )

    def _on_duplicates(self, check: int, found: list[PossibleDuplicate]) -> None:
        if check == self._duplicate_checks:  # an older answer to an older question is dropped
            self.duplicates.show_matches(found)

    def add_contact_to(self, match: PossibleDuplicate) -> None:
        """Adds what was typed to the open case as a timeline entry, instead of a new case."""
        actor = self._ctx.actor
        self._submit(
            lambda new, session: duplicates.add_contact_to_case(session, actor, match.case_id, new),
            lambda detail: Change.to_case(detail.id, Change.CASE, Change.TIMELINE),
            self._on_contact_added,
        )

    def _on_contact_added(self, detail: CaseDetail) -> None:
        self.contact_added.emit(detail)
        self.accept()

    def _load_reference_lists(self) -> None:
        (
            self._ctx.operation(self, _reference_lists, read_only=True)
            .success(lambda lists: self.form.set_reference_lists(*lists))
            .failure(lambda error: self.banner.show_message(error.message, kind="error"))
            .run()
        )

    # -- saving

    def save(self) -> None:
        actor = self._ctx.actor
        self._submit(
            lambda new, session: cases.open_case(session, actor, new),
            lambda detail: Change.to_case(detail.id, Change.CASE),
            self._on_saved,
        )

    def _submit(
        self,
        work: Callable[[NewCase, Session], CaseDetail],
        change: Callable[[CaseDetail], Change],
        on_success: Callable[[CaseDetail], None],
    ) -> None:
        """Saves what was typed one way or another, once, and only if the form holds up."""
        if self._saving:
            return
        local = self.form.local_errors()
        if local:
            self._show_errors(ValidationError.from_fields(local))
            return
        new = self.values()
        self._set_saving(True)
        (
            self._ctx.operation(self, lambda session: work(new, session))
            .changes(change)
            .success(on_success)
            .failure(self._show_errors)
            .done(lambda: self._set_saving(False))
            .run()
        )

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_button.setText("Saving…" if saving else "&Save case")

    def _on_saved(self, detail: CaseDetail) -> None:
        self.saved.emit(detail)
        self.accept()

    def _show_errors(self, error: DomainError) -> None:
        """Marks each field and goes to the first; the dialog and its text stay as they are."""
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.form.errors.show(fields)
        if fields and not unplaced:
            message = (
                "Check the field marked below."
                if len(fields) == 1
                else f"Check the {len(fields)} fields marked below."
            )
        else:
            message = error.message if not unplaced else " ".join(unplaced.values())
        self.banner.show_message(message, kind="error")
        first = self.form.errors.first_invalid()
        if first is not None:
            self._scroll.ensureWidgetVisible(first)
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_for(self, field: str) -> str:
        """The message shown under a field, by its ValidationError name ("" for none)."""
        return self.form.errors.message(field)

    # -- leaving

    def reject(self) -> None:
        if self.form.has_input() and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        """Asks before throwing away typed text; tests replace this."""
        return ask_discard(
            self, "Discard this case?", "What you typed has not been saved. Discard it?"
        )
