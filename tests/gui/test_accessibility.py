"""Every screen read by a screen reader and worked with Tab: names, reading order, no traps."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.gui.conftest import CaseMaker
from tests.gui.sweep_screens import WORK_SCREENS, Where
from tests.gui.sweep_setup_screens import SETUP_SCREENS
from tests.support.accessibility import (
    controls,
    focus_out_of_sight,
    out_of_reading_order,
    tab_trap,
    unnamed,
)

SCREENS: dict[str, Callable[[Where], QWidget]] = WORK_SCREENS | SETUP_SCREENS

# Steps out of reading order on purpose, by the spoken names of the two controls.
INTENDED_STEPS = {
    # From the search box straight into the cases found; Export comes after them.
    ("Cases", "Export…"),
    # A timeline entry's text is written first, then marked and added with the buttons
    # on the row above it, beside its formatting buttons.
    ("Details", "Patient-facing"),
}


# Checks known to fail on a screen, with the reason; none at the moment.
KNOWN: dict[tuple[str, str], str] = {}


def build_screen(name: str, check: str, request: pytest.FixtureRequest) -> QWidget:
    """The screen on display, or the test marked as failing for a reason known."""
    if (name, check) in KNOWN:
        pytest.xfail(KNOWN[name, check])
    make_case: CaseMaker = request.getfixturevalue("make_case")
    where = Where(
        request.getfixturevalue("ctx"),
        request.getfixturevalue("qtbot"),
        make_case(),
        request.getfixturevalue("tmp_path"),
        request,
    )
    return SCREENS[name](where)


@pytest.mark.parametrize("name", SCREENS)
def test_a_screen_reader_names_every_control(name: str, request: pytest.FixtureRequest) -> None:
    window = build_screen(name, "names", request)
    assert controls(window), "the screen shows no controls at all"
    problems = unnamed(window)
    assert not problems, "no name:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", SCREENS)
def test_tab_follows_the_reading_order_and_comes_back(
    name: str, qtbot: QtBot, request: pytest.FixtureRequest
) -> None:
    window = build_screen(name, "tab order", request)
    problems = (
        focus_out_of_sight(window, qtbot)
        + out_of_reading_order(window, INTENDED_STEPS)
        + tab_trap(window, qtbot)
    )
    assert not problems, "\n".join(problems)
