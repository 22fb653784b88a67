"""Two workstations on one case: what one adds or changes appears on the other by itself."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from prdesk.domain.enums import TimelineKind
from prdesk.domain.services import timeline
from prdesk.domain.services.timeline import EntryChanges, NewTimelineEntry
from prdesk.ui.case_view import CaseView
from prdesk.ui.context import AppContext
from tests.gui.conftest import CaseMaker, shown_window, wait_idle


def _open(ctx: AppContext, qtbot: QtBot, case_id: int) -> CaseView:
    window = shown_window(ctx, qtbot)
    view = window.tabs.open_case(case_id)
    qtbot.waitUntil(lambda: view.detail is not None)
    wait_idle(qtbot)
    return view


def _summaries(view: CaseView) -> list[str]:
    return [entry.summary for entry in view.timeline.model.visible_entries()]


def test_a_colleagues_new_entry_appears_without_refreshing(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    view = _open(ctx, qtbot, case.id)
    before = _summaries(view)

    # Saved at another workstation: nothing is announced on this one.
    with ctx.db.transaction() as session:
        timeline.add_entry(
            session, ctx.actor, case.id,
            NewTimelineEntry(kind=TimelineKind.STAFF_INTERVIEW, summary="Interviewed the charge nurse"),
        )  # fmt: skip
    assert _summaries(view) == before
    view.watch.check()

    qtbot.waitUntil(lambda: "Interviewed the charge nurse" in _summaries(view))


def test_a_colleagues_edit_and_delete_appear_and_nothing_reloads_when_nothing_changed(
    ctx: AppContext, qtbot: QtBot, make_case: CaseMaker
) -> None:
    case = make_case()
    with ctx.db.transaction() as session:
        first = timeline.add_entry(
            session, ctx.actor, case.id,
            NewTimelineEntry(kind=TimelineKind.NOTE, summary="Draft note"),
        )  # fmt: skip
        second = timeline.add_entry(
            session, ctx.actor, case.id,
            NewTimelineEntry(kind=TimelineKind.NOTE, summary="Left a message"),
        )  # fmt: skip
    view = _open(ctx, qtbot, case.id)
    loads: list[object] = []
    view.loaded.connect(loads.append)
    view.watch.check()
    wait_idle(qtbot)
    assert loads == []  # the stored case is what is shown

    with ctx.db.transaction() as session:
        changes = EntryChanges.of(first)
        timeline.edit_entry(
            session, ctx.actor, first.id, first.version,
            EntryChanges(**{**changes.__dict__, "summary": "Spoke to the ward manager"}),
        )  # fmt: skip
        timeline.delete_entry(session, ctx.actor, second.id, second.version)
    view.watch.check()

    qtbot.waitUntil(lambda: "Spoke to the ward manager" in _summaries(view))
    assert "Left a message" not in _summaries(view)
