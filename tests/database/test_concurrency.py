"""Several workstations logging cases at the same moment."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from prdesk.domain.database import Database
from prdesk.domain.models import Case
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import cases
from tests.support.builders import phone_complaint

WORKSTATIONS = 6
CASES_EACH = 8


def test_case_numbers_stay_unique_when_workstations_create_cases_at_once(
    db: Database, coordinator: UserInfo
) -> None:
    start = threading.Barrier(WORKSTATIONS)
    numbers: list[str] = []
    failures: list[BaseException] = []

    def workstation(index: int) -> None:
        try:
            start.wait()
            for n in range(CASES_EACH):
                with db.transaction() as session:
                    case = cases.open_case(
                        session, coordinator, phone_complaint(f"Patient {index}-{n}")
                    )
                numbers.append(case.number)
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=workstation, args=(i,)) for i in range(WORKSTATIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    total = WORKSTATIONS * CASES_EACH
    assert len(set(numbers)) == total
    # Consecutive, with no gaps: PR-YYYY-000001 .. PR-YYYY-000048.
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, total + 1))
    with db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count(Case.id))) == total
