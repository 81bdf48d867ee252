"""Trim PyInstaller's collected files to what Hembesök loads (used by hembesok.spec).

PySide6's hooks collect every plugin of each Qt module the app imports, and the shared libraries those plugins
link: the GTK theme drags in GTK, Cairo and Pango, the virtual keyboard drags in Qt Quick and Qml, the Wayland
plugins their own client library. The app needs few of them (see KEEP_PLUGINS). After dropping the plugins, a
library that nothing kept still links is dropped too (a reachability walk over the binaries' imports).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

Entry = tuple[str, str, str]  # PyInstaller TOC entry: destination name, source path, type code

# Plugin folders kept, and which plugins in them (substrings of the file name; an empty tuple keeps all).
KEEP_PLUGINS: dict[str, tuple[str, ...]] = {
    # xcb: an X11 or XWayland desktop; offscreen: tests and the smoke check; windows: Windows.
    "platforms": ("qxcb", "qoffscreen", "qwindows"),
    "xcbglintegrations": (),  # the xcb plugin needs one to start
    "platforminputcontexts": ("compose", "ibus"),  # dead keys and input methods, not the QML virtual keyboard
    "platformthemes": ("xdgdesktopportal",),  # the GTK theme would bring GTK itself
    "printsupport": (),  # printing the utredning (CUPS, or Windows' own)
    "networkinformation": (),  # ui/sync/controller.py: sync when the network comes back
    "styles": (),  # Windows' native style
}
# Qt's own translations: the app installs only qtbase_sv (ui/i18n.py); English needs none.
KEEP_TRANSLATIONS = ("qtbase_sv.qm",)


def _parts(name: str) -> list[str]:
    return name.replace("\\", "/").split("/")


def is_unwanted_plugin(name: str) -> bool:
    parts = _parts(name)
    if "plugins" not in parts[:-2]:
        return False
    folder = parts[parts.index("plugins") + 1]
    if folder not in KEEP_PLUGINS:
        return True
    wanted = KEEP_PLUGINS[folder]
    return bool(wanted) and not any(w in parts[-1] for w in wanted)


def is_unwanted_data(name: str) -> bool:
    parts = _parts(name)
    if len(parts) >= 2 and parts[-2] == "translations" and parts[-1].endswith(".qm"):
        return parts[-1] not in KEEP_TRANSLATIONS
    return is_unwanted_plugin(name)


def _is_library(name: str) -> bool:
    base = _parts(name)[-1].lower()
    return base.endswith(".dll") or ".so" in base or base.endswith(".dylib")


def _is_root(entry: Entry) -> bool:
    """What Python or Qt loads by itself: extension modules, kept plugins, and the Python runtime."""
    name, _source, typecode = entry
    parts = _parts(name)
    base = parts[-1].lower()
    return (
        typecode == "EXTENSION"
        or base.endswith(".pyd")
        or "plugins" in parts[:-1]
        or base.startswith(("libpython", "python3"))
        or not _is_library(name)
    )


def reachable(binaries: list[Entry], imports: Callable[[str], Iterable[str]]) -> list[Entry]:
    """The binaries a root reaches through link-time imports; ``imports(source)`` gives the names a file links."""
    files = [e for e in binaries if e[2] != "SYMLINK"]
    by_base = {_parts(e[0])[-1].lower(): e for e in files}
    kept: dict[str, Entry] = {}
    pending = [e for e in files if _is_root(e)]
    while pending:
        entry = pending.pop()
        if entry[0] in kept:
            continue
        kept[entry[0]] = entry
        for imported in imports(entry[1]):
            target = by_base.get(os.path.basename(imported).lower())
            if target is not None and target[0] not in kept:
                pending.append(target)
    result = []
    for entry in binaries:
        if entry[2] == "SYMLINK":
            # PyInstaller links e.g. libQt6Core.so.6 -> PySide6/Qt/lib/libQt6Core.so.6: it stays with its target.
            if _symlink_target(entry) in {n.replace("\\", "/") for n in kept}:
                result.append(entry)
        elif entry[0] in kept:
            result.append(entry)
    return result


def _symlink_target(entry: Entry) -> str:
    return os.path.normpath(os.path.join(os.path.dirname(entry[0]), entry[1])).replace("\\", "/")


def trim(binaries: list[Entry], datas: list[Entry], imports: Callable[[str], Iterable[str]]) -> tuple[list, list]:
    binaries = reachable([e for e in binaries if not is_unwanted_plugin(e[0])], imports)
    kept = {e[0].replace("\\", "/") for e in binaries}
    # PyInstaller puts some symlinks (libQt6Quick.so.6 -> PySide6/Qt/lib/...) among the data: none may dangle.
    datas = [
        e for e in datas
        if not is_unwanted_data(e[0]) and (e[2] != "SYMLINK" or _symlink_target(e) in kept)
    ]
    return binaries, datas


SYSTEM_LIBRARY_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")


def split_system_libraries(binaries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(bundled, left to the system) on Linux: a shared library PyInstaller found in the distribution's own folders
    (X11, GLib, CUPS, OpenSSL...) is the distribution's to provide and update, and the .deb depends on its
    package; a copy from the build machine would only go stale. Python's own library and extension modules stay."""
    bundled, system = [], []
    for entry in binaries:
        name, source, typecode = entry
        from_system = source.startswith(SYSTEM_LIBRARY_DIRS) and "site-packages" not in source
        if typecode == "BINARY" and from_system and not _parts(name)[-1].startswith("libpython"):
            system.append(entry)
        else:
            bundled.append(entry)
    return bundled, system


def owning_packages(paths: Iterable[str], search: Callable[[str], str | None]) -> list[str]:
    """The Debian packages that hold these files; ``search(path)`` is dpkg -S's answer ("pkg:arch: path")."""
    packages = set()
    for path in paths:
        for candidate in (path, os.path.realpath(path), path.replace("/usr/lib/", "/lib/", 1)):
            answer = search(candidate)
            if answer:
                packages.add(answer.split(":", 1)[0].split(",")[0].strip())
                break
        else:
            raise LookupError(f"no Debian package holds {path}")
    return sorted(packages)
