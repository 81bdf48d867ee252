"""Translation: English source strings in ``tr()``, Swedish from a catalogue file, Qt's own Swedish too.

The catalogue (``resources/translations/sv.toml``) maps each English source string to its Swedish text. It is
read by a small QTranslator subclass rather than compiled to .qm, so that translators edit one plain file and a
test can prove that every ``tr()`` string in ``ui/`` has a translation.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"


def load_catalogue(language: str) -> dict[str, str]:
    """The source → translation mapping for ``language`` (empty for English, the source language)."""
    path = CATALOGUE_DIR / f"{language}.toml"
    if language == "en" or not path.exists():
        return {}
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return {str(k): str(v) for k, v in data.get("strings", {}).items()}


class CatalogueTranslator(QTranslator):
    """Looks a source string up in the catalogue, whatever its context."""

    def __init__(self, catalogue: dict[str, str]) -> None:
        super().__init__()
        self._catalogue = catalogue

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        # None (a null QString) means "not translated here": Qt then shows the English source. An empty string
        # would be taken as the translation and blank the text.
        return self._catalogue.get(source)

    def isEmpty(self) -> bool:
        return not self._catalogue


_installed: list[QTranslator] = []
_language = ["sv"]


def language() -> str:
    """The language the interface runs in ("sv" or "en")."""
    return _language[0]


def text_of(item: object, field: str = "label") -> str:
    """A reference-data text in the interface's language (``label_en`` …), Swedish where no translation exists."""
    translated = getattr(item, f"{field}_{language()}", "")
    return str(translated or getattr(item, f"{field}_sv"))


def install_language(language: str) -> None:
    """Install the app's and Qt's translators for ``language`` ("sv" or "en")."""
    app = QCoreApplication.instance()
    assert app is not None
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _language[0] = "en" if language == "en" else "sv"
    QLocale.setDefault(
        QLocale(QLocale.Language.Swedish if language == "sv" else QLocale.Language.English, QLocale.Country.Sweden)
    )
    if language != "sv":
        return
    qt_translator = QTranslator()
    if qt_translator.load("qtbase_sv", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    own = CatalogueTranslator(load_catalogue("sv"))
    app.installTranslator(own)
    _installed.append(own)


def tr(text: str) -> str:
    """Translate a source string outside a QObject (module-level labels)."""
    return QCoreApplication.translate("Hembesok", text)
