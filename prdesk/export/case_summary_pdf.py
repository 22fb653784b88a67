"""Prints a case summary for the grievance committee: facts, people, what was raised, the
timeline, requests to departments, letters sent and the outcome, as a paginated PDF.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind
from prdesk.domain.readmodels import CaseDetail, DepartmentRequestInfo, UserInfo
from prdesk.domain.services.case_summary import (
    CaseSummary,
    SentLetter,
    SummaryOptions,
    case_summary,
)
from prdesk.export.letter_files import SaveFailed, save_pdf
from prdesk.export.pdf_layout import (
    ACCENT,
    TEXT_WIDTH,
    Furniture,
    local_date,
    local_datetime,
    para,
    paragraphs,
    render_report,
    style,
)
from prdesk.export.report_blocks import (
    BODY,
    CELL,
    NOTE,
    SUBHEADING,
    facts,
    headed_grid,
    section,
    widths,
    with_note,
)
from prdesk.export.summary_timeline import timeline_section

TITLE = "Case summary for the grievance committee"
CONFIDENTIAL = (
    "Confidential: contains protected health information. "
    "For the grievance committee's review only; do not copy or pass on."
)

ORGANISATION = style("summary-organisation", 11, textColor=ACCENT)
MARK = style("summary-mark", 8.5, textColor=colors.HexColor("#8B1A1A"), alignment=TA_RIGHT)
HEADING = style("summary-title", 17, textColor=ACCENT, spaceBefore=4, spaceAfter=2)
NUMBER = style("summary-number", 12.5, spaceAfter=2)


def _title_block(summary: CaseSummary) -> list[Flowable]:
    case = summary.case
    top = Table(
        [
            [
                para(summary.organisation, ORGANISATION, bold=True),
                para("CONFIDENTIAL", MARK, bold=True),
            ]
        ],
        colWidths=[TEXT_WIDTH * 0.75, TEXT_WIDTH * 0.25],
    )
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    grievance = "Yes" if case.is_grievance else "No"
    if case.grievance_reason:
        grievance += f": {case.grievance_reason}"
    if case.grievance_overridden:
        grievance += " (decided by a coordinator)"
    received = f"{local_datetime(case.received_at)}, by {case.channel.label.lower()}"
    return [
        top,
        para(TITLE, HEADING, bold=True),
        para(f"{case.number}  ·  {case.kind.label}", NUMBER, bold=True),
        para(f"Prepared {local_datetime(summary.generated_at)}{_by(summary)}.", NOTE),
        Spacer(1, 6),
        facts(
            [
                ("Status", case.status.label),
                ("Severity", case.severity.label),
                ("Grievance", grievance),
                ("Received", received),
                ("Acknowledgement", _acknowledgement(case)),
                ("Response", _response(summary)),
                ("Safety concern", "Yes" if case.safety_concern else "No"),
                ("Linked case", case.linked_case.name if case.linked_case else ""),
            ]
        ),
    ]


def _by(summary: CaseSummary) -> str:
    return f" by {summary.generated_by}" if summary.generated_by else ""


def _acknowledgement(case: CaseDetail) -> str:
    due = f" (due {local_date(case.acknowledge_due_on)})" if case.acknowledge_due_on else ""
    if case.acknowledged_on:
        return f"Acknowledged {local_date(case.acknowledged_on)}{due}"
    return f"Not yet acknowledged{due}" if due else "None due"


def _response(summary: CaseSummary) -> str:
    case, sent = summary.case, summary.response_sent_at
    due = f"due {local_date(case.response_due_on)}" if case.response_due_on else ""
    paused = (
        f"; clock paused since {local_date(case.clock_paused_on)}" if case.clock_paused_on else ""
    )
    if sent:
        return f"Sent {local_date(sent)}" + (f" ({due})" if due else "")
    return (f"Not yet sent, {due}" if due else "None due") + paused


def _people(case: CaseDetail) -> list[Flowable]:
    patient = case.patient
    about = [patient.full_name]
    if patient.medical_record_number:
        about.append(f"MRN {patient.medical_record_number}")
    if patient.date_of_birth:
        about.append(f"born {local_date(patient.date_of_birth)}")
    rows = [("Patient", ", ".join(about))]
    if case.complainant is None:
        rows.append(("Raised by", "The patient"))
    else:
        relation = case.complainant_relationship
        rows.append(
            (
                "Raised by",
                case.complainant.full_name + (f" ({relation.label.lower()})" if relation else ""),
            )
        )
        basis = case.disclosure_basis
        rows.append(("Disclosure basis", basis.label if basis else "Not recorded"))
    assignee = case.assignee
    rows.append(
        (
            "Assigned to",
            f"{assignee.display_name}{', ' + assignee.job_title if assignee.job_title else ''}"
            if assignee
            else "Nobody",
        )
    )
    return [*section("People"), facts(rows, columns=1)]


def _raised(case: CaseDetail) -> list[Flowable]:
    shown = section("What was raised")
    for title, text in (
        ("Description", case.description),
        ("Desired outcome", case.desired_outcome),
    ):
        shown += [
            para(title, SUBHEADING, bold=True),
            *(paragraphs(text, BODY) or [para("—", BODY)]),
        ]
    shown.append(
        facts(
            [
                ("Departments", ", ".join(d.name for d in case.departments)),
                ("Categories", ", ".join(c.name for c in case.categories)),
                ("Location", case.location),
                ("Staff involved", case.staff_involved),
            ],
            columns=1,
        )
    )
    return shown


def _requests(summary: CaseSummary) -> list[Flowable]:
    shown = section("Requests to departments")
    if not summary.requests:
        return [*shown, para("No requests to departments.", BODY)]
    rows: list[list[object]] = [
        [
            with_note(request.department.name, request.addressed_to),
            para(request.summary, CELL),
            with_note(local_date(request.requested_at), request.requested_by),
            para(local_date(request.due_on), CELL),
            para(_request_state(request, summary), CELL),
        ]
        for request in summary.requests
    ]
    headings = ["Department", "Request", "Requested", "Due", "State"]
    column_widths = widths(1.45 * inch, 2.45 * inch, 1.1 * inch, 0.85 * inch)
    return [*shown, headed_grid(headings, rows, column_widths)]


def _request_state(request: DepartmentRequestInfo, summary: CaseSummary) -> str:
    if request.answered_at is not None:
        return f"Answered {local_date(request.answered_at)}"
    overdue = request.is_overdue(summary.generated_at.astimezone().date())
    state = "Outstanding, overdue" if overdue else "Outstanding"
    if request.escalated_at is not None:
        state += f"; escalated {local_date(request.escalated_at)}"
    return state


def _letters(summary: CaseSummary) -> list[Flowable]:
    shown = section("Letters sent")
    if not summary.letters_sent:
        return [*shown, para("No letters sent.", BODY)]
    rows = [_letter_row(sent) for sent in summary.letters_sent]
    headings = ["Sent", "How", "Subject", "To", "SHA-256 (start)"]
    column_widths = widths(0.95 * inch, 0.8 * inch, 2.45 * inch, 1.55 * inch)
    return [*shown, headed_grid(headings, rows, column_widths)]


def _letter_row(sent: SentLetter) -> list[object]:
    letter = sent.letter
    return [
        para(local_date(sent.sent_at), CELL),
        para(sent.sent_via, CELL),
        para(letter.subject, CELL),
        para(letter.recipient_name, CELL),
        para(sent.sha256[:12], CELL),
    ]


def _outcome(summary: CaseSummary) -> list[Flowable]:
    case = summary.case
    finished = local_date(summary.finished_at) if summary.finished_at else ""
    if case.status.is_open:
        finished = "Not finished yet"
    known = [("Status", case.status.label), ("Finished", finished)]
    if case.kind is CaseKind.COMPLAINT or case.determination is not None:
        # The review's conclusion sits beside what it found, as the NHS return counts it.
        conclusion = case.determination.label if case.determination else "Not decided"
        known.append(("Determination", conclusion))
    shown = [*section("Outcome"), facts(known)]
    for title, text in (
        ("What the investigation found", case.findings),
        ("What the hospital did about it", case.actions_taken),
    ):
        shown += [
            para(title, SUBHEADING, bold=True),
            *(paragraphs(text, BODY) or [para("Not recorded.", BODY)]),
        ]
    if case.closure_override_reason:
        shown += [
            para("Finished without a sent response letter", SUBHEADING, bold=True),
            *paragraphs(f"Reason given: {case.closure_override_reason}", BODY),
        ]
    return shown


def render_case_summary(summary: CaseSummary) -> bytes:
    """The summary as PDF bytes on US Letter paper; the same summary gives the same bytes."""
    case = summary.case
    story = [
        *_title_block(summary),
        *_people(case),
        *_raised(case),
        *timeline_section(summary),
        *_requests(summary),
        *_letters(summary),
        *_outcome(summary),
    ]
    furniture = Furniture(
        running_title=f"{case.number}  ·  Case summary",
        organisation=summary.organisation,
        footer=f"{CONFIDENTIAL} Prepared {local_date(summary.generated_at)}{_by(summary)}.",
        dated=summary.generated_at,
    )
    return render_report(story, furniture, title=f"Case summary {case.number}")


def save_case_summary(path: Path, summary: CaseSummary) -> Path:
    """Renders the summary and writes it to `path` whole or not at all.

    Raises SaveFailed with a message fit to show when the file cannot be written.
    """
    if not path.parent.is_dir():
        raise SaveFailed(
            f"The summary could not be saved as {path}: the folder {path.parent} does not exist."
        )
    return save_pdf(path, render_case_summary(summary))


def write_case_summary(
    db: Database,
    actor: UserInfo,
    case_ref: int | str,
    path: Path,
    options: SummaryOptions | None = None,
) -> CaseSummary:
    """Reads the summary (recording the export), then renders and saves it.

    Rendering happens after the commit, so the database is not held while
    ReportLab lays out the pages.
    """
    with db.transaction() as session:
        summary = case_summary(session, actor, case_ref, options)
    save_case_summary(path, summary)
    return summary
