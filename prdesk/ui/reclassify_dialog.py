"""Asking a coordinator why a case is to be handled as a grievance, or no longer as one."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from prdesk.ui.reason_dialog import ReasonDialog


class ReclassifyDialog(ReasonDialog):
    """The reason is required: it goes on the case, its timeline and the audit log."""

    def __init__(self, case_number: str, to_grievance: bool, parent: QWidget | None = None) -> None:
        verdict = "a grievance" if to_grievance else "a complaint, not a grievance"
        consequence = (
            "A grievance needs a written response with the CMS elements, and its "
            "acknowledgement clock starts if the deadline policy has one for grievances."
            if to_grievance
            else "A complaint that is not a grievance needs no formal written response; "
            "an acknowledgement due only for grievances is no longer due."
        )
        super().__init__(
            f"Handle {case_number} as {verdict}",
            f"{case_number} will be handled as {verdict}. {consequence} "
            "Give the reason, as it should read to a surveyor reviewing the case.",
            label="&Reason for the new classification:",
            placeholder=(
                "e.g. The patient has asked for a formal written response."
                if to_grievance
                else "e.g. Resolved on the spot by the charge nurse; the patient was satisfied."
            ),
            accept_text="Re&classify",
            parent=parent,
        )

    @classmethod
    def ask(cls, case_number: str, to_grievance: bool, parent: QWidget | None = None) -> str | None:
        """The reason given, or None when the coordinator thought better of it."""
        return cls(case_number, to_grievance, parent).given_reason()
