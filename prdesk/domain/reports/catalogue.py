"""The reports PR Desk offers, by the name the command line and the screens know them by."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import text
from sqlalchemy.orm import Session

from prdesk.domain.database import Database
from prdesk.domain.errors import ValidationError
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports.committee import committee_report
from prdesk.domain.reports.compliance import compliance_report
from prdesk.domain.reports.dashboard_report import dashboard_report
from prdesk.domain.reports.model import Report, ReportRequest
from prdesk.domain.reports.nhs_return import nhs_return_report
from prdesk.domain.reports.trends import trends_report
from prdesk.domain.services.organisation import letterhead

Builder = Callable[[Session, ReportRequest], Report]


@dataclass(frozen=True)
class ReportSpec:
    """One report on offer.

    Attributes:
        options: which of the request's choices it uses besides its dates
            ("granularity", "grouping", "dimension").
    """

    name: str
    title: str
    description: str
    build: Builder
    options: frozenset[str] = frozenset()


REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec(
        "dashboard",
        "Where the department stands",
        "Open cases by status, deadlines, workload, new cases and complaints against compliments.",
        dashboard_report,
    ),
    ReportSpec(
        "compliance",
        "Grievance compliance",
        "Acknowledged in time, resolved within 7 and 30 days, days to close and response "
        "letters missing a required element, per month or quarter.",
        compliance_report,
        frozenset({"granularity", "grouping"}),
    ),
    ReportSpec(
        "trends",
        "Trends",
        "Cases per month or quarter by category, department, staff member named, channel "
        "or kind, with the change on the period before.",
        trends_report,
        frozenset({"granularity", "dimension"}),
    ),
    ReportSpec(
        "nhs-return",
        "NHS complaints return",
        "Complaints by subject and service area, upheld, partly upheld or not upheld.",
        nhs_return_report,
    ),
    ReportSpec(
        "committee",
        "Grievance committee report",
        "The quarter's figures and charts, and a line for each grievance received.",
        committee_report,
    ),
)

_BY_NAME = {spec.name: spec for spec in REPORTS}


def report_spec(name: str) -> ReportSpec:
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(_BY_NAME)
        raise ValidationError(f"There is no report called {name!r}. Reports: {known}.") from None


def run_report(db: Database, actor: UserInfo, name: str, request: ReportRequest) -> Report:
    """Computes the report as `actor` may see the cases, every figure as of one moment."""
    require(actor.role, Action.VIEW_REPORTS)
    spec = report_spec(name)
    with db.transaction(read_only=True, snapshot=True) as session:
        if session.get_bind().dialect.name == "postgresql":
            # A report is a few short aggregate queries, where compiling them never pays:
            # a bad row estimate on a grouped report once switched JIT on and took 2.4 to
            # 4 seconds instead of 0.4. LOCAL: it ends with the transaction.
            session.execute(text("SET LOCAL jit = off"))
        report = spec.build(session, request)
        organisation = letterhead(session).organisation
    return replace(report, organisation=organisation)
