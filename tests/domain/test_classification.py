"""Complaint or grievance under the CMS rules, decided as the coordinator types."""

import pytest

from prdesk.domain.classification import IntakeFacts, classify
from prdesk.domain.enums import CaseKind, Channel


@pytest.mark.parametrize(
    "channel", [Channel.LETTER, Channel.EMAIL, Channel.WEB_FORM, Channel.PATIENT_PORTAL]
)
def test_a_written_complaint_is_always_a_grievance(channel: Channel) -> None:
    result = classify(IntakeFacts(CaseKind.COMPLAINT, channel, resolved_at_once=True))
    assert result.is_grievance
    assert "written complaint" in result.reason.lower()


def test_a_phone_complaint_resolved_on_the_spot_is_not_a_grievance() -> None:
    result = classify(IntakeFacts(CaseKind.COMPLAINT, Channel.PHONE, resolved_at_once=True))
    assert not result.is_grievance
    assert "resolved at the time" in result.reason


def test_a_verbal_complaint_left_unresolved_is_a_grievance() -> None:
    assert classify(IntakeFacts(CaseKind.COMPLAINT, Channel.WALK_IN)).is_grievance


def test_asking_for_a_written_response_makes_a_grievance_even_if_resolved() -> None:
    result = classify(
        IntakeFacts(
            CaseKind.COMPLAINT,
            Channel.PHONE,
            resolved_at_once=True,
            written_response_requested=True,
        )
    )
    assert result.is_grievance
    assert "written response" in result.reason


def test_needing_investigation_makes_a_grievance() -> None:
    facts = IntakeFacts(
        CaseKind.COMPLAINT, Channel.PHONE, resolved_at_once=True, needs_investigation=True
    )
    assert classify(facts).is_grievance


def test_a_billing_question_alone_is_not_a_grievance() -> None:
    result = classify(IntakeFacts(CaseKind.COMPLAINT, Channel.LETTER, billing_only=True))
    assert not result.is_grievance
    assert "billing" in result.reason.lower()


@pytest.mark.parametrize("kind", [k for k in CaseKind if k is not CaseKind.COMPLAINT])
def test_other_kinds_are_never_grievances_by_rule(kind: CaseKind) -> None:
    assert not classify(IntakeFacts(kind, Channel.LETTER)).is_grievance
