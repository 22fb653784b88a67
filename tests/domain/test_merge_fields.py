"""The fields a letter template can use: every one has a value or a visible mark, in the reader's language."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from prdesk.domain.deadline_policy import Preset
from prdesk.domain.enums import DisclosureBasis, TimelineKind
from prdesk.domain.merge_fields import (
    FIELDS,
    GROUPS,
    Markdown,
    MergeSources,
    Missing,
    known_paths,
    merge_values,
    sample_values,
    steps_markdown,
    steps_offered,
    unfilled,
)
from prdesk.domain.merge_samples import sample_case
from prdesk.domain.readmodels import TimelineEntryInfo


def sources(language: str = "en", **case_changes: Any) -> MergeSources:
    """The sample grievance as a letter would be drafted from it, with the case changed."""
    sample = sample_case(language)
    return MergeSources(
        case=replace(sample.case, **case_changes),
        signatory=sample.signatory,
        coordinator=sample.coordinator,
        letterhead=sample.letterhead,
        language=language,
        steps=sample.steps,
        today=sample.today,
    )


def flatten(values: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{group}.{name}": value
        for group, fields in values.items()
        for name, value in fields.items()
    }


def entry(day: int, summary: str, **changes: Any) -> TimelineEntryInfo:
    at = datetime(2026, 3, day, 12, tzinfo=UTC)
    fields: dict[str, Any] = dict(
        id=day, kind=TimelineKind.PHONE_CALL, occurred_at=at, recorded_at=at,
        author_name="Luis Ortega", summary=summary, body="", patient_facing=True,
        internal=False, version=1,
    )  # fmt: skip
    fields.update(changes)
    return TimelineEntryInfo(**fields)


def test_every_catalogue_field_has_a_value_for_a_case_and_in_the_preview() -> None:
    assert set(flatten(merge_values(sources()))) == known_paths()
    for language in ("en", "es"):
        for preset in (Preset.CMS, Preset.NHS):
            assert set(flatten(sample_values(language, preset=preset))) == known_paths()
    filled = flatten(sample_values("en", preset=Preset.NHS))
    assert [path for path, value in filled.items() if isinstance(value, Missing)] == []


def test_the_catalogue_lists_each_field_once_under_a_known_group_with_a_sample() -> None:
    paths = [field.path for field in FIELDS]
    assert len(paths) == len(set(paths))
    assert {field.group for field in FIELDS} == set(GROUPS)
    assert all(field.sample and field.label for field in FIELDS)
    samples = {field.path: field.sample for field in FIELDS}
    assert samples["dates.completed"] == "March 27, 2026"
    assert samples["patient.address"] == "48 Willow Lane\nSpringfield, IL 62704"
    assert samples["case.is_grievance"] == "Yes"


def test_no_letter_can_print_the_medical_record_number() -> None:
    patient = replace(sample_case("en").case.patient, medical_record_number="MRN00012345")
    values = flatten(merge_values(sources(patient=patient)))
    assert not any("MRN00012345" in str(value) for value in values.values())
    assert not any("record" in path for path in known_paths())


def test_a_field_the_case_does_not_hold_shows_its_mark() -> None:
    patient = replace(sample_case("en").case.patient, date_of_birth=None, phone="", email=" ")
    values = merge_values(replace(sources(patient=patient, assignee=None), coordinator=None))
    assert values["patient"]["date_of_birth"] == Missing("patient.date_of_birth")
    assert str(values["patient"]["phone"]) == "[[patient.phone]]"
    assert not values["patient"]["email"]
    assert str(values["representative"]["name"]) == "[[representative.name]]"
    assert str(values["coordinator"]["email"]) == "[[coordinator.email]]"


def test_without_steps_or_findings_the_investigation_fields_are_marked() -> None:
    values = merge_values(replace(sources(findings="", actions_taken="  "), steps=()))
    assert str(values["investigation"]["steps_taken"]) == "[[investigation.steps_taken]]"
    assert str(values["investigation"]["findings"]) == "[[investigation.findings]]"
    assert str(values["investigation"]["actions_taken"]) == "[[investigation.actions_taken]]"


def test_the_contact_is_reached_through_the_department_when_the_signer_has_no_number() -> None:
    sample = sources()
    quiet = replace(sample.signatory, phone="", email="")
    values = merge_values(replace(sample, signatory=quiet))
    assert values["contact"]["name"] == "Luis Ortega"
    assert values["contact"]["phone"] == "(555) 010-3000"
    assert values["contact"]["email"] == "patientrelations@example.org"


def test_care_may_be_discussed_only_with_the_patient_or_on_a_basis_on_file() -> None:
    family = merge_values(sources())["recipient"]
    assert family["may_discuss_care"] is True and family["is_patient"] is False
    assert family["full_name"] == "Ana Delgado" and family["relationship"] == "Child"
    stranger = merge_values(sources(disclosure_basis=DisclosureBasis.NONE_ON_FILE))
    assert stranger["recipient"]["may_discuss_care"] is False
    patient = merge_values(sources(complainant=None, complainant_relationship=None))
    assert patient["recipient"]["is_patient"] is True
    assert patient["recipient"]["may_discuss_care"] is True
    assert patient["recipient"]["full_name"] == "Maria Delgado"
    assert patient["recipient"]["relationship"] == Missing("recipient.relationship")


def test_dates_and_labels_are_written_in_spanish_for_a_spanish_letter() -> None:
    values = merge_values(sources("es"))
    assert values["case"]["received_date"] == "2 de marzo de 2026"
    assert values["dates"]["response_due"] == "1 de abril de 2026"
    assert values["deadlines"]["extended_to"] == "1 de abril de 2026"
    assert values["dates"]["completed"] == "27 de marzo de 2026"
    assert values["case"]["kind"] == "Queja" and values["case"]["channel"] == "Carta"
    assert values["recipient"]["relationship"] == "Hijo o hija"
    assert values["investigation"]["steps_taken"].startswith("- 5 de marzo de 2026: Hablamos")
    mexican = merge_values(replace(sources("es"), language="es-MX"))
    assert mexican["case"]["received_date"] == "2 de marzo de 2026"
    assert mexican["case"]["kind"] == "Queja"


def test_the_response_date_comes_from_the_policy_when_the_case_kept_none() -> None:
    values = merge_values(sources(response_due_on=None))
    assert values["dates"]["response_due"] == "April 1, 2026"  # 30 days after March 2


def test_markdown_values_are_marked_so_the_renderer_leaves_them_as_they_are() -> None:
    values = merge_values(sources(findings="Two *stars* and\nA second line"))
    findings = values["investigation"]["findings"]
    assert isinstance(findings, Markdown)
    assert findings == "Two \\*stars\\* and\\\nA second line"
    assert isinstance(values["investigation"]["steps_taken"], Markdown)
    assert values["organisation"]["address"] == "1200 River Road\\\nSpringfield, IL 62701"
    assert not isinstance(values["case"]["desired_outcome"], Markdown)


def test_only_patient_facing_steps_are_offered_oldest_first() -> None:
    entries = [
        entry(9, "Reviewed the records"),
        entry(5, "Called the patient's daughter"),
        entry(6, "Internal note about staffing", internal=True),
        entry(7, "Spoke with the charge nurse", patient_facing=False),
        entry(8, "Letter sent", kind=TimelineKind.LETTER_SENT),
        entry(10, "Status changed", kind=TimelineKind.STATUS_CHANGE),
    ]
    offered = steps_offered(entries)
    assert [step.summary for step in offered] == [
        "Called the patient's daughter",
        "Reviewed the records",
    ]


def test_steps_are_a_dated_list_whose_summaries_cannot_format_the_letter() -> None:
    text = steps_markdown(
        (entry(5, "Met *all*  staff\non the ward"), entry(9, "1. Reviewed")), "en"
    )
    assert (
        text == "- March 5, 2026: Met \\*all\\* staff on the ward\n- March 9, 2026: 1\\. Reviewed"
    )


def test_the_ombudsman_is_named_only_under_the_nhs_rules() -> None:
    nhs = sample_values("es", preset=Preset.NHS)["policy"]
    assert nhs["nhs"] is True and nhs["ombudsman"].startswith("Defensor del Pueblo")
    cms = sample_values("en")["policy"]
    assert cms["nhs"] is False and cms["ombudsman"] == Missing("policy.ombudsman")


def test_unfilled_marks_are_listed_once_in_order_even_when_escaped() -> None:
    text = (
        "Call [[patient.phone]] or write to [[patient.email]].\n\n"
        "Again: \\[\\[patient.phone\\]\\] \\[[case.kind\\_key]] [[Not.a_mark]]"
    )
    assert unfilled(text) == ("patient.phone", "patient.email", "case.kind_key")
    assert unfilled("All done on March 27, 2026.") == ()
    assert str(Missing("case.number")) == "[[case.number]]" and not Missing("case.number")
