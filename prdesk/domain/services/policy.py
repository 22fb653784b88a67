"""Reading and changing the department's deadline policy, a setting every workstation shares."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.deadline_policy import DEFAULT_POLICY, DeadlinePolicy, validate_policy
from prdesk.domain.errors import ConflictError
from prdesk.domain.models import Setting
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import UserInfo

POLICY_KEY = "deadline_policy"


@dataclass(frozen=True)
class StoredPolicy:
    """The policy in force and the version it was read at (0: never saved, the default)."""

    policy: DeadlinePolicy
    version: int


def deadline_policy(session: Session) -> DeadlinePolicy:
    """The policy new cases get their deadlines from."""
    return load_policy(session).policy


def load_policy(session: Session) -> StoredPolicy:
    setting = session.get(Setting, POLICY_KEY)
    if setting is None or not isinstance(setting.value, dict):
        return StoredPolicy(DEFAULT_POLICY, 0)
    return StoredPolicy(DeadlinePolicy.from_json(setting.value), setting.version)


def save_policy(
    session: Session, actor: UserInfo, policy: DeadlinePolicy, expected_version: int
) -> StoredPolicy:
    """Replaces the policy for cases opened from now on; open cases keep their deadlines."""
    require(actor.role, Action.MANAGE_ORGANISATION)
    validate_policy(policy)
    setting = session.get(Setting, POLICY_KEY)
    current = setting.version if setting is not None else 0
    if current != expected_version:
        raise ConflictError(
            "Someone else changed the deadline policy since you opened it. "
            "Close this window and open it again to see their changes."
        )
    data = policy.to_json()
    before = setting.value if setting is not None else None
    if setting is None:
        setting = Setting(key=POLICY_KEY, value=data)
        session.add(setting)
    else:
        setting.value = data
    session.flush()
    audit.record(
        session, actor, "update", "setting", None, key=POLICY_KEY, before=before, after=data
    )
    return StoredPolicy(policy, setting.version)
