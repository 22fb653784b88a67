"""Checking what an administrator typed for a person before anything is written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from prdesk.domain.errors import ValidationError
from prdesk.domain.security import login_roles
from prdesk.domain.services.case_input import email_problem

if TYPE_CHECKING:
    from prdesk.domain.services.user_admin import NewUser

NAME_LIMIT = 200  # the columns' length


def check_username(username: str, *, postgres: bool) -> None:
    if postgres:
        login_roles.check_login_name(username)
        return
    # On the embedded database a login is an operating-system user name, which may
    # hold capitals (Windows); it must still be one word that fits the column.
    if not username or len(username) > 63 or any(ch.isspace() for ch in username):
        raise ValidationError.from_fields(
            {"username": "Enter the login: one word of at most 63 characters."}
        )


def login_problems(session: Session, username: str, new: NewUser) -> dict[str, str]:
    exists = login_roles.login_exists(session, username)
    if new.existing_login and not exists:
        return {
            "username": f"There is no database login '{username}'; give a password to create it."
        }
    if exists and not new.existing_login:
        return {
            "username": f"The database login '{username}' already exists; add it as an "
            "existing login (its password is left as it is)."
        }
    if new.password is not None and not new.password:
        return {"password": "Enter a password, or add an existing login."}
    return {}


def person_problems(display_name: str, email: str, job_title: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not display_name.strip():
        errors["display_name"] = "Enter the person's name as letters and lists show it."
    elif len(display_name.strip()) > NAME_LIMIT:
        errors["display_name"] = f"Keep the name to {NAME_LIMIT} characters."
    if len(job_title.strip()) > NAME_LIMIT:
        errors["job_title"] = f"Keep the job title to {NAME_LIMIT} characters."
    problem = email_problem(email.strip()) if email.strip() else None
    if problem:
        errors["email"] = problem
    return errors
