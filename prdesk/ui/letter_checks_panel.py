"""What still stands between a letter and sending it, checked as the writer types."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from prdesk.domain import letter_compliance, merge_fields
from prdesk.domain.deadline_policy import Preset
from prdesk.domain.services.letter_workflow import LetterChanges, LetterChecks
from prdesk.ui.style import ERROR_COLOR, readable_on

_OK_COLOR = "#1e5e2c"
_PATH_ROLE = Qt.ItemDataRole.UserRole
_LABELS = {field.path: f"{field.group} – {field.label.lower()}" for field in merge_fields.FIELDS}


@dataclass(frozen=True)
class CheckRules:
    """What the checks need beyond the text: which letter it is and the policy it answers to.

    Attributes:
        contact_name: the signatory, whom a response must name as the contact person.
    """

    template_key: str
    language: str
    is_grievance: bool
    preset: Preset
    contact_name: str


def check_changes(changes: LetterChanges, rules: CheckRules) -> LetterChecks:
    """The checks finalising makes, on the text as it is on screen (no database needed)."""
    texts = (
        changes.subject,
        changes.salutation,
        changes.recipient_name,
        *changes.recipient_address,
        changes.body,
        *changes.copies_to,
    )
    unfilled = tuple(dict.fromkeys(path for text in texts for path in merge_fields.unfilled(text)))
    compliance = letter_compliance.check_letter(
        changes.body,
        template_key=rules.template_key,
        language=rules.language,
        is_grievance=rules.is_grievance,
        preset=rules.preset,
        contact_name=rules.contact_name,
    )
    problems = []
    if not changes.recipient_name.strip():
        problems.append("The letter has no recipient: enter their name.")
    if not changes.recipient_address:
        problems.append("The letter has no postal address: enter where it goes.")
    if not changes.subject.strip():
        problems.append("The letter has no subject line.")
    if not changes.body.strip():
        problems.append("The letter has no text.")
    return LetterChecks(unfilled, compliance, tuple(problems))


def field_name(path: str) -> str:
    """A merge field as people call it ("Patient – phone"), or its mark when unknown."""
    return _LABELS.get(path, f"[[{path}]]")


class LetterChecksPanel(QGroupBox):
    """One line per check, ✓ or ✗ with a plain sentence; a field's line leads to its mark.

    Signals:
        mark_chosen: the path of an unfilled field whose line was clicked or activated.
    """

    mark_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Checks", parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListWidget()
        self.list.setAccessibleName("Letter checks")
        self.list.setWordWrap(True)
        self.list.setToolTip("Click a merge field, or press Enter on it, to go to it in the letter")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.list.itemClicked.connect(self._on_item)
        self.list.itemActivated.connect(self._on_item)

    def show_checks(self, checks: LetterChecks) -> None:
        self.list.clear()
        for problem in checks.problems:
            self._add(False, problem)
        for path in checks.unfilled:
            self._add(
                False, f"{field_name(path)} — not filled in: fill in or remove [[{path}]]", path
            )
        if not checks.unfilled:
            self._add(True, "Every merge field is filled in")
        missing = set(checks.compliance.missing)
        for element in checks.compliance.required:
            label = element.label[:1].upper() + element.label[1:]
            found = element not in missing
            self._add(found, f"{label} — {'present' if found else 'missing'}")
        self.summary.setText(self._summary(checks))
        self.summary.setAccessibleName(self.summary.text())

    def lines(self) -> list[str]:
        """The check lines as shown, ✓ or ✗ first."""
        return [self.list.item(row).text() for row in range(self.list.count())]

    def choose(self, path: str) -> None:
        """Goes to the mark of `path`, as clicking its line does."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(_PATH_ROLE) == path:
                self.list.setCurrentItem(item)
                self._on_item(item)
                return
        raise KeyError(path)

    @staticmethod
    def _summary(checks: LetterChecks) -> str:
        if checks.blocked:
            count = len(checks.problems) + len(checks.unfilled)
            things = "thing needs" if count == 1 else "things need"
            return f"{count} {things} putting right before this letter can be approved."
        if not checks.compliance.ok:
            return (
                "Elements the policy requires are missing: add them, or a coordinator "
                "must give a reason to approve it anyway."
            )
        return "Nothing is missing."

    def _add(self, ok: bool, text: str, path: str = "") -> None:
        item = QListWidgetItem(f"{'✓' if ok else '✗'} {text}")
        item.setForeground(QColor(readable_on(_OK_COLOR if ok else ERROR_COLOR, self.list)))
        if path:
            item.setData(_PATH_ROLE, path)
        self.list.addItem(item)

    def _on_item(self, item: QListWidgetItem) -> None:
        path = item.data(_PATH_ROLE)
        if path:
            self.mark_chosen.emit(str(path))
