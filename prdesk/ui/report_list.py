"""The list of reports on offer: each one's title in bold over what it shows."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from prdesk.domain.reports.catalogue import ReportSpec

_DESCRIPTION = Qt.ItemDataRole.UserRole + 1
_NAME = Qt.ItemDataRole.UserRole
_PAD = 6
_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)

Index = QModelIndex | QPersistentModelIndex


class _TitleAndDescription(QStyledItemDelegate):
    """Paints the title in bold and the description below it, wrapped to the list's width."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        return title, QFont(option.font)

    def _blocks(
        self, option: QStyleOptionViewItem, index: Index, width: int
    ) -> tuple[QRect, QRect]:
        title_font, text_font = self._fonts(option)
        title = QFontMetrics(title_font).boundingRect(
            QRect(0, 0, width, 10_000), _FLAGS, str(index.data(Qt.ItemDataRole.DisplayRole))
        )
        text = QFontMetrics(text_font).boundingRect(
            QRect(0, 0, width, 10_000), _FLAGS, str(index.data(_DESCRIPTION) or "")
        )
        return title, text

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = max(self._view.viewport().width() - 2 * _PAD, 80)
        title, text = self._blocks(option, index, width)
        return QSize(width + 2 * _PAD, title.height() + text.height() + 2 * _PAD + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        view_option.text = ""
        widget = view_option.widget
        style = widget.style() if widget is not None else self._view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view_option, painter, widget)
        rect: QRect = option.rect
        area = rect.adjusted(_PAD, _PAD, -_PAD, -_PAD)
        title, text = self._blocks(option, index, area.width())
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        title_font, text_font = self._fonts(option)
        painter.save()
        painter.setPen(palette.color(role))
        painter.setFont(title_font)
        title_rect = QRect(area.left(), area.top(), area.width(), title.height())
        painter.drawText(title_rect, _FLAGS, str(index.data(Qt.ItemDataRole.DisplayRole)))
        painter.setFont(text_font)
        text_rect = QRect(area.left(), title_rect.bottom() + 3, area.width(), text.height())
        painter.drawText(text_rect, _FLAGS, str(index.data(_DESCRIPTION) or ""))
        painter.restore()


class ReportList(QListWidget):
    """The reports, by title; the item's data is the catalogue's name for it."""

    def __init__(self, specs: tuple[ReportSpec, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reports")
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(_TitleAndDescription(self))
        for spec in specs:
            item = QListWidgetItem(spec.title)
            item.setData(_NAME, spec.name)
            item.setData(_DESCRIPTION, spec.description)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, spec.description)
            item.setToolTip(spec.description)
            self.addItem(item)
