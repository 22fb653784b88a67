"""When the department owes the complainant a response.

Until deadline policies are configurable, the CMS default applies: a written
response within 30 calendar days of receipt.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

RESPONSE_DAYS = 30


def response_due(received_at: datetime) -> date:
    """The date by which a written response is due, in the workstation's local calendar."""
    return received_at.astimezone().date() + timedelta(days=RESPONSE_DAYS)
