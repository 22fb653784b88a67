"""Complaint or grievance, by the CMS Conditions of Participation (42 CFR 482.13(a)(2)).

Pure rules with no database: the intake form shows the outcome and its reason as
the coordinator types, and a coordinator may override it with a recorded reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from prdesk.domain.enums import CaseKind, Channel


@dataclass(frozen=True)
class IntakeFacts:
    """What the person taking the case knows that bears on the classification."""

    kind: CaseKind
    channel: Channel
    resolved_at_once: bool = False
    billing_only: bool = False
    written_response_requested: bool = False
    needs_investigation: bool = False


@dataclass(frozen=True)
class Classification:
    is_grievance: bool
    reason: str


def classify(facts: IntakeFacts) -> Classification:
    if facts.kind is not CaseKind.COMPLAINT:
        return Classification(False, f"{facts.kind.label} is not a complaint.")
    if facts.billing_only:
        return Classification(
            False, "A billing question alone is not a grievance (CMS interpretive guidelines)."
        )
    if facts.channel.is_written:
        return Classification(
            True, f"A written complaint ({facts.channel.label.lower()}) is always a grievance."
        )
    if facts.written_response_requested:
        return Classification(True, "The patient asked for a written response.")
    if facts.needs_investigation:
        return Classification(True, "The complaint needs investigation.")
    if facts.resolved_at_once:
        return Classification(
            False, "A verbal complaint resolved at the time by staff present is not a grievance."
        )
    return Classification(
        True, "A verbal complaint not resolved at the time by staff present is a grievance."
    )
