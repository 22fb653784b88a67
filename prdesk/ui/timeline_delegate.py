"""How the timeline draws its rows: entries as cards with a mark per kind, days as headings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt, QTime
from PySide6.QtGui import QColor, QFont, QFontMetrics, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionFocusRect,
    QStyleOptionViewItem,
)

from prdesk.domain.enums import TimelineKind
from prdesk.domain.readmodels import DepartmentRequestInfo, TimelineEntryInfo
from prdesk.ui.formatting import locale, time_format
from prdesk.ui.style import (
    SYSTEM_ENTRY_BACKGROUND,
    TIMELINE_CARD_BORDER,
    TIMELINE_CARD_SELECTED,
    TIMELINE_CARD_SELECTED_BORDER,
    TIMELINE_CHIP_COLORS,
    TIMELINE_DAY_RULE,
    TIMELINE_KIND_MARKS,
    TIMELINE_MARK_TEXT,
    TIMELINE_SECONDARY_TEXT,
    TIMELINE_SYSTEM_MARK_TEXT,
    high_contrast_in_use,
)
from prdesk.ui.timeline_model import TimelineModel, chips, preview_text

Index = QModelIndex | QPersistentModelIndex
BODY_LINES = 3
MARGIN_X, MARGIN_Y = 6, 3  # around each card
PADDING = 8  # inside each card
MARK_WIDTH, MARK_HEIGHT = 32, 20
GAP = 3  # between the lines of a card
CHIP_PADDING, CHIP_SPACING = 7, 5
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
# The narrowest common characters: a body longer than a line of these for each line
# surely fills all its lines, and is not measured until it is painted.
_NARROW_SAMPLE = "il.,;:'|! "
_CACHE_LIMIT = 20_000


@dataclass
class _Fonts:
    """The fonts of a card, made from the view's font, and the widths of words in it."""

    base: QFont
    bold: QFont
    small: QFont
    mark: QFont
    base_metrics: QFontMetrics
    bold_metrics: QFontMetrics
    small_metrics: QFontMetrics
    exact: QFontMetricsF
    space: float
    chars_per_pixel: float
    widths: dict[str, float] = field(default_factory=dict)

    def width_of(self, word: str) -> float:
        width = self.widths.get(word)
        if width is None:
            if len(self.widths) > _CACHE_LIMIT:
                self.widths.clear()
            width = self.widths[word] = self.exact.horizontalAdvance(word)
        return width


@dataclass(frozen=True)
class _Texts:
    """What a card says at one width, elided to fit: worked out once, painted often."""

    header: str
    summary: str
    body: tuple[str, ...]
    chips: tuple[tuple[str, str, int], ...]  # style, text, width


_FONTS: list[tuple[QFont, _Fonts]] = []


def _fonts(font: QFont) -> _Fonts:
    for known, fonts in _FONTS:
        if known == font:
            return fonts
    # A copy: the option's font belongs to the option, which lives for one call.
    base = QFont(font)
    bold, small = QFont(base), QFont(base)
    bold.setBold(True)
    small.setPointSizeF(max(base.pointSizeF() * 0.9, 7.0))
    mark = QFont(small)
    mark.setBold(True)
    exact = QFontMetricsF(base)
    narrowest = min(exact.horizontalAdvance(ch) for ch in _NARROW_SAMPLE)
    fonts = _Fonts(
        base=base,
        bold=bold,
        small=small,
        mark=mark,
        base_metrics=QFontMetrics(base),
        bold_metrics=QFontMetrics(bold),
        small_metrics=QFontMetrics(small),
        exact=exact,
        space=exact.horizontalAdvance(" "),
        chars_per_pixel=1 / max(narrowest, 1.0),
    )
    _FONTS.append((base, fonts))
    return fonts


class TimelineDelegate(QStyledItemDelegate):
    """Paints the rows of a TimelineModel in `view`; heights come from font metrics alone.

    A card's height depends on its width (how many lines its body takes), so sizes,
    wrapped lines and elided texts are cached by entry, version and width: a list of
    thousands of entries is measured once, and again only when its width changes.
    """

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._sizes: dict[tuple[int, int, int], QSize] = {}
        self._lines: dict[tuple[int, int, int], list[str]] = {}
        self._texts: dict[tuple[int, int, int], _Texts] = {}

    # -- sizes

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = self._view.viewport().width()
        model = index.model()
        entry = model.entry_at(index.row()) if isinstance(model, TimelineModel) else None
        fonts = _fonts(option.font)
        if entry is None:
            return QSize(width, fonts.bold_metrics.height() + 14)
        key = (entry.id, entry.version, width)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > _CACHE_LIMIT:
                self._sizes.clear()
            request = model.request_of(entry) if isinstance(model, TimelineModel) else None
            size = QSize(width, self._card_height(entry, request is not None, fonts, width))
            self._sizes[key] = size
        return size

    def _card_height(
        self, entry: TimelineEntryInfo, has_request: bool, fonts: _Fonts, width: int
    ) -> int:
        height = 2 * MARGIN_Y + 2 * PADDING
        height += fonts.small_metrics.height() + GAP + fonts.bold_metrics.height()
        body_lines = self._body_line_count(entry, fonts, _text_width(width))
        if body_lines:
            height += GAP + body_lines * fonts.base_metrics.lineSpacing()
        if _has_chips(entry, has_request):
            height += GAP + 2 + _chip_height(fonts)
        return max(height, 2 * MARGIN_Y + 2 * PADDING + MARK_HEIGHT)

    def _body_line_count(self, entry: TimelineEntryInfo, fonts: _Fonts, width: int) -> int:
        if not entry.body:
            return 0
        if len(entry.body) > (BODY_LINES + 1) * width * fonts.chars_per_pixel + 100:
            return BODY_LINES
        return len(self._body_lines(entry, fonts, width))

    def _body_lines(self, entry: TimelineEntryInfo, fonts: _Fonts, width: int) -> list[str]:
        """The body's first lines as wrapped at `width`; the last runs on when cut short."""
        key = (entry.id, entry.version, width)
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) > _CACHE_LIMIT:
                self._lines.clear()
            lines = self._lines[key] = _wrap(preview_text(entry.body), fonts, width)
        return lines

    def _card_texts(
        self,
        entry: TimelineEntryInfo,
        request: DepartmentRequestInfo | None,
        fonts: _Fonts,
        width: int,
    ) -> _Texts:
        key = (entry.id, entry.version, width)
        texts = self._texts.get(key)
        if texts is None:
            if len(self._texts) > _CACHE_LIMIT:
                self._texts.clear()
            elide = Qt.TextElideMode.ElideRight
            count = self._body_line_count(entry, fonts, width)
            header = f"{_time(entry)}  ·  {_kind_text(entry)}  ·  {entry.author_name}"
            texts = self._texts[key] = _Texts(
                header=fonts.small_metrics.elidedText(header, elide, width),
                summary=fonts.bold_metrics.elidedText(entry.summary, elide, width),
                # The last line of a long body runs on: eliding it ends it with "…".
                body=tuple(
                    fonts.base_metrics.elidedText(line, elide, width)
                    for line in self._body_lines(entry, fonts, width)[:count]
                )
                if count
                else (),
                chips=_fitting_chips(chips(entry, request, date.today()), fonts, width),
            )
        return texts

    # -- painting

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        if not isinstance(model, TimelineModel):
            return
        entry = model.entry_at(index.row())
        painter.save()
        try:
            if entry is None:
                self._paint_day(painter, option, str(index.data() or ""))
            else:
                self._paint_card(painter, option, entry, model.request_of(entry))
        finally:
            painter.restore()

    @staticmethod
    def _paint_day(painter: QPainter, option: QStyleOptionViewItem, text: str) -> None:
        fonts = _fonts(option.font)
        rect = option.rect.adjusted(MARGIN_X + PADDING, 0, -MARGIN_X - PADDING, 0)
        side = max((rect.width() - fonts.bold_metrics.horizontalAdvance(text) - 24) // 2, 0)
        middle = rect.center().y() + 1
        painter.setPen(QPen(TIMELINE_DAY_RULE, 1))
        painter.drawLine(rect.left(), middle, rect.left() + side, middle)
        painter.drawLine(rect.right() - side, middle, rect.right(), middle)
        painter.setFont(fonts.bold)
        painter.setPen(TIMELINE_SECONDARY_TEXT)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_card(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        entry: TimelineEntryInfo,
        request: DepartmentRequestInfo | None,
    ) -> None:
        fonts = _fonts(option.font)
        texts = self._card_texts(entry, request, fonts, _text_width(self._view.viewport().width()))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QRectF(option.rect.adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        system = entry.kind.is_system
        background = (
            TIMELINE_CARD_SELECTED
            if selected
            else SYSTEM_ENTRY_BACKGROUND
            if system
            else option.palette.color(QPalette.ColorRole.Base)
        )
        border = TIMELINE_CARD_SELECTED_BORDER if selected else TIMELINE_CARD_BORDER
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.setBrush(background)
        painter.drawRoundedRect(card.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)

        left, top = int(card.left()) + PADDING, int(card.top()) + PADDING
        _paint_mark(painter, fonts, entry.kind, left, top, option.palette)
        x = left + MARK_WIDTH + PADDING
        width = int(card.right()) - PADDING - x
        # When, what kind, by whom; then the summary in bold; then the body.
        height = fonts.small_metrics.height()
        painter.setFont(fonts.small)
        painter.setPen(TIMELINE_SECONDARY_TEXT)
        painter.drawText(QRect(x, top, width, height), _LEFT, texts.header)
        top += height + GAP
        height = fonts.bold_metrics.height()
        painter.setFont(fonts.bold)
        text_color = option.palette.color(QPalette.ColorRole.Text)
        painter.setPen(TIMELINE_SECONDARY_TEXT if system else text_color)
        painter.drawText(QRect(x, top, width, height), _LEFT, texts.summary)
        top += height
        if texts.body:
            top += GAP
            height = fonts.base_metrics.lineSpacing()
            painter.setFont(fonts.base)
            for line in texts.body:
                painter.drawText(QRect(x, top, width, height), _LEFT, line)
                top += height
        if texts.chips:
            _paint_chips(painter, fonts, texts.chips, x, top + GAP + 2)

        if option.state & QStyle.StateFlag.State_HasFocus and option.widget is not None:
            focus = QStyleOptionFocusRect()
            focus.rect = card.toRect().adjusted(3, 3, -3, -3)
            focus.state = option.state | QStyle.StateFlag.State_KeyboardFocusChange
            focus.backgroundColor = background
            option.widget.style().drawPrimitive(
                QStyle.PrimitiveElement.PE_FrameFocusRect, focus, painter, option.widget
            )


def _paint_mark(
    painter: QPainter, fonts: _Fonts, kind: TimelineKind, left: int, top: int, palette: QPalette
) -> None:
    color, code = TIMELINE_KIND_MARKS[kind]
    mark = QRectF(left, top, MARK_WIDTH, MARK_HEIGHT)
    if high_contrast_in_use():
        # The system's colours: its text, outlined, on its background; the code tells the kind.
        text = palette.color(QPalette.ColorRole.Text)
        painter.setPen(QPen(text, 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
    else:
        text = TIMELINE_SYSTEM_MARK_TEXT if kind.is_system else TIMELINE_MARK_TEXT
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(color))
    painter.drawRoundedRect(mark, MARK_HEIGHT / 2, MARK_HEIGHT / 2)
    painter.setFont(fonts.mark)
    painter.setPen(text)
    painter.drawText(mark, Qt.AlignmentFlag.AlignCenter, code)


def _fitting_chips(
    labels: list[tuple[str, str]], fonts: _Fonts, width: int
) -> tuple[tuple[str, str, int], ...]:
    """The chips that fit one line; when some do not, the last says how many ("+2 more")."""
    metrics = fonts.small_metrics

    def chip_width(text: str) -> int:
        return metrics.horizontalAdvance(text) + 2 * CHIP_PADDING

    fitting: list[tuple[str, str, int]] = []
    used = 0
    for position, (style, text) in enumerate(labels):
        left_over = len(labels) - position - 1
        more = chip_width(f"+{left_over} more") + CHIP_SPACING if left_over else 0
        if used + chip_width(text) + more > width:
            text = f"+{len(labels) - position} more"
            if used + chip_width(text) <= width:
                fitting.append(("edited", text, chip_width(text)))
            break
        fitting.append((style, text, chip_width(text)))
        used += chip_width(text) + CHIP_SPACING
    return tuple(fitting)


def _paint_chips(
    painter: QPainter,
    fonts: _Fonts,
    chips_shown: tuple[tuple[str, str, int], ...],
    x: int,
    top: int,
) -> None:
    height = _chip_height(fonts)
    painter.setFont(fonts.small)
    for style, text, width in chips_shown:
        background, foreground = TIMELINE_CHIP_COLORS[style]
        rect = QRectF(x, top, width, height)
        # A faint outline keeps a chip apart from a selected card's tint.
        outline = QColor(foreground)
        outline.setAlpha(50)
        painter.setPen(QPen(outline, 1))
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor(foreground))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        x += width + CHIP_SPACING


def _chip_height(fonts: _Fonts) -> int:
    return fonts.small_metrics.height() + 4


def _text_width(view_width: int) -> int:
    """The width a card's text has in a view `view_width` wide."""
    return max(view_width - 2 * MARGIN_X - 3 * PADDING - MARK_WIDTH - 1, 40)


def _has_chips(entry: TimelineEntryInfo, has_request: bool) -> bool:
    return bool(
        entry.people
        or entry.departments
        or entry.patient_facing
        or entry.internal
        or entry.attachments
        or entry.edited_at is not None
        or has_request
    )


def _kind_text(entry: TimelineEntryInfo) -> str:
    """The kind, with the other party of an email."""
    if entry.kind is TimelineKind.EMAIL_RECEIVED and entry.sender:
        return f"{entry.kind.label} from {entry.sender}"
    if entry.kind is TimelineKind.EMAIL_SENT and entry.recipients:
        return f"{entry.kind.label} to {entry.recipients}"
    return entry.kind.label


def _time(entry: TimelineEntryInfo) -> str:
    """The time of day only: the day heading above the card says which day."""
    local = entry.occurred_at.astimezone()
    return locale().toString(QTime(local.hour, local.minute), time_format())


def _wrap(text: str, fonts: _Fonts, width: int) -> list[str]:
    """Up to BODY_LINES lines of `text` broken between words to fit `width`.

    Measured a word at a time with cached widths, which is many times cheaper than
    laying out each body; the last line carries the rest of a longer text, for the
    painter to end with an ellipsis. A word wider than a line is broken anywhere.
    """
    # Kerning between words can make a line a pixel or two wider than its words.
    room = width - 3
    words = text.split(" ")
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    position = 0
    while position < len(words):
        word = words[position]
        word_width = fonts.width_of(word)
        if not line and word_width > room and len(word) > 1:
            words[position : position + 1] = _pieces(word, fonts, room)
            continue
        if line and used + fonts.space + word_width > room:
            lines.append(" ".join(line))
            if len(lines) == BODY_LINES:
                lines[-1] = " ".join([lines[-1], *words[position:]])
                return lines
            line, used = [], 0.0
            continue
        used += word_width + (fonts.space if line else 0.0)
        line.append(word)
        position += 1
    if line:
        lines.append(" ".join(line))
    return lines


def _pieces(word: str, fonts: _Fonts, room: float) -> list[str]:
    """A word too wide for a line (a web address, a run of Chinese) cut to fit."""
    pieces: list[str] = []
    start, used = 0, 0.0
    for end, char in enumerate(word):
        char_width = fonts.width_of(char)
        if used + char_width > room and end > start:
            pieces.append(word[start:end])
            start, used = end, 0.0
        used += char_width
    pieces.append(word[start:])
    return pieces
