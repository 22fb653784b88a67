"""The grievance committee's quarterly report, checked against counts written by hand in SQL."""

from __future__ import annotations

import re
import statistics
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import text

from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    Determination,
    LetterStatus,
    Severity,
)
from prdesk.domain.models import Letter
from prdesk.domain.queries import list_cases
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.reports.catalogue import run_report
from prdesk.domain.reports.committee import subtitle
from prdesk.domain.reports.model import Report, ReportRequest, ReportTable
from prdesk.domain.services import case_outcome, cases, organisation
from prdesk.domain.services.case_input import NewCase
from tests.support.builders import phone_complaint


def last_whole_quarter(today: date) -> tuple[date, date]:
    first_of_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_this - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


QUARTER_START, QUARTER_END = last_whole_quarter(date.today())


def local(day: date, hour: int, minute: int) -> datetime:
    """A moment of the department's working day, as someone at the desk reads the clock."""
    return datetime.combine(day, time(hour, minute)).astimezone()


def bound(db: Database, moment: datetime) -> Any:
    # SQLite holds instants as naive UTC text; PostgreSQL compares zoned instants.
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S") if db.engine.dialect.name == "sqlite" else utc


def grievances_received_by_hand(db: Database) -> list[str]:
    """Case numbers of the grievances received in the quarter, local days, counted by hand."""
    start = local(QUARTER_START, 0, 0)
    after = local(QUARTER_END + timedelta(days=1), 0, 0)
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.number FROM cases AS c "
                "WHERE c.is_grievance = :yes AND NOT (c.received_at < :start) "
                "AND c.received_at < :after ORDER BY c.number"
            ),
            {"yes": True, "start": bound(db, start), "after": bound(db, after)},
        )
        return [row[0] for row in rows]


def days_to_resolve_by_hand(db: Database) -> dict[str, float | None]:
    if db.engine.dialect.name == "sqlite":
        days = "julianday(c.resolved_at) - julianday(c.received_at)"
    else:
        days = "EXTRACT(EPOCH FROM c.resolved_at - c.received_at) / 86400.0"
    numbers = grievances_received_by_hand(db)
    with db.engine.connect() as connection:
        rows = connection.execute(text(f"SELECT c.number, {days} FROM cases AS c"))
        found = {row[0]: row[1] for row in rows}
    return {number: None if found[number] is None else float(found[number]) for number in numbers}


def letter_grievance(
    received_at: datetime, *, kind: CaseKind = CaseKind.COMPLAINT, **changes: Any
) -> NewCase:
    # A written complaint is always a grievance (42 CFR 482.13(a)(2)).
    return phone_complaint(
        "Zebulon Quatermain", kind=kind, channel=Channel.LETTER, received_at=received_at, **changes
    )


def log(db: Database, actor: UserInfo, new: NewCase) -> CaseDetail:
    with db.transaction() as session:
        return cases.open_case(session, actor, new)


def committee(db: Database, actor: UserInfo) -> Report:
    return run_report(db, actor, "committee", ReportRequest(QUARTER_START, QUARTER_END))


def lines(report: Report) -> ReportTable:
    (section,) = [s for s in report.sections if s.heading == "Grievances received"]
    assert section.table is not None
    return section.table


def column(table: ReportTable, title: str) -> int:
    return [c.title for c in table.columns].index(title)


def test_every_grievance_received_in_the_quarter_has_exactly_one_line(
    db: Database, coordinator: UserInfo
) -> None:
    generate_demo_data(db, 400, seed=11)
    first = log(db, coordinator, letter_grievance(local(QUARTER_START, 0, 1)))
    last = log(db, coordinator, letter_grievance(local(QUARTER_END, 23, 59)))
    before = log(db, coordinator, letter_grievance(local(QUARTER_START - timedelta(1), 23, 59)))
    after = log(db, coordinator, letter_grievance(local(QUARTER_END + timedelta(1), 0, 1)))
    praise = log(
        db,
        coordinator,
        letter_grievance(local(QUARTER_START, 12, 0), kind=CaseKind.COMPLIMENT),
    )
    assert not praise.is_grievance

    table = lines(committee(db, coordinator))

    numbers = [str(row[column(table, "Case")]) for row in table.rows]
    expected = grievances_received_by_hand(db)
    assert len(expected) > 20
    assert sorted(numbers) == expected
    assert len(set(numbers)) == len(numbers)
    assert first.number in numbers and last.number in numbers
    assert before.number not in numbers and after.number not in numbers
    assert praise.number not in numbers


def test_a_line_shows_what_the_committee_reviews_and_no_names(
    db: Database, coordinator: UserInfo
) -> None:
    with db.transaction() as session:
        emergency = organisation.ensure_department(session, "Emergency Department")
        cardiology = organisation.ensure_department(session, "Cardiology")
        delay = organisation.ensure_category(session, "Care", "Delay in treatment")
    case = log(
        db,
        coordinator,
        letter_grievance(
            local(QUARTER_START + timedelta(days=3), 9, 30),
            severity=Severity.HIGH,
            department_ids=(emergency, cardiology),
            category_ids=(delay,),
        ),
    )
    with db.transaction() as session:
        case = case_outcome.record_outcome(
            session,
            coordinator,
            case.id,
            case.version,
            "The triage nurse was covering two bays.",
            "A second triage nurse on evening shifts.",
            determination=Determination.PARTLY_UPHELD,
        )
        case = cases.change_status(
            session,
            coordinator,
            case.id,
            case.version,
            CaseStatus.RESOLVED,
            override_reason="Resolved at the family meeting; letter to follow.",
        )

    report = committee(db, coordinator)

    table = lines(report)
    (line,) = table.rows
    shown = dict(zip([c.title for c in table.columns], line, strict=True))
    assert shown["Case"] == case.number
    assert shown["Received"] == (QUARTER_START + timedelta(days=3)).isoformat()
    assert shown["Service area"] == "Cardiology, Emergency Department"
    assert shown["Category"] == "Care > Delay in treatment"
    assert shown["Severity"] == "High"
    assert shown["Status"] == "Resolved"
    assert shown["Determination"] == "Partly upheld"
    resolved = days_to_resolve_by_hand(db)[case.number]
    assert resolved is not None
    assert abs(float(shown["Days to resolve"] or 0) - resolved) < 0.06
    assert shown["Response sent"] == ""
    everything = repr(report)
    assert "Zebulon" not in everything and "Quatermain" not in everything
    assert "triage nurse" not in everything
    assert "six hours" not in everything  # the complainant's own words


def figure(pattern: str, sentences: tuple[str, ...]) -> list[str]:
    for sentence in sentences:
        found = re.search(pattern, sentence)
        if found:
            return list(found.groups())
    raise AssertionError(f"no sentence matches {pattern!r}: {sentences}")


def open_longer_than(db: Database, days: int) -> set[str]:
    """Grievances of the quarter neither resolved nor withdrawn, received more than `days` ago."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.number FROM cases AS c WHERE c.resolved_at IS NULL "
                "AND c.status <> 'withdrawn' AND c.received_at < :cutoff"
            ),
            {"cutoff": bound(db, cutoff)},
        )
        found = {row[0] for row in rows}
    return found & set(grievances_received_by_hand(db))


def test_the_summary_gives_the_figures_counted_by_hand(db: Database, coordinator: UserInfo) -> None:
    generate_demo_data(db, 400, seed=5)

    report = committee(db, coordinator)

    (summary,) = [s for s in report.sections if s.heading == "Summary"]
    days = days_to_resolve_by_hand(db)
    resolved = sorted(d for d in days.values() if d is not None)
    assert resolved, "the demo data should resolve some of the quarter's grievances"
    (received,) = figure(r"^([\d,]+) grievances? received", summary.paragraphs)
    assert int(received.replace(",", "")) == len(days)
    for limit in (7, 30):
        done, of = figure(rf"within {limit} days: ([\d,]+) of the ([\d,]+)", summary.paragraphs)
        assert int(done) == sum(1 for d in resolved if d <= limit)
        late = sum(1 for d in resolved if d > limit) + len(open_longer_than(db, limit))
        assert int(of) == int(done) + late
    (median,) = figure(r"Median days to close: ([\d.,]+)", summary.paragraphs)
    assert float(median) == round(statistics.median(resolved), 1)


def test_the_median_of_an_even_number_of_grievances_is_the_mean_of_the_middle_two(
    db: Database, coordinator: UserInfo
) -> None:
    # The middle two a day apart, so their mean is half a day from either.
    for into_quarter in (2, 40, 41, 80):
        received = local(QUARTER_START + timedelta(days=into_quarter), 12, 0)
        case = log(db, coordinator, letter_grievance(received))
        with db.transaction() as session:
            cases.change_status(
                session,
                coordinator,
                case.id,
                case.version,
                CaseStatus.RESOLVED,
                override_reason="Resolved by telephone; letter to follow.",
            )

    report = committee(db, coordinator)

    (summary,) = [s for s in report.sections if s.heading == "Summary"]
    resolved = sorted(d for d in days_to_resolve_by_hand(db).values() if d is not None)
    assert len(resolved) == 4
    (median,) = figure(r"Median days to close: ([\d.,]+)", summary.paragraphs)
    assert float(median.replace(",", "")) == round((resolved[1] + resolved[2]) / 2, 1)


def sent_letter(
    db: Database, actor: UserInfo, case: CaseDetail, template: str, on: date, override: str = ""
) -> None:
    """A letter as the desk leaves it once the clerk has recorded it as mailed."""
    with db.transaction() as session:
        session.add(
            Letter(
                case_id=case.id,
                template_key=template,
                language="en",
                status=LetterStatus.SENT,
                subject="Your concern",
                recipient_name="Zebulon Quatermain",
                salutation="Dear Mr Quatermain",
                body="Body",
                signatory_name="María García",
                created_by_id=actor.id,
                compliance_override=override,
                finalised_at=datetime.combine(on, time(12)).astimezone(UTC),
                sent_on=on,
            )
        )


def test_response_letters_sent_are_dated_on_the_line_and_counted(
    db: Database, coordinator: UserInfo
) -> None:
    answered = log(db, coordinator, letter_grievance(local(QUARTER_START, 10, 0)))
    incomplete = log(db, coordinator, letter_grievance(local(QUARTER_START, 11, 0)))
    acknowledged_only = log(db, coordinator, letter_grievance(local(QUARTER_START, 12, 0)))
    first, second = QUARTER_START + timedelta(days=9), QUARTER_START + timedelta(days=20)
    sent_letter(db, coordinator, answered, "acknowledgement", QUARTER_START + timedelta(days=1))
    sent_letter(db, coordinator, answered, "determination", second)
    sent_letter(db, coordinator, answered, "determination", first)
    sent_letter(db, coordinator, incomplete, "determination", second, "Results to follow.")
    sent_letter(db, coordinator, acknowledged_only, "acknowledgement", first)

    report = committee(db, coordinator)

    table = lines(report)
    sent = {row[0]: row[column(table, "Response sent")] for row in table.rows}
    assert sent == {
        answered.number: first.isoformat(),
        incomplete.number: second.isoformat(),
        acknowledged_only.number: "",
    }
    (summary,) = [s for s in report.sections if s.heading == "Summary"]
    assert figure(r"with a written response sent: (\d+)", summary.paragraphs) == ["2"]
    assert figure(r"finalised in the period: (\d+) ", summary.paragraphs) == ["3"]
    assert figure(r"without every required element: (\d+)", summary.paragraphs) == ["1"]


def test_the_subtitle_names_a_whole_quarter_and_otherwise_the_dates() -> None:
    assert subtitle(date(2026, 7, 1), date(2026, 9, 30)) == "Q3 2026 (1 July – 30 September 2026)"
    assert subtitle(date(2026, 7, 1), date(2026, 8, 15)) == "1 July 2026 – 15 August 2026"
    assert subtitle(date(2026, 6, 1), date(2026, 9, 30)) == "1 June 2026 – 30 September 2026"


def test_each_line_lists_exactly_its_own_case(db: Database, coordinator: UserInfo) -> None:
    first = log(db, coordinator, letter_grievance(local(QUARTER_START, 9, 0)))
    mentioning = log(
        db,
        coordinator,
        letter_grievance(
            local(QUARTER_START, 10, 0), description=f"Follows on from {first.number}."
        ),
    )

    table = lines(committee(db, coordinator))

    with db.transaction(read_only=True) as session:
        for index, row in enumerate(table.rows):
            shown = list_cases(session, table.drill[(index, 0)])
            assert [case.number for case in shown] == [row[0]]
    assert {row[0] for row in table.rows} == {first.number, mentioning.number}
