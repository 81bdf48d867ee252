"""Help › About Hembesök: version, build date, and the licences of Qt/PySide6 and every other component."""

from __future__ import annotations

from html import escape

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSize, qVersion
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ibic import __version__
from ui.common.screen_fit import fit_to_screen
from ui.licences import Component, Inventory, current, qt_licence_text

APP_LICENCE = "EUPL-1.2"
QT_SOURCES = "https://download.qt.io/official_releases/qt/"
PYSIDE_SOURCES = "https://code.qt.io/cgit/pyside/pyside-setup.git/"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, inventory: Inventory | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About Hembesök"))
        self.inventory = inventory or current()
        self.version = QLabel(self.tr("Hembesök %1").replace("%1", __version__), self)
        self.version.setObjectName("aboutVersion")
        built = self.inventory.built
        self.built = QLabel(
            self.tr("Built %1").replace("%1", built) if built else self.tr("Running from source"), self
        )
        self.built.setObjectName("aboutBuilt")
        self.licences = QTextBrowser(self)
        self.licences.setObjectName("aboutLicences")
        self.licences.setAccessibleName(self.tr("Licences"))
        self.licences.setOpenExternalLinks(True)
        # Wrapped to the width, a word longer than a line too (a URL): a sideways scroll bar hid the lines' ends.
        self.licences.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.licences.setHtml(self._html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.version, self.built, self.licences, buttons):
            layout.addWidget(widget)
        # In lines of text, within the screen: at 16-20 pt, 35 lines are taller than a 768-pixel laptop screen.
        fit_to_screen(self, QSize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().lineSpacing() * 35))

    def _html(self) -> str:
        parts = [
            f"<p>{escape(self.tr('Hembesök is free software under the European Union Public Licence %1.'))}</p>"
            .replace("%1", APP_LICENCE),
            f"<h3>Qt {escape(qVersion())} / PySide6 {escape(pyside_version)}: LGPL-3.0</h3>",
            "<p>" + escape(self.tr(
                "Qt and PySide6 are used under the GNU Lesser General Public License version 3. You may replace "
                "them with your own build of the same version: they are separate library files in the installed "
                "program's folder, _internal/PySide6/Qt/lib (libQt6*.so.6) on Linux and _internal\\PySide6 "
                "(Qt6*.dll) on Windows. Replace the files of the same name and start the program again."
            )) + "</p>",
            f'<p>{escape(self.tr("Source code:"))} <a href="{QT_SOURCES}">Qt</a>, '
            f'<a href="{PYSIDE_SOURCES}">PySide6</a></p>',
            f"<p>Python {escape(self.inventory.python)}: PSF-2.0</p>",
            f"<h3>{escape(self.tr('Components'))}</h3>",
            "<ul>" + "".join(_item(c) for c in self.inventory.components) + "</ul>",
            f"<h3>{escape(self.tr('Licence texts'))}</h3>",
            f"<h4>Qt, PySide6, shiboken6: LGPL-3.0 / GPL-3.0</h4>{_pre(qt_licence_text())}",
        ]
        parts += [_texts(c) for c in self.inventory.components if c.texts]
        return "".join(parts)


def _item(component: Component) -> str:
    return f"<li>{escape(component.name)} {escape(component.version)}: {escape(component.licence)}</li>"


def _texts(component: Component) -> str:
    body = "".join(_pre(text) for text in component.texts)
    return f"<h4>{escape(component.name)} {escape(component.version)}</h4>{body}"


def _pre(text: str) -> str:
    """A licence text with its own line breaks, its long lines wrapped (a plain <pre> never wraps)."""
    return f'<pre style="white-space: pre-wrap">{escape(text)}</pre>'
