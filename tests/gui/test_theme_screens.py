"""Every screen stays readable in dark mode and high contrast: lists, banners, the template editor."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QTextFormat
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QStyle, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from prdesk.domain.enums import Role
from prdesk.domain.models import Case
from prdesk.domain.services import cases, user_admin, users
from prdesk.domain.services.user_admin import NewUser
from prdesk.ui import theme
from prdesk.ui.case_list import CaseListWidget
from prdesk.ui.case_list_cells import DUE, STATUS
from prdesk.ui.context import AppContext
from prdesk.ui.letter_template_source import TemplateSourceEdit
from prdesk.ui.style import contrast
from prdesk.ui.theme import Theme, install_theme
from prdesk.ui.users_dialog import UsersDialog
from prdesk.ui.waiting_on_departments import WaitingOnDepartments
from prdesk.ui.workload_model import DUE_SOON, OVERDUE
from prdesk.ui.workload_view import WorkloadView
from tests.gui.conftest import CaseMaker, wait_idle
from tests.gui.test_department_requests import _answer, _ask, _departments
from tests.support.palettes import dark_palette
from tests.support.screenshots import save_screenshot

FOREGROUND = Qt.ItemDataRole.ForegroundRole


def light_look(app: QApplication) -> Iterator[Theme]:
    """PR Desk's theme, in the light look; put back to light after the test."""
    light, font = QApplication.palette(), QApplication.font()
    installed = install_theme(app)
    yield installed
    QApplication.setPalette(light)
    QApplication.setFont(font)
    installed.apply()


def go_dark(installed: Theme) -> Theme:
    """Windows switched to dark mode before the screen opens."""
    QApplication.setPalette(dark_palette())
    installed.apply()
    return installed


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[Theme]:
    yield from light_look(qapp)


@pytest.fixture
def dark(themed: Theme) -> Theme:
    return go_dark(themed)


def shown(qtbot: QtBot, widget: QWidget, width: int = 900, height: int = 420) -> None:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    wait_idle(qtbot)


def shot(widget: QWidget, name: str) -> QImage:
    return save_screenshot(widget, f"theme-{name}")


def painted_background(view: QAbstractItemView, index: QModelIndex) -> QColor:
    """The colour the view painted behind a cell (its corner, away from text and grid)."""
    rect = view.visualRect(index)
    image = view.viewport().grab().toImage()
    return image.pixelColor(rect.topLeft() + QPoint(2, 2))


def assert_readable(view: QAbstractItemView, index: QModelIndex) -> None:
    color = index.data(FOREGROUND)
    assert isinstance(color, QColor), index.data()
    background = painted_background(view, index)
    assert contrast(color, background) >= 4.5, (index.data(), color.name(), background.name())


def row_of(view: QAbstractItemView, text: str, column: int = 0) -> int:
    model = view.model()
    return next(r for r in range(model.rowCount()) if model.index(r, column).data() == text)


def _late_and_soon(ctx: AppContext, make_case: CaseMaker) -> None:
    """Ji-woo holds a case three days late and one due tomorrow."""
    with ctx.db.transaction() as session:
        jiwoo = users.resolve_actor(session, "jkim", "Ji-woo Kim")
    for patient, due_in in (("Anna Bell", -3), ("Ben Chu", 1)):
        case = make_case(patient)
        with ctx.db.transaction() as session:
            version = session.get_one(Case, case.id).version
            cases.assign_case(session, ctx.actor, case.id, version, jiwoo.id)
            due_on = date.today() + timedelta(days=due_in)
            session.execute(update(Case).where(Case.id == case.id).values(due_on=due_on))


def test_the_workload_dock_in_dark_mode_shows_late_figures_readably(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, dark: Theme
) -> None:
    _late_and_soon(ctx, make_case)
    view = WorkloadView(ctx)
    shown(qtbot, view, 520, 260)
    qtbot.waitUntil(lambda: view.model.rowCount() >= 3)
    shot(view, "workload-dark")
    row = row_of(view.table, "Ji-woo Kim")
    for column in (DUE_SOON, OVERDUE):
        assert_readable(view.table, view.model.index(row, column))
    assert painted_background(view.table, view.model.index(row, 0)).lightness() < 60


def test_lists_follow_a_switch_to_dark_while_they_are_open(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, themed: Theme
) -> None:
    _late_and_soon(ctx, make_case)
    view = WorkloadView(ctx)
    shown(qtbot, view, 520, 260)
    qtbot.waitUntil(lambda: view.model.rowCount() >= 3)
    late = view.model.index(row_of(view.table, "Ji-woo Kim"), OVERDUE)
    in_light = QColor(late.data(FOREGROUND))
    assert_readable(view.table, late)

    with qtbot.waitSignal(view.model.dataChanged, timeout=2000):
        QApplication.setPalette(dark_palette())

    assert late.data(FOREGROUND) != in_light
    assert_readable(view.table, late)


def test_waiting_on_departments_in_dark_mode(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, dark: Theme
) -> None:
    departments = _departments(ctx)
    first, second = make_case(), make_case("Łukasz Nowak")
    _ask(ctx, first, departments["Cardiology"], "ECG timing", due=-2)
    _ask(ctx, second, departments["Emergency Department"], "Triage times", due=1)
    _answer(ctx, _ask(ctx, second, departments["Cardiology"], "Discharge note", due=4))
    view = WaitingOnDepartments(ctx)
    shown(qtbot, view, 1000, 300)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    shot(view, "waiting-dark")
    table = view.findChild(QAbstractItemView)
    assert table is not None
    for row, column in ((0, 5), (0, 4), (1, 4)):
        assert_readable(table, view.model.index(row, column))


def test_a_disabled_person_reads_in_grey_on_a_dark_users_list(
    ctx: AppContext, qtbot: QtBot, dark: Theme
) -> None:
    with ctx.db.transaction() as session:
        james = user_admin.add_user(
            session, ctx.actor, NewUser("jokafor", "James Okafor", Role.REPRESENTATIVE)
        )
        user_admin.disable_user(session, ctx.actor, james.id)
    dialog = UsersDialog(ctx)
    shown(qtbot, dialog, 820, 380)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    shot(dialog, "users-dark")
    table = dialog.findChild(QAbstractItemView)
    assert table is not None
    row = row_of(table, "James Okafor")
    for column in range(dialog.model.columnCount()):
        assert_readable(table, dialog.model.index(row, column))


def _case_list(ctx: AppContext, qtbot: QtBot) -> CaseListWidget:
    widget = CaseListWidget(ctx)
    shown(qtbot, widget, 1200, 300)
    qtbot.waitUntil(lambda: widget.model.rowCount() > 0)
    return widget


def test_a_selected_new_case_keeps_its_status_dot_visible_in_dark_mode(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, dark: Theme
) -> None:
    make_case()
    widget = _case_list(ctx, qtbot)
    widget.table.selectRow(0)
    widget.table.setFocus()
    wait_idle(qtbot)
    image = shot(widget.table, "case-list-selected-dark")
    cell = widget.table.visualRect(widget.model.index(0, STATUS))
    cell.translate(widget.table.viewport().pos())
    highlight = widget.table.palette().color(QPalette.ColorRole.Highlight)
    # The dot sits in the small-icon square at the cell's left, before the text.
    icon = widget.table.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    dot = QRect(cell.left(), cell.top(), icon + 4, cell.height())
    seen = [
        image.pixelColor(x, y)
        for x in range(dot.left(), dot.right())
        for y in range(dot.top(), dot.bottom())
    ]
    assert image.pixelColor(cell.right() - 4, cell.top() + 2) == highlight
    assert max(contrast(color, highlight) for color in seen) >= 3


def test_a_late_case_with_a_safety_concern_reads_in_dark_mode(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker, dark: Theme
) -> None:
    late, plain = make_case("Anna Bell"), make_case("Ben Chu")
    with ctx.db.transaction() as session:
        for case in (late, plain):
            due_on = date.today() - timedelta(days=3)
            session.execute(update(Case).where(Case.id == case.id).values(due_on=due_on))
        session.execute(update(Case).where(Case.id == late.id).values(safety_concern=True))
    widget = _case_list(ctx, qtbot)
    shot(widget.table, "case-list-safety-dark")
    for row in range(2):
        assert_readable(widget.table, widget.model.index(row, DUE))


def test_high_contrast_lists_use_the_systems_text_colour(
    ctx: AppContext,
    qtbot: QtBot,
    make_case: CaseMaker,
    dark: Theme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _late_and_soon(ctx, make_case)
    monkeypatch.setattr(theme, "high_contrast_wanted", lambda: True)
    dark.apply()
    view = WorkloadView(ctx)
    shown(qtbot, view, 520, 260)
    qtbot.waitUntil(lambda: view.model.rowCount() >= 3)
    late = view.model.index(row_of(view.table, "Ji-woo Kim"), OVERDUE)
    assert late.data(FOREGROUND) == view.table.palette().color(QPalette.ColorRole.Text)
    monkeypatch.undo()


def test_merge_fields_in_the_template_editor_read_in_dark_mode(qtbot: QtBot, dark: Theme) -> None:
    editor = TemplateSourceEdit()
    editor.setPlainText(
        "Subject: Your concern\n# Our findings\nDear {{ patient.name }},\n"
        "{% if case.is_grievance %}[[ what we found ]]{% endif %}"
    )
    shown(qtbot, editor, 520, 140)
    shot(editor, "template-dark")
    base = editor.palette().color(QPalette.ColorRole.Base)
    coloured = []
    block = editor.document().begin()
    while block.isValid():
        for part in block.layout().formats():
            shape = part.format
            has_tint = shape.hasProperty(QTextFormat.Property.BackgroundBrush)
            background = shape.background().color() if has_tint else base
            text = block.text()[part.start : part.start + part.length]
            coloured.append(text)
            assert contrast(shape.foreground().color(), background) >= 4.5, text
        block = block.next()
    assert "{{ patient.name }}" in coloured and "[[ what we found ]]" in coloured


def test_hints_in_empty_fields_read_in_dark_mode(qtbot: QtBot, dark: Theme) -> None:
    field = QLineEdit()
    field.setPlaceholderText("Search cases")
    shown(qtbot, field, 300, 30)
    palette = field.palette()
    hint = palette.color(QPalette.ColorRole.PlaceholderText)
    assert contrast(hint, palette.color(QPalette.ColorRole.Base)) >= 4.5
