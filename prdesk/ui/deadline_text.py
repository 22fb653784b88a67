"""How a case's running deadline reads and looks: overdue in red, due soon in amber."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from prdesk.domain.queries import DUE_SOON_DAYS
from prdesk.domain.readmodels import CaseDetail
from prdesk.ui.formatting import local_date

OVERDUE_COLOR = "#b3261e"
DUE_SOON_COLOR = "#b45f06"
PAUSED_COLOR = "#167378"
ON_TIME_COLOR = "#5f6368"


@dataclass(frozen=True)
class DeadlineState:
    """What the case owes next, as shown in the header badge.

    Attributes:
        text: e.g. "Overdue: respond by 12/2/2026"; empty when nothing is due.
        color: the badge colour.
        urgency: "overdue", "due_soon", "paused", "on_time" or "" (nothing running).
    """

    text: str
    color: str
    urgency: str


def deadline_state(detail: CaseDetail, today: date | None = None) -> DeadlineState:
    today = today or date.today()
    due = detail.due_on
    if due is None:
        if detail.clock_paused_on is not None and detail.status.is_open:
            since = local_date(detail.clock_paused_on)
            return DeadlineState(f"Clock paused since {since}", PAUSED_COLOR, "paused")
        return DeadlineState("", ON_TIME_COLOR, "")
    acknowledging = detail.acknowledged_on is None and due == detail.acknowledge_due_on
    verb = "acknowledge" if acknowledging else "respond"
    what = f"{verb} by {local_date(due)}"
    if due < today:
        days = (today - due).days
        late = f"{days} day{'' if days == 1 else 's'} late"
        return DeadlineState(f"Overdue: {what} ({late})", OVERDUE_COLOR, "overdue")
    if (due - today).days < DUE_SOON_DAYS:
        when = "today" if due == today else local_date(due)
        return DeadlineState(f"Due soon: {verb} by {when}", DUE_SOON_COLOR, "due_soon")
    return DeadlineState(what[0].upper() + what[1:], ON_TIME_COLOR, "on_time")
