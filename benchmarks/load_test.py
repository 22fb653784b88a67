"""Many people at once on one PostgreSQL database: 20 workstations for 60 seconds.

    python benchmarks/load_test.py
    python benchmarks/load_test.py --clients 20 --seconds 60 --as-roles --keep

Creates a new database on the server (127.0.0.1 unless --server says otherwise),
fills it with demo cases, a department everyone works for and a few shared cases
that every workstation changes at once, then starts one process per workstation
(see load_worker.py for the mix of work). At the end it compares what the database
holds with what the workstations were told had been saved (load_checks.py):
  - writes lost: cases, timeline entries, letters, status changes and reassignments
    reported saved but missing (or present but never reported): target 0;
  - the shared cases' histories: each status change and reassignment must start from
    where the one before it ended, or one person overwrote another: target 0 breaks;
  - duplicate case numbers: target 0;
  - the audit trail: a trigger row for every new case, and every change under load
    recorded under the login that made it;
  - errors other than the expected conflicts: target 0;
and prints each operation's median, 95th percentile and worst latency. The exit
status is 1 when a target is missed. With --as-roles each workstation logs in as
its own PostgreSQL login in a PR Desk group (coordinators, representatives), so
row-level security and the audit triggers are part of the load; otherwise all
connect as the server login given, the database's owner, which bypasses row
security. The logins (new, random names) are dropped at the end whatever happens;
the database too, unless --keep.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import queue
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from load_checks import Findings, verify
from load_worker import MIX, WorkerPlan, run_worker
from sqlalchemy import Connection, create_engine, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import CaseKind, CaseStatus, Channel, Role
from prdesk.domain.models import Setting, User, user_departments
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.schema import upgrade
from prdesk.domain.security.roles import (
    GROUP_ROLES,
    REPRESENTATIVE_SCOPE_KEY,
    RepresentativeScope,
    group_role,
)
from prdesk.domain.services import cases, organisation, users
from prdesk.domain.services.case_input import NewCase, PersonInput
from prdesk.domain.services.mapping import user_info

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20, help="workstations (processes)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they work")
    parser.add_argument("--shared", type=int, default=4, help="cases every workstation changes")
    parser.add_argument("--background", type=int, default=1000, help="demo cases beforehand")
    parser.add_argument(
        "--server", default=SERVER, help="a PostgreSQL login allowed to CREATE DATABASE"
    )
    parser.add_argument("--as-roles", action="store_true", help="each workstation its own login")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    server = make_url(args.server)
    name = f"prdesk_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        version = connection.execute(text("SHOW server_version")).scalar()
    url = server.set(database=name)
    owner = Database(url)
    logins: list[str] = []
    try:
        print(f"Setting up {name} on {owner.display_name} (PostgreSQL {version}) ...", flush=True)
        setup = _set_up(owner, url, args, logins)
        findings = _run(owner, setup, args)
        _report(findings, args, setup, version)
        return 0 if findings.all_met else 1
    finally:
        owner.dispose()
        with admin.connect() as connection:
            if args.keep:
                print(f"kept: {url.render_as_string(hide_password=True)}")
            else:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            _drop_logins(connection, url, logins, kept=args.keep)
        admin.dispose()


@dataclass(frozen=True)
class Setup:
    """What the workstations are given, and what the database held before they started.

    Attributes:
        marks: the highest id of each counted table before the work began.
        acting: the logins the audit trail must name for the changes made under load.
    """

    plans: list[WorkerPlan]
    shared: tuple[int, ...]
    marks: dict[str, int]
    as_roles: bool
    acting: list[str]


def _set_up(owner: Database, url: URL, args: argparse.Namespace, logins: list[str]) -> Setup:
    upgrade(owner)
    if args.background:
        generate_demo_data(owner, args.background, seed=args.seed)
    with owner.transaction() as session:
        department = organisation.ensure_department(session, "Emergency Department (load)")
        lead = _colleague(session, "load_lead", "Lead Coordinator", Role.COORDINATOR)
        # Representatives see the cases of their department: every case here is in it.
        scope = session.get(Setting, REPRESENTATIVE_SCOPE_KEY)
        if scope is None:
            session.add(
                Setting(key=REPRESENTATIVE_SCOPE_KEY, value=RepresentativeScope.DEPARTMENTS.value)
            )
        else:
            scope.value = RepresentativeScope.DEPARTMENTS.value
    as_roles = args.as_roles and _groups_exist(owner)
    if args.as_roles and not as_roles:
        print("  PR Desk's group roles are missing after migrating: running as the owner instead")
    people = _people(owner, url, args.clients, logins if as_roles else None)
    with owner.transaction() as session:
        session.execute(
            user_departments.insert(),
            [{"user_id": user.id, "department_id": department} for user, _ in people],
        )
    # The lead coordinator takes cases too, so even one workstation has someone to hand to.
    caseworkers = (lead.id, *(user.id for user, _ in people))
    shared = tuple(
        _shared_case(owner, lead, department, caseworkers[n % len(caseworkers)], n)
        for n in range(args.shared)
    )
    with owner.transaction(read_only=True) as session:
        marks = {
            table: session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table}")) or 0
            for table in ("cases", "timeline_entries", "letters", "audit_log")
        }
    plans = [
        WorkerPlan(
            index=index,
            url=worker_url,
            role=user.role,
            user_id=user.id,
            as_login=as_roles,
            shared_case_ids=shared,
            department_id=department,
            caseworker_ids=caseworkers,
            seconds=args.seconds,
            seed=args.seed * 1000 + index,
        )
        for index, (user, worker_url) in enumerate(people)
    ]
    acting = list(logins) if as_roles else [url.username or ""]
    return Setup(plans, shared, marks, as_roles, acting)


def _people(
    owner: Database, url: URL, count: int, logins: list[str] | None
) -> list[tuple[UserInfo, str]]:
    """One person per workstation, a coordinator in four, with the URL they connect with.

    With `logins`, each is a new PostgreSQL login in their role's group (appended to
    `logins`, to be dropped at the end) and PR Desk makes their user on first sight.
    """
    roles = [Role.COORDINATOR if i % 4 == 0 else Role.REPRESENTATIVE for i in range(count)]
    people: list[tuple[UserInfo, str]] = []
    for index, role in enumerate(roles):
        display = f"Load {role.label} {index:02d}"
        if logins is not None:
            login = f"{url.database}_{index:02d}"
            with owner.engine.begin() as connection:
                connection.execute(
                    text(f'CREATE ROLE "{login}" LOGIN IN ROLE "{group_role(role)}"')
                )
            logins.append(login)
            person = Database(url.set(username=login))
            try:
                with person.transaction() as session:
                    people.append(
                        (
                            users.resolve_actor(session, login, display),
                            person.url.render_as_string(hide_password=False),
                        )
                    )
            finally:
                person.dispose()
        else:
            with owner.transaction() as session:
                people.append(
                    (
                        _colleague(session, f"load_{index:02d}", display, role),
                        url.render_as_string(hide_password=False),
                    )
                )
    return people


def _colleague(session: Session, username: str, display: str, role: Role) -> UserInfo:
    """A member of staff with the role an administrator gave them."""
    users.resolve_actor(session, username, display)
    user = session.scalars(select(User).where(User.username == username)).one()
    user.role = role
    session.flush()
    return user_info(user)


def _shared_case(owner: Database, lead: UserInfo, department: int, assignee: int, n: int) -> int:
    new = NewCase(
        kind=CaseKind.COMPLAINT,  # in writing: a grievance
        channel=Channel.LETTER,
        patient=PersonInput(
            f"Shared Patient {n}",
            address_line1="1 Main Street",
            city="Springfield",
            region="IL",
            postal_code="62701",
        ),
        description="A grievance every workstation works on at once.",
        department_ids=(department,),
        assignee_id=assignee,
    )
    with owner.transaction() as session:
        case = cases.open_case(session, lead, new)
    with owner.transaction() as session:
        cases.change_status(session, lead, case.id, case.version, CaseStatus.INVESTIGATING)
    return case.id


def _groups_exist(owner: Database) -> bool:
    with owner.engine.connect() as connection:
        found = connection.execute(
            text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(GROUP_ROLES.values())},
        ).scalar()
    return found == len(GROUP_ROLES)


def _drop_logins(connection: Connection, url: URL, logins: list[str], *, kept: bool) -> None:
    if kept and logins:
        # Their rights in the kept database go first, or the roles cannot be dropped.
        engine = create_engine(url)
        with engine.begin() as kept_db:
            for login in logins:
                kept_db.execute(text(f'DROP OWNED BY "{login}"'))
        engine.dispose()
    for login in logins:
        connection.execute(text(f'DROP ROLE IF EXISTS "{login}"'))


def _run(owner: Database, setup: Setup, args: argparse.Namespace) -> Findings:
    context = multiprocessing.get_context("spawn")
    ready, results, start = context.Queue(), context.Queue(), context.Event()
    processes = [
        context.Process(target=run_worker, args=(plan, ready, start, results), daemon=True)
        for plan in setup.plans
    ]
    for process in processes:
        process.start()
    _gather(ready, processes, "start")
    print(
        f"  {len(processes)} workstations connected; working for {args.seconds:.0f} s ...",
        flush=True,
    )
    load_before = os.getloadavg()
    start.set()
    began = time.perf_counter()
    reports = _gather(results, processes, "report")
    wall = time.perf_counter() - began
    load_after = os.getloadavg()
    for process in processes:
        process.join(timeout=30)
    findings = verify(
        owner,
        setup.shared,
        setup.marks,
        reports,
        missing=len(processes) - len(reports),
        acting=setup.acting,
    )
    return replace(findings, wall_seconds=wall, load=(load_before[0], load_after[0]))


def _gather(messages: Any, processes: list[Any], what: str) -> list[Any]:
    """One message from each process; a process that died first is reported, not awaited."""
    gathered: list[Any] = []
    while len(gathered) < len(processes):
        try:
            gathered.append(messages.get(timeout=1))
        except queue.Empty:
            dead = [p.pid for p in processes if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(
                    f"workstation processes {dead} ended before they could {what}"
                ) from None
    return gathered


def _report(findings: Findings, args: argparse.Namespace, setup: Setup, version: object) -> None:
    who = (
        "each its own login (coordinator or representative group): row security on"
        if setup.as_roles
        else "all as the database owner (bypasses row-level security)"
    )
    print()
    print(
        f"PostgreSQL {version} load, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}: "
        f"{os.cpu_count()} cores; {len(setup.plans)} workstations for {args.seconds:.0f} s "
        f"({findings.wall_seconds:.1f} s until the last reported), {who}"
    )
    print(
        f"  {args.background:,} demo cases beforehand, {len(setup.shared)} shared cases; "
        f"1-minute load average {findings.load[0]:.1f} before, {findings.load[1]:.1f} after"
    )
    print()
    header = f"  {'operation':<30} {'done':>7} {'conflicts':>9} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    print(header)
    for name in [op for op in MIX[Role.COORDINATOR] if op in findings.latencies]:
        times = sorted(findings.latencies[name])
        p95 = times[min(len(times) - 1, round(len(times) * 0.95))]
        print(
            f"  {name:<30} {findings.succeeded.get(name, 0):>7,} {findings.conflicts.get(name, 0):>9,} "
            f"{findings.errors_by_operation.get(name, 0):>6,} {statistics.median(times) * 1000:>8.1f} "
            f"{p95 * 1000:>8.1f} {times[-1] * 1000:>8.1f}"
        )
    total = sum(findings.succeeded.values())
    print(
        f"  {'all operations':<30} {total:>7,} {sum(findings.conflicts.values()):>9,} "
        f"{sum(findings.errors.values()):>6,}   ({total / args.seconds:.0f} a second; "
        f"{findings.pdf_pages:,} PDF pages)"
    )
    print()
    for check in findings.checks:
        mark = "met" if check.met else "MISSED"
        print(f"  {check.label:<58} {check.value:>8,}  target {check.target}: {mark}")
        for detail in check.details[:5]:
            print(f"      {detail}")
    for kind, count in sorted(findings.errors.items()):
        print(f"  error {kind}: {count} (for example: {findings.error_samples.get(kind, '')})")


if __name__ == "__main__":
    sys.exit(main())
