"""The letter templates in each language, each with the version letters are drafted from now."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from prdesk.domain.services.letter_template_store import TemplateVersionInfo
from prdesk.ui.formatting import local_datetime
from prdesk.ui.languages import language_name

_KEY = Qt.ItemDataRole.UserRole
_PADDING = 6


class TwoLineDelegate(QStyledItemDelegate):
    """An item's first line in bold, the lines under it smaller and muted, so a list of
    names with their details reads at a glance. Lines that do not fit are elided."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        detail = QFont(option.font)
        detail.setPointSizeF(detail.pointSizeF() * 0.92)
        return title, detail

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        title, detail = self._fonts(option)
        lines = str(index.data() or "").split("\n")
        height = QFontMetrics(title).height()
        height += (len(lines) - 1) * QFontMetrics(detail).height()
        return QSize(160, height + 2 * _PADDING)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        # The item's own text: the style option's has its line breaks turned into U+2028.
        text = str(index.data() or "")
        option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            # Selection and focus as the platform draws them; the text is ours.
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        strong = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = strong if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        title, detail = self._fonts(option)
        area: QRect = option.rect.adjusted(_PADDING, _PADDING, -_PADDING, -_PADDING)
        painter.save()
        top = area.top()
        for number, line in enumerate(text.split("\n")):
            font = title if number == 0 else detail
            metrics = QFontMetrics(font)
            painter.setFont(font)
            painter.setPen(strong if number == 0 else muted)
            shown = metrics.elidedText(line, Qt.TextElideMode.ElideRight, area.width())
            painter.drawText(
                QRect(area.left(), top, area.width(), metrics.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )
            top += metrics.height()
        painter.restore()


class TemplateList(QListWidget):
    """One row per template and language: "Acknowledgement · Spanish", then its version."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Letter templates")
        self.setItemDelegate(TwoLineDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(280)

    def show_templates(self, overview: tuple[TemplateVersionInfo, ...]) -> None:
        self.blockSignals(True)
        self.clear()
        for info in overview:
            item = QListWidgetItem()
            item.setData(_KEY, (info.key, info.language))
            self.addItem(item)
            self._describe(item, info)
        self.blockSignals(False)

    def describe(self, info: TemplateVersionInfo) -> None:
        """Shows a newly saved version against its template."""
        item = self._item(info.key, info.language)
        if item is not None:
            self._describe(item, info)

    def choose(self, key: str, language: str) -> None:
        item = self._item(key, language)
        if item is not None:
            self.setCurrentItem(item)

    def key_at(self, row: int) -> tuple[str, str] | None:
        if not 0 <= row < self.count():
            return None
        key, language = self.item(row).data(_KEY)
        return str(key), str(language)

    def _item(self, key: str, language: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.key_at(row) == (key, language):
                return self.item(row)
        return None

    @staticmethod
    def _describe(item: QListWidgetItem, info: TemplateVersionInfo) -> None:
        item.setText(f"{template_title(info)}\n{version_summary(info)}")
        item.setToolTip(f"{version_summary(info)}\n{info.note}".strip())
        item.setData(
            Qt.ItemDataRole.AccessibleTextRole, f"{template_title(info)}, {version_summary(info)}"
        )


def version_summary(info: TemplateVersionInfo) -> str:
    """ "version 3 · edited by Dana Whitfield on 03/12/2026 14:02", or "as shipped"."""
    if info.shipped:
        return "as shipped"
    when = local_datetime(info.created_at)
    return f"version {info.version} · edited by {info.created_by_name} on {when}"


def template_title(info: TemplateVersionInfo) -> str:
    return f"{info.title} · {language_name(info.language)}"
