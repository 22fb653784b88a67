"""A report as a printed PDF: title, then each section's sentences, table and chart."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from prdesk.domain.reports.model import Cell, Chart, Report, ReportTable, Section, Unit, format_cell
from prdesk.export.fonts import BASE_FONT, font_runs
from prdesk.export.pdf_layout import (
    ACCENT,
    MUTED,
    SHADE,
    TEXT_WIDTH,
    Furniture,
    local_datetime,
    para,
    render_report,
    style,
)
from prdesk.export.report_blocks import BODY, CELL_PADDING, NOTE, SUBHEADING, grid, section
from prdesk.export.report_charts import chart_drawings, text_width

CONFIDENTIAL = "Confidential: for the department and the grievance committee; do not pass on."
ORGANISATION = style("report-organisation", 11, textColor=ACCENT)
TITLE = style("report-title", 17, textColor=ACCENT, spaceBefore=4, spaceAfter=2)
SUBTITLE = style("report-subtitle", 12, spaceAfter=2)
PRODUCED = style("report-produced", 8.5, textColor=MUTED, spaceAfter=6)
# Type sizes a table tries, largest first, until its columns fit across the page.
TABLE_SIZES = (9.0, 8.0, 7.0)
# The type size of a table printed in parts, each part as many columns as fit.
SPLIT_SIZE = 7.5
# Longest cell measured per column when sizing columns: a long table's first rows and
# its total show the widths well enough, and measuring thousands of cells is slow.
MEASURED_ROWS = 400
TABLE_START = 1.1 * inch
_Part = tuple[ReportTable, list[list[str]]]
# The cell padding, and a point to spare so a figure measured to fit never wraps.
_SIDE_PADDING = 2 * CELL_PADDING + 3


class _Styles:
    """A table's cell styles at one type size."""

    def __init__(self, size: float) -> None:
        self.size = size
        name = f"report-table-{size}"
        self.text = style(f"{name}-text", size)
        self.number = style(f"{name}-number", size, alignment=TA_RIGHT)
        self.heading = style(f"{name}-heading", size * 0.9, textColor=MUTED)
        self.heading_number = style(
            f"{name}-heading-number", size * 0.9, textColor=MUTED, alignment=TA_RIGHT
        )


def printable(text: str) -> str:
    """Text the shipped fonts have glyphs for: Noto Sans has no minus sign (U+2212)."""
    return text.replace("\u2212", "-")


def _text(value: Cell, unit: Unit) -> str:
    return printable(format_cell(value, unit))


def _p(text: str, paragraph_style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    return para(printable(text), paragraph_style, bold=bold)


def _heading_width(text: str, size: float) -> float:
    """Headings print bold: measured in the bold face where the text is in the base font."""
    return 1.0 + sum(
        float(stringWidth(run, f"{BASE_FONT}-Bold" if font == BASE_FONT else font, size))
        for font, run in font_runs(printable(text))
    )


def _plain(text: str) -> bool:
    """Whether the text prints in the base font alone, so it can go in as a plain string."""
    runs = font_runs(text)
    return "\n" not in text and all(font == BASE_FONT for font, _ in runs)


def _longest_word(text: str, size: float, *, bold: bool = False) -> float:
    measure = _heading_width if bold else text_width
    return max((measure(word, size) for word in text.split()), default=0.0)


def _squeezed(table: ReportTable, texts: list[list[str]], size: float) -> list[float]:
    """Widths for more columns than whole heading words fit: each column its figures (or
    longest word), the rest of the line to the headings that need it most."""
    sample = texts[:MEASURED_ROWS] + texts[-1:]
    least, needs = [], []
    for index, column in enumerate(table.columns):
        cells = [row[index] for row in sample]
        measure = text_width if column.unit.numeric else _longest_word
        width = max((measure(cell, size) for cell in cells), default=0.0) + _SIDE_PADDING
        least.append(min(width, TEXT_WIDTH * 0.25))
        heading = _longest_word(column.title, size * 0.9, bold=True) + _SIDE_PADDING
        needs.append(max(heading - least[-1], 0.0))
    spare = TEXT_WIDTH - sum(least)
    if spare <= 0:
        return [TEXT_WIDTH / len(table.columns)] * len(table.columns)
    scale = min(1.0, spare / (sum(needs) or 1.0))
    widths = [low + need * scale for low, need in zip(least, needs, strict=True)]
    left = TEXT_WIDTH - sum(widths)
    return [width + left / len(widths) for width in widths]


def _widths(
    table: ReportTable, texts: list[list[str]], size: float, *, whole: bool = False
) -> list[float] | None:
    """Column widths at this type size, or None when the columns cannot fit across the page
    (with `whole`, unless every cell fits on one line).

    Figures keep their whole width; text columns share what is left in proportion to
    their longest cell, and never go narrower than their longest word.
    """
    sample = texts[:MEASURED_ROWS] + texts[-1:]
    natural: list[float] = []
    least: list[float] = []
    for index, column in enumerate(table.columns):
        cells = [row[index] for row in sample]
        heading = _longest_word(column.title, size * 0.9, bold=True)
        widest = max((text_width(cell, size) for cell in cells), default=0.0)
        if column.unit.numeric:
            width = max(widest, heading) + _SIDE_PADDING
            natural.append(width)
            least.append(width)
        else:
            natural.append(max(widest, _heading_width(column.title, size * 0.9)) + _SIDE_PADDING)
            words = max((_longest_word(cell, size) for cell in cells), default=0.0)
            least.append(min(max(words, heading) + _SIDE_PADDING, TEXT_WIDTH * 0.4))
    if sum(least) > TEXT_WIDTH:
        return None
    if sum(natural) <= TEXT_WIDTH:
        share = (TEXT_WIDTH - sum(natural)) / len(natural)
        return [width + share for width in natural]
    if whole:
        return None
    fixed = sum(w for w, c in zip(natural, table.columns, strict=True) if c.unit.numeric)
    flexible = [(i, natural[i]) for i, c in enumerate(table.columns) if not c.unit.numeric]
    room = TEXT_WIDTH - fixed
    widths = list(natural)
    # Give each text column its least width, then the rest in proportion to its longest cell.
    pending = dict(flexible)
    while pending:
        total = sum(pending.values())
        shares = {i: room * w / total for i, w in pending.items()}
        short = {i for i, share in shares.items() if share < least[i]}
        if not short:
            for i, share in shares.items():
                widths[i] = share
            break
        for i in short:
            widths[i] = least[i]
            room -= least[i]
            del pending[i]
    return widths


def _cell(text: str, column_unit: Unit, styles: _Styles, width: float, bold: bool) -> object:
    if _plain(text) and text_width(text, styles.size) <= width - _SIDE_PADDING:
        return text
    paragraph_style = styles.number if column_unit.numeric else styles.text
    return _p(text, paragraph_style, bold=bold)


def _broken(heading: str, room: float, size: float) -> str:
    """The heading with words too long for its column split by a hyphen where they fit."""
    words: list[str] = []
    for word in heading.split():
        while _heading_width(word, size) > room and len(word) > 3:
            cut = len(word) - 1
            while cut > 2 and _heading_width(word[:cut] + "-", size) > room:
                cut -= 1
            words.append(word[:cut] + "-")
            word = word[cut:]
        words.append(word)
    return " ".join(words)


def _notes(table: ReportTable, printed: set[tuple[str, str]]) -> list[Flowable]:
    """What the columns count, once per wording: months sharing one note share its line,
    and a note printed under an earlier table of the report is not printed again."""
    titles: dict[str, list[str]] = {}
    for column in table.columns:
        if column.note and (column.title, column.note) not in printed:
            printed.add((column.title, column.note))
            titles.setdefault(column.note, []).append(column.title)
    return [_p(f"{', '.join(names)}: {note}", NOTE) for note, names in titles.items()]


def _part(table: ReportTable, texts: list[list[str]], keep: Sequence[int]) -> _Part:
    columns = tuple(table.columns[i] for i in keep)
    rows = tuple(tuple(row[i] for i in keep) for row in table.rows)
    return ReportTable(columns, rows, total_row=table.total_row), [
        [row[i] for i in keep] for row in texts
    ]


def _fitting(table: ReportTable, texts: list[list[str]]) -> list[tuple[_Part, float, list[float]]]:
    """The table at the largest type size its columns fit at; a table too wide even in
    small type goes in parts, each repeating the first column, which names the rows."""
    for size in TABLE_SIZES:
        widths = _widths(table, texts, size)
        if widths is not None:
            return [((table, texts), size, widths)]
    size = SPLIT_SIZE
    key = [0] if not table.columns[0].unit.numeric else []
    parts: list[tuple[_Part, float, list[float]]] = []
    chosen: list[int] = []
    for index in range(len(key), len(table.columns)):
        trial = _part(table, texts, [*key, *chosen, index])
        if chosen and _widths(*trial, size, whole=True) is None:
            part = _part(table, texts, [*key, *chosen])
            parts.append((part, size, _widths(*part, size) or _squeezed(*part, size)))
            chosen = []
        chosen.append(index)
    part = _part(table, texts, [*key, *chosen])
    parts.append((part, size, _widths(*part, size) or _squeezed(*part, size)))
    return parts


def _grid(table: ReportTable, texts: list[list[str]], size: float, widths: list[float]) -> Table:
    styles = _Styles(size)
    header: list[object] = [
        _p(
            _broken(column.title, width - _SIDE_PADDING, size * 0.9),
            styles.heading_number if column.unit.numeric else styles.heading,
            bold=True,
        )
        for column, width in zip(table.columns, widths, strict=True)
    ]
    last = len(texts) - 1
    rows: list[list[object]] = [header]
    for number, row in enumerate(texts):
        bold = table.total_row and number == last
        rows.append(
            [
                _cell(text, column.unit, styles, width, bold)
                for text, column, width in zip(row, table.columns, widths, strict=False)
            ]
        )
    shown = grid(rows, widths, header=True)
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), BASE_FONT, size, size * 1.3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for index, column in enumerate(table.columns):
        if column.unit.numeric:
            commands.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
    if table.total_row and texts:
        commands += [
            ("FONT", (0, -1), (-1, -1), f"{BASE_FONT}-Bold", size, size * 1.3),
            ("BACKGROUND", (0, -1), (-1, -1), SHADE),
            ("LINEABOVE", (0, -1), (-1, -1), 0.6, MUTED),
        ]
    shown.setStyle(TableStyle(commands))
    return shown


def _table(table: ReportTable, printed: set[tuple[str, str]]) -> list[Flowable]:
    texts = [
        [_text(value, column.unit) for value, column in zip(row, table.columns, strict=False)]
        for row in table.rows
    ]
    flowables: list[Flowable] = []
    for (part, part_texts), size, widths in _fitting(table, texts):
        if flowables:
            flowables.append(Spacer(0, 8))
        # A table's heading row and first rows never sit alone at the foot of a page.
        flowables += [CondPageBreak(TABLE_START), _grid(part, part_texts, size, widths)]
    notes = _notes(table, printed)
    if notes:
        flowables += [Spacer(0, 3), *notes]
    if not texts:
        flowables.append(_p("Nothing to show for these dates.", NOTE))
    return flowables


def _chart(chart: Chart) -> list[Flowable]:
    heading = _p(chart.title, SUBHEADING, bold=True)
    drawings: list[Flowable] = list(chart_drawings(chart, TEXT_WIDTH))
    return [heading, *drawings]


def _section(shown: Section, printed: set[tuple[str, str]]) -> list[Flowable]:
    flowables: list[Flowable] = []
    if shown.table is not None:
        # Keeps the heading and its sentences with the table's first rows (a page break is no
        # flowable to keep with). Sentences are reckoned a line each; a section with many
        # explains its table at length, and may go on to the next page.
        sentences = min(len(shown.paragraphs), 8) * 0.3 * inch
        flowables.append(CondPageBreak(TABLE_START + 0.5 * inch + sentences))
    flowables += section(printable(shown.heading))
    flowables += [_p(text, BODY) for text in shown.paragraphs if text]
    if shown.table is not None:
        flowables += _table(shown.table, printed)
    if shown.chart is not None and shown.chart.categories:
        flowables += _chart(shown.chart)
    return flowables


def _title(report: Report) -> list[Flowable]:
    flowables: list[Flowable] = []
    if report.organisation:
        flowables.append(_p(report.organisation, ORGANISATION, bold=True))
    flowables.append(_p(report.title, TITLE, bold=True))
    if report.subtitle:
        flowables.append(_p(report.subtitle, SUBTITLE))
    produced = f"Produced {local_datetime(report.generated_at)} by PR Desk"
    flowables.append(_p(produced, PRODUCED))
    return flowables


def report_story(report: Report) -> Sequence[Flowable]:
    story = _title(report)
    printed: set[tuple[str, str]] = set()
    for shown in report.sections:
        story += _section(shown, printed)
    return story


def report_pdf(report: Report) -> bytes:
    """The report as PDF bytes on US Letter paper; the same report gives the same bytes."""
    furniture = Furniture(
        running_title=printable(f"{report.title}  ·  {report.subtitle}"),
        organisation=report.organisation,
        footer=f"{CONFIDENTIAL} Produced {local_datetime(report.generated_at)} by PR Desk.",
        dated=report.generated_at,
    )
    return render_report(report_story(report), furniture, title=report.title)
