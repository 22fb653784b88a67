"""The coordinator's decisions on a letter: approve without a required element, return it, finalise it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from prdesk.domain.enums import LetterStatus
from prdesk.domain.readmodels import LetterInfo
from prdesk.ui.reason_dialog import ReasonDialog


class LetterApprovalDialog(ReasonDialog):
    """Shows what the response lacks and asks why it may go anyway.

    The reason is kept with the letter and in the audit log, where surveyors read it.
    """

    def __init__(
        self, letter: LetterInfo, missing: Sequence[str], parent: QWidget | None = None
    ) -> None:
        lacking = "\n".join(f"  •  {label[:1].upper()}{label[1:]}" for label in missing)
        super().__init__(
            "Approve without a required element",
            f"“{letter.subject}” lacks what the deadline policy requires of a written "
            f"response:\n\n{lacking}\n\nAdd it to the letter, or approve the letter as it "
            "is and say why. The reason is kept with the letter and shown to surveyors.",
            label="&Reason for approving it as it is:",
            placeholder="e.g. The patient asked for a short answer; the findings were "
            "discussed at the family meeting.",
            accept_text="&Approve anyway",
            parent=parent,
        )
        # Room for the list of what is missing above the reason.
        self.resize(540, 300 + 22 * len(missing))

    @classmethod
    def ask(cls, parent: QWidget | None, letter: LetterInfo, missing: Sequence[str]) -> str | None:
        """The reason given, or None when the coordinator chose to fix the letter instead."""
        return cls(letter, missing, parent).given_reason()


class ReturnToDraftDialog(ReasonDialog):
    """Why the letter goes back to its writer; an approval it had lapses."""

    def __init__(self, letter: LetterInfo, parent: QWidget | None = None) -> None:
        lapses = (
            " Its approval lapses: it must be approved again."
            if letter.status == LetterStatus.APPROVED
            else ""
        )
        super().__init__(
            "Return the letter to draft",
            f"“{letter.subject}” goes back to draft so that it can be changed.{lapses}",
            label="&What needs changing:",
            placeholder="e.g. Name the nurse manager who reviewed the record.",
            accept_text="&Return to draft",
            parent=parent,
        )

    @classmethod
    def ask(cls, parent: QWidget | None, letter: LetterInfo) -> str | None:
        return cls(letter, parent).given_reason()


class FinaliseQuestion:
    """The last look before a letter's PDF is fixed for good."""

    @classmethod
    def ask(cls, parent: QWidget | None, letter: LetterInfo) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Finalise the letter",
            f"This letter cannot change once finalised.\n\n“{letter.subject}” to "
            f"{letter.recipient_name} is kept exactly as it prints; a mistake found "
            "afterwards is put right by a new letter that corrects it.",
            QMessageBox.StandardButton.Cancel,
            parent,
        )
        # The subject and name are the writer's words: never read as HTML.
        box.setTextFormat(Qt.TextFormat.PlainText)
        finalise = box.addButton("&Finalise", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is finalise
