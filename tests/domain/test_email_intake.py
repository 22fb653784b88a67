"""Emails and letters read into a draft case: sender, date received, subject and text."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from prdesk.domain.email_intake import UnreadableMessage, html_to_text, parse_eml, parse_pasted
from prdesk.domain.enums import Channel, ContactPreference

MULTIPART = b"""\
From: "Tran, Mai" <mai.tran@example.com>
To: Patient Relations <patientrelations@hospital.example>
Subject: My father's discharge
Date: Tue, 24 Nov 2026 15:15:00 -0500
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="XX"

--XX
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

My father was sent home without his medication list.=0D
Nobody called us back.

--XX
Content-Type: text/html; charset="utf-8"

<p>HTML version that must not be used</p>
--XX--
"""

HTML_ONLY = b"""\
From: Robert O'Brien <rob@example.com>
Subject: Parking
Date: Mon, 23 Nov 2026 09:00:00 +0000
Content-Type: text/html; charset="utf-8"

<html><head><style>p {color: red}</style><title>x</title></head>
<body><p>Dear team,</p><p>The parking machine   charged me twice.<br>Receipt attached.</p>
<ul><li>First charge</li><li>Second&nbsp;charge</li></ul><script>alert(1)</script></body></html>
"""

ENCODED_HEADERS = (
    b"From: =?utf-8?q?Nguy=E1=BB=85n_Th=E1=BB=8B_H=C6=B0=C6=A1ng?= <huong@example.com>\n"
    b"Subject: =?utf-8?b?" + base64.b64encode("Phàn nàn về cấp cứu".encode()) + b"?=\n"
    b"Content-Type: text/plain; charset=utf-8\n"
    b"Content-Transfer-Encoding: 8bit\n\n" + "Tôi đã chờ bốn tiếng.\n".encode()
)


def test_a_multipart_email_gives_sender_date_subject_and_plain_text() -> None:
    draft = parse_eml(MULTIPART)
    assert draft.channel is Channel.EMAIL
    assert (draft.sender_name, draft.sender_email) == ("Tran, Mai", "mai.tran@example.com")
    assert draft.received_at == datetime(2026, 11, 24, 20, 15, tzinfo=UTC)
    assert draft.description == (
        "Subject: My father's discharge\n\n"
        "My father was sent home without his medication list.\nNobody called us back."
    )


def test_an_html_only_email_becomes_readable_text() -> None:
    draft = parse_eml(HTML_ONLY)
    assert draft.body == (
        "Dear team,\n\nThe parking machine charged me twice.\nReceipt attached.\n\n"
        "• First charge\n• Second charge"
    )
    assert "alert" not in draft.body and "color" not in draft.body


def test_encoded_headers_with_accents_and_no_date_header() -> None:
    draft = parse_eml(ENCODED_HEADERS)
    assert draft.sender_name == "Nguyễn Thị Hương"
    assert draft.subject == "Phàn nàn về cấp cứu"
    assert draft.body == "Tôi đã chờ bốn tiếng."
    assert draft.received_at is None  # received now, when saved


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n", "not an email"),
        (b"\x00\x01\x02\x03 binary", "binary"),
    ],
)
def test_a_file_that_is_not_an_email_is_refused_with_a_reason(data: bytes, says: str) -> None:
    with pytest.raises(UnreadableMessage) as caught:
        parse_eml(data)
    assert says in caught.value.message


def test_the_sender_raises_the_case_unless_the_coordinator_says_they_are_the_patient() -> None:
    draft = parse_eml(MULTIPART)
    new = draft.new_case()
    assert new.channel is Channel.EMAIL
    assert new.complainant is not None and new.complainant.email == "mai.tran@example.com"
    assert new.complainant.contact_preference is ContactPreference.EMAIL
    assert new.patient.full_name == ""
    as_patient = draft.new_case(sender_is_patient=True)
    assert as_patient.complainant is None
    assert as_patient.patient.full_name == "Tran, Mai"


def test_a_pasted_outlook_email_is_read_like_a_file() -> None:
    draft = parse_pasted(
        "From: Ana Souza <ana.souza@example.com>\r\n"
        "Sent: Tuesday, November 24, 2026 3:15 PM\r\n"
        "To: Patient Relations\r\n"
        "Subject: Lost glasses\r\n\r\n"
        "I left my glasses on ward 4B.\r\n"
    )
    assert draft.channel is Channel.EMAIL
    assert (draft.sender_name, draft.sender_email) == ("Ana Souza", "ana.souza@example.com")
    assert draft.received_at == datetime(2026, 11, 24, 15, 15).astimezone()
    assert draft.description == "Subject: Lost glasses\n\nI left my glasses on ward 4B."


def test_a_pasted_letter_is_a_letter_signed_by_its_writer() -> None:
    letter = (
        "November 20, 2026\n\nDear Patient Relations,\n\n"
        "I am writing about the care my mother received.\n\n\n\n"
        "Yours sincerely,\n\nJean-Pierre Dubois\n12 Elm Street\n"
    )
    draft = parse_pasted(letter)
    assert draft.channel is Channel.LETTER
    assert draft.sender_name == "Jean-Pierre Dubois"
    assert draft.received_at is None
    assert "my mother received.\n\nYours sincerely," in draft.description
    assert parse_pasted(letter, Channel.WALK_IN).channel is Channel.WALK_IN


def test_pasting_nothing_says_what_to_do() -> None:
    with pytest.raises(UnreadableMessage, match="Paste the text"):
        parse_pasted("  \n ")


def test_html_entities_and_breaks() -> None:
    assert html_to_text("a&amp;b<br/>c<div>d</div>") == "a&b\nc\n\nd"


def test_a_sender_header_cut_short_is_a_clear_message_not_a_crash() -> None:
    with pytest.raises(UnreadableMessage):
        parse_eml(b"From: a@\nTo: b@\n\nbody")
    draft = parse_eml(b"From: a@\nSubject: Parking fees\n\nThe machine took my card.")
    assert "Parking fees" in draft.description
