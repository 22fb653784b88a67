"""The bar above a case's timeline: which kinds, whose entries, what text, which order."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from prdesk.domain.enums import TimelineKind
from prdesk.domain.readmodels import Reference

NEWEST_FIRST, OLDEST_FIRST = "Newest first", "Oldest first"


class TimelineFilterBar(QWidget):
    """What the timeline shows; the panel applies it to the model on every change.

    Signals:
        changed: any of kinds, author, text or order changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The kinds ticked; none ticked shows every kind.
        self._kinds: frozenset[TimelineKind] = frozenset()

        self.kind_button = QPushButton()
        self.kind_button.setAutoDefault(False)
        self.kind_button.setAccessibleName("Kinds of entry shown")
        self.kind_button.setToolTip("Show only some kinds of entry")
        self._kind_menu = QMenu(self.kind_button)
        self.kind_button.setMenu(self._kind_menu)
        self._all_action = self._kind_menu.addAction("All kinds")
        self._all_action.setCheckable(True)
        self._all_action.triggered.connect(self._on_all_kinds)
        self._kind_menu.addSeparator()
        self._kind_actions: dict[TimelineKind, QAction] = {}
        for kind in TimelineKind:
            action = self._kind_menu.addAction(kind.label)
            action.setCheckable(True)
            action.triggered.connect(lambda checked, k=kind: self._on_kind(k, checked))
            self._kind_actions[kind] = action

        self.author = QComboBox()
        self.author.setAccessibleName("Entries by")
        self.author.setToolTip("Show only the entries one person wrote")
        self.author.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.author.addItem("Anyone", None)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the timeline  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the timeline")
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.search,
            self.search.clear,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

        self.order_button = QToolButton()
        self.order_button.setCheckable(True)
        self.order_button.setAccessibleName("Order of entries")
        self.order_button.setToolTip("Show the newest or the oldest entries first")

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of entries shown")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.kind_button)
        layout.addWidget(self.author)
        layout.addWidget(self.order_button)
        layout.addSpacing(6)
        layout.addWidget(self.count_label)
        self.setTabOrder(self.search, self.kind_button)
        self.setTabOrder(self.kind_button, self.author)
        self.setTabOrder(self.author, self.order_button)

        self._show_kinds()
        self._show_order()
        self.search.textChanged.connect(self.changed)
        self.author.currentIndexChanged.connect(self.changed)
        self.order_button.toggled.connect(self._on_order)

    # -- what the panel reads

    def kinds(self) -> frozenset[TimelineKind] | None:
        """The kinds shown; None when all are."""
        return self._kinds or None

    def author_id(self) -> int | None:
        data = self.author.currentData()
        return data if isinstance(data, int) else None

    def text(self) -> str:
        return self.search.text()

    def newest_first(self) -> bool:
        return not self.order_button.isChecked()

    # -- what the panel and the user set

    def set_kinds(self, kinds: frozenset[TimelineKind] | None) -> None:
        chosen = frozenset(kinds or ())
        if chosen != self._kinds:
            self._kinds = chosen
            self._show_kinds()
            self.changed.emit()

    def set_author(self, author_id: int | None) -> None:
        found = self.author.findData(author_id)
        self.author.setCurrentIndex(max(found, 0))

    def set_newest_first(self, newest_first: bool) -> None:
        self.order_button.setChecked(not newest_first)

    def set_authors(self, authors: Sequence[Reference]) -> None:
        """The people who wrote entries; the one chosen stays chosen if still among them."""
        chosen = self.author_id()
        self.author.blockSignals(True)
        try:
            self.author.clear()
            self.author.addItem("Anyone", None)
            for author in authors:
                self.author.addItem(author.name, author.id)
            found = self.author.findData(chosen) if chosen is not None else 0
            self.author.setCurrentIndex(max(found, 0))
        finally:
            self.author.blockSignals(False)
        if chosen is not None and self.author_id() != chosen:
            self.changed.emit()

    def set_counts(self, shown: int, total: int) -> None:
        noun = "entry" if total == 1 else "entries"
        if shown == total:
            self.count_label.setText(f"{total:,} {noun}")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} {noun}")

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def is_filtered(self) -> bool:
        return bool(self.kinds() is not None or self.author_id() is not None or self.text())

    def clear(self) -> None:
        """Shows everything again (the order stays as chosen)."""
        self.blockSignals(True)
        try:
            self.search.clear()
            self.set_author(None)
            self.set_kinds(None)
        finally:
            self.blockSignals(False)
        self.changed.emit()

    # -- reacting to the user

    def _on_all_kinds(self) -> None:
        self.set_kinds(None)
        self._show_kinds()  # ticking it again when all are shown leaves it ticked

    def _on_kind(self, kind: TimelineKind, checked: bool) -> None:
        # The first kind ticked narrows the timeline to it; unticking the last shows all.
        self.set_kinds(self._kinds | {kind} if checked else self._kinds - {kind})

    def _on_order(self) -> None:
        self._show_order()
        self.changed.emit()

    def _show_kinds(self) -> None:
        self._all_action.setChecked(not self._kinds)
        for kind, action in self._kind_actions.items():
            action.setChecked(kind in self._kinds)
        if not self._kinds:
            self.kind_button.setText("All kinds")
        elif len(self._kinds) == 1:
            self.kind_button.setText(next(iter(self._kinds)).label)
        else:
            self.kind_button.setText(f"{len(self._kinds)} kinds")

    def _show_order(self) -> None:
        self.order_button.setText(NEWEST_FIRST if self.newest_first() else OLDEST_FIRST)
        self.order_button.setArrowType(
            Qt.ArrowType.DownArrow if self.newest_first() else Qt.ArrowType.UpArrow
        )
        self.order_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
