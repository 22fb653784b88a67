"""The database tables, as SQLAlchemy declarative models.

Only the domain's services and queries touch these; everything outside the domain
gets frozen read models instead.
"""

from prdesk.domain.models.base import Base, utcnow
from prdesk.domain.models.cases import (
    Case,
    CaseNumberCounter,
    CaseSearch,
    CaseStaff,
    case_categories,
    case_departments,
)
from prdesk.domain.models.desk import CasePresence, Notification, SavedView
from prdesk.domain.models.organisation import Category, Department, Setting, user_departments
from prdesk.domain.models.people import Person, User
from prdesk.domain.models.records import (
    Attachment,
    AuditEvent,
    Blob,
    DepartmentRequest,
    Letter,
    LetterTemplateVersion,
    Signature,
    TimelineEntry,
    timeline_entry_departments,
)

__all__ = [
    "Attachment",
    "AuditEvent",
    "Base",
    "Blob",
    "Case",
    "CaseNumberCounter",
    "CasePresence",
    "CaseSearch",
    "CaseStaff",
    "Category",
    "Department",
    "DepartmentRequest",
    "Letter",
    "LetterTemplateVersion",
    "Notification",
    "Person",
    "SavedView",
    "Setting",
    "Signature",
    "TimelineEntry",
    "User",
    "case_categories",
    "case_departments",
    "timeline_entry_departments",
    "user_departments",
    "utcnow",
]
