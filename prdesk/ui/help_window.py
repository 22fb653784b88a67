"""The user guide window: contents and search on the left, the page on the right."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from prdesk.ui.guide_pages import INDEX, GuidePage, guide_dir, page_named, pages, search
from prdesk.ui.settings import ui_settings

_GEOMETRY = "user_guide/geometry"
_PAGE = Qt.ItemDataRole.UserRole


class HelpWindow(QWidget):
    """The guide's pages, linked to each other, with Back and Forward as in a web browser.

    Attributes:
        browser: the page shown; its links go to other pages, or to the web browser.
        contents: one line per topic; a search hides the topics without the words.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("User guide – PR Desk")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the guide")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the guide")
        self.search.setToolTip("Shows only the topics with all these words; Enter opens the first")
        self.contents = QListWidget()
        self.contents.setAccessibleName("Contents")
        for page in pages():
            item = QListWidgetItem(page.title)
            item.setData(_PAGE, page.name)
            self.contents.addItem(item)
        self.no_match = QLabel()
        self.no_match.setWordWrap(True)
        self.no_match.setTextFormat(Qt.TextFormat.PlainText)
        self.no_match.hide()
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Guide page")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(guide_dir())])
        self.back_button = self._history_button("Back", QKeySequence.StandardKey.Back)
        self.forward_button = self._history_button("Forward", QKeySequence.StandardKey.Forward)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.contents, 1)
        column.addWidget(self.no_match)
        right = QWidget()
        page_column = QVBoxLayout(right)
        page_column.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.forward_button)
        bar.addStretch(1)
        page_column.addLayout(bar)
        page_column.addWidget(self.browser, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(left)
        self.split.addWidget(right)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([240, 660])
        layout = QVBoxLayout(self)
        layout.addWidget(self.split)
        QWidget.setTabOrder(self.search, self.contents)
        QWidget.setTabOrder(self.contents, self.back_button)
        QWidget.setTabOrder(self.back_button, self.forward_button)
        QWidget.setTabOrder(self.forward_button, self.browser)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)

        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button.clicked.connect(self.browser.forward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.browser.sourceChanged.connect(self._on_page_shown)
        self.contents.itemActivated.connect(self._on_topic_chosen)
        self.contents.currentItemChanged.connect(self._on_topic_chosen)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._open_first_match)
        self._restore_geometry()

    def _history_button(self, text: str, keys: QKeySequence.StandardKey) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setArrowType(
            Qt.ArrowType.LeftArrow
            if keys == QKeySequence.StandardKey.Back
            else Qt.ArrowType.RightArrow
        )
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setShortcut(QKeySequence(keys))
        native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{text} ({native})")
        button.setAccessibleName(text)
        return button

    def show_page(self, name: str, *, highlight: str = "") -> None:
        """Shows the page of that name (the index when there is none), and marks a word on it."""
        page = page_named(name) or page_named(INDEX)
        assert page is not None, "the guide has no index"
        self.browser.setSource(
            QUrl.fromLocalFile(str(page.path)), QTextDocument.ResourceType.MarkdownResource
        )
        if highlight:
            self.browser.find(highlight.split()[0])

    def current_page(self) -> str:
        return self.browser.source().fileName().removesuffix(".md")

    def page_text(self) -> str:
        return self.browser.toPlainText()

    def visible_topics(self) -> list[str]:
        """The titles the contents list shows (all, or those the search found)."""
        return [
            self.contents.item(row).text()
            for row in range(self.contents.count())
            if not self.contents.item(row).isHidden()
        ]

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_topic_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(_PAGE) != self.current_page():
            self.show_page(str(item.data(_PAGE)), highlight=self.search.text())

    def _on_page_shown(self, url: QUrl) -> None:
        name = url.fileName().removesuffix(".md")
        # The list follows links and Back/Forward without choosing the page a second time.
        self.contents.blockSignals(True)
        for row in range(self.contents.count()):
            if self.contents.item(row).data(_PAGE) == name:
                self.contents.setCurrentRow(row)
        self.contents.blockSignals(False)
        page = page_named(name)
        self.setWindowTitle(
            f"{page.title} – User guide – PR Desk" if page else "User guide – PR Desk"
        )

    def _filter(self, query: str) -> None:
        found = {page.name for page in search(query)} if query.strip() else None
        for row in range(self.contents.count()):
            item = self.contents.item(row)
            item.setHidden(found is not None and item.data(_PAGE) not in found)
        self.no_match.setText(
            f"No topic has the words “{query.strip()}”." if found == set() else ""
        )
        self.no_match.setVisible(found == set())

    def _open_first_match(self) -> None:
        matches: list[GuidePage] = search(self.search.text())
        if matches:
            self.show_page(matches[0].name, highlight=self.search.text())
            self.browser.setFocus(Qt.FocusReason.OtherFocusReason)

    def _restore_geometry(self) -> None:
        geometry = ui_settings().value(_GEOMETRY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(960, 700)

    def closeEvent(self, event: QCloseEvent) -> None:
        ui_settings().setValue(_GEOMETRY, self.saveGeometry())
        super().closeEvent(event)


_open: list[HelpWindow] = []


def open_user_guide(parent: QWidget | None, topic: str | None = None) -> HelpWindow:
    """The guide in front, at `topic` (a page name such as "letters") or where it was left;
    a new window opens on the index."""
    window = next((w for w in _open if shiboken6.isValid(w)), None)
    _open[:] = [window] if window is not None else []
    if window is None:
        window = HelpWindow(parent)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _open.append(window)
        window.show_page(topic or INDEX)
        window.show()
        return window
    if topic is not None:
        window.show_page(topic)
    window.showNormal()
    window.raise_()
    window.activateWindow()
    return window
