"""Staff members a case names: one person however the name is typed, and the list split as typed."""

from __future__ import annotations

import pytest

from prdesk.domain.staff_names import NAME_CHARACTERS, staff_key, staff_names


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("Dr. O'Brien", "dr obrien"),
        ("DR O\u2019BRIEN", "Dr. O'Brien"),
        ("Nurse Lee", "lee"),
        ("Dr. José Núñez", "jose nunez"),
        ("  Sister   Mary-Jane ", "maryjane"),
    ],
)
def test_spellings_of_one_person_share_a_key(typed: str, same_as: str) -> None:
    assert staff_key(typed) == staff_key(same_as)


def test_dr_obrien_folds_to_the_surname() -> None:
    assert staff_key("Dr. O'Brien") == "obrien"


def test_different_people_keep_different_keys() -> None:
    assert staff_key("Dr. O'Brien") != staff_key("Dr. O'Brian")
    assert staff_key("Lee Chan") != staff_key("Lee")
    # A title on its own is all there is to go on: it is kept, not emptied.
    assert staff_key("Dr") == "dr"


def test_a_list_is_split_as_people_type_it_and_repeats_are_left_out() -> None:
    assert staff_names("Dr. Smith; dr smith, Nurse Lee\n\nLee ;  Ana  Gómez ") == [
        ("Dr. Smith", "smith"),
        ("Nurse Lee", "lee"),
        ("Ana Gómez", "ana gomez"),
    ]
    assert staff_names(" ; ,\n ") == []


def test_a_sentence_typed_as_a_name_is_not_counted_as_a_staff_member() -> None:
    # Reports show each staff member's name as a row label: a sentence about what
    # happened, which may name the patient, must never become one.
    typed = "Dr. Smith, the nurse who told Mrs Jones in bed 4 she was lying"
    assert staff_names(typed) == [("Dr. Smith", "smith")]
    assert staff_names("x" * (NAME_CHARACTERS + 1)) == []


def test_job_titles_written_before_a_name_are_titles_too() -> None:
    assert staff_key("RN Darnell") == staff_key("Nurse Darnell") == "darnell"
    assert staff_key("Dr. María del Carmen García") == "maria del carmen garcia"
