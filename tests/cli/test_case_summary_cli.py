"""`prdesk case summary`: the committee's PDF of one case, as a coordinator's script makes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from prdesk.domain.database import Database
from prdesk.domain.enums import TimelineKind
from prdesk.domain.models import AuditEvent
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import timeline
from prdesk.domain.services.timeline import NewTimelineEntry
from tests.cli.test_commands import run, url_of
from tests.support.builders import log_case, raised_by_daughter


@pytest.fixture
def number(db: Database, coordinator: UserInfo) -> str:
    """A case with one entry the committee reads and one internal note."""
    case = log_case(db, coordinator, raised_by_daughter("Nguyễn Văn An", "Nguyễn Thị Mai"))
    with db.transaction() as session:
        for summary, internal in (("Met the family", False), ("Rota was short", True)):
            timeline.add_entry(
                session,
                coordinator,
                case.id,
                NewTimelineEntry(TimelineKind.MEETING, summary, internal=internal),
            )
    return case.number


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _exports(db: Database) -> list[dict[str, object]]:
    with db.transaction(read_only=True) as session:
        return list(
            session.scalars(
                select(AuditEvent.details)
                .where(AuditEvent.action == "export", AuditEvent.entity == "case")
                .order_by(AuditEvent.id)
            )
        )


def test_the_summary_is_written_and_the_export_recorded(
    db: Database, number: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "committee.pdf"
    code, printed, err = run(
        capsys, "--database", url_of(db), "case", "summary", number.lower(), "--out", str(out)
    )
    assert (code, err) == (0, "")
    assert printed.strip() == (
        f"{out}: case summary of {number}, 1 timeline entry (internal left out)"
    )
    text = _text(out)
    assert f"{number} · Complaint" in text and "Nguyễn Văn An" in text
    assert "Met the family" in text and "Rota was short" not in text
    assert _exports(db) == [{"what": "committee summary", "internal": False}]

    code, printed, _ = run(
        capsys, "--database", url_of(db), "case", "summary", number,
        "--out", str(out), "--include-internal",
    )  # fmt: skip
    assert code == 0 and "(internal included)" in printed
    assert "Rota was short" in _text(out)
    assert _exports(db)[-1] == {"what": "committee summary", "internal": True}


def test_a_missing_case_or_folder_is_explained_and_writes_nothing(
    db: Database, number: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "summaries"
    folder.mkdir()
    code, _, err = run(
        capsys, "--database", url_of(db), "case", "summary", "PR-1999-000001",
        "--out", str(folder / "x.pdf"),
    )  # fmt: skip
    assert code != 0 and "No case numbered PR-1999-000001." in err
    gone = folder / "usb-stick" / "x.pdf"
    code, _, err = run(
        capsys, "--database", url_of(db), "case", "summary", number, "--out", str(gone)
    )
    assert code != 0 and f"The folder {gone.parent} does not exist." in err
    code, _, err = run(
        capsys, "--database", url_of(db), "case", "summary", number, "--out", str(folder)
    )
    assert code != 0 and "is a folder" in err
    assert list(folder.iterdir()) == []
    assert _exports(db) == []
