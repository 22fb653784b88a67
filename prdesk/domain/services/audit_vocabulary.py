"""The words of the audit trail: what each table, column and stored value is called."""

from __future__ import annotations

from enum import Enum

from prdesk.domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    ContactPreference,
    Determination,
    DisclosureBasis,
    LetterStatus,
    Relationship,
    Role,
    SendMethod,
    Severity,
    TimelineKind,
)

# Table names (written by the triggers) and the entity names PR Desk itself records,
# each to one singular key and what an auditor calls it.
SINGULAR: dict[str, str] = {
    "cases": "case",
    "timeline_entries": "timeline_entry",
    "letters": "letter",
    "people": "person",
    "attachments": "attachment",
    "blobs": "blob",
    "department_requests": "department_request",
    "case_departments": "case_department",
    "case_categories": "case_category",
    "timeline_entry_departments": "timeline_entry_department",
    "settings": "setting",
    "users": "user",
    "user_departments": "user_department",
    "departments": "department",
    "categories": "category",
    "saved_views": "saved_view",
    "signatures": "signature",
    "letter_template_versions": "letter_template",
    "notifications": "notification",
}
ENTITY_LABELS: dict[str, str] = {
    "case": "case",
    "timeline_entry": "timeline entry",
    "letter": "letter",
    "person": "person",
    "attachment": "attachment",
    "blob": "file content",
    "department_request": "request to a department",
    "case_department": "department of a case",
    "case_category": "category of a case",
    "timeline_entry_department": "department of a timeline entry",
    "setting": "setting",
    "user": "user",
    "user_department": "department of a user",
    "department": "department",
    "category": "category",
    "saved_view": "saved view",
    "signature": "signature",
    "letter_template": "letter template",
    "notification": "notification",
    "case_list": "case list",
    "audit_log": "audit trail",
    "report": "report",
}

# Columns that change with every save and say nothing of what the person did.
NOISE = frozenset({"version", "updated_at", "search_text", "patient_sort_name"})
# Derived from other columns (for search and sorting): shown nowhere.
DERIVED = frozenset({"search_text", "patient_sort_name"})
USER_COLUMNS = frozenset(
    {
        "assignee_id",
        "created_by_id",
        "author_id",
        "edited_by_id",
        "deleted_by_id",
        "added_by_id",
        "signatory_id",
        "submitted_by_id",
        "approved_by_id",
        "finalised_by_id",
        "sent_recorded_by_id",
        "printed_by_id",
        "owner_id",
        "recipient_id",
        "user_id",
    }
)
DEPARTMENT_COLUMNS = frozenset({"department_id"})
CATEGORY_COLUMNS = frozenset({"category_id"})
COLUMN_LABELS: dict[str, str] = {
    "is_grievance": "grievance",
    "due_on": "due",
    "acknowledge_due_on": "acknowledgement due",
    "acknowledged_on": "acknowledged",
    "response_due_on": "response due",
    "received_at": "received",
    "clock_paused_on": "clock paused since",
    "complainant_relationship": "relationship to the patient",
    "patient_id": "patient",
    "complainant_id": "raised by",
    "linked_case_id": "linked case",
    "corrects_letter_id": "corrects letter",
    "timeline_entry_id": "timeline entry",
    "pdf_sha256": "PDF fingerprint",
    "sha256": "file fingerprint",
}
ENUMS: dict[tuple[str, str], type[Enum]] = {
    ("case", "status"): CaseStatus,
    ("case", "kind"): CaseKind,
    ("case", "channel"): Channel,
    ("case", "severity"): Severity,
    ("case", "complainant_relationship"): Relationship,
    ("case", "disclosure_basis"): DisclosureBasis,
    ("case", "determination"): Determination,
    ("timeline_entry", "kind"): TimelineKind,
    ("letter", "status"): LetterStatus,
    ("letter", "sent_via"): SendMethod,
    ("letter", "via"): SendMethod,
    ("user", "role"): Role,
    ("person", "contact_preference"): ContactPreference,
}
# Actions that take health information out of PR Desk: prints, copies, exports.
OUTWARD_ACTIONS = frozenset({"print", "printed", "save", "export", "export_docx"})
VIEW_ACTIONS = frozenset({"view"})
