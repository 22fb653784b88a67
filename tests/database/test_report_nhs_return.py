"""The NHS complaints return: every figure recounted by hand in SQL, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from prdesk.domain.database import Database
from prdesk.domain.deadline_policy import NHS_POLICY
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.enums import CaseKind, CaseStatus, Determination
from prdesk.domain.queries import count_cases
from prdesk.domain.readmodels import CaseDetail, UserInfo
from prdesk.domain.reports.model import Report, ReportRequest, ReportTable, format_cell
from prdesk.domain.reports.nhs_return import nhs_return_report
from prdesk.domain.services import cases, organisation, policy
from prdesk.domain.services.case_outcome import record_outcome
from tests.support.builders import departments, log_case, phone_complaint

_OUTCOMES = {
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    None: "Not recorded",
}
_COLUMNS = ["Received", "Resolved", "Upheld", "Partly upheld", "Not upheld", "Not recorded"]

# Subject (top-level category) or service area of each complaint, written apart from the app.
_SUBJECT = """
    SELECT COALESCE(parent.name, filed.name) AS value, c.id, c.received_at, c.resolved_at,
           c.determination
    FROM cases c
    LEFT JOIN case_categories cc ON cc.case_id = c.id
    LEFT JOIN categories filed ON filed.id = cc.category_id
    LEFT JOIN categories parent ON parent.id = filed.parent_id
    WHERE c.kind = 'complaint'"""
_AREA = """
    SELECT d.name AS value, c.id, c.received_at, c.resolved_at, c.determination
    FROM cases c
    LEFT JOIN case_departments cd ON cd.case_id = c.id
    LEFT JOIN departments d ON d.id = cd.department_id
    WHERE c.kind = 'complaint'"""


def _edge(db: Database, day: date) -> Any:
    moment = datetime(day.year, day.month, day.day).astimezone(UTC)
    if db.engine.dialect.name == "sqlite":
        return moment.replace(tzinfo=None).isoformat(" ", "microseconds")
    return moment


def _by_hand(
    db: Database, session: Session, listing: str, start: date, end: date, missing: str
) -> dict[str, list[int]]:
    """Per subject or area: received, resolved, and resolved by each outcome (NHS order)."""
    edges = {"a": _edge(db, start), "b": _edge(db, end + timedelta(days=1))}
    received = f"""
        SELECT COALESCE(x.value, :missing), COUNT(DISTINCT x.id) FROM ({listing}) x
        WHERE x.received_at >= :a AND x.received_at < :b GROUP BY COALESCE(x.value, :missing)"""
    resolved = f"""
        SELECT COALESCE(x.value, :missing), x.determination, COUNT(DISTINCT x.id)
        FROM ({listing}) x
        WHERE x.resolved_at >= :a AND x.resolved_at < :b
        GROUP BY COALESCE(x.value, :missing), x.determination"""
    found: dict[str, list[int]] = {}
    for value, count in session.execute(text(received), {**edges, "missing": missing}):
        found.setdefault(value, [0] * 6)[0] = count
    for value, outcome, count in session.execute(text(resolved), {**edges, "missing": missing}):
        row = found.setdefault(value, [0] * 6)
        row[1] += count
        row[2 + list(_OUTCOMES).index(outcome)] = count
    return found


def _table(report: Report, heading: str) -> ReportTable:
    [section] = [s for s in report.sections if s.heading == heading]
    assert section.table is not None
    return section.table


def _rows(table: ReportTable) -> dict[str, list[Any]]:
    return {str(row[0]): list(row[1:]) for row in table.rows}


def _check_drills(session: Session, table: ReportTable) -> None:
    for (r, c), shown in table.drill.items():
        assert shown.kinds == {CaseKind.COMPLAINT}
        assert count_cases(session, shown) == table.rows[r][c], (table.rows[r][0], c)


def _check(db: Database, session: Session, start: date, end: date) -> None:
    report = nhs_return_report(session, ReportRequest(start, end))
    edges = {"a": _edge(db, start), "b": _edge(db, end + timedelta(days=1))}
    totals = session.execute(
        text("""
            SELECT
              SUM(CASE WHEN received_at >= :a AND received_at < :b THEN 1 ELSE 0 END),
              SUM(CASE WHEN received_at >= :a AND received_at < :b AND is_grievance
                       THEN 1 ELSE 0 END),
              SUM(CASE WHEN resolved_at >= :a AND resolved_at < :b THEN 1 ELSE 0 END),
              SUM(CASE WHEN resolved_at >= :a AND resolved_at < :b AND is_grievance
                       THEN 1 ELSE 0 END)
            FROM cases WHERE kind = 'complaint'"""),
        edges,
    ).one()
    assert totals[0] > 20 and totals[2] > 20  # enough to mean something
    summary = _table(report, "Complaints in the period")
    assert _rows(summary) == {
        "Received": [totals[0], totals[1]],
        "Resolved": [totals[2], totals[3]],
    }
    outcomes: dict[str | None, int] = dict(
        session.execute(
            text("""
                SELECT determination, COUNT(*) FROM cases
                WHERE kind = 'complaint' AND resolved_at >= :a AND resolved_at < :b
                GROUP BY determination"""),
            edges,
        ).all()
    )
    everything = [
        totals[0],
        totals[2],
        *(outcomes.get(outcome, 0) for outcome in _OUTCOMES),
    ]
    for heading, title, listing, missing in (
        ("By subject", "Subject", _SUBJECT, "No subject recorded"),
        ("By service area", "Service area", _AREA, "No service area recorded"),
    ):
        table = _table(report, heading)
        assert [column.title for column in table.columns] == [title, *_COLUMNS]
        expected = _by_hand(db, session, listing, start, end, missing)
        rows = _rows(table)
        assert rows.pop("All complaints") == everything
        assert rows == expected
        named = [label for label in rows if label != missing]
        received = [rows[label][0] for label in named]
        assert received == sorted(received, reverse=True)
        assert table.rows[-1][0] == "All complaints" and table.total_row
        _check_drills(session, table)
    _check_drills(session, summary)
    by_outcome = _table(report, "Outcome of complaints resolved")
    resolved = totals[2]
    assert _rows(by_outcome) == {
        **{
            label: [outcomes.get(outcome, 0), pytest.approx(outcomes.get(outcome, 0) / resolved)]
            for outcome, label in _OUTCOMES.items()
        },
        "All complaints resolved": [resolved, 1.0],
    }


def test_every_figure_matches_a_count_written_by_hand(db: Database, coordinator: UserInfo) -> None:
    generate_demo_data(db, 400, seed=5)
    with db.transaction(read_only=True) as session:
        for start, end in (
            (date(2025, 12, 1), date(2026, 11, 30)),
            (date(2025, 4, 15), date(2026, 3, 20)),
        ):
            _check(db, session, start, end)


def _resolve(
    db: Database, actor: UserInfo, case: CaseDetail, outcome: Determination | None
) -> None:
    with db.transaction() as session:
        resolved = cases.change_status(
            session, actor, case.id, case.version, CaseStatus.RESOLVED,
            override_reason="Resolved on the telephone with the patient.",
        )  # fmt: skip
        record_outcome(
            session, actor, case.id, resolved.version, "Found.", "Done.", determination=outcome
        )


def _this_month() -> ReportRequest:
    today = date.today()
    return ReportRequest(today.replace(day=1), today)


def test_complaints_received_and_resolved_are_counted_by_subject_area_and_outcome(
    db: Database, coordinator: UserInfo
) -> None:
    wards = departments(db, "Maternity", "Pharmacy")
    with db.transaction() as session:
        delay = organisation.ensure_category(session, "Care", "Delay in treatment")
        charge = organisation.ensure_category(session, "Billing", "Incorrect charge")
        dignity = organisation.ensure_category(session, "Care", "Dignity")
    request = _this_month()
    last_month = datetime.combine(request.start - timedelta(days=3), datetime.min.time())
    # Received before the period, resolved in it: resolved, not received.
    earlier = log_case(
        db,
        coordinator,
        phone_complaint(
            received_at=last_month.astimezone(),
            category_ids=(delay,),
            department_ids=(wards["Maternity"],),
        ),
    )
    _resolve(db, coordinator, earlier, Determination.UPHELD)
    # Received and resolved in the period, under two subjects (one through two of its
    # subcategories) and two service areas.
    both = log_case(
        db,
        coordinator,
        phone_complaint(
            category_ids=(delay, dignity, charge),
            department_ids=(wards["Maternity"], wards["Pharmacy"]),
        ),
    )
    _resolve(db, coordinator, both, Determination.PARTLY_UPHELD)
    # Received, still open, no subject; and a resolved one with no conclusion recorded.
    log_case(db, coordinator)
    _resolve(db, coordinator, log_case(db, coordinator), None)
    # Praise is not a complaint, however it was handled.
    praise = log_case(db, coordinator, phone_complaint(kind=CaseKind.COMPLIMENT))
    _resolve(db, coordinator, praise, None)

    with db.transaction(read_only=True) as session:
        report = nhs_return_report(session, request)
    assert report.title == "NHS complaints return"

    def cells(heading: str) -> dict[str, list[str]]:
        table = _table(report, heading)
        return {
            str(row[0]): [
                format_cell(value, column.unit)
                for value, column in zip(row[1:], table.columns[1:], strict=True)
            ]
            for row in table.rows
        }

    # Spoken complaints not resolved there and then are grievances (CMS).
    assert cells("Complaints in the period") == {"Received": ["3", "3"], "Resolved": ["3", "3"]}
    assert cells("By subject") == {
        "Care": ["1", "2", "1", "1", "0", "0"],
        "Billing": ["1", "1", "0", "1", "0", "0"],
        "No subject recorded": ["2", "1", "0", "0", "0", "1"],
        "All complaints": ["3", "3", "1", "1", "0", "1"],
    }
    assert cells("By service area") == {
        "Maternity": ["1", "2", "1", "1", "0", "0"],
        "Pharmacy": ["1", "1", "0", "1", "0", "0"],
        "No service area recorded": ["2", "1", "0", "0", "0", "1"],
        "All complaints": ["3", "3", "1", "1", "0", "1"],
    }
    assert cells("Outcome of complaints resolved") == {
        "Upheld": ["1", "33.3%"],
        "Partly upheld": ["1", "33.3%"],
        "Not upheld": ["0", "0.0%"],
        "Not recorded": ["1", "33.3%"],
        "All complaints resolved": ["3", "100.0%"],
    }
    with db.transaction(read_only=True) as session:
        for heading in ("By subject", "By service area", "Complaints in the period"):
            _check_drills(session, _table(report, heading))


def test_under_another_preset_the_return_says_so_first(db: Database, coordinator: UserInfo) -> None:
    log_case(db, coordinator)
    with db.transaction(read_only=True) as session:
        cms = nhs_return_report(session, _this_month())
    assert (
        cms.sections[0]
        .paragraphs[0]
        .startswith("The department works under the US CMS deadline policy, not the NHS one")
    )
    with db.transaction() as session:
        stored = policy.load_policy(session)
        policy.save_policy(session, coordinator, NHS_POLICY, stored.version)
    with db.transaction(read_only=True) as session:
        nhs = nhs_return_report(session, _this_month())
    assert nhs.sections[0].paragraphs[0].startswith("Complaints received in the period")
    assert not any("deadline policy" in p for s in nhs.sections for p in s.paragraphs)
