"""Which third-party software the app runs on, and under which licences (for the About dialog).

From source the list is read from the installed distributions' metadata (``importlib.metadata``), starting at the
runtime dependencies in ``pyproject.toml`` and following each distribution's own requirements. A PyInstaller
bundle carries no distribution metadata, so ``installer/hembesok.spec`` calls :func:`write_manifest` at build time
and the bundle reads that file instead. Plain Python: no Qt, so the spec can import it.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LICENCE_DIR = ROOT / "resources" / "licences"
MANIFEST = LICENCE_DIR / "bundle.json"  # written into the bundle only, never into the source tree
QT_DISTRIBUTIONS = ("pyside6-essentials", "pyside6-addons", "pyside6-pdf", "shiboken6")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")
_LICENCE_FILE = re.compile(r"(^|/)(licen[cs]e|copying|notice)[^/]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str  # an SPDX expression where the metadata gives one, else the metadata's own words
    texts: tuple[str, ...] = ()  # the licence files the distribution ships


@dataclass(frozen=True)
class Inventory:
    built: str  # ISO date of the bundle's build; "" when running from source
    python: str
    components: tuple[Component, ...]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The app's own runtime dependencies (not the dev or server extras)."""
    with pyproject.open("rb") as file:
        return list(tomllib.load(file)["project"]["dependencies"])


def _parse(requirement: str) -> tuple[str, set[str], str | None]:
    """Name, requested extras and the extra the requirement belongs to (None: always wanted)."""
    match = _NAME.match(requirement)
    if match is None:
        raise ValueError(f"unreadable requirement: {requirement!r}")
    extras = {canonical(e) for e in (match.group(2) or "").split(",") if e.strip()}
    marker = requirement.split(";", 1)[1] if ";" in requirement else ""
    only_for = _EXTRA.search(marker)
    return canonical(match.group(1)), extras, canonical(only_for.group(1)) if only_for else None


def installed_closure(requirements: list[str]) -> list[metadata.Distribution]:
    """Every installed distribution the requirements pull in. A requirement for another platform is simply not
    installed, so "installed and required" is what a bundle built here holds."""
    found: dict[str, metadata.Distribution] = {}
    pending = [(_parse(r)[0], _parse(r)[1]) for r in requirements]
    while pending:
        name, extras = pending.pop()
        if name in found:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[name] = distribution
        for requirement in distribution.requires or []:
            child, child_extras, only_for = _parse(requirement)
            if only_for is None or only_for in extras:
                pending.append((child, child_extras))
    return sorted(found.values(), key=lambda d: canonical(d.metadata["Name"]))


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    """A metadata field, "" when absent (``meta[name]`` would warn or raise on newer Pythons)."""
    return str((meta.get_all(name) or [""])[0])


def licence_of(distribution: metadata.Distribution) -> str:
    meta = distribution.metadata
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    words = _field(meta, "License").strip().splitlines()
    if words and len(words[0]) < 120:
        return words[0]
    classifiers = [c.rsplit("::", 1)[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License")]
    return "; ".join(classifiers) or "see the licence text"


def licence_texts(distribution: metadata.Distribution) -> tuple[str, ...]:
    texts = []
    for file in distribution.files or []:
        if _LICENCE_FILE.search(str(file)) and ".dist-info" in str(file):
            try:
                texts.append(Path(str(file.locate())).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
    return tuple(texts)


def component(distribution: metadata.Distribution) -> Component:
    return Component(
        name=distribution.metadata["Name"],
        version=distribution.version,
        licence=licence_of(distribution),
        texts=licence_texts(distribution),
    )


def python_version() -> str:
    return sys.version.split()[0]


def from_metadata(built: str = "") -> Inventory:
    components = tuple(component(d) for d in installed_closure(runtime_requirements()))
    return Inventory(built=built, python=python_version(), components=components)


def write_manifest(target: Path) -> Path:
    """Called by the PyInstaller spec in the build environment: what this bundle holds, and when it was built."""
    inventory = from_metadata(built=datetime.now(UTC).date().isoformat())
    # The bundle's start-up program is PyInstaller's bootloader (GPL-2.0-or-later with an exception for bundles).
    bootloader = [d for d in installed_closure(["pyinstaller"]) if canonical(d.metadata["Name"]) == "pyinstaller"]
    inventory = Inventory(inventory.built, inventory.python, (*inventory.components, *map(component, bootloader)))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(asdict(inventory), ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def current(manifest: Path = MANIFEST) -> Inventory:
    """The bundle's manifest when there is one (a built app), otherwise the installed metadata (from source)."""
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        components = tuple(
            Component(c["name"], c["version"], c["licence"], tuple(c["texts"])) for c in data["components"]
        )
        return Inventory(built=data["built"], python=data["python"], components=components)
    return from_metadata()


def qt_licence_text() -> str:
    """PySide6's wheels ship no licence file; the LGPL-3.0 (with the GPL-3.0 it builds on) is kept in resources."""
    return "\n\n".join(
        (LICENCE_DIR / name).read_text(encoding="utf-8") for name in ("LGPL-3.0.txt", "GPL-3.0.txt")
    )
