"""A clerk's own login prints, finalises and posts approved letters, and reads no case details."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select, text

from prdesk.domain.database import Database
from prdesk.domain.enums import LetterStatus, Role, SendMethod, TimelineKind
from prdesk.domain.errors import NotFound, PermissionDenied
from prdesk.domain.models import Case, TimelineEntry
from prdesk.domain.readmodels import LetterInfo, UserInfo
from prdesk.domain.services import letter_sending, letter_workflow, letters, users
from prdesk.export.letter_files import finalise, printable_pdf
from tests.database.test_letter_workflow import changes_of
from tests.support.builders import log_case, phone_complaint
from tests.support.pg_roles import login_as, signed_in

pytestmark = pytest.mark.postgresql


@dataclass(frozen=True)
class PostRoom:
    db: Database
    coordinator: UserInfo
    clerk_db: Database
    clerk: UserInfo
    approved: LetterInfo  # an acknowledgement waiting to be printed
    draft: LetterInfo  # on another case, not yet approved


def written(db: Database, actor: UserInfo, patient: str, *, approve: bool) -> LetterInfo:
    case = log_case(db, actor, phone_complaint(patient))
    with db.transaction() as session:
        letter = letters.draft_letter(session, actor, case.id, "acknowledgement", language="en")
        letter = letter_workflow.save_draft(
            session, actor, letter.id, letter.version, changes_of(letter)
        )
        if approve:
            letter = letter_workflow.approve_letter(session, actor, letter.id, letter.version)
        return letter


@pytest.fixture
def post_room(postgres_db: Database) -> Iterator[PostRoom]:
    db = postgres_db
    with db.transaction() as session:
        coordinator = users.resolve_actor(session, "mgarcia", "María García")
    approved = written(db, coordinator, "Ana Torres", approve=True)
    draft = written(db, coordinator, "Ben Okafor", approve=False)
    with login_as(db, Role.CLERK) as clerk_db:
        yield PostRoom(db, coordinator, clerk_db, signed_in(clerk_db, "Pat Clerk"), approved, draft)


def test_a_clerk_finalises_prints_and_posts_an_approved_letter(post_room: PostRoom) -> None:
    room, clerk = post_room, post_room.clerk
    with room.clerk_db.transaction(read_only=True) as session:
        queue = letter_sending.print_queue(session, clerk)
    assert [(item.letter_id, item.case_number) for item in queue] == [
        (room.approved.id, room.approved.case_number)
    ]
    final, pdf = printable_pdf(room.clerk_db, clerk, room.approved.id, room.approved.version)
    assert pdf.startswith(b"%PDF") and final.status is LetterStatus.FINALISED
    with room.clerk_db.transaction() as session:
        letter_sending.mark_printed(session, clerk, [final.id])
        sent = letter_sending.record_sent(
            session, clerk, final.id, final.version,
            via=SendMethod.MAIL, sent_on=date.today(), sent_by="Pat Clerk",
        )  # fmt: skip
    assert sent.status is LetterStatus.SENT
    with room.db.transaction(read_only=True) as session:
        case = session.get(Case, final.case_id)
        kinds = session.scalars(
            select(TimelineEntry.kind).where(TimelineEntry.case_id == final.case_id)
        ).all()
    # Sending the acknowledgement letter acknowledged the case.
    assert case is not None and case.acknowledged_on == date.today()
    assert TimelineKind.LETTER_SENT in kinds


def test_a_clerk_reads_no_case_details_people_or_timeline(post_room: PostRoom) -> None:
    with post_room.clerk_db.engine.connect() as connection:
        for query in (
            "SELECT description FROM cases",
            "SELECT full_name FROM people",
            "SELECT * FROM case_search",
            "SELECT * FROM department_requests",
        ):
            with pytest.raises(Exception, match="permission denied"):
                connection.execute(text(query))
            connection.rollback()
        numbers = set(connection.execute(text("SELECT number FROM cases")).scalars())
        summaries = connection.execute(text("SELECT summary FROM timeline_entries")).all()
        statuses = set(connection.execute(text("SELECT status FROM letters")).scalars())
    assert numbers == {post_room.approved.case_number}
    assert summaries == []
    assert statuses == {LetterStatus.APPROVED.value}


def test_a_draft_is_not_there_for_a_clerk_and_its_case_cannot_be_written_to(
    post_room: PostRoom,
) -> None:
    with post_room.clerk_db.transaction() as session:
        with pytest.raises(NotFound):
            letter_workflow.letter_detail(session, post_room.clerk, post_room.draft.id)
        with pytest.raises(PermissionDenied):
            letters.draft_letter(session, post_room.clerk, post_room.draft.case_id, "closure")


def test_a_clerk_cannot_approve_or_rewrite_a_letter_by_sql(post_room: PostRoom) -> None:
    with post_room.clerk_db.engine.connect() as connection:
        with pytest.raises(Exception, match="permission denied"):
            connection.execute(
                text("UPDATE letters SET body = 'Other words' WHERE id = :id"),
                {"id": post_room.approved.id},
            )
        connection.rollback()
        approved = connection.execute(
            text("UPDATE letters SET status = 'approved' WHERE id = :id"),
            {"id": post_room.draft.id},
        ).rowcount
        # The letter workflow's own trigger answers before the row policy does.
        with pytest.raises(Exception, match=r"row-level security|cannot go from approved"):
            connection.execute(
                text("UPDATE letters SET status = 'draft' WHERE id = :id"),
                {"id": post_room.approved.id},
            )
    assert approved == 0


def test_a_clerk_may_not_finalise_a_letter_that_is_not_approved(post_room: PostRoom) -> None:
    with pytest.raises(NotFound):
        finalise(post_room.clerk_db, post_room.clerk, post_room.draft.id, post_room.draft.version)
