"""What the database itself allows each group: auditors, coordinators, the audit log, the set-up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from prdesk.domain.database import Database
from prdesk.domain.enums import Role
from prdesk.domain.errors import PermissionDenied
from prdesk.domain.models import Base
from prdesk.domain.queries import list_cases
from prdesk.domain.readmodels import CaseDetail, Letterhead, UserInfo
from prdesk.domain.security import roles, row_security
from prdesk.domain.security.access_rules import RULES
from prdesk.domain.services import cases, letter_workflow, letters, organisation, users
from tests.support.builders import log_case, phone_complaint
from tests.support.pg_roles import login_as, signed_in

pytestmark = pytest.mark.postgresql


@pytest.fixture
def administrator(postgres_db: Database) -> UserInfo:
    """The database administrator, who is PR Desk's first user."""
    with postgres_db.transaction() as session:
        return users.resolve_actor(session, "mgarcia", "María García")


@pytest.fixture
def logged(postgres_db: Database, administrator: UserInfo) -> CaseDetail:
    return log_case(postgres_db, administrator, phone_complaint("Ana Torres"))


@pytest.fixture
def auditor_db(postgres_db: Database) -> Iterator[Database]:
    with login_as(postgres_db, Role.AUDITOR) as database:
        yield database


def test_an_auditor_reads_every_case_and_its_people_and_opening_one_is_recorded(
    auditor_db: Database, logged: CaseDetail
) -> None:
    auditor = signed_in(auditor_db, "Quality Auditor")
    with auditor_db.transaction() as session:
        assert [row.number for row in list_cases(session)] == [logged.number]
        assert cases.view_case(session, auditor, logged.id).description == logged.description
    with auditor_db.engine.connect() as connection:
        names = connection.execute(text("SELECT full_name FROM people")).scalars().all()
        opened = connection.execute(
            text("SELECT username FROM audit_log WHERE action = 'view' AND case_id = :id"),
            {"id": logged.id},
        ).scalar_one()
    assert (names, opened) == (["Ana Torres"], auditor.username)


def test_an_auditor_changes_nothing(auditor_db: Database, logged: CaseDetail) -> None:
    auditor = signed_in(auditor_db)
    with auditor_db.transaction() as session, pytest.raises(PermissionDenied):
        cases.open_case(session, auditor, phone_complaint("Ben Okafor"))
    with auditor_db.engine.connect() as connection:
        for statement in (
            "UPDATE cases SET description = 'changed'",
            "DELETE FROM cases",
            "INSERT INTO case_categories (case_id, category_id) SELECT id, 1 FROM cases",
            "DELETE FROM timeline_entries",
            "INSERT INTO departments (name, active, manager_name, manager_email, backup_name,"
            " backup_email, version) VALUES ('Audit', true, '', '', '', '', 1)",
            "UPDATE settings SET version = version + 1",
        ):
            with pytest.raises(Exception, match="permission denied"):
                connection.execute(text(statement))
            connection.rollback()


@pytest.mark.parametrize("role", list(Role))
def test_no_group_may_change_or_remove_the_audit_log_or_write_in_anothers_name(
    postgres_db: Database, logged: CaseDetail, role: Role
) -> None:
    with login_as(postgres_db, role) as person, person.engine.connect() as connection:
        for statement in (
            "UPDATE audit_log SET username = 'nobody'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
        ):
            with pytest.raises(Exception, match=r"permission denied|cannot be changed"):
                connection.execute(text(statement))
            connection.rollback()
        connection.execute(
            text(
                "INSERT INTO audit_log (at, username, action, entity, details, client)"
                " VALUES (now(), 'mgarcia', 'forged', 'case', '{}', '')"
            )
        )
        connection.commit()
        login = person.url.username
    with postgres_db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT username FROM audit_log WHERE action = 'forged'")
        ).scalars()
        untouched = connection.execute(
            text("SELECT count(*) FROM audit_log WHERE username = 'nobody'")
        ).scalar_one()
    assert (list(rows), untouched) == ([login], 0)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.REPRESENTATIVE, Role.CLERK])
def test_only_auditors_and_administrators_read_the_audit_log(
    postgres_db: Database, logged: CaseDetail, role: Role
) -> None:
    with login_as(postgres_db, role) as person, person.engine.connect() as connection:
        with pytest.raises(Exception, match="permission denied"):
            connection.execute(text("SELECT details FROM audit_log"))
        connection.rollback()
        # Only the ids of their own events, which writing one hands back.
        assert connection.execute(text("SELECT count(id) FROM audit_log")).scalar_one() == 0


def test_a_coordinator_runs_the_desk_but_not_the_organisation(
    postgres_db: Database, logged: CaseDetail
) -> None:
    with login_as(postgres_db, Role.COORDINATOR) as coordinator_db:
        coordinator = signed_in(coordinator_db, "Sam Reyes")
        with login_as(postgres_db, Role.REPRESENTATIVE) as rep_db:
            rep = signed_in(rep_db, "Ji-woo Kim")
            with coordinator_db.transaction() as session:
                assigned = cases.assign_case(
                    session, coordinator, logged.id, logged.version, rep.id
                )
            assert assigned.assignee is not None and assigned.assignee.id == rep.id
            with rep_db.transaction() as session:
                letter = letters.draft_letter(session, rep, logged.id, "acknowledgement")
                assert [row.number for row in list_cases(session)] == [logged.number]
                assert letter_workflow.letter_detail(session, rep, letter.id).id == letter.id
        with coordinator_db.transaction() as session, pytest.raises(PermissionDenied):
            organisation.set_letterhead(session, coordinator, Letterhead("Other Hospital", ""))
        with (
            coordinator_db.engine.connect() as connection,
            pytest.raises(Exception, match="permission denied"),
        ):
            connection.execute(
                text("INSERT INTO settings (key, value, version) VALUES ('letterhead', '{}', 1)")
            )


def test_setting_up_again_changes_nothing(postgres_db: Database) -> None:
    def policies() -> list[tuple[str, str, str, str]]:
        with postgres_db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT tablename, policyname, coalesce(qual, ''), coalesce(with_check, '')"
                    " FROM pg_policies WHERE schemaname = current_schema() ORDER BY 1, 2"
                )
            )
            return [tuple(row) for row in rows]

    before = policies()
    with postgres_db.engine.begin() as connection:
        row_security.install(connection)
    assert policies() == before
    # Every table has its own rules, not the administrators-only fallback.
    assert {rules.table for rules in RULES} == set(Base.metadata.tables) | {"alembic_version"}
    with postgres_db.engine.begin() as connection:
        row_security.uninstall(connection)
    assert policies() == []
    with postgres_db.engine.begin() as connection:
        row_security.install(connection)
    assert policies() == before


def test_a_migrating_login_that_may_not_create_the_groups_is_told_what_to_ask_for(
    postgres_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(roles.GROUP_ROLES, Role.AUDITOR, "prdesk_auditor_missing")
    with (
        login_as(postgres_db, None) as owner,
        owner.engine.begin() as connection,
        pytest.raises(PermissionDenied) as refused,
    ):
        row_security.install(connection)
    assert "CREATE ROLE prdesk_auditor_missing NOLOGIN;" in refused.value.message


def test_the_database_owner_signs_in_by_name_as_before(
    postgres_db: Database, administrator: UserInfo
) -> None:
    with login_as(postgres_db, None) as owner_db:
        with postgres_db.engine.begin() as connection:
            tables = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).scalars()
            for table in tables.all():
                connection.execute(
                    text(f'ALTER TABLE "{table}" OWNER TO "{owner_db.url.username}"')
                )
        with owner_db.transaction() as session:
            acting = users.resolve_actor(session, "mgarcia")
    assert (acting.username, acting.role) == ("mgarcia", Role.ADMINISTRATOR)
