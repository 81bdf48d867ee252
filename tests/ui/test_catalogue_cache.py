"""The translation catalogue is read at start from a parsed copy in the user's cache folder (issue 14: start-up),
which must never show a translation other than the TOML's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import ui.i18n as i18n

CATALOGUE = '[strings]\n"Unlock" = "Lås upp"\n"%n cases" = ["%n ärende", "%n ärenden"]\n'


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A catalogue folder of its own and an empty cache folder (XDG_CACHE_HOME, read by QStandardPaths)."""
    catalogues, cache = tmp_path / "translations", tmp_path / "cache"
    catalogues.mkdir()
    (catalogues / "sv.toml").write_text(CATALOGUE, encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGUE_DIR", catalogues)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return catalogues, cache


def _cached_files(cache: Path) -> list[Path]:
    return sorted(cache.rglob("catalogue-sv.marshal"))


def test_the_first_load_parses_and_caches_and_the_next_reads_the_same(qapp, folders) -> None:  # type: ignore[no-untyped-def]
    _catalogues, cache = folders
    first = i18n.load_catalogue("sv")
    assert first == {"Unlock": "Lås upp", "%n cases": ("%n ärende", "%n ärenden")}
    assert len(_cached_files(cache)) == 1
    assert i18n.load_catalogue("sv") == first


def test_an_edited_catalogue_is_read_anew_not_from_the_cache(qapp, folders) -> None:  # type: ignore[no-untyped-def]
    catalogues, _cache = folders
    i18n.load_catalogue("sv")
    toml = catalogues / "sv.toml"
    toml.write_text(CATALOGUE.replace("Lås upp", "Öppna"), encoding="utf-8")
    stat = toml.stat()
    os.utime(toml, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # even within the clock's resolution
    assert i18n.load_catalogue("sv")["Unlock"] == "Öppna"


def test_a_damaged_cache_file_is_ignored_and_replaced(qapp, folders) -> None:  # type: ignore[no-untyped-def]
    _catalogues, cache = folders
    i18n.load_catalogue("sv")
    [cached] = _cached_files(cache)
    cached.write_bytes(b"\x00garbage")
    assert i18n.load_catalogue("sv")["Unlock"] == "Lås upp"
    assert i18n.load_catalogue("sv") == i18n.parse_catalogue(i18n.CATALOGUE_DIR / "sv.toml")


def test_without_a_writable_cache_folder_the_catalogue_is_still_read(qapp, folders, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _catalogues, cache = folders
    cache.write_text("a file where the folder should be", encoding="utf-8")
    assert i18n.load_catalogue("sv")["Unlock"] == "Lås upp"


def test_the_real_catalogue_reads_the_same_from_the_cache_as_from_the_toml(qapp, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parsed = i18n.parse_catalogue(i18n.CATALOGUE_DIR / "sv.toml")
    assert i18n.load_catalogue("sv") == parsed  # parsed, then cached
    assert _cached_files(tmp_path) and i18n.load_catalogue("sv") == parsed  # from the cache


def test_a_catalogue_replaced_with_the_same_size_and_time_is_read_anew(qapp, folders) -> None:  # type: ignore[no-untyped-def]
    """Packages built with a fixed file time, copies that keep the time: only the bytes tell the change."""
    catalogues, _cache = folders
    toml = catalogues / "sv.toml"
    os.utime(toml, ns=(1_000_000_000, 1_000_000_000))
    assert i18n.load_catalogue("sv")["Unlock"] == "Lås upp"
    toml.write_text(CATALOGUE.replace("Lås upp", "Öppna!!"), encoding="utf-8")  # the same length in bytes
    os.utime(toml, ns=(1_000_000_000, 1_000_000_000))
    assert toml.stat().st_size == len(CATALOGUE.encode())
    assert i18n.load_catalogue("sv")["Unlock"] == "Öppna!!"


def test_a_cached_file_of_the_right_stamp_but_a_foreign_shape_is_parsed_anew(qapp, folders) -> None:  # type: ignore[no-untyped-def]
    import marshal

    _catalogues, cache = folders
    i18n.load_catalogue("sv")
    [cached] = _cached_files(cache)
    stamp, _catalogue = marshal.loads(cached.read_bytes())
    cached.write_bytes(marshal.dumps((stamp, {"Unlock": 42})))
    assert i18n.load_catalogue("sv")["Unlock"] == "Lås upp"
