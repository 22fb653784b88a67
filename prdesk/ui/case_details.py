"""The facts of a case as selectable text: patient, who raised it, what happened, deadlines, the case."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from prdesk.domain.enums import CaseKind
from prdesk.domain.readmodels import CaseDetail, PersonInfo
from prdesk.ui.deadline_text import DUE_SOON_COLOR, OVERDUE_COLOR, deadline_state
from prdesk.ui.formatting import local_date, local_datetime
from prdesk.ui.languages import language_name
from prdesk.ui.style import readable_on

_NONE = "—"


class _Section(QGroupBox):
    """A titled form of label/value rows whose values can be selected and copied."""

    def __init__(self, title: str, rows: Iterable[str]) -> None:
        super().__init__(title)
        self._values: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}
        # A grid, not a QFormLayout: the form layout under-measures wrapped labels
        # and clips their last line.
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(10)
        for number, row in enumerate(rows):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            value.setAccessibleName(row)
            name = QLabel(f"{row}:")
            name.setProperty("role", "hint")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(name, number, 0)
            grid.addWidget(value, number, 1)
            self._values[row] = value
            self._names[row] = name

    def set(self, row: str, text: str) -> None:
        self._values[row].setText(text.strip() or _NONE)

    def value(self, row: str) -> str:
        return self._values[row].text()

    def set_row_visible(self, row: str, visible: bool) -> None:
        self._values[row].setVisible(visible)
        self._names[row].setVisible(visible)

    def row_visible(self, row: str) -> bool:
        return not self._values[row].isHidden()

    def set_color(self, row: str, color: str | None) -> None:
        """Marks a value (an overdue date) in colour and bold; None for the normal look."""
        value = self._values[row]
        # Lightened on a dark background, so an overdue date still reads in dark mode.
        style = f"color: {readable_on(color, value)}; font-weight: 600;" if color else ""
        value.setStyleSheet(style)

    def color(self, row: str) -> str:
        return self._values[row].styleSheet()


class CaseDetails(QWidget):
    """Read-only details; every value is plain text (never interpreted as HTML)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        person_rows = (
            "Name",
            "Date of birth",
            "MRN",
            "Phone",
            "Email",
            "Address",
            "Language",
            "Contact by",
        )
        self.patient = _Section("Patient", person_rows)
        self.complainant = _Section(
            "Raised by",
            (
                "Name",
                "Relationship",
                "May discuss care",
                "Phone",
                "Email",
                "Address",
                "Language",
                "Contact by",
            ),
        )
        self.what = _Section(
            "What happened", ("Description", "Desired outcome", "Location", "Staff involved")
        )
        self.deadlines = _Section(
            "Deadlines",
            ("Acknowledge by", "Acknowledged", "Respond by", "Clock", "Closed without response"),
        )
        self.case = _Section(
            "Case",
            (
                "Received",
                "Channel",
                "Assigned to",
                "Departments",
                "Categories",
                "Classification",
                "Determination",
                "Opened by",
                "Linked to",
            ),
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for section in (self.patient, self.complainant, self.what, self.deadlines, self.case):
            layout.addWidget(section)
        layout.addStretch(1)

    def show_case(self, detail: CaseDetail) -> None:
        self._show_person(self.patient, detail.patient)
        self.patient.set("Date of birth", local_date(detail.patient.date_of_birth))
        self.patient.set("MRN", detail.patient.medical_record_number or "")
        self.complainant.setVisible(detail.complainant is not None)
        if detail.complainant is not None:
            self._show_person(self.complainant, detail.complainant)
            relationship = detail.complainant_relationship
            basis = detail.disclosure_basis
            self.complainant.set("Relationship", relationship.label if relationship else "")
            self.complainant.set("May discuss care", basis.label if basis else "")
        self.what.set("Description", detail.description)
        self.what.set("Desired outcome", detail.desired_outcome)
        self.what.set("Location", detail.location)
        self.what.set("Staff involved", detail.staff_involved)
        self.case.set("Received", local_datetime(detail.received_at))
        self.case.set("Channel", detail.channel.label)
        self.case.set(
            "Assigned to", detail.assignee.display_name if detail.assignee else "Nobody yet"
        )
        self.case.set("Departments", ", ".join(d.name for d in detail.departments))
        self.case.set("Categories", "\n".join(c.name for c in detail.categories))
        verdict = "Grievance" if detail.is_grievance else "Not a grievance"
        overridden = " (overridden by a coordinator)" if detail.grievance_overridden else ""
        self.case.set("Classification", f"{verdict}{overridden}: {detail.grievance_reason}")
        # Upheld or not is asked of complaints only; another kind shows it only if recorded.
        determination = detail.determination
        self.case.set("Determination", determination.label if determination else "Not decided")
        self.case.set_row_visible(
            "Determination", detail.kind is CaseKind.COMPLAINT or determination is not None
        )
        self.case.set(
            "Opened by",
            f"{detail.created_by.display_name}, {local_datetime(detail.created_at)}",
        )

        # A repeat contact logged as its own case points at the earlier one.
        self.case.set("Linked to", detail.linked_case.name if detail.linked_case else "")
        self.case.set_row_visible("Linked to", detail.linked_case is not None)

        self._show_deadlines(detail)

    def _show_deadlines(self, detail: CaseDetail, today: date | None = None) -> None:
        section, state = self.deadlines, deadline_state(detail, today)
        urgent = {"overdue": OVERDUE_COLOR, "due_soon": DUE_SOON_COLOR}.get(state.urgency)
        acknowledging = detail.acknowledged_on is None and detail.due_on is not None
        acknowledging = acknowledging and detail.due_on == detail.acknowledge_due_on
        if detail.acknowledge_due_on is None:
            section.set("Acknowledge by", "Not required for this case")
        else:
            section.set("Acknowledge by", local_date(detail.acknowledge_due_on))
        section.set_color("Acknowledge by", urgent if acknowledging else None)
        owed = "Not yet" if detail.acknowledge_due_on else ""
        section.set("Acknowledged", local_date(detail.acknowledged_on) or owed)
        section.set("Respond by", local_date(detail.response_due_on))
        responding = detail.due_on is not None and not acknowledging
        section.set_color("Respond by", urgent if responding else None)
        clock_color = None
        if not detail.status.is_open:
            clock = f"Stopped: the case is {detail.status.label.lower()}"
        elif detail.clock_paused_on is not None:
            since = local_date(detail.clock_paused_on)
            clock = f"Response clock paused since {since}, waiting on the patient"
        else:
            clock, clock_color = state.text or "Running", urgent
        section.set("Clock", clock)
        section.set_color("Clock", clock_color)
        section.set("Closed without response", detail.closure_override_reason)
        section.set_row_visible("Closed without response", bool(detail.closure_override_reason))

    @staticmethod
    def _show_person(section: _Section, person: PersonInfo) -> None:
        section.set("Name", person.full_name)
        section.set("Phone", person.phone)
        section.set("Email", person.email)
        section.set("Address", "\n".join(person.address_lines))
        section.set("Language", language_name(person.preferred_language))
        section.set("Contact by", person.contact_preference.label)
