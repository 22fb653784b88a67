"""Recording investigation steps and drafting letters, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.enums import CaseKind, LetterStatus, TimelineKind
from prdesk.domain.errors import ValidationError
from prdesk.domain.models import Letter
from prdesk.domain.readmodels import Letterhead, UserInfo
from prdesk.domain.services import cases, letters, organisation, timeline
from prdesk.domain.services.case_input import PersonInput
from prdesk.domain.services.timeline import NewTimelineEntry
from tests.support.builders import log_case, phone_complaint, raised_by_daughter


def test_a_backdated_call_is_kept_in_order_on_the_timeline(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    with db.transaction() as session:
        timeline.add_entry(
            session,
            coordinator,
            case.id,
            NewTimelineEntry(
                TimelineKind.PHONE_CALL,
                "Called the patient back",
                body="She described the wait.",
                patient_facing=True,
            ),
        )
        timeline.add_entry(
            session,
            coordinator,
            case.id,
            NewTimelineEntry(
                TimelineKind.NOTE, "Triage note", occurred_at=yesterday, internal=True
            ),
        )
        shown = cases.view_case(session, coordinator, case.id)
    assert [e.summary for e in shown.timeline] == ["Triage note", "Called the patient back"]
    call = shown.timeline[1]
    assert call.author_name == "María García"
    assert call.patient_facing and not call.internal
    assert call.body == "She described the wait."


def test_a_step_in_the_future_or_without_summary_is_refused(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        timeline.add_entry(
            session,
            coordinator,
            case.id,
            NewTimelineEntry(TimelineKind.NOTE, "  ", occurred_at=tomorrow),
        )
    assert set(caught.value.fields) == {"summary", "occurred_at"}


def test_status_changes_and_letters_sent_are_not_entered_by_hand(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with (
        pytest.raises(ValidationError, match="added by PR Desk itself"),
        db.transaction() as session,
    ):
        timeline.add_entry(
            session, coordinator, case.id, NewTimelineEntry(TimelineKind.LETTER_SENT, "Sent")
        )


def test_an_acknowledgement_is_drafted_to_the_person_who_raised_the_case(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator, raised_by_daughter("Nguyễn Văn An", "Nguyễn Thị Mai"))
    with db.transaction() as session:
        organisation.set_letterhead(
            session,
            coordinator,
            Letterhead(
                "Riverside General Hospital",
                "Patient Relations",
                ("1 River Road", "Springfield, IL 62701"),
                phone="(555) 010-1000",
            ),
        )
        letter = letters.draft_letter(session, coordinator, case.id, "acknowledgement")
    assert letter.status is LetterStatus.DRAFT
    assert letter.case_number == case.number
    assert letter.recipient_name == "Nguyễn Thị Mai"
    assert letter.recipient_address == ("4 Oak Avenue", "Springfield, IL 62701")
    assert letter.salutation == "Nguyễn Thị Mai"
    assert "about the care of Nguyễn Văn An" in letter.body
    assert f"**{case.number}**" in letter.body
    assert "formal grievance" in letter.body
    assert "Riverside General Hospital" in letter.body
    assert "(555) 010-1000" in letter.body  # the department's phone when the signer has none
    with db.transaction(read_only=True) as session:
        stored = session.scalars(select(Letter)).one()
        assert stored.body == letter.body and stored.pdf is None


def test_a_letter_is_written_in_the_readers_language_when_the_template_has_it(
    db: Database, coordinator: UserInfo
) -> None:
    patient = PersonInput("José Núñez", preferred_language="es")
    case = log_case(db, coordinator, phone_complaint(patient=patient))
    with db.transaction() as session:
        spanish = letters.draft_letter(session, coordinator, case.id, "acknowledgement")
        english = letters.draft_letter(
            session, coordinator, case.id, "acknowledgement", language="en"
        )
    assert spanish.language == "es"
    assert "Gracias por comunicarse" in spanish.body
    assert english.language == "en" and "Thank you for contacting" in english.body


def test_a_patients_own_words_cannot_format_the_letter(db: Database, coordinator: UserInfo) -> None:
    case = log_case(db, coordinator, phone_complaint("**Bold** <script>"))
    with db.transaction() as session:
        letter = letters.draft_letter(
            session, coordinator, case.id, "acknowledgement", language="en"
        )
    assert letter.salutation == "**Bold** <script>"  # printed as text by the letter renderer
    assert "**Bold**" not in letter.body


def test_a_compliment_is_thanked_not_apologised_for(db: Database, coordinator: UserInfo) -> None:
    new = phone_complaint(
        "Zoë Brontë", kind=CaseKind.COMPLIMENT, description="The night nurses were wonderful."
    )
    case = log_case(db, coordinator, new)
    with db.transaction() as session:
        letter = letters.draft_letter(
            session, coordinator, case.id, "acknowledgement", language="en"
        )
    assert letter.subject.startswith("Your compliment received on")
    assert "share your kind words" in letter.body
    assert "sorry" not in letter.body and "grievance" not in letter.body


def test_without_a_disclosure_basis_the_letter_does_not_speak_of_the_patient(
    db: Database, coordinator: UserInfo
) -> None:
    from prdesk.domain.enums import DisclosureBasis, Relationship

    new = phone_complaint(
        "Nguyễn Văn An",
        complainant=PersonInput("Trần Thị Bình"),
        complainant_relationship=Relationship.FRIEND,
        disclosure_basis=DisclosureBasis.NONE_ON_FILE,
    )
    case = log_case(db, coordinator, new)
    with db.transaction() as session:
        letter = letters.draft_letter(
            session, coordinator, case.id, "acknowledgement", language="en"
        )
    assert letter.recipient_name == "Trần Thị Bình"
    assert "Nguyễn Văn An" not in letter.body
    assert "We have received the concerns you raised with us." in letter.body
