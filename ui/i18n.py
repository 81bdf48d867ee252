"""Translation: English source strings in ``tr()``, Swedish from a catalogue file, Qt's own Swedish too.

The catalogue (``resources/translations/sv.toml``) maps each English source string to its Swedish text. It is
read by a small QTranslator subclass rather than compiled to .qm, so that translators edit one plain file and a
test can prove that every ``tr()`` string in ``ui/`` has a translation.

A string counted with ``tr(text, "", n)`` has two forms, ``["%n ärende", "%n ärenden"]`` (one, more), chosen by n;
Qt then puts the number in place of %n. English needs the same for its plurals, so ``en.toml`` holds those only.

Parsing the TOML (and importing tomllib) takes about 25 ms of a start that should take little more than a bare
window's, so the parsed catalogue is kept in the user's cache folder as a ``marshal`` file (read in well under a
millisecond), stamped with the TOML's size and a checksum of its bytes: an edited or replaced TOML is parsed again,
also one of the same size and time (packages built with a fixed timestamp, copies that keep the time).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QStandardPaths, QTranslator

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"


Translation = str | tuple[str, str]
Stamp = tuple[int | str, ...]  # what the cached catalogue was made from


def load_catalogue(language: str) -> dict[str, Translation]:
    """The source → translation mapping for ``language``; a counted string has its two forms (one, more)."""
    path = CATALOGUE_DIR / f"{language}.toml"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    stamp = (_CACHE_FORMAT, marshal.version, str(path), len(data), zlib.crc32(data))
    cache = _cache_file(language)
    cached = _read_cache(cache, stamp)
    if cached is not None:
        return cached
    catalogue = parse_catalogue(path)
    _write_cache(cache, stamp, catalogue)
    return catalogue


_CACHE_FORMAT = 1  # raised when the cached shape changes


def _cache_file(language: str) -> Path | None:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(folder) / f"catalogue-{language}.marshal" if folder else None


def _read_cache(cache: Path | None, stamp: Stamp) -> dict[str, Translation] | None:
    """The cached catalogue when it was made from this very file; None when missing, stale or unreadable."""
    if cache is None:
        return None
    try:
        # Read whole, then decoded: marshal.load on a file reads it object by object (a buffered read call per
        # string: ~7 M instructions more for the Swedish catalogue than reading it whole).
        found_stamp, catalogue = marshal.loads(cache.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if found_stamp != stamp or not isinstance(catalogue, dict) or not all(map(_is_translation, catalogue.items())):
        return None
    return catalogue


def _is_translation(item: tuple[object, object]) -> bool:
    """A cached entry of the shape ``parse_catalogue`` makes (a damaged or foreign file is parsed anew)."""
    source, text = item
    if not isinstance(source, str):
        return False
    if isinstance(text, tuple):
        return len(text) == 2 and all(isinstance(form, str) for form in text)
    return isinstance(text, str)


def _write_cache(cache: Path | None, stamp: Stamp, catalogue: dict[str, Translation]) -> None:
    """Best effort: without a writable cache folder every start parses the TOML, which is only slower."""
    if cache is None:
        return
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(marshal.dumps((stamp, catalogue)))
        os.replace(partial, cache)  # whole or not at all: another start reading it meets no half-written file
    except OSError:
        with contextlib.suppress(OSError):  # not even a folder to write in
            partial.unlink(missing_ok=True)


def parse_catalogue(path: Path) -> dict[str, Translation]:
    """The catalogue as written in its TOML file."""
    import tomllib  # here: a start with the cached catalogue does not need it

    with path.open("rb") as handle:
        data = tomllib.load(handle)
    catalogue: dict[str, Translation] = {}
    for source, text in data.get("strings", {}).items():
        if isinstance(text, list):
            one, more = (str(form) for form in text)
            catalogue[str(source)] = (one, more)
        else:
            catalogue[str(source)] = str(text)
    return catalogue


def plural_form(translation: Translation, n: int) -> str:
    """The form of a translation for ``n`` (Swedish and English both: one for 1, the other for the rest)."""
    if isinstance(translation, str):
        return translation
    return translation[0] if n == 1 else translation[1]


class CatalogueTranslator(QTranslator):
    """Looks a source string up in the catalogue, whatever its context."""

    def __init__(self, catalogue: dict[str, Translation]) -> None:
        super().__init__()
        self._catalogue = catalogue

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        # None (a null QString) means "not translated here": Qt then shows the English source. An empty string
        # would be taken as the translation and blank the text.
        found = self._catalogue.get(source)
        return None if found is None else plural_form(found, n)

    def isEmpty(self) -> bool:
        return not self._catalogue


# Qt's own Swedish (qtbase_sv.qm) where it spells a standard button unlike ours (docs/glossary.md, "Language"):
# "Ok" beside our dialogs' "OK", "Förkasta" for Discard, three dots for an ellipsis. Keyed by Qt's context, since
# Qt asks for its buttons' texts in these contexts only; a QMessageBox, a QDialogButtonBox, QFileDialog,
# QPrintDialog and QPageSetupDialog all take them from QPlatformTheme.
QT_WORDS_SV: dict[tuple[str, str], str] = {
    ("QPlatformTheme", "OK"): "OK",
    ("QDialogButtonBox", "OK"): "OK",
    ("QDialogButtonBox", "&OK"): "&OK",
    ("QPlatformTheme", "Discard"): "Släng",
    ("QPlatformTheme", "Don't Save"): "Spara inte",
    ("QPlatformTheme", "Reset"): "Återställ",
    ("QPlatformTheme", "Restore Defaults"): "Återställ standardvärden",
    ("QMessageBox", "Show Details..."): "Visa detaljer…",
    ("QMessageBox", "Hide Details..."): "Dölj detaljer…",
}


class QtWordsTranslator(QTranslator):
    """Qt's own standard button texts spelled as the glossary says (``QT_WORDS_SV``), before ``qtbase_sv``."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return QT_WORDS_SV.get((context, source))

    def isEmpty(self) -> bool:
        return False


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
    # Not while a job on the pool translates: Qt holds its translators' lock while it asks ours, which answers in
    # Python, so the job would wait for the interpreter this thread holds while this one waits in removeTranslator
    # for the lock (both stopped for good). The wait lets go of the interpreter. At start no job can have run (the
    # module that starts them is not imported yet): nothing is asked of the pool then, whose class alone costs the
    # cold start ~0.5 ms.
    if "ui.common.worker" in sys.modules:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _language[0] = "en" if language == "en" else "sv"
    QLocale.setDefault(
        QLocale(QLocale.Language.Swedish if language == "sv" else QLocale.Language.English, QLocale.Country.Sweden)
    )
    if language != "sv":
        english = CatalogueTranslator(load_catalogue("en"))  # the plural forms of counted strings
        app.installTranslator(english)
        _installed.append(english)
        return
    qt_translator = QTranslator()
    if qt_translator.load("qtbase_sv", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    qt_words = QtWordsTranslator()  # installed after qtbase_sv: asked before it
    app.installTranslator(qt_words)
    _installed.append(qt_words)
    own = CatalogueTranslator(load_catalogue("sv"))
    app.installTranslator(own)
    _installed.append(own)


def tr(text: str, n: int = -1) -> str:
    """Translate a source string outside a QObject (module-level labels); ``n`` chooses a counted string's form."""
    return QCoreApplication.translate("Hembesok", text, "", n)


def whole_number(value: int) -> str:
    """A whole number written the Swedish way, its thousands apart by a no-break space (``10\u00a0000``): an
    ordinary space lets a line break split the figure. Every limit a message names goes through here."""
    return f"{value:,}".replace(",", "\u00a0")
