"""A letter keeps to its way from draft to envelope even for a login writing SQL by hand."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select, text

from prdesk.domain.database import Database
from prdesk.domain.enums import LetterStatus, Role, SendMethod
from prdesk.domain.errors import PermissionDenied
from prdesk.domain.models import Case, Letter
from prdesk.domain.readmodels import LetterInfo, UserInfo
from prdesk.domain.security import letter_guard
from prdesk.domain.services import letter_sending, letter_workflow
from prdesk.export.letter_files import printable_pdf
from tests.database.test_letter_workflow import drafted, rewritten
from tests.support.pg_roles import login_as, signed_in

pytestmark = pytest.mark.postgresql


@dataclass(frozen=True)
class Office:
    """A coordinator, a representative and a clerk, each on their own login."""

    db: Database  # the database administrator's connection, to look at what is kept
    coordinator_db: Database
    coordinator: UserInfo
    rep_db: Database
    rep: UserInfo
    clerk_db: Database
    clerk: UserInfo


@pytest.fixture
def office(postgres_db: Database) -> Iterator[Office]:
    with postgres_db.engine.begin() as connection:
        letter_guard.install(connection)
        letter_guard.install(connection)  # again, as every later upgrade does
    with (
        login_as(postgres_db, Role.COORDINATOR) as coordinator_db,
        login_as(postgres_db, Role.REPRESENTATIVE) as rep_db,
        login_as(postgres_db, Role.CLERK) as clerk_db,
    ):
        yield Office(
            postgres_db,
            coordinator_db,
            signed_in(coordinator_db, "María García"),
            rep_db,
            signed_in(rep_db, "Ji-woo Kim"),
            clerk_db,
            signed_in(clerk_db, "Pat Clerk"),
        )


def submitted(office: Office) -> LetterInfo:
    """The representative's acknowledgement, written and sent up for approval."""
    letter = drafted(office.rep_db, office.rep)
    with office.rep_db.transaction() as session:
        return letter_workflow.submit_letter(session, office.rep, letter.id, letter.version)


def approved(office: Office) -> LetterInfo:
    letter = submitted(office)
    with office.coordinator_db.transaction() as session:
        return letter_workflow.approve_letter(
            session, office.coordinator, letter.id, letter.version
        )


def finalised(office: Office) -> LetterInfo:
    letter = approved(office)
    final, _ = printable_pdf(office.clerk_db, office.clerk, letter.id, letter.version)
    return final


@dataclass(frozen=True)
class Kept:
    """What the database holds of a letter, read past every rule."""

    status: str
    body: str
    pdf_sha256: str | None


def kept(office: Office, letter_id: int) -> Kept:
    with office.db.engine.connect() as connection:
        row = connection.execute(
            text("SELECT status, body, pdf_sha256 FROM letters WHERE id = :id"), {"id": letter_id}
        ).one()
    return Kept(*row)


def test_each_login_takes_a_letter_from_draft_to_the_post(office: Office) -> None:
    letter = submitted(office)
    with office.coordinator_db.transaction() as session:
        # Sent back once for more work, then approved.
        letter = letter_workflow.approve_letter(
            session, office.coordinator, letter.id, letter.version
        )
        letter = letter_workflow.return_to_draft(
            session, office.coordinator, letter.id, letter.version, "Say when we will call."
        )
    letter = rewritten(office.rep_db, office.rep, letter, body=letter.body + "We will call.\n")
    with office.rep_db.transaction() as session:
        letter = letter_workflow.submit_letter(session, office.rep, letter.id, letter.version)
    with office.coordinator_db.transaction() as session:
        letter = letter_workflow.approve_letter(
            session, office.coordinator, letter.id, letter.version
        )
    final, pdf = printable_pdf(office.clerk_db, office.clerk, letter.id, letter.version)
    with office.clerk_db.transaction() as session:
        letter_sending.mark_printed(session, office.clerk, [final.id])
        sent = letter_sending.record_sent(
            session, office.clerk, final.id, final.version,
            via=SendMethod.MAIL, sent_on=date.today(), sent_by="Pat Clerk",
        )  # fmt: skip

    assert sent.status is LetterStatus.SENT
    letter_kept = kept(office, sent.id)
    assert letter_kept.status == "sent"
    assert letter_kept.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert letter_kept.body.endswith("We will call.\n")
    with office.db.transaction(read_only=True) as session:
        acknowledged = session.scalar(select(Case.acknowledged_on).where(Case.id == sent.case_id))
    assert acknowledged == date.today()


def test_a_representative_discards_a_draft_and_corrects_a_finalised_letter(
    office: Office,
) -> None:
    draft = drafted(office.rep_db, office.rep)
    final = finalised(office)
    with office.rep_db.transaction() as session:
        letter_workflow.discard_draft(session, office.rep, draft.id, draft.version)
        correction = letter_sending.start_correction(session, office.rep, final.id)

    with office.db.transaction(read_only=True) as session:
        statuses = {
            id_: status for id_, status in session.execute(select(Letter.id, Letter.status))
        }
    assert draft.id not in statuses
    assert statuses[final.id] is LetterStatus.WITHDRAWN
    assert statuses[correction.id] is LetterStatus.DRAFT


def refused(person: Database, sql: str, **values: object) -> None:
    with (
        pytest.raises(PermissionDenied, match="not allowed to do this"),
        person.transaction() as session,
    ):
        session.execute(text(sql), values)


def test_a_representative_cannot_finalise_or_approve_a_draft_by_sql(office: Office) -> None:
    letter = drafted(office.rep_db, office.rep)
    pdf = b"%PDF-1.7 words nobody approved"
    refused(
        office.rep_db,
        "UPDATE letters SET status = 'finalised', pdf = :pdf, pdf_sha256 = :sha256,"
        " finalised_at = now(), finalised_by_id = :me WHERE id = :id",
        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), me=office.rep.id, id=letter.id,
    )  # fmt: skip
    refused(
        office.rep_db,
        "UPDATE letters SET status = 'approved', approved_at = now(), approved_by_id = :me"
        " WHERE id = :id",
        me=office.rep.id, id=letter.id,
    )  # fmt: skip
    assert kept(office, letter.id).status == "draft"


def test_a_coordinator_cannot_insert_a_letter_already_finalised(office: Office) -> None:
    letter = drafted(office.coordinator_db, office.coordinator)
    refused(
        office.coordinator_db,
        "INSERT INTO letters (case_id, template_key, template_version, language, status,"
        " subject, recipient_name, recipient_address, salutation, body, copies_to,"
        " signatory_name, signatory_title, created_by_id, created_at, compliance_override,"
        " sent_via, sent_by_name, pdf, pdf_sha256, finalised_at, finalised_by_id, version)"
        " SELECT case_id, template_key, template_version, language, 'finalised', subject,"
        " recipient_name, recipient_address, salutation, body, copies_to, signatory_name,"
        " signatory_title, created_by_id, created_at, '', '', '', 'x', encode(sha256('x'), 'hex'),"
        " now(), created_by_id, 1 FROM letters WHERE id = :id",
        id=letter.id,
    )


def test_a_finalised_letter_keeps_its_words_and_its_pdf(office: Office) -> None:
    letter = finalised(office)
    before = kept(office, letter.id)
    other = b"%PDF-1.7 other words"
    refused(
        office.coordinator_db,
        "UPDATE letters SET body = 'Other words' WHERE id = :id",
        id=letter.id,
    )
    refused(
        office.clerk_db,
        "UPDATE letters SET pdf = :pdf, pdf_sha256 = :sha256 WHERE id = :id",
        pdf=other, sha256=hashlib.sha256(other).hexdigest(), id=letter.id,
    )  # fmt: skip
    refused(
        office.coordinator_db,
        "UPDATE letters SET status = 'draft' WHERE id = :id",
        id=letter.id,
    )
    # Nor may its sending be recorded under someone else's name.
    refused(
        office.clerk_db,
        "UPDATE letters SET status = 'sent', sent_on = current_date, sent_via = 'mail',"
        " sent_by_name = 'Pat Clerk', sent_at = now(), sent_recorded_by_id = :other"
        " WHERE id = :id",
        other=office.coordinator.id, id=letter.id,
    )  # fmt: skip
    assert kept(office, letter.id) == before


def test_a_finalised_letter_cannot_be_deleted_even_by_an_administrator(office: Office) -> None:
    letter = finalised(office)
    with login_as(office.db, Role.ADMINISTRATOR) as admin_db:
        signed_in(admin_db, "Sam Admin")
        refused(admin_db, "DELETE FROM letters WHERE id = :id", id=letter.id)
    with office.coordinator_db.transaction() as session:
        # The coordinators' row policy does not even find it to delete.
        deleted = session.execute(text("DELETE FROM letters WHERE id = :id"), {"id": letter.id})
    assert deleted.rowcount == 0  # type: ignore[attr-defined]
    assert kept(office, letter.id).status == "finalised"


def test_a_representative_cannot_take_back_an_approved_letter(office: Office) -> None:
    letter = approved(office)
    refused(
        office.rep_db,
        "UPDATE letters SET status = 'draft', approved_at = NULL, approved_by_id = NULL"
        " WHERE id = :id",
        id=letter.id,
    )
    assert kept(office, letter.id).status == "approved"


def test_without_the_guard_the_row_policies_alone_let_a_finalised_letter_change(
    office: Office,
) -> None:
    """What the guard is for: a coordinator's row policy lets any letter be updated."""
    letter = finalised(office)
    with office.db.engine.begin() as connection:
        letter_guard.uninstall(connection)
    with office.coordinator_db.transaction() as session:
        session.execute(
            text("UPDATE letters SET body = 'Other words' WHERE id = :id"), {"id": letter.id}
        )
    assert kept(office, letter.id).body == "Other words"
