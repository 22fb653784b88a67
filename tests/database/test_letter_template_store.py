"""An administrator rewrites a letter template: numbered versions, no lost edits, no escapes."""

from __future__ import annotations

import hashlib

import pytest

from prdesk.domain import letter_templates, merge_fields
from prdesk.domain.database import Database
from prdesk.domain.enums import LetterStatus, Role
from prdesk.domain.errors import ConflictError, PermissionDenied, ValidationError
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import letter_template_store as store
from prdesk.domain.services import letter_workflow, letters
from prdesk.export import letter_files
from tests.support.builders import colleague, log_case

NEW_SENTENCE = "We have logged your concerns and a named person now looks after them."


def _edited(source: str) -> str:
    """The shipped acknowledgement with one sentence added after its opening paragraph."""
    subject, _, body = source.partition("\n")
    return f"{subject}\n\n{NEW_SENTENCE}\n{body}"


def _shipped() -> str:
    return letter_templates.shipped_source("acknowledgement", "en")


def test_every_template_starts_as_shipped_version_0(db: Database) -> None:
    with db.transaction(read_only=True) as session:
        overview = store.templates_overview(session)
        current = store.current_template(session, "acknowledgement", "en")
    assert len(overview) == 2 * len(letter_templates.BUILT_IN)
    assert {(info.version, info.created_by_name) for info in overview} == {(0, store.SHIPPED_BY)}
    assert current.version == 0 and current.shipped
    assert current.source == _shipped()


def test_saving_makes_version_1_which_letters_are_drafted_from(
    db: Database, coordinator: UserInfo
) -> None:
    with db.transaction() as session:
        saved = store.save_template(
            session, coordinator, "acknowledgement", "en", _edited(_shipped()),
            based_on=0, note="Say who looks after the case",
        )  # fmt: skip
    with db.transaction(read_only=True) as session:
        current = store.current_template(session, "acknowledgement", "en")
        history = store.template_history(session, "acknowledgement", "en")
        spanish = store.current_template(session, "acknowledgement", "es")
    assert (saved.version, current.version) == (1, 1)
    assert current.source == _edited(_shipped())
    assert current.created_by_name == "María García"
    assert [(info.version, info.note) for info in history] == [
        (1, "Say who looks after the case"),
        (0, ""),
    ]
    assert spanish.version == 0  # each language is a template of its own


def test_a_save_based_on_an_older_version_is_refused_not_lost(
    db: Database, coordinator: UserInfo
) -> None:
    other_admin = colleague(db, "dwhitfield", "Dana Whitfield", Role.ADMINISTRATOR)
    with db.transaction() as session:
        store.save_template(
            session, other_admin, "acknowledgement", "en", _edited(_shipped()), based_on=0
        )
    stale = _shipped() + "\nP.S."
    with (
        pytest.raises(ConflictError, match="Dana Whitfield saved version 1"),
        db.transaction() as session,
    ):
        store.save_template(session, coordinator, "acknowledgement", "en", stale, based_on=0)
    with db.transaction(read_only=True) as session:
        assert store.current_template(session, "acknowledgement", "en").source == _edited(
            _shipped()
        )


def test_only_an_administrator_changes_templates(db: Database) -> None:
    coordinator = colleague(db, "dwhitfield", "Dana Whitfield", Role.COORDINATOR)
    with pytest.raises(PermissionDenied), db.transaction() as session:
        store.save_template(
            session, coordinator, "acknowledgement", "en", _edited(_shipped()), based_on=0
        )


def test_a_field_that_does_not_exist_is_refused_by_name(
    db: Database, coordinator: UserInfo
) -> None:
    source = _shipped() + "\nYour social security number: {{ patient.ssn }}\n"
    unknown = r"'\{\{ patient.ssn \}\}' is not a merge field"
    with pytest.raises(ValidationError, match=unknown), db.transaction() as session:
        store.save_template(session, coordinator, "acknowledgement", "en", source, based_on=0)
    with db.transaction(read_only=True) as session:
        assert store.current_template(session, "acknowledgement", "en").version == 0


ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% import os %}",
    "{% import 'os' as os %}",
]


@pytest.mark.parametrize("attempt", ESCAPES)
def test_a_template_that_reaches_beyond_its_fields_is_refused(
    db: Database, coordinator: UserInfo, attempt: str
) -> None:
    source = f"{_shipped()}\n{attempt}\n"
    with pytest.raises(ValidationError) as refused, db.transaction() as session:
        store.save_template(session, coordinator, "acknowledgement", "en", source, based_on=0)
    assert refused.value.message.strip()
    with db.transaction(read_only=True) as session:
        assert store.current_template(session, "acknowledgement", "en").version == 0


@pytest.mark.parametrize("attempt", ESCAPES)
def test_rendering_such_a_template_executes_nothing(attempt: str) -> None:
    source = f"Subject: Your concerns\n\nDear {{{{ recipient.greeting_name }}}},\n\n{attempt}\n"
    try:
        rendered = letter_templates.render_source(
            source, merge_fields.sample_values("en"), name="acknowledgement"
        )
    except ValidationError as refused:
        assert "template" in refused.message
        return
    # Whatever the sandbox lets through prints as harmless text, never what a call returned.
    assert "<class" not in rendered.body
    assert "uid=" not in rendered.body
    assert "function" not in rendered.body


def test_a_letter_drafted_after_the_edit_uses_the_new_text(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        store.save_template(
            session, coordinator, "acknowledgement", "en", _edited(_shipped()), based_on=0
        )
        letter = letters.draft_letter(
            session, coordinator, case.id, "acknowledgement", language="en"
        )
    assert letter.template_version == 1
    assert NEW_SENTENCE in letter.body


def test_a_letter_finalised_before_the_edit_keeps_its_exact_bytes(
    db: Database, coordinator: UserInfo
) -> None:
    case = log_case(db, coordinator)
    with db.transaction() as session:
        draft = letters.draft_letter(
            session, coordinator, case.id, "acknowledgement", language="en"
        )
        submitted = letter_workflow.submit_letter(session, coordinator, draft.id, draft.version)
        approved = letter_workflow.approve_letter(
            session, coordinator, submitted.id, submitted.version
        )
    final = letter_files.finalise(db, coordinator, approved.id, approved.version)
    before = letter_files.letter_pdf(db, coordinator, final.id)
    assert final.status is LetterStatus.FINALISED
    assert hashlib.sha256(before).hexdigest() == final.pdf_sha256

    with db.transaction() as session:
        store.save_template(
            session, coordinator, "acknowledgement", "en", _edited(_shipped()), based_on=0
        )
    after = letter_files.letter_pdf(db, coordinator, final.id)
    with db.transaction(read_only=True) as session:
        kept = letter_workflow.letter_detail(session, coordinator, final.id)
    assert after == before
    assert hashlib.sha256(after).hexdigest() == final.pdf_sha256 == kept.pdf_sha256
    assert kept.template_version == 0 and NEW_SENTENCE not in kept.body
