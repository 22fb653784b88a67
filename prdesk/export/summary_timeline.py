"""The timeline section of the case summary: one row per entry, however many there are."""

from __future__ import annotations

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, HRFlowable, Indenter, TableStyle

from prdesk.domain.readmodels import TimelineEntryInfo
from prdesk.domain.services.case_summary import CaseSummary, is_internal_note
from prdesk.export.markdown_flowables import markdown_to_flowables
from prdesk.export.pdf_layout import HAIRLINE, SHADE, local_date, local_datetime, local_time, para
from prdesk.export.report_blocks import (
    BODY,
    CELL,
    CELL_BODY,
    CELL_PADDING,
    COLUMN,
    NOTE,
    grid,
    section,
    widths,
    with_note,
)

_WIDTHS = widths(0.95 * inch, 1.05 * inch, 1.1 * inch)
# What stays short enough to move to the next page whole (see _is_long).
_SHORT_CHARACTERS = 700
_SHORT_LINES = 15


def timeline_section(summary: CaseSummary) -> list[Flowable]:
    if summary.include_internal:
        note = "Internal entries are included and marked “Internal”."
    else:
        left_out = summary.internal_left_out
        note = "Internal entries are left out" + (f" ({left_out:,})." if left_out else ".")
    shown = section("Timeline", note)
    if not summary.entries:
        return [*shown, para("No entries.", BODY)]
    headings = ["When", "Kind", "By", "What happened"]
    columns = grid([[para(h, COLUMN, bold=True) for h in headings]], _WIDTHS, header=True)
    columns.keepWithNext = 1
    shown.append(columns)
    # A table per entry, so laying out one row never waits on thousands of others.
    for entry in summary.entries:
        shown += _entry(entry)
    return shown


def _is_long(entry: TimelineEntryInfo) -> bool:
    """Whether an entry may need more than part of a page.

    Below these limits an entry fills well under a page even in Chinese (which fits
    fewest characters on a line), so it can always move to the next page whole.
    """
    size = len(entry.summary) + len(entry.body) + len(entry.people) * 40
    size += sum(len(a.filename) for a in entry.attachments) + len(entry.recipients)
    lines = entry.body.count("\n") + len(entry.attachments)
    return size > _SHORT_CHARACTERS or lines > _SHORT_LINES


def _entry(entry: TimelineEntryInfo) -> list[Flowable]:
    internal = is_internal_note(entry)
    heading = [
        with_note(local_date(entry.occurred_at), local_time(entry.occurred_at)),
        with_note(entry.kind.label, "Internal" if internal else "", bold=True),
        para(entry.author_name, CELL),
    ]
    summary = para(entry.summary, CELL_BODY, bold=True)
    body = markdown_to_flowables(entry.body, CELL_BODY) if entry.body.strip() else []
    body += [para(line, NOTE) for line in _details(entry)]
    shade = TableStyle([("BACKGROUND", (0, 0), (-1, -1), SHADE)] if internal else [])
    if not _is_long(entry):
        # Whole, so that no page ends with an entry's last lines cut off from its date.
        table = grid([[*heading, [summary, *body]]], _WIDTHS, split_rows=False)
        table.setStyle(shade)
        return [table]
    # A long body flows under the table, indented to its column: split inside a table
    # row, every page would lay out the rest of the body again.
    table = grid([[*heading, summary]], _WIDTHS, lines=False)
    table.setStyle(shade)
    table.keepWithNext = 1
    indent = sum(_WIDTHS[:3]) + CELL_PADDING
    return [
        table,
        Indenter(left=indent, right=CELL_PADDING),
        *body,
        Indenter(left=-indent, right=-CELL_PADDING),
        HRFlowable(width="100%", thickness=0.25, color=HAIRLINE, spaceBefore=1, spaceAfter=0),
    ]


def _details(entry: TimelineEntryInfo) -> list[str]:
    details = []
    if entry.sender:
        details.append(f"From: {entry.sender}")
    if entry.recipients:
        details.append(f"To: {entry.recipients}")
    if entry.people:
        details.append(f"People: {', '.join(entry.people)}")
    if entry.departments:
        details.append(f"Departments: {', '.join(d.name for d in entry.departments)}")
    if entry.attachments:
        details.append(f"Attached: {', '.join(a.filename for a in entry.attachments)}")
    if entry.edited_at:
        details.append(f"Edited {local_datetime(entry.edited_at)} by {entry.edited_by_name}")
    return details
