"""What every screen needs to know: the database, who is working, and the change hub."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QObject
from sqlalchemy.orm import Session

from prdesk.domain.database import Database
from prdesk.domain.permissions import Action, allowed
from prdesk.domain.readmodels import UserInfo
from prdesk.ui.changes import ChangeHub
from prdesk.ui.operations import Operation

T = TypeVar("T")


@dataclass(frozen=True)
class AppContext:
    """Passed to each screen instead of globals, so tests can build screens on their own.

    Attributes:
        db: the open database.
        actor: the signed-in user, as resolved at startup.
        hub: the application's change signal.
    """

    db: Database
    actor: UserInfo
    hub: ChangeHub

    def operation(
        self, parent: QObject | None, work: Callable[[Session], T], *, read_only: bool = False
    ) -> Operation[T]:
        """An Operation on this database that may announce changes on this hub."""
        return Operation(parent, self.db, work, read_only=read_only, hub=self.hub)

    def may(self, action: Action) -> bool:
        """Whether the user's role allows it: controls are disabled rather than refused later."""
        return allowed(self.actor.role, action)
