"""`prdesk users`: who works in PR Desk, their roles, departments and database logins."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from prdesk.commands.context import CommandContext, CommandError, actor, open_for_command
from prdesk.commands.output import print_json, print_table
from prdesk.domain.enums import Role
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.security.roles import RepresentativeScope
from prdesk.domain.services import user_admin
from prdesk.domain.services.user_admin import NewUser, UserAccount

_SCOPES = {
    "departments": RepresentativeScope.DEPARTMENTS,
    "assigned-and-unassigned": RepresentativeScope.ASSIGNED_AND_UNASSIGNED,
}


def _role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        known = ", ".join(role.value for role in Role)
        raise argparse.ArgumentTypeError(f"unknown role '{text}' (one of: {known})") from None


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    users = commands.add_parser(
        "users",
        help="who works in PR Desk: people, roles, departments, logins (administrators)",
        description="Manage the people of PR Desk. On PostgreSQL each person is a database "
        "login in their role's group, changed together with their PR Desk record; on the "
        "embedded database they are the people cases are assigned to and letters signed by.",
    )
    sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", parents=[common], help="everyone, active first")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=run_list)

    add = sub.add_parser("add", parents=[common], help="add a person (and their database login)")
    add.add_argument("username", help="their login: lower-case letters, digits, _ . -")
    add.add_argument("--name", required=True, help="their name as lists and letters show it")
    add.add_argument("--role", required=True, type=_role, help=_ROLE_HELP)
    add.add_argument("--email", default="", help="their work email address")
    add.add_argument("--job-title", default="", help="printed under their signature on letters")
    add.add_argument(
        "--department",
        metavar="NAME",
        action="append",
        default=[],
        help="a department they work for (repeatable)",
    )
    how = add.add_mutually_exclusive_group()
    how.add_argument(
        "--ask-password", action="store_true", help="ask for the new login's password (twice)"
    )
    how.add_argument(
        "--password-stdin", action="store_true", help="read the new login's password from stdin"
    )
    how.add_argument(
        "--existing-login",
        action="store_true",
        help="the login exists already (made by IT, e.g. for LDAP or Kerberos): join it to "
        "the role's group and leave its password alone. Without any of these three, a new "
        "login signs on without a password (LDAP, Kerberos, Windows sign-on)",
    )
    add.set_defaults(handler=run_add)

    for action, text in (
        ("disable", "stop someone signing in"),
        ("enable", "let a disabled person sign in again"),
    ):
        parser = sub.add_parser(action, parents=[common], help=text)
        parser.add_argument("username")
        parser.set_defaults(handler=run_disable if action == "disable" else run_enable)

    set_role = sub.add_parser("set-role", parents=[common], help="give someone another role")
    set_role.add_argument("username")
    set_role.add_argument("role", type=_role, help=_ROLE_HELP)
    set_role.set_defaults(handler=run_set_role)

    departments = sub.add_parser(
        "departments",
        parents=[common],
        help="show or set the departments someone works for",
        description="With department names, sets exactly those (none: --none); without, shows them.",
    )
    departments.add_argument("username")
    departments.add_argument("names", metavar="NAME", nargs="*", help="a department's name")
    departments.add_argument("--none", action="store_true", help="works for no department")
    departments.set_defaults(handler=run_departments)

    scope = sub.add_parser(
        "scope",
        parents=[common],
        help="show or set which cases representatives see",
        description="departments: every case of their departments, and those assigned to "
        "them. assigned-and-unassigned: cases assigned to them and cases nobody has taken.",
    )
    scope.add_argument("scope", nargs="?", choices=sorted(_SCOPES), help="the new rule")
    scope.set_defaults(handler=run_scope)


_ROLE_HELP = "administrator, coordinator, representative, clerk or auditor"


def run_list(args: argparse.Namespace) -> int:
    context = open_for_command(args)
    with context.db.transaction(read_only=True) as session:
        accounts = user_admin.list_users(session)
    if args.json:
        print_json(accounts)
        return 0
    print_table(
        ["LOGIN", "NAME", "ROLE", "ACTIVE", "DEPARTMENTS"],
        [
            [
                account.username,
                account.display_name,
                account.role.label,
                "yes" if account.active else "no",
                account.department_names,
            ]
            for account in accounts
        ],
    )
    return 0


def run_add(args: argparse.Namespace) -> int:
    context = open_for_command(args)
    password: str | None = None
    postgres = context.db.dialect == "postgresql"
    if args.ask_password or args.password_stdin:
        if not postgres:
            raise CommandError(
                "The embedded database has no logins: leave out the password option."
            )
        password = _ask_password(args.username) if args.ask_password else _read_password()
    me = actor(context)
    with context.db.transaction() as session:
        new = NewUser(
            username=args.username,
            display_name=args.name,
            role=args.role,
            email=args.email,
            job_title=args.job_title,
            department_ids=user_admin.department_ids(session, args.department),
            password=password,
            existing_login=args.existing_login,
        )
        account = user_admin.add_user(session, me, new)
    how = ""
    if postgres:
        how = (
            " (existing login joined)"
            if args.existing_login
            else (" (new login with password)" if password else " (new login, no password)")
        )
    print(f"Added {_who(account)} as {account.role.label.lower()}{how}.")
    return 0


def run_disable(args: argparse.Namespace) -> int:
    context, me = _acting(args)
    with context.db.transaction() as session:
        account = user_admin.disable_user(
            session, me, user_admin.user_id_of(session, args.username)
        )
    print(f"Disabled {_who(account)}: they can no longer sign in.")
    return 0


def run_enable(args: argparse.Namespace) -> int:
    context, me = _acting(args)
    with context.db.transaction() as session:
        account = user_admin.enable_user(session, me, user_admin.user_id_of(session, args.username))
    print(f"Enabled {_who(account)}.")
    return 0


def run_set_role(args: argparse.Namespace) -> int:
    context, me = _acting(args)
    with context.db.transaction() as session:
        account = user_admin.set_role(
            session, me, user_admin.user_id_of(session, args.username), args.role
        )
    print(f"{_who(account)} is now {account.role.label.lower()}.")
    return 0


def run_departments(args: argparse.Namespace) -> int:
    context = open_for_command(args)
    if args.none and args.names:
        raise CommandError("Give department names or --none, not both.")
    if not args.names and not args.none:
        with context.db.transaction(read_only=True) as session:
            account = user_admin.user_account(
                session, user_admin.user_id_of(session, args.username)
            )
        print(account.department_names or "No departments.")
        return 0
    me = actor(context)
    with context.db.transaction() as session:
        ids = user_admin.department_ids(session, args.names)
        account = user_admin.set_departments(
            session, me, user_admin.user_id_of(session, args.username), ids
        )
    print(f"{_who(account)} works for: {account.department_names or 'no department'}.")
    return 0


def run_scope(args: argparse.Namespace) -> int:
    context = open_for_command(args)
    if args.scope is None:
        with context.db.transaction(read_only=True) as session:
            scope = user_admin.representative_scope(session)
        print(f"Representatives see: {scope.label.lower()}.")
        return 0
    me = actor(context)
    with context.db.transaction() as session:
        scope = user_admin.set_representative_scope(session, me, _SCOPES[args.scope])
    print(f"Representatives now see: {scope.label.lower()}.")
    return 0


def _acting(args: argparse.Namespace) -> tuple[CommandContext, UserInfo]:
    context = open_for_command(args)
    return context, actor(context)


def _who(account: UserAccount) -> str:
    return f"{account.display_name} ({account.username})"


def _ask_password(username: str) -> str:
    first = getpass.getpass(f"Password for the new login {username}: ")
    if getpass.getpass("The same password again: ") != first:
        raise CommandError("The two passwords differ; nothing was changed.")
    if not first:
        raise CommandError("An empty password cannot sign in; nothing was changed.")
    return first


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise CommandError("No password on standard input; nothing was changed.")
    return password
