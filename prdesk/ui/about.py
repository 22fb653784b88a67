"""Help ▸ About PR Desk: the versions IT asks for, the database in use, and the licences."""

from __future__ import annotations

import importlib.util
import platform
import sqlite3
from html import escape
from importlib import metadata

import PySide6
from PySide6.QtCore import QSysInfo, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import text
from sqlalchemy.orm import Session

import prdesk
from prdesk.assets import resources_dir
from prdesk.ui.context import AppContext

_MIT = """Copyright (c) PR Desk developers

Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software
without restriction, including without limitation the rights to use, copy, modify, merge,
publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE."""

_QT = (
    "PR Desk uses Qt and Qt for Python (PySide6) under the GNU Lesser General Public License, "
    "version 3 (LGPL-3.0). You may replace the Qt and PySide6 libraries of this installation "
    "with other builds of the same version. Their source code is at "
    '<a href="https://code.qt.io">code.qt.io</a>; the licence is at '
    '<a href="https://www.gnu.org/licenses/lgpl-3.0.html">gnu.org/licenses/lgpl-3.0</a>.'
)

_OUTLOOK = (
    "The optional Outlook message reader (extract-msg {version}) is installed. It is licensed "
    "under the GNU General Public License, version 3 (GPL-3.0). Leave it out of an installation "
    "that must not include GPL-3.0 software; PR Desk then asks for Outlook messages saved as .eml."
)


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def outlook_reader_version() -> str | None:
    """extract-msg's version when it is installed (it is optional, and GPL-3.0)."""
    if importlib.util.find_spec("extract_msg") is None:
        return None
    return _version("extract-msg")


def _pre(text_: str) -> str:
    """Licence text as written, with its line breaks, wrapped to the window's width."""
    return f'<p style="white-space: pre-wrap">{escape(text_)}</p>'


def _server_version(session: Session) -> str:
    return str(session.execute(text("SHOW server_version")).scalar_one())


class AboutDialog(QDialog):
    """PR Desk's version and its parts', for an IT ticket; the licences on a second tab.

    Nothing here is about patients or cases: the copied text may go into any ticket.

    Attributes:
        facts: (name, value) lines in the order shown and copied.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle("About PR Desk")
        self.facts: list[tuple[str, str]] = self._read_facts()
        heading = QLabel(f"PR Desk {prdesk.__version__}")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        font = heading.font()
        # Relative to the system's text size, so enlarged text stays enlarged.
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        blurb = QLabel(
            "Case management and correspondence for hospital patient relations departments."
        )
        blurb.setWordWrap(True)
        self.versions = QWidget()
        self.versions.setAccessibleName("Versions")
        self._values: dict[str, QLabel] = {}
        form = QFormLayout(self.versions)
        for name, value in self.facts:
            label = QLabel(value)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            label.setAccessibleName(name)
            form.addRow(f"{name}:", label)
            self._values[name] = label
        self.licences = QTextBrowser()
        self.licences.setOpenExternalLinks(True)
        self.licences.setAccessibleName("Licences")
        self.licences.setHtml(self._licences_html())
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Versions and licences")
        self.tabs.addTab(self.versions, "&Versions")
        self.tabs.addTab(self.licences, "&Licences")
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setToolTip(
            "Put the versions on the clipboard, to paste into a ticket for IT support"
        )
        self.copy_button.setAutoDefault(False)
        buttons = QDialogButtonBox()
        # Added first so that Tab meets it first, as it stands left of Close.
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.copy_button.clicked.connect(self.copy)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(blurb)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(620, 520)

    def _read_facts(self) -> list[tuple[str, str]]:
        db = self._ctx.db
        if db.dialect == "postgresql":
            database = f"PostgreSQL, {db.display_name}"
            server = "reading…"
        else:
            database = f"SQLite (embedded), {db.url.database or ''}"
            server = f"SQLite {sqlite3.sqlite_version}"
        facts = [
            ("PR Desk", prdesk.__version__),
            ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
            ("Qt", f"{qVersion()} (running)"),
            ("PySide6", PySide6.__version__),
            ("SQLAlchemy", _version("SQLAlchemy")),
            ("Alembic", _version("alembic")),
            ("ReportLab", _version("reportlab")),
            ("psycopg", _version("psycopg")),
        ]
        outlook = outlook_reader_version()
        facts.append(("Outlook reader", f"extract-msg {outlook}" if outlook else "not installed"))
        facts += [
            ("Database", database),
            ("Database server", server),
            (
                "Operating system",
                f"{QSysInfo.prettyProductName()} ({QSysInfo.currentCpuArchitecture()})",
            ),
        ]
        return facts

    def _licences_html(self) -> str:
        parts = [
            "<p>PR Desk: MIT License. Qt and PySide6: LGPL-3.0. Fonts: SIL Open Font "
            "License 1.1 (Noto Sans, NanumGothic) and Apache License 2.0 (Droid Sans "
            "Fallback). The full texts follow.</p>",
            "<h3>PR Desk</h3>",
            # Paragraphs rewrapped to the window rather than at the source's line ends.
            _pre("\n\n".join(" ".join(part.split("\n")) for part in _MIT.split("\n\n"))),
        ]
        parts += ["<h3>Qt and PySide6</h3>", f"<p>{_QT}</p>"]
        outlook = outlook_reader_version()
        if outlook is not None:
            parts += [
                "<h3>Outlook message reader</h3>",
                f"<p>{escape(_OUTLOOK.format(version=outlook))}</p>",
            ]
        parts.append("<h3>Fonts printed in letters and reports</h3>")
        for path in sorted((resources_dir() / "fonts").glob("*.txt")):
            parts.append(_pre(path.read_text(encoding="utf-8")))
        return "".join(parts)

    def load(self) -> None:
        """Asks a shared database's server for its version, in the background."""
        if self._ctx.db.dialect != "postgresql":
            return
        (
            self._ctx.operation(self, _server_version, read_only=True)
            .success(lambda version: self._set_fact("Database server", f"PostgreSQL {version}"))
            .failure(lambda _error: self._set_fact("Database server", "not reachable"))
            .alongside()
            .run()
        )

    def _set_fact(self, name: str, value: str) -> None:
        self.facts = [(key, value if key == name else old) for key, old in self.facts]
        self._values[name].setText(value)

    def value(self, name: str) -> str:
        return dict(self.facts)[name]

    def text(self) -> str:
        """The versions as plain text, as copied."""
        width = max(len(name) for name, _value in self.facts) + 2
        return (
            "\n".join(f"{(name + ':').ljust(width)} {value}" for name, value in self.facts) + "\n"
        )

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


def show_about(parent: QWidget, ctx: AppContext) -> AboutDialog:
    dialog = AboutDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.load()
    dialog.open()
    return dialog
