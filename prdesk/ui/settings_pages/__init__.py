"""The catalogue of settings pages: every setting PR Desk has is edited on exactly one of them.

The Settings dialog lists `PAGES` in this order, grouped by where they are kept;
tests/gui/test_settings_pages.py checks that every key the domain stores and
every preference of this computer is declared by one page here.
"""

from __future__ import annotations

from prdesk.ui.settings_page import SettingsPage
from prdesk.ui.settings_pages.database import DatabasePage
from prdesk.ui.settings_pages.deadlines import DeadlinePresetPage
from prdesk.ui.settings_pages.intake import IntakePage
from prdesk.ui.settings_pages.organisation import OrganisationPage
from prdesk.ui.settings_pages.security import SecurityPage
from prdesk.ui.settings_pages.signature import SignaturePage
from prdesk.ui.settings_pages.workstation import WorkstationPage

PAGES: tuple[type[SettingsPage], ...] = (
    WorkstationPage,
    DatabasePage,
    SignaturePage,
    OrganisationPage,
    DeadlinePresetPage,
    IntakePage,
    SecurityPage,
)


def page_named(name: str) -> type[SettingsPage]:
    """The page class by its module's name ("intake", "security"), as menus ask for it."""
    for page in PAGES:
        if page.__module__.rpartition(".")[2] == name:
            return page
    raise KeyError(name)
