"""Asking a coordinator why a grievance is finished before its written response was sent."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from prdesk.ui.reason_dialog import ReasonDialog


class ClosureOverrideDialog(ReasonDialog):
    """The reason is required; it is kept on the case, its timeline and the audit log."""

    def __init__(self, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Finish {case_number} without a response letter",
            f"{case_number} is a grievance and no written response letter has been sent. "
            "Resolving or closing it now is recorded as your decision: give the reason, as it "
            "should read to a surveyor reviewing the case.",
            label="&Reason for finishing without a sent response:",
            placeholder="e.g. The complainant withdrew by phone and asked for no letter.",
            accept_text="&Finish the case",
            parent=parent,
        )
        self.close_button = self.accept_button

    @classmethod
    def ask(cls, case_number: str, parent: QWidget | None = None) -> str | None:
        """The reason given, or None when the coordinator thought better of it."""
        return cls(case_number, parent).given_reason()
