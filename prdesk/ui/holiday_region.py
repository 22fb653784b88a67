"""Whose public holidays are not working days: a country and a region of it, as two lists."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel

from prdesk.domain.deadline_policy import subdivision_names, supported_countries


class HolidayRegion(QObject):
    """Whose public holidays are not working days: a country, and a region of it.

    Used by the Deadline policy dialog and by the Deadlines settings page; `add_to`
    puts its two rows into a form.

    Signals:
        changed: the person chose another country or region.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.country = QComboBox()
        self.country.setAccessibleName("Holidays of country")
        countries = supported_countries()
        for code in sorted(countries, key=_country_name):
            self.country.addItem(f"{_country_name(code)} ({code})", code)
        self.subdivision = QComboBox()
        self.subdivision.setAccessibleName("Holidays of region")
        self.country.currentIndexChanged.connect(self._on_country_changed)
        self.subdivision.currentIndexChanged.connect(self._on_changed)

    def add_to(self, form: QFormLayout) -> None:
        for text, combo in (("&Country:", self.country), ("&Region:", self.subdivision)):
            label = QLabel(text)
            label.setBuddy(combo)
            form.addRow(label, combo)

    def set_region(self, country: str, subdivision: str) -> None:
        self._filling = True
        try:
            self.country.setCurrentIndex(max(self.country.findData(country), 0))
            self._fill_subdivisions()
            self.subdivision.setCurrentIndex(max(self.subdivision.findData(subdivision), 0))
        finally:
            self._filling = False

    def region(self) -> tuple[str, str]:
        """The country and region codes ("GB", "ENG"); the region is "" for the whole country."""
        return str(self.country.currentData() or ""), str(self.subdivision.currentData() or "")

    def _on_country_changed(self) -> None:
        was_filling, self._filling = self._filling, True
        try:
            self._fill_subdivisions()
        finally:
            self._filling = was_filling
        self._on_changed()

    def _on_changed(self) -> None:
        if not self._filling:
            self.changed.emit()

    def _fill_subdivisions(self) -> None:
        self.subdivision.clear()
        self.subdivision.addItem("Whole country", "")
        for code, name in subdivision_names(str(self.country.currentData() or "")).items():
            self.subdivision.addItem(f"{name} ({code})" if name != code else code, code)


def _country_name(code: str) -> str:
    territory = QLocale.codeToTerritory(code)
    if territory == QLocale.Country.AnyCountry:
        return code
    return QLocale.territoryToString(territory)
