"""Reports printed as PDF: read back page by page, as the committee reads them."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pypdfium2
import pytest
from pypdf import PdfReader
from sqlalchemy import text

from prdesk.domain.database import Database
from prdesk.domain.demo import generate_demo_data
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.reports.catalogue import run_report
from prdesk.domain.reports.model import (
    Chart,
    ChartKind,
    Report,
    ReportColumn,
    ReportRequest,
    ReportTable,
    Section,
    Series,
    Unit,
)
from prdesk.domain.services import users
from prdesk.export.report_pdf import report_pdf

STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
PRODUCED = datetime(2026, 10, 2, 14, 30, tzinfo=UTC)


def pages_of(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    return [page.get_textpage().get_text_range() for page in document]


def right_edges(data: bytes, page: int, *figures: str) -> list[float]:
    """Where each figure's last character ends on the page, in points from the left."""
    document = pypdfium2.PdfDocument(data)
    textpage = document[page].get_textpage()
    edges = []
    for figure in figures:
        found = textpage.search(figure, match_whole_word=True).get_next()
        assert found is not None, figure
        start, count = found
        edges.append(textpage.get_charbox(start + count - 1)[2])
    return edges


def fonts_of(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    names = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        names += [str(ref.get_object()["/BaseFont"]) for ref in resources["/Font"].values()]
    return names


def report(*sections: Section) -> Report:
    return Report(
        "trends",
        "Trends",
        "1 July 2026 – 30 September 2026, by month",
        sections,
        PRODUCED,
        "Riverside General Hospital",
    )


# --- The committee's report, from a department's cases ---------------------------------


@pytest.fixture
def coordinator_on_sqlite(sqlite_db: Database) -> UserInfo:
    sqlite_db.acting_user = "mgarcia"
    with sqlite_db.transaction() as session:
        return users.resolve_actor(session, "mgarcia", "María García")


def last_whole_quarter() -> tuple[date, date]:
    today = date.today()
    end = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def test_the_committee_report_prints_its_figures_and_every_case_number_but_no_names(
    sqlite_db: Database, coordinator_on_sqlite: UserInfo
) -> None:
    generate_demo_data(sqlite_db, 300, seed=21)
    # Two quarters: enough grievances for the list of them to run over pages.
    start, end = last_whole_quarter()
    start = date(start.year - (start.month == 1), (start.month - 4) % 12 + 1, 1)

    committee = run_report(sqlite_db, coordinator_on_sqlite, "committee", ReportRequest(start, end))
    pages = pages_of(report_pdf(committee))

    assert "Grievance committee report" in pages[0]
    assert committee.subtitle in pages[0]
    assert "Produced " in pages[0] and "by PR Desk" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    everything = "\n".join(pages)
    (summary,) = [s for s in committee.sections if s.heading == "Summary"]
    assert summary.paragraphs[0] in everything.replace("\r\n", " ").replace("\n", " ")
    after = datetime.combine(end + timedelta(days=1), time()).astimezone().astimezone(UTC)
    before = datetime.combine(start, time()).astimezone().astimezone(UTC)
    with sqlite_db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.number, p.full_name, r.full_name FROM cases c "
                "JOIN people p ON p.id = c.patient_id "
                "LEFT JOIN people r ON r.id = c.complainant_id "
                "WHERE c.is_grievance = 1 AND c.received_at >= :b AND c.received_at < :a"
            ),
            {"b": before.strftime("%Y-%m-%d %H:%M:%S"), "a": after.strftime("%Y-%m-%d %H:%M:%S")},
        ).all()
    assert len(rows) > 10
    listing = [page for page in pages if any(row[0] in page for row in rows)]
    assert len(listing) > 1, "enough grievances to run over a page"
    assert all("Service area" in page and "Determination" in page for page in listing)
    for number, patient, complainant in rows:
        assert number in everything
        assert patient not in everything
        if complainant:
            assert complainant not in everything


# --- Tables ---------------------------------------------------------------------------


def test_a_table_prints_its_figures_numbers_aligned_right_and_its_total() -> None:
    table = ReportTable(
        (
            ReportColumn("Department"),
            ReportColumn("Received", Unit.COUNT),
            ReportColumn("Acknowledged in time", Unit.PERCENT),
            ReportColumn("Median days to close", Unit.DAYS),
            ReportColumn("Change", Unit.CHANGE, "Against the quarter before."),
        ),
        (
            ("Emergency Department", 1204, 0.925, 12.25, -0.24),
            ("Cardiology", 7, None, 3.0, 0.5),
            ("All departments", 1211, 0.9, 12.0, -0.2),
        ),
        total_row=True,
    )

    data = report_pdf(report(Section("By department", ("Grievances received.",), table)))

    (page,) = pages_of(data)
    for shown in ("1,204", "92.5%", "12.2", "-24%", "+50%", "–", "1,211", "All departments"):
        assert shown in page
    assert "Change: Against the quarter before." in page
    # Ink edges: a bold or narrow last glyph ends a point or so short of the others.
    one, many, total, name = right_edges(data, 0, "7", "1,204", "1,211", "Cardiology")
    assert abs(one - many) < 2 and abs(many - total) < 2
    assert name < one - 20


def test_a_table_too_wide_for_the_page_goes_in_parts_each_naming_its_rows() -> None:
    months = [f"{name} 2026" for name in ("January", "February", "March", "April", "May")]
    columns = (
        ReportColumn("Staff member named"),
        *(ReportColumn(f"Acknowledged in time {m}", Unit.PERCENT) for m in months),
        *(ReportColumn(f"Resolved within 30 days {m}", Unit.PERCENT) for m in months),
        *(ReportColumn(f"Median days to close {m}", Unit.DAYS) for m in months),
    )
    rows = tuple(
        (name, *(0.5 + i / 100 for i in range(5)), *(0.25,) * 5, *(100.0 + i for i in range(5)))
        for name in ("Dr. Marcus Webb", "RN Kelly")
    )

    data = report_pdf(report(Section("Wide", (), ReportTable(columns, rows))))

    everything = " ".join(pages_of(data)).replace("\r\n", " ").replace("\n", " ")
    for column in columns:
        assert column.title in everything  # no heading broken in the middle of a word
    assert everything.count("Dr. Marcus Webb") > 1, "each part names the rows"
    for figure in ("50.0%", "54.0%", "25.0%", "104.0"):
        assert figure in everything


def test_a_table_with_nothing_in_it_says_so() -> None:
    table = ReportTable((ReportColumn("Category"), ReportColumn("Cases", Unit.COUNT)), ())

    (page,) = pages_of(report_pdf(report(Section("By category", (), table))))

    assert "Nothing to show for these dates." in page


# --- Charts ---------------------------------------------------------------------------


def test_charts_print_their_labels_in_any_script_in_embedded_fonts() -> None:
    people = ("Dr. O'Brien", "王秀英", "김민준", "Nguyễn Thị Hương")
    charts = (
        Chart("Cases by person", ChartKind.HBAR, people, (Series("Cases", (4, 3, 2, 1)),)),
        Chart(
            "Acknowledged in time",
            ChartKind.LINE,
            ("Jul 2026", "Aug 2026", "Sep 2026"),
            (Series("Acknowledged", (0.5, 0.75, 1.0)), Series("Resolved", (0.25, 0.5, 0.6))),
            Unit.PERCENT,
        ),
        Chart(
            "Received",
            ChartKind.BAR,
            ("Jul 2026", "Aug 2026", "Sep 2026"),
            (Series("Complaints", (10, 12, 9)), Series("Compliments", (3, 5, 4))),
        ),
    )

    data = report_pdf(report(*(Section(c.title, chart=c) for c in charts)))

    everything = " ".join(pages_of(data))
    for label in (*people, "Sep 2026", "100.0%", "Compliments", "Resolved"):
        assert label in everything
    fonts = fonts_of(data)
    assert fonts
    assert not [name for name in fonts if any(s in name for s in STANDARD_14)]


def test_a_chart_of_many_people_runs_over_pages_and_shows_everyone() -> None:
    people = tuple(f"Staff member {number:02d}" for number in range(70))
    chart = Chart(
        "Cases by staff member named",
        ChartKind.HBAR,
        people,
        (Series("Cases", tuple(float(n % 7) for n in range(70))),),
    )

    pages = pages_of(report_pdf(report(Section("Staff", chart=chart))))

    assert len(pages) > 1
    everything = " ".join(pages)
    assert all(person in everything for person in people)


BLUE = (0x00, 0x72, 0xB2)  # the first series' colour


def _blue_in_column(data: bytes, label: str) -> int:
    """Pixels of the first series' colour in a narrow band above a category's name."""
    document = pypdfium2.PdfDocument(data)
    page = document[0]
    textpage = page.get_textpage()
    found = textpage.search(label).get_next()
    assert found is not None, label
    start, count = found
    left, _bottom = textpage.get_charbox(start)[:2]
    right, top = textpage.get_charbox(start + count - 1)[2:]
    scale = 3
    image = page.render(scale=scale).to_pil().convert("RGB")
    height = page.get_height()
    centre = (left + right) / 2
    pixels = 0
    for x in range(round((centre - 2) * scale), round((centre + 2) * scale)):
        for y in range(round((height - top - 200) * scale), round((height - top - 2) * scale)):
            if all(abs(a - b) < 40 for a, b in zip(image.getpixel((x, y)), BLUE, strict=True)):
                pixels += 1
    return pixels


@pytest.mark.parametrize("kind", [ChartKind.BAR, ChartKind.LINE])
def test_a_month_with_nothing_to_measure_prints_no_bar_and_no_point(kind: ChartKind) -> None:
    chart = Chart(
        "Resolved within 7 days",
        kind,
        ("Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"),
        (Series("Resolved within 7 days", (0.5, None, 0.75, 0.9)),),
        Unit.PERCENT,
    )

    data = report_pdf(report(Section("Compliance", chart=chart)))

    assert _blue_in_column(data, "Jan 2026") > 0
    assert _blue_in_column(data, "Mar 2026") > 0
    # No bar, no point, and no line drawn across February from January to March.
    assert _blue_in_column(data, "Feb 2026") == 0


def test_several_lines_print_no_figures_over_one_another() -> None:
    kinds = ("Complaints", "Grievances", "Compliments", "Information requests", "Other")
    chart = Chart(
        "Received, by kind of case",
        ChartKind.LINE,
        ("Jul 2026", "Aug 2026", "Sep 2026"),
        tuple(
            Series(kind, tuple(float(101 + 7 * number + month) for month in range(3)))
            for number, kind in enumerate(kinds)
        ),
    )

    text_on_page = pages_of(report_pdf(report(Section("Trends", chart=chart))))[0]

    assert "Information requests" in text_on_page
    assert not [figure for figure in ("101", "116", "131") if figure in text_on_page.split()]
