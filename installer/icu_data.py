"""A smaller ICU data library for the Linux bundle (used by hembesok.spec; Linux only).

PySide6's Linux wheels link Qt Core to ICU, whose data library (libicudata.so.NN) holds every locale, converter
and break dictionary of the world: 32 MB, a fifth of the bundle. The app speaks Swedish and English, so this keeps
the data Qt needs (properties, normalisation, collation root and the Swedish/English tailorings, time zones,
plural rules) and drops the other locales, the legacy code-page converters (Qt decodes UTF-8 itself) and the
dictionaries for word breaking in Thai, Lao, Khmer, Burmese and CJK text. With any other language Qt falls back to
ICU's root data, which sorts and breaks text by the Unicode defaults.

Needs binutils (nm, readelf), gcc and ICU's icupkg (Debian: icu-devtools); `installer/system-deps.sh build`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

KEEP_LOCALES = {"root", "en", "en_001", "en_150", "en_GB", "en_US", "en_US_POSIX", "en_SE",
                "sv", "sv_SE", "sv_FI", "sv_AX"}
# A locale id: language, optional script, optional region (two letters or three digits), optional variant.
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_([A-Z]{2}|\d{3}))?(_[A-Z]+)*$")
_DROPPED_KINDS = (".cnv", ".dict")


def wanted(item: str) -> bool:
    """Whether an ICU data item (e.g. ``coll/sv.res``, ``brkitr/thaidict.dict``) stays."""
    name = item.rsplit("/", 1)[-1]
    stem, _, extension = name.rpartition(".")
    if f".{extension}" in _DROPPED_KINDS:
        return False
    if extension != "res" or not _LOCALE.match(stem) or stem in {"pool", "res_index"}:
        return True
    return stem in KEEP_LOCALES


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _icupkg() -> str:
    """Debian's icu-devtools puts icupkg in /usr/sbin, which is on root's PATH but not on a normal user's."""
    return shutil.which("icupkg") or shutil.which("icupkg", path="/usr/sbin:/sbin") or "icupkg"


def extract(library: Path) -> tuple[str, bytes]:
    """The data symbol's name (icudtNN_dat) and its bytes."""
    symbol = next(
        line.split() for line in _run("nm", "-D", "-S", "--defined-only", str(library)).splitlines()
        if line.split()[-1].startswith("icudt") and line.split()[-1].endswith("_dat")
    )
    address, size, name = int(symbol[0], 16), int(symbol[1], 16), symbol[-1]
    for line in _run("readelf", "-S", "-W", str(library)).splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == ".rodata":
            section_address, section_offset = int(fields[3], 16), int(fields[4], 16)
            offset = address - section_address + section_offset
            return name, library.read_bytes()[offset : offset + size]
    raise ValueError(f"no .rodata section in {library}")


def trimmed_library(library: Path, work: Path) -> Path:
    """Build the smaller libicudata next to ``work`` with the same soname and data symbol; returns its path."""
    work.mkdir(parents=True, exist_ok=True)
    symbol, data = extract(library)
    # icupkg names the items after the file, which must be the package's own name (icudt73l: little-endian).
    package = symbol.removesuffix("_dat") + "l"
    full, small = work / "full" / f"{package}.dat", work / f"{package}.dat"
    full.parent.mkdir(exist_ok=True)
    full.write_bytes(data)
    items = _run(_icupkg(), "-l", str(full)).split()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", dir=work, delete=False) as dropped:
        dropped.write("\n".join(item for item in items if not wanted(item)) + "\n")
    # --ignore-deps: root.res names the dropped break dictionaries; ICU copes with their absence (root rules).
    _run(_icupkg(), "--ignore-deps", "-r", dropped.name, str(full), str(small))
    source = work / "icudata.S"
    source.write_text(
        f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n{symbol}:\n'
        f'\t.incbin "{small}"\n\t.size {symbol}, . - {symbol}\n\t.section .note.GNU-stack,"",@progbits\n',
        encoding="utf-8",
    )
    output = work / library.name
    _run("gcc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(output), str(source))
    return output
