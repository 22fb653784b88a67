"""A representative's own login sees the cases the policy gives them, through PR Desk or psql."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select, text

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, CaseStatus, LetterStatus, Role, SendMethod, TimelineKind
from prdesk.domain.errors import NotFound, PermissionDenied
from prdesk.domain.models import Setting, User, user_departments
from prdesk.domain.queries import CaseFilter, count_statement, list_cases
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.security.roles import REPRESENTATIVE_SCOPE_KEY, RepresentativeScope
from prdesk.domain.services import (
    attachments,
    cases,
    department_requests,
    letter_sending,
    letter_workflow,
    letters,
    notifications,
    presence,
    saved_views,
    timeline,
    users,
)
from prdesk.domain.services.attachments import NewAttachment
from prdesk.domain.services.case_input import CaseUpdate
from prdesk.domain.services.department_requests import NewRequest
from prdesk.domain.services.timeline import NewTimelineEntry
from prdesk.domain.services.timeline_reading import case_timeline
from prdesk.export.letter_files import printable_pdf
from tests.database.test_letter_workflow import changes_of
from tests.support.builders import colleague, departments, log_case, phone_complaint
from tests.support.pg_roles import login_as, signed_in

pytestmark = pytest.mark.postgresql


@dataclass(frozen=True)
class Desk:
    """A department's cases as the coordinator (the database administrator here) logged them."""

    db: Database
    coordinator: UserInfo
    rep_db: Database
    rep: UserInfo
    theirs: CaseDetail  # assigned to the representative
    colleagues: CaseDetail  # assigned to another representative
    unassigned: CaseDetail
    cardiology: CaseDetail  # another representative's, in Cardiology


@pytest.fixture
def desk(postgres_db: Database) -> Iterator[Desk]:
    db = postgres_db
    with db.transaction() as session:
        coordinator = users.resolve_actor(session, "mgarcia", "María García")
    other = colleague(db, "lchen", "Li Chen")
    cardiology = departments(db, "Cardiology")["Cardiology"]
    with login_as(db, Role.REPRESENTATIVE) as rep_db:
        rep = signed_in(rep_db, "Ji-woo Kim")
        theirs = log_case(db, coordinator, phone_complaint("Ana Torres"))
        colleagues = log_case(db, coordinator, phone_complaint("Ben Okafor"))
        unassigned = log_case(db, coordinator, phone_complaint("Cara Smith"))
        heart = log_case(
            db, coordinator, phone_complaint("Dev Patel", department_ids=(cardiology,))
        )
        with db.transaction() as session:
            theirs = cases.assign_case(session, coordinator, theirs.id, theirs.version, rep.id)
            colleagues = cases.assign_case(
                session, coordinator, colleagues.id, colleagues.version, other.id
            )
            heart = cases.assign_case(session, coordinator, heart.id, heart.version, other.id)
            timeline.add_entry(
                session,
                coordinator,
                colleagues.id,
                NewTimelineEntry(
                    kind=TimelineKind.PHONE_CALL,
                    summary="Called the ward manager",
                    body="Staffing was short.",
                ),
            )
            letters.draft_letter(session, coordinator, colleagues.id, "acknowledgement")
        yield Desk(db, coordinator, rep_db, rep, theirs, colleagues, unassigned, heart)


def listed(database: Database) -> set[str]:
    with database.transaction(read_only=True) as session:
        return {row.number for row in list_cases(session)}


def choose_scope(desk: Desk, scope: RepresentativeScope) -> None:
    with desk.db.transaction() as session:
        session.merge(Setting(key=REPRESENTATIVE_SCOPE_KEY, value=scope.value))


def test_a_representative_lists_their_cases_and_unassigned_ones_only(desk: Desk) -> None:
    assert desk.rep.role is Role.REPRESENTATIVE
    assert listed(desk.rep_db) == {desk.theirs.number, desk.unassigned.number}


def test_another_representatives_case_is_not_there_even_by_its_id(desk: Desk) -> None:
    with desk.rep_db.transaction() as session:
        with pytest.raises(NotFound):
            cases.view_case(session, desk.rep, desk.colleagues.id)
        with pytest.raises(NotFound):
            cases.view_case(session, desk.rep, desk.colleagues.number)
        assert case_timeline(session, desk.colleagues.id) == ()
        assert cases.view_case(session, desk.rep, desk.theirs.id).number == desk.theirs.number


def test_psql_as_the_representative_shows_no_more_than_pr_desk(desk: Desk) -> None:
    hidden = desk.colleagues.id
    with desk.rep_db.engine.connect() as connection:
        people = set(connection.execute(text("SELECT full_name FROM people")).scalars())
        entries = connection.execute(
            text("SELECT count(*) FROM timeline_entries WHERE case_id = :id"), {"id": hidden}
        ).scalar_one()
        drafts = connection.execute(
            text("SELECT count(*) FROM letters WHERE case_id = :id"), {"id": hidden}
        ).scalar_one()
        searched = connection.execute(
            text("SELECT count(*) FROM case_search WHERE case_id = :id"), {"id": hidden}
        ).scalar_one()
        changed = connection.execute(
            text("UPDATE cases SET description = 'rewritten' WHERE id = :id"), {"id": hidden}
        ).rowcount
    assert people == {"Ana Torres", "Cara Smith"}
    assert (entries, drafts, searched, changed) == (0, 0, 0, 0)
    with desk.db.transaction(read_only=True) as session:
        assert cases.view_case(session, desk.coordinator, hidden, record_view=False).description


def test_with_the_departments_scope_they_see_their_departments_cases_instead(desk: Desk) -> None:
    choose_scope(desk, RepresentativeScope.DEPARTMENTS)
    assert listed(desk.rep_db) == {desk.theirs.number}
    with desk.db.transaction() as session:
        (cardiology,) = desk.cardiology.departments
        session.execute(
            insert(user_departments).values(user_id=desk.rep.id, department_id=cardiology.id)
        )
    assert listed(desk.rep_db) == {desk.theirs.number, desk.cardiology.number}
    choose_scope(desk, RepresentativeScope.ASSIGNED_AND_UNASSIGNED)
    assert listed(desk.rep_db) == {desk.theirs.number, desk.unassigned.number}


def test_a_case_the_representative_logs_stays_theirs_to_see_in_either_scope(desk: Desk) -> None:
    choose_scope(desk, RepresentativeScope.DEPARTMENTS)
    logged = log_case(desk.rep_db, desk.rep, phone_complaint("Eli Novak"))
    with desk.rep_db.transaction() as session:
        entry = timeline.add_entry(
            session,
            desk.rep,
            logged.id,
            NewTimelineEntry(kind=TimelineKind.PHONE_CALL, summary="Called Eli back"),
        )
        letter = letters.draft_letter(session, desk.rep, logged.id, "acknowledgement")
    assert logged.number in listed(desk.rep_db)
    assert (entry.summary, letter.case_id) == ("Called Eli back", logged.id)
    with desk.rep_db.engine.connect() as connection:
        names = set(connection.execute(text("SELECT full_name FROM people")).scalars())
    assert "Eli Novak" in names


def test_a_representative_cannot_take_a_case_for_someone_else_by_sql(desk: Desk) -> None:
    with desk.rep_db.engine.connect() as connection:
        before = connection.execute(text("SELECT count(*) FROM cases")).scalar_one()
        with pytest.raises(Exception, match="row-level security"):
            connection.execute(
                text(
                    "INSERT INTO cases (number, kind, channel, received_at, status, severity,"
                    " patient_id, patient_sort_name, description, desired_outcome, location,"
                    " staff_involved, findings, actions_taken, safety_concern,"
                    " behavioural_alert, is_grievance, grievance_reason, grievance_overridden,"
                    " closure_override_reason, assignee_id, created_by_id, created_at,"
                    " updated_at, search_text, version)"
                    " SELECT 'PR-1999-000001', kind, channel, received_at, status, severity,"
                    " patient_id, patient_sort_name, '', '', '', '', '', '', false, false,"
                    " false, '', false, '', :other, :me, now(), now(), '', 1"
                    " FROM cases WHERE id = :id"
                ),
                {"other": desk.coordinator.id, "me": desk.rep.id, "id": desk.theirs.id},
            )
        connection.rollback()
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar_one() == before


def test_a_login_in_no_pr_desk_group_is_turned_away(postgres_db: Database) -> None:
    with login_as(postgres_db, None) as stranger:
        with pytest.raises(PermissionDenied, match="not set up for PR Desk"):
            signed_in(stranger)
        with stranger.engine.connect() as connection, pytest.raises(Exception, match="denied"):
            connection.execute(text("SELECT count(*) FROM cases"))


def test_a_member_signs_in_as_their_login_in_their_groups_role(postgres_db: Database) -> None:
    with postgres_db.transaction() as session:
        users.resolve_actor(session, "mgarcia", "María García")
    with login_as(postgres_db, Role.REPRESENTATIVE) as rep_db:
        login = rep_db.url.username
        with rep_db.transaction() as session:
            # The name a workstation passes does not matter: the database knows who it is.
            rep = users.resolve_actor(session, "mgarcia", "Ji-woo Kim")
        assert (rep.username, rep.display_name, rep.role) == (
            login,
            "Ji-woo Kim",
            Role.REPRESENTATIVE,
        )
        with rep_db.engine.connect() as connection, pytest.raises(Exception, match="security"):
            connection.execute(
                text(
                    "INSERT INTO users (username, display_name, job_title, email, phone, role,"
                    " active, created_at, version)"
                    " VALUES ('someone', 'Some One', '', '', '', 'administrator', true, now(), 1)"
                )
            )
        with postgres_db.transaction(read_only=True) as session:
            kept = session.scalars(select(User.role).where(User.username == login)).one()
        assert kept is Role.REPRESENTATIVE


def test_a_representative_works_their_case_from_their_own_login(desk: Desk) -> None:
    rep, rep_db = desk.rep, desk.rep_db
    (cardiology,) = desk.cardiology.departments
    with rep_db.transaction() as session:
        case = cases.update_case(
            session, rep, desk.theirs.id, desk.theirs.version,
            CaseUpdate(description="Waited six hours; no update given.", safety_concern=True),
        )  # fmt: skip
        cases.change_status(session, rep, case.id, case.version, CaseStatus.INVESTIGATING)
        entry = timeline.add_entry(
            session, rep, case.id,
            NewTimelineEntry(
                kind=TimelineKind.NOTE, summary="Photo of the waiting room",
                attachments=(NewAttachment("room.png", b"\x89PNG\r\n\x1a\n picture"),),
            ),
        )  # fmt: skip
        department_requests.request_statement(
            session, rep, case.id,
            NewRequest(cardiology.id, "Statement on the wait", date.today() + timedelta(days=5),
                       addressed_to="Dr Ward"),
        )  # fmt: skip
        saved_views.save_view(session, rep, "Waiting on Cardiology", CaseFilter())
        presence.enter(session, rep, case.id, "PR Desk WS-1 100")
    with rep_db.transaction() as session:
        (attachment,) = entry.attachments
        content = attachments.attachment_content(session, rep, attachment.id)
    assert content.data == b"\x89PNG\r\n\x1a\n picture"
    with desk.db.transaction(read_only=True) as session:
        told = notifications.unread(session, desk.coordinator)
    assert [note.case_number for note in told.newest] == [desk.theirs.number]


def test_the_scope_is_looked_up_once_per_list_not_once_per_case(desk: Desk) -> None:
    choose_scope(desk, RepresentativeScope.DEPARTMENTS)
    with desk.rep_db.transaction(read_only=True) as session:
        counting = count_statement(session, CaseFilter(), None).compile(session.get_bind())
        plan = "\n".join(
            session.connection().execute(text(f"EXPLAIN {counting}"), counting.params).scalars()
        )
    # The login's user and the scope setting are InitPlans; the departments' cases a
    # hashed set built once, not a function called for every case.
    assert "InitPlan" in plan and "hashed SubPlan" in plan


def test_a_representative_cannot_approve_a_letter_by_sql(desk: Desk) -> None:
    with desk.rep_db.transaction() as session:
        letter = letters.draft_letter(session, desk.rep, desk.theirs.id, "acknowledgement")
    with desk.rep_db.engine.connect() as connection:
        with pytest.raises(Exception, match="row-level security"):
            connection.execute(
                text("UPDATE letters SET status = 'approved' WHERE id = :id"), {"id": letter.id}
            )
        connection.rollback()
        with pytest.raises(Exception, match="row-level security"):
            connection.execute(
                text(
                    "INSERT INTO letters (case_id, template_key, template_version, language,"
                    " status, subject, recipient_name, recipient_address, salutation, body,"
                    " copies_to, signatory_name, signatory_title, created_by_id, created_at,"
                    " compliance_override, sent_via, sent_by_name, version)"
                    " SELECT case_id, template_key, template_version, language, 'approved',"
                    " subject, recipient_name, recipient_address, salutation, body, copies_to,"
                    " signatory_name, signatory_title, created_by_id, now(), '', '', '', 1"
                    " FROM letters WHERE id = :id"
                ),
                {"id": letter.id},
            )


def test_a_representatives_letter_goes_out_once_a_coordinator_approved_it(desk: Desk) -> None:
    rep, rep_db = desk.rep, desk.rep_db
    with rep_db.transaction() as session:
        letter = letters.draft_letter(session, rep, desk.theirs.id, "acknowledgement")
        letter = letter_workflow.save_draft(
            session, rep, letter.id, letter.version, changes_of(letter)
        )
        letter = letter_workflow.submit_letter(session, rep, letter.id, letter.version)
    with desk.db.transaction() as session:
        letter = letter_workflow.approve_letter(
            session, desk.coordinator, letter.id, letter.version
        )
    final, pdf = printable_pdf(rep_db, rep, letter.id, letter.version)
    with rep_db.transaction() as session:
        sent = letter_sending.record_sent(
            session, rep, final.id, final.version,
            via=SendMethod.MAIL, sent_on=date.today(), sent_by="Ji-woo Kim",
        )  # fmt: skip
        correction = letter_sending.start_correction(session, rep, final.id)
    assert pdf.startswith(b"%PDF") and sent.status is LetterStatus.SENT
    assert correction.status is LetterStatus.DRAFT


def test_the_staff_a_representatives_cases_name_are_theirs_to_see_and_no_more(desk: Desk) -> None:
    with desk.db.transaction() as session:
        cases.update_case(
            session, desk.coordinator, desk.colleagues.id, desk.colleagues.version,
            CaseUpdate(staff_involved="Dr. Hidden Person"),
        )  # fmt: skip
    logged = log_case(
        desk.rep_db,
        desk.rep,
        phone_complaint(
            "Eli Novak", kind=CaseKind.INFORMATION_REQUEST, staff_involved="Dr. Ward; Nurse Bell"
        ),
    )
    with desk.rep_db.transaction() as session:
        case = cases.update_case(
            session, desk.rep, logged.id, logged.version,
            CaseUpdate(staff_involved="Dr. Ward, Nurse Bell, Sam Ortiz"),
        )  # fmt: skip
    with desk.db.transaction() as session:
        case = cases.assign_case(session, desk.coordinator, case.id, case.version, desk.rep.id)
    with desk.rep_db.transaction() as session:
        case = cases.change_status(
            session, desk.rep, case.id, case.version, CaseStatus.INVESTIGATING
        )
        cases.change_status(session, desk.rep, case.id, case.version, CaseStatus.RESOLVED)
    with desk.rep_db.engine.connect() as connection:
        named = set(connection.execute(text("SELECT name FROM case_staff")).scalars())
        resolved = connection.execute(
            text("SELECT resolved_at IS NOT NULL FROM cases WHERE id = :id"), {"id": logged.id}
        ).scalar_one()
    assert named == {"Dr. Ward", "Nurse Bell", "Sam Ortiz"}
    assert resolved
