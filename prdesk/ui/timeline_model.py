"""The rows of a case's timeline: a separator for each day, then that day's entries, filtered."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from anyascii import anyascii
from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from prdesk.domain.enums import TimelineKind
from prdesk.domain.readmodels import DepartmentRequestInfo, Reference, TimelineEntryInfo
from prdesk.ui.formatting import local_date, local_datetime, locale

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
IS_DAY_ROLE = Qt.ItemDataRole.UserRole + 2
DAY_ROLE = Qt.ItemDataRole.UserRole + 3
REQUEST_ROLE = Qt.ItemDataRole.UserRole + 4

# A row is either the local date that heads a day or an entry of that day.
Row = date | TimelineEntryInfo
# Apostrophes vanish from both the text and the query, so "obrien" finds O'Brien.
_APOSTROPHES = str.maketrans("", "", "'\u2019\u02bc`")
# A card shows three lines of the body: its first few hundred characters are plenty.
PREVIEW_LIMIT = 700
_BLOCK_MARK = re.compile(r"^ {0,3}(?:(#{1,6}|>)\s*|([-*+])\s+|(\d{1,9}[.)])\s+)")
_INLINE_MARK = re.compile(r"\\([!-/:-@\[-`{-~])|\*{1,3}|~~|`+|(?<!\w)_{1,3}|_{1,3}(?!\w)")
_MARKUP = frozenset("\\*~`_")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def searchable(text: str) -> str:
    """Text as the timeline's search compares it: lower case, accents and scripts in ASCII.

    Cheaper than the case search's word folding, which matters at thousands of
    entries: the words stay where they are and a query word is found anywhere in them.
    """
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = anyascii(text)
    return text.lower().translate(_APOSTROPHES)


def long_date(day: date) -> str:
    """The day as a heading in the user's language ("Thursday, November 26, 2026")."""
    return locale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)


def preview_text(markdown: str) -> str:
    """The start of a Markdown body as one run of plain words, for a card's few lines.

    A line-by-line strip of the markup the editor writes (headings, lists, emphasis,
    escapes): a full CommonMark parse costs a millisecond an entry, too much for
    thousands of cards. The detail pane renders the body properly.
    """
    words: list[str] = []
    fenced = False
    cut = len(markdown) > PREVIEW_LIMIT
    if cut:
        # Ends at a whole word, and says there is more.
        markdown = markdown[:PREVIEW_LIMIT].rsplit(None, 1)[0]
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            mark = _BLOCK_MARK.match(line)
            if mark is not None:
                prefix = "• " if mark.group(2) else f"{mark.group(3)} " if mark.group(3) else ""
                line = prefix + line[mark.end() :]
            if line.endswith("\\") and not line.endswith("\\\\"):
                line = line[:-1]
            if "](" in line:
                line = _LINK.sub(r"\1", line)
            if _MARKUP.intersection(line):
                line = _INLINE_MARK.sub(lambda m: m.group(1) or "", line)
        line = line.strip()
        if line:
            words.append(line)
    if cut:
        words.append("…")
    return " ".join(words)


def request_state(
    entry: TimelineEntryInfo, request: DepartmentRequestInfo | None, today: date
) -> tuple[str, str] | None:
    """(chip style, text) saying where the request this entry belongs to stands."""
    if request is None:
        return None
    asked = local_date(request.requested_at.astimezone().date())
    if entry.id == request.response_entry_id:
        return "request_done", f"Reply to the request of {asked}"
    if entry.id == request.escalation_entry_id:
        return "request_overdue", f"Escalation of the request of {asked}"
    if request.answered_at is not None:
        return "request_done", f"Answered {local_date(request.answered_at.astimezone().date())}"
    due = local_date(request.due_on)
    if request.is_overdue(today):
        escalated = ", escalated" if request.escalated_at is not None else ""
        return "request_overdue", f"Overdue: was due {due}{escalated}"
    return "request_open", f"Awaiting reply, due {due}"


def chips(
    entry: TimelineEntryInfo, request: DepartmentRequestInfo | None, today: date
) -> list[tuple[str, str]]:
    """(chip style, text) of what a card lists under its text, in reading order."""
    found = [("person", name) for name in entry.people]
    found += [("department", department.name) for department in entry.departments]
    if entry.patient_facing:
        found.append(("patient_facing", "Patient-facing"))
    if entry.internal:
        found.append(("internal", "Internal"))
    if entry.attachments:
        count = len(entry.attachments)
        found.append(("attachments", f"{count} attachment{'s' if count != 1 else ''}"))
    state = request_state(entry, request, today)
    if state is not None:
        found.append(state)
    if entry.edited_at is not None:
        found.append(("edited", "Edited"))
    return found


def accessible_text(
    entry: TimelineEntryInfo, request: DepartmentRequestInfo | None, today: date
) -> str:
    """The whole card as one sentence for a screen reader."""
    parts = [
        f"{entry.kind.label}, {local_datetime(entry.occurred_at)}, by {entry.author_name}.",
        f"{entry.summary}.",
    ]
    preview = preview_text(entry.body)
    if preview:
        parts.append(preview)
    parts += [f"{text}." for _style, text in chips(entry, request, today)]
    return " ".join(parts)


def _haystack(entry: TimelineEntryInfo) -> str:
    # The body is Markdown: its markup is punctuation that no query word contains,
    # so it can be searched as it is (turning it into plain text costs a millisecond
    # an entry). Backslash escapes would split words ("1\\. dose"): they go.
    return searchable(
        "\n".join(
            (
                entry.summary,
                entry.body.replace("\\", ""),
                entry.author_name,
                entry.kind.label,
                entry.sender,
                entry.recipients,
                *entry.people,
                *(department.name for department in entry.departments),
                *(attachment.filename for attachment in entry.attachments),
            )
        )
    )


class TimelineModel(QAbstractListModel):
    """Day separators and entries, flattened into one list, newest or oldest first.

    `set_entries` replaces the entries after each load; `set_filter` and
    `set_newest_first` rearrange what is shown. Every change resets the model; the
    panel keeps the selection by entry id across resets.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntryInfo] = []
        self._requests: dict[int, DepartmentRequestInfo] = {}
        self._rows: list[Row] = []
        self._row_of_id: dict[int, int] = {}
        self._newest_first = True
        self._kinds: frozenset[TimelineKind] | None = None
        self._author_id: int | None = None
        self._terms: tuple[str, ...] = ()
        # Search texts by entry id, kept while the entry's version is unchanged.
        self._haystacks: dict[int, tuple[int, str]] = {}
        self._days: dict[int, tuple[int, date]] = {}

    # -- what the panel sets

    def set_entries(
        self,
        entries: Sequence[TimelineEntryInfo],
        requests: Iterable[DepartmentRequestInfo] = (),
    ) -> None:
        """The case's entries and its requests to departments (whose state entries show)."""
        self._entries = list(entries)
        self._requests = {request.id: request for request in requests}
        current = {entry.id for entry in self._entries}
        for cache in (self._haystacks, self._days):
            for stale in cache.keys() - current:
                del cache[stale]
        self._rebuild()

    def set_newest_first(self, newest_first: bool) -> None:
        if newest_first != self._newest_first:
            self._newest_first = newest_first
            self._rebuild()

    def set_filter(
        self, kinds: frozenset[TimelineKind] | None, author_id: int | None, text: str
    ) -> None:
        """Shows only entries of `kinds` (None: any), by `author_id` (None: anyone),
        whose words contain every word of `text`."""
        terms = tuple(searchable(text).split())
        if (kinds, author_id, terms) != (self._kinds, self._author_id, self._terms):
            self._kinds, self._author_id, self._terms = kinds, author_id, terms
            self._rebuild()

    # -- what the panel and the tests ask

    @property
    def newest_first(self) -> bool:
        return self._newest_first

    def entry_at(self, row: int) -> TimelineEntryInfo | None:
        """The entry shown at `row`; None for a day separator or a row out of range."""
        if 0 <= row < len(self._rows):
            found = self._rows[row]
            if isinstance(found, TimelineEntryInfo):
                return found
        return None

    def row_of(self, entry_id: int) -> int | None:
        """The row showing the entry, or None when it is filtered out or gone."""
        return self._row_of_id.get(entry_id)

    def visible_entries(self) -> list[TimelineEntryInfo]:
        """The entries shown, in the order shown."""
        return [row for row in self._rows if isinstance(row, TimelineEntryInfo)]

    def visible_count(self) -> int:
        return len(self._row_of_id)

    def total_count(self) -> int:
        return len(self._entries)

    def authors(self) -> list[Reference]:
        """Everyone who wrote one of the entries, by name."""
        names = {entry.author_id: entry.author_name for entry in self._entries}
        return sorted(
            (Reference(author_id, name) for author_id, name in names.items()),
            key=lambda reference: searchable(reference.name),
        )

    def request_of(self, entry: TimelineEntryInfo) -> DepartmentRequestInfo | None:
        return self._requests.get(entry.request_id) if entry.request_id is not None else None

    # -- building the rows

    def _rebuild(self) -> None:
        filtered = self._kinds is not None or self._author_id is not None or self._terms
        shown = [e for e in self._entries if self._matches(e)] if filtered else list(self._entries)
        shown.sort(key=lambda e: (e.occurred_at, e.id), reverse=self._newest_first)
        rows: list[Row] = []
        row_of_id: dict[int, int] = {}
        day: date | None = None
        for entry in shown:
            entry_day = self._day_of(entry)
            if entry_day != day:
                rows.append(entry_day)
                day = entry_day
            row_of_id[entry.id] = len(rows)
            rows.append(entry)
        self.beginResetModel()
        self._rows, self._row_of_id = rows, row_of_id
        self.endResetModel()

    def _day_of(self, entry: TimelineEntryInfo) -> date:
        """The day it happened on the workstation's calendar (stored times are UTC)."""
        cached = self._days.get(entry.id)
        if cached is None or cached[0] != entry.version:
            cached = (entry.version, entry.occurred_at.astimezone().date())
            self._days[entry.id] = cached
        return cached[1]

    def _matches(self, entry: TimelineEntryInfo) -> bool:
        if self._kinds is not None and entry.kind not in self._kinds:
            return False
        if self._author_id is not None and entry.author_id != self._author_id:
            return False
        if not self._terms:
            return True
        cached = self._haystacks.get(entry.id)
        if cached is None or cached[0] != entry.version:
            cached = (entry.version, _haystack(entry))
            self._haystacks[entry.id] = cached
        haystack = cached[1]
        return all(term in haystack for term in self._terms)

    # -- QAbstractListModel

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], TimelineEntryInfo):
            return (
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren
            )
        # A day heading is read out but never chosen: the view steps over it.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, date):
            return self._day_data(row, role)
        if role == ENTRY_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return row.summary
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return accessible_text(row, self.request_of(row), date.today())
        if role == Qt.ItemDataRole.ToolTipRole:
            edited = (
                f"\nEdited {local_datetime(row.edited_at)} by {row.edited_by_name}"
                if row.edited_at is not None
                else ""
            )
            return (
                f"Happened {local_datetime(row.occurred_at)}\n"
                f"Recorded {local_datetime(row.recorded_at)} by {row.author_name}{edited}"
            )
        if role == IS_DAY_ROLE:
            return False
        if role == REQUEST_ROLE:
            return self.request_of(row)
        return None

    @staticmethod
    def _day_data(day: date, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return long_date(day)
        if role == IS_DAY_ROLE:
            return True
        if role == DAY_ROLE:
            return day
        return None
