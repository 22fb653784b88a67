"""A case's outcome: what was found, what the hospital did, and whether the complaint was upheld."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.domain.enums import CaseKind, Determination
from prdesk.domain.errors import ConflictError, DomainError, ValidationError
from prdesk.domain.permissions import Action
from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import case_outcome, cases
from prdesk.ui.changes import Change
from prdesk.ui.context import AppContext
from prdesk.ui.field_errors import FieldErrors
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.questions import ask_discard

# The choices in the order the NHS return lists them; "Not decided" leaves none recorded.
DETERMINATIONS: tuple[tuple[str, Determination | None], ...] = (
    ("Upheld", Determination.UPHELD),
    ("Partly upheld", Determination.PARTLY_UPHELD),
    ("Not upheld", Determination.NOT_UPHELD),
    ("Not decided", None),
)

Outcome = tuple[str, str, Determination | None]


class OutcomeDialog(QDialog):
    """Two texts, and for a complaint whether it was upheld, saved in the background
    against the version of the case it was opened on.

    When someone else saved the case meanwhile, the save goes ahead if they did not
    touch the outcome; if they did, the person chooses whose text to keep.

    Signals:
        saved: the CaseDetail after the save.
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._base = detail
        self.setWindowTitle(f"Outcome of {detail.number}")
        self.banner = InfoBar()
        self.errors = FieldErrors()
        explain = QLabel(
            "The grievance committee reads these in the case summary, and the response "
            "letter reports them. Fill them in as the investigation goes on."
        )
        explain.setWordWrap(True)
        explain.setProperty("role", "hint")
        self.findings = self._editor(
            "What the investigation found",
            "e.g. Triage was delayed by a surge of ambulance arrivals; the family was not "
            "given the hourly updates the department's policy requires.",
        )
        self.actions_taken = self._editor(
            "What the hospital did about it",
            "e.g. All emergency department staff were re-briefed on updating waiting families.",
        )
        findings_label = QLabel("&What the investigation found:")
        findings_label.setBuddy(self.findings)
        actions_label = QLabel("What the hospital &did about it:")
        actions_label.setBuddy(self.actions_taken)
        self.determination = QComboBox()
        self.determination.setAccessibleName("Whether the complaint was upheld")
        self.determination.addItems([text for text, _ in DETERMINATIONS])
        self.determination_label = QLabel("Was the complaint &upheld?")
        self.determination_label.setBuddy(self.determination)
        determination_hint = QLabel("The NHS complaints return counts complaints by this.")
        determination_hint.setProperty("role", "hint")
        self.determination_row = QWidget()
        row = QHBoxLayout(self.determination_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.determination_label)
        row.addWidget(self.determination)
        row.addWidget(determination_hint, 1)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save")
        self.save_button.setToolTip("Save the outcome on the case (Ctrl+Enter)")
        self.save_button.setShortcut("Ctrl+Return")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # Made after Save, so that Tab meets the two in the order Windows shows them.
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(explain)
        layout.addWidget(findings_label)
        layout.addWidget(self.errors.wrap("findings", self.findings), 1)
        layout.addWidget(actions_label)
        layout.addWidget(self.errors.wrap("actions_taken", self.actions_taken), 1)
        layout.addWidget(self.errors.wrap("determination", self.determination_row))
        layout.addWidget(buttons)
        self.save_button.clicked.connect(lambda: self.save())
        buttons.rejected.connect(self.reject)
        self.resize(620, 520)
        self.load(detail)
        if not ctx.may(Action.EDIT_CASE):
            for editor in (self.findings, self.actions_taken):
                editor.setReadOnly(True)
            self.determination.setEnabled(False)
            self.save_button.setEnabled(False)
            self.banner.show_message("Your role may read the outcome but not change it.")

    @staticmethod
    def _editor(name: str, placeholder: str) -> QPlainTextEdit:
        editor = QPlainTextEdit()
        editor.setAccessibleName(name)
        editor.setPlaceholderText(placeholder)
        # Tab moves on, as in every other form; the texts are paragraphs, not tables.
        editor.setTabChangesFocus(True)
        return editor

    def load(self, detail: CaseDetail) -> None:
        """Shows the case's outcome as saved, and saves against this version from now on."""
        self._base = detail
        self.findings.setPlainText(detail.findings)
        self.actions_taken.setPlainText(detail.actions_taken)
        chosen = [value for _, value in DETERMINATIONS].index(detail.determination)
        self.determination.setCurrentIndex(chosen)
        # Only a complaint is upheld or not; for other kinds the question means nothing.
        self.determination_row.setVisible(self._asks_determination)
        self.errors.clear()

    @property
    def _asks_determination(self) -> bool:
        return self._base.kind is CaseKind.COMPLAINT

    def has_changes(self) -> bool:
        return self._typed() != _saved(self._base)

    def save(self, *, retried: bool = False) -> None:
        """Saves in the background; the dialog closes once the outcome is stored."""
        if not self.save_button.isEnabled() and not retried:
            return
        findings, actions, determination = self._typed()
        actor, case_id, version = self._ctx.actor, self._base.id, self._base.version
        # A case of another kind keeps whatever was recorded while it was a complaint.
        chosen = determination if self._asks_determination else case_outcome.KEEP
        self.save_button.setEnabled(False)
        (
            self._ctx.operation(
                self,
                lambda session: case_outcome.record_outcome(
                    session, actor, case_id, version, findings, actions, determination=chosen
                ),
            )
            .changes(Change.to_case(case_id, Change.CASE))
            .success(self._on_saved)
            .failure(lambda error: self._on_failed(error, retried=retried))
            .run()
        )

    def _typed(self) -> Outcome:
        chosen = DETERMINATIONS[self.determination.currentIndex()][1]
        if not self._asks_determination:
            chosen = self._base.determination
        return (
            self.findings.toPlainText().strip(),
            self.actions_taken.toPlainText().strip(),
            chosen,
        )

    def _on_saved(self, detail: CaseDetail) -> None:
        self._base = detail
        self.saved.emit(detail)
        self.accept()

    def _on_failed(self, error: DomainError, *, retried: bool) -> None:
        if isinstance(error, ConflictError) and not retried:
            self._check_theirs()
            return
        self.save_button.setEnabled(True)
        fields = error.fields if isinstance(error, ValidationError) else {}
        unplaced = self.errors.show(fields)
        if unplaced or not fields:
            self.banner.show_message(error.message, kind="error")
        first = self.errors.first_invalid()
        if first is not None:
            first.setFocus()

    def _check_theirs(self) -> None:
        """After a conflict: what is saved now decides whether the person must choose."""
        actor, case_id = self._ctx.actor, self._base.id
        (
            self._ctx.operation(
                self,
                lambda session: cases.view_case(session, actor, case_id, record_view=False),
                read_only=True,
            )
            .success(self._on_theirs)
            .failure(lambda error: self._on_failed(error, retried=True))
            .run()
        )

    def _on_theirs(self, current: CaseDetail) -> None:
        if _saved(current) == _saved(self._base):
            # They changed something else on the case: saving ours loses nothing of theirs.
            self._base = current
            self.save(retried=True)
            return
        self.save_button.setEnabled(True)

        def keep_mine() -> None:
            self._base = current
            self.save(retried=True)

        self.banner.show_message(
            f"Someone else changed the outcome of {current.number} since you opened it. "
            "Keep your text (theirs is replaced), or show theirs (yours is discarded).",
            kind="warning",
            actions=[("&Keep mine", keep_mine), ("Show &theirs", lambda: self.load(current))],
        )

    def reject(self) -> None:
        if self.has_changes() and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        """Asks before throwing away typed text; tests replace this."""
        return ask_discard(
            self, "Discard the outcome?", "What you typed has not been saved. Discard it?"
        )

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: AppContext, detail: CaseDetail) -> bool:
        """Shows the dialog; True once the outcome was saved, False when cancelled."""
        dialog = cls(ctx, detail, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return dialog.exec() == QDialog.DialogCode.Accepted


def _saved(detail: CaseDetail) -> Outcome:
    return detail.findings, detail.actions_taken, detail.determination
