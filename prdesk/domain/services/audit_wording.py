"""How an audit log entry reads to an auditor: a sentence, and old and new values by label."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prdesk.domain.services.audit_vocabulary import (
    CATEGORY_COLUMNS,
    COLUMN_LABELS,
    DEPARTMENT_COLUMNS,
    DERIVED,
    ENTITY_LABELS,
    ENUMS,
    NOISE,
    SINGULAR,
    USER_COLUMNS,
)

_SHORT = 60


@dataclass(frozen=True)
class Names:
    """What ids in a page of entries stand for, read once per page."""

    users: Mapping[int, str] = field(default_factory=dict)
    departments: Mapping[int, str] = field(default_factory=dict)
    categories: Mapping[int, str] = field(default_factory=dict)
    case_numbers: Mapping[int, str] = field(default_factory=dict)


def entity_key(entity: str) -> str:
    """The one key of a table or entity name: "timeline_entries" and "timeline_entry" alike."""
    return SINGULAR.get(entity, entity)


def entity_label(entity: str) -> str:
    key = entity_key(entity)
    return ENTITY_LABELS.get(key, key.replace("_", " "))


def column_label(column: str) -> str:
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    return column.removesuffix("_id").replace("_", " ")


def shorten(text: str, limit: int = _SHORT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def value_text(entity: str, column: str, value: Any, names: Names) -> str:
    """A stored value as a person reads it: labels for fixed choices, names for people."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int) and column in USER_COLUMNS:
        return names.users.get(value, f"user {value}")
    if isinstance(value, int) and column in DEPARTMENT_COLUMNS:
        return names.departments.get(value, f"department {value}")
    if isinstance(value, int) and column in CATEGORY_COLUMNS:
        return names.categories.get(value, f"category {value}")
    if isinstance(value, int) and column in ("linked_case_id", "case_id"):
        return names.case_numbers.get(value, f"case {value}")
    if isinstance(value, int) and column in ("patient_id", "complainant_id"):
        return f"person {value}"
    if isinstance(value, dict) and "sha256" in value:
        # A file or PDF: the log keeps its fingerprint and size, never its bytes.
        size = value.get("bytes")
        return f"{size:,} bytes, SHA-256 {str(value['sha256'])[:12]}…" if size else "a file"
    if isinstance(value, dict | list):
        return _compound(value)
    enum = ENUMS.get((entity_key(entity), column))
    if enum is not None and isinstance(value, str):
        try:
            member = enum(value)
        except ValueError:
            return value
        label = getattr(member, "label", None)
        return label if isinstance(label, str) else value
    if isinstance(value, str) and (column.endswith("_at") or column == "at"):
        return _instant(value)
    return str(value)


def _compound(value: dict[str, Any] | list[Any]) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "(none)"
    return "; ".join(f"{column_label(key)}: {item}" for key, item in value.items())


def _instant(text: str) -> str:
    """A stored instant (ISO 8601, UTC unless it says otherwise) in local time."""
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def labelled(entity: str, values: Any, names: Names) -> tuple[tuple[str, str], ...]:
    """The values of a row (or of a change) as (label, text) pairs, in their stored order."""
    if not isinstance(values, dict):
        return () if values is None else (("value", value_text(entity, "", values, names)),)
    return tuple(
        (column_label(column), value_text(entity, column, value, names))
        for column, value in values.items()
        if column not in DERIVED
    )


def changes_text(entity: str, old: Any, new: Any, names: Names) -> str:
    """ "status: Investigating → Resolved; assignee: (none) → Ana López"."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return f"{_short_value(entity, '', old, names)} → {_short_value(entity, '', new, names)}"
    columns = [c for c in dict.fromkeys([*old, *new]) if c not in NOISE]
    if not columns:
        version = f"version {old.get('version', '?')} → {new.get('version', '?')}"
        return f"nothing a person reads ({version})"
    parts = [
        f"{column_label(column)}: {_short_value(entity, column, old.get(column), names)}"
        f" → {_short_value(entity, column, new.get(column), names)}"
        for column in columns
    ]
    return "; ".join(parts)


def _short_value(entity: str, column: str, value: Any, names: Names) -> str:
    return shorten(value_text(entity, column, value, names), 40)


def describe(
    action: str, entity: str, entity_id: int | None, details: Mapping[str, Any], names: Names
) -> str:
    """One sentence for the entry, as an auditor reads down a list."""
    key = entity_key(entity)
    if action in ("insert", "update", "delete") and ("old" in details or "new" in details):
        return _row_change(action, entity, entity_id, details, names)
    return _app_event(action, key, entity_id, details, names)


def _thing(key: str, entity_id: int | None) -> str:
    label = ENTITY_LABELS.get(key, key.replace("_", " "))
    if key == "case":
        return "the case"
    return f"{label} {entity_id}" if entity_id is not None else label


def _row_change(
    action: str, entity: str, entity_id: int | None, details: Mapping[str, Any], names: Names
) -> str:
    key = entity_key(entity)
    old, new = details.get("old") or {}, details.get("new") or {}
    if action == "update" and "deleted_at" in new:
        # Deleting a timeline entry hides it; the row, and its text, stay.
        verb = "Restored" if new["deleted_at"] is None else "Deleted (hid)"
        return f"{verb} {_thing(key, entity_id)}"
    if action == "update":
        changed = changes_text(entity, old, new, names)
        if key == "case":
            return f"Changed {changed}"
        return f"Changed {_thing(key, entity_id)}: {changed}"
    row = new if action == "insert" else old
    verb = "Added" if action == "insert" else "Deleted"
    what = _row_summary(key, entity_id, row, names)
    return f"{verb} {what}"


def _row_summary(key: str, entity_id: int | None, row: Mapping[str, Any], names: Names) -> str:
    def text(column: str) -> str:
        return value_text(key, column, row.get(column), names)

    if key == "case":
        return f"the case ({text('kind')}, {text('channel')})"
    if key == "timeline_entry":
        summary = shorten(str(row.get("summary") or ""))
        return f"a timeline entry ({text('kind')}): {summary}".rstrip(": ")
    if key == "letter":
        return f"letter {entity_id}: {shorten(str(row.get('subject') or ''))}".rstrip(": ")
    if key == "attachment":
        return f"the file {row.get('filename') or entity_id}"
    if key == "person":
        return f"a person: {row.get('full_name') or entity_id}"
    if key == "user":
        return f"the user {row.get('username', entity_id)} ({row.get('display_name', '')})"
    if key == "case_department":
        return f"the department {text('department_id')} to the case"
    if key == "case_category":
        return f"the category {text('category_id')} to the case"
    if key == "department_request":
        return f"a request to {text('department_id')}, due {text('due_on')}"
    return _thing(key, entity_id)


def _app_event(
    action: str, key: str, entity_id: int | None, details: Mapping[str, Any], names: Names
) -> str:
    thing = _thing(key, entity_id)
    if action == "view":
        if key == "case":
            return "Opened the case"
        if key == "attachment":
            return f"Opened the file {details.get('filename', entity_id)}"
        if key == "audit_log":
            return "Read the audit trail" + _filter_text(details)
        return f"Opened {thing}"
    if action in ("print", "printed"):
        if key == "report":
            return f"Printed the report {_report_text(details)}"
        return f"Printed {thing}"
    if action == "save":
        return f"Saved {thing} as a PDF file"
    if action == "export_docx":
        return f"Exported {thing} to Word"
    if action == "export":
        return _export_text(key, details)
    if action == "create":
        return _created_text(key, thing, details, names)
    if action == "assign":
        return f"Assigned to {details.get('after') or 'nobody'} (was {details.get('before') or 'nobody'})"
    if action == "update" and ("before" in details or "after" in details):
        changed = changes_text(key, details.get("before"), details.get("after"), names)
        return f"Changed {changed}" if key == "case" else f"Changed {thing}: {changed}"
    if action == "deadlines":
        changed = changes_text(key, details.get("before"), details.get("after"), names)
        return f"Moved the deadlines: {changed}"
    return _other_text(action, thing, details)


def _filter_text(details: Mapping[str, Any]) -> str:
    chosen = details.get("filter")
    if not isinstance(chosen, dict) or not any(chosen.values()):
        return ""
    return " (" + "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in chosen.items() if v) + ")"


def _report_text(details: Mapping[str, Any]) -> str:
    """ "Grievance compliance" (1 Dec 2025 to 30 Nov 2026)"""
    title = details.get("title") or details.get("report") or ""
    period = details.get("period") or ""
    return f"“{title}”" + (f" ({period})" if period else "")


def _export_text(key: str, details: Mapping[str, Any]) -> str:
    if key == "report":
        fmt = str(details.get("format", "")).upper()
        where = details.get("file") or ""
        return f"Exported the report {_report_text(details)} to {fmt} {where}".strip()
    if key == "case":
        return f"Exported the {details.get('what', 'case')}"
    if key == "audit_log":
        count = details.get("entries")
        return f"Exported {count} entries of the audit trail" + _filter_text(details)
    count = details.get("cases", details.get("count"))
    fmt = str(details.get("format", "")).upper()
    where = details.get("file") or details.get("destination") or ""
    return f"Exported {count} cases to {fmt} {where}".strip()


def _created_text(key: str, thing: str, details: Mapping[str, Any], names: Names) -> str:
    if key == "case":
        return f"Logged the case ({value_text('case', 'kind', details.get('kind'), names)})"
    if key == "timeline_entry":
        kind = value_text("timeline_entry", "kind", details.get("kind"), names)
        return f"Added a timeline entry ({kind})"
    if key == "letter" and details.get("corrects_letter_id"):
        return f"Drafted {thing}, correcting letter {details['corrects_letter_id']}"
    if key == "letter":
        return f"Drafted {thing} from the template {details.get('template', '')}".rstrip()
    if key == "department_request":
        return f"Asked {details.get('department', 'a department')} for a statement"
    return f"Created {thing}"


_VERBS: dict[str, str] = {
    "acknowledge": "Recorded the acknowledgement",
    "approve": "Approved",
    "submit": "Submitted for approval",
    "return": "Returned for changes",
    "finalise": "Finalised",
    "send": "Recorded as sent",
    "withdraw": "Withdrew",
    "restore": "Restored",
    "respond": "Recorded the response to",
    "escalate": "Escalated",
    "delete": "Deleted",
    "update": "Changed",
    "close_without_response": "Closed without a sent response letter",
}


def _other_text(action: str, thing: str, details: Mapping[str, Any]) -> str:
    verb = _VERBS.get(action, action.replace("_", " ").capitalize())
    if action == "close_without_response":
        return f"{verb}: {shorten(str(details.get('reason', '')))}"
    if action == "acknowledge":
        return f"{verb} ({details.get('how', '')}, {details.get('on', '')})"
    if action == "approve" and details.get("missing_elements"):
        missing = ", ".join(str(m) for m in details["missing_elements"])
        return f"Approved {thing} without {missing}: {shorten(str(details.get('override_reason', '')))}"
    if action == "send":
        return f"Recorded {thing} as sent ({details.get('via', '')}, {details.get('sent_on', '')})"
    if action == "escalate":
        return f"Escalated {thing} to {details.get('to', '')}"
    if action == "return":
        return f"Returned {thing} for changes: {shorten(str(details.get('reason', '')))}"
    if thing == "the case":
        return verb
    return f"{verb} {thing}"


def old_and_new(
    action: str, entity: str, details: Mapping[str, Any], names: Names
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The values before and after, by label; what else an entry records goes with "new"."""
    if "old" in details or "new" in details:
        return labelled(entity, details.get("old"), names), labelled(
            entity, details.get("new"), names
        )
    if "before" in details or "after" in details:
        before, after = details.get("before"), details.get("after")
        rest = {k: v for k, v in details.items() if k not in ("before", "after")}
        if action == "assign":
            before, after = {"assignee": before}, {"assignee": after}
        new = labelled(entity, after, names) + labelled(entity, rest or None, names)
        return labelled(entity, before, names), new
    return (), labelled(entity, dict(details) or None, names)
