"""A combo box over an enum's members, optionally with a "Choose…" entry meaning none."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from PySide6.QtWidgets import QComboBox, QWidget

from prdesk.domain.enums import LabelledEnum

E = TypeVar("E", bound=LabelledEnum)


class EnumCombo(QComboBox, Generic[E]):
    """Shows each member's label; `value()` gives the member back (None for the placeholder)."""

    def __init__(
        self,
        enum: type[E],
        *,
        members: Iterable[E] | None = None,
        placeholder: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._enum = enum
        if placeholder is not None:
            self.addItem(placeholder, None)
        for member in members if members is not None else enum:
            # The value string, not the member: Qt would hand a str subclass back as str.
            self.addItem(member.label, member.value)

    def value(self) -> E | None:
        data = self.currentData()
        return None if data is None else self._enum(data)

    def set_value(self, member: E | None) -> None:
        index = self.findData(None if member is None else member.value)
        if index >= 0:
            self.setCurrentIndex(index)
