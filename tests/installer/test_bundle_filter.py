"""What the spec keeps of PyInstaller's collection (installer/bundle_filter.py, installer/icu_data.py), on made-up
collections: the bundle test proves the real one starts; these pin the rules one by one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))

import bundle_filter
import icu_data

LIB = "PySide6/Qt/lib"
BINARIES = [
    ("PySide6/QtWidgets.abi3.so", "/venv/PySide6/QtWidgets.abi3.so", "EXTENSION"),
    (f"{LIB}/libQt6Widgets.so.6", "/venv/lib/libQt6Widgets.so.6", "BINARY"),
    (f"{LIB}/libQt6Core.so.6", "/venv/lib/libQt6Core.so.6", "BINARY"),
    (f"{LIB}/libQt6Quick.so.6", "/venv/lib/libQt6Quick.so.6", "BINARY"),
    (f"{LIB}/libQt6Qml.so.6", "/venv/lib/libQt6Qml.so.6", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "/venv/plugins/platforms/libqxcb.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", "/venv/plugins/platforms/libqwayland.so", "BINARY"),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", "/venv/vk.so", "BINARY"),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", "/venv/plugins/imageformats/libqjpeg.so", "BINARY"),
    ("libQt6Quick.so.6", f"{LIB}/libQt6Quick.so.6", "SYMLINK"),
    ("libQt6Core.so.6", f"{LIB}/libQt6Core.so.6", "SYMLINK"),
]
LINKS = {
    "/venv/PySide6/QtWidgets.abi3.so": ["libQt6Widgets.so.6"],
    "/venv/lib/libQt6Widgets.so.6": ["libQt6Core.so.6"],
    "/venv/plugins/platforms/libqxcb.so": ["libQt6Core.so.6"],
    "/venv/vk.so": ["libQt6Quick.so.6"],
    "/venv/lib/libQt6Quick.so.6": ["libQt6Qml.so.6", "libQt6Core.so.6"],
}


def test_unused_plugins_and_the_libraries_only_they_link_are_dropped_with_their_symlinks() -> None:
    kept, _datas = bundle_filter.trim(BINARIES, [], lambda source: LINKS.get(source, []))
    names = [name for name, _source, _kind in kept]
    assert names == [
        "PySide6/QtWidgets.abi3.so", f"{LIB}/libQt6Widgets.so.6", f"{LIB}/libQt6Core.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so", "libQt6Core.so.6",
    ]


def test_only_the_swedish_qt_translation_stays() -> None:
    datas = [("PySide6/Qt/translations/qtbase_sv.qm", "a", "DATA"), ("PySide6/Qt/translations/qtbase_de.qm", "b",
             "DATA"), ("resources/translations/sv.toml", "c", "DATA")]
    _kept, kept_datas = bundle_filter.trim([], datas, lambda source: [])
    assert [name for name, _s, _k in kept_datas] == ["PySide6/Qt/translations/qtbase_sv.qm",
                                                     "resources/translations/sv.toml"]


def test_windows_paths_follow_the_same_rules() -> None:
    assert bundle_filter.is_unwanted_plugin("PySide6\\plugins\\platforms\\qminimal.dll")
    assert not bundle_filter.is_unwanted_plugin("PySide6\\plugins\\platforms\\qwindows.dll")
    assert not bundle_filter.is_unwanted_plugin("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll")


def test_system_libraries_are_left_to_the_distribution_but_python_stays() -> None:
    binaries = [
        ("libX11.so.6", "/usr/lib/x86_64-linux-gnu/libX11.so.6", "BINARY"),
        ("libpython3.11.so.1.0", "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", "BINARY"),
        ("python3.11/lib-dynload/_ssl.so", "/usr/lib/python3.11/lib-dynload/_ssl.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/usr/lib/python3/site-packages/PySide6/Qt/lib/libQt6Core.so.6", "BINARY"),
    ]
    bundled, system = bundle_filter.split_system_libraries(binaries)
    assert [name for name, _s, _k in system] == ["libX11.so.6"]
    assert len(bundled) == 3


def test_owning_packages_read_dpkgs_answer_and_refuse_an_unknown_library() -> None:
    answers = {"/lib/x86_64-linux-gnu/libX11.so.6": "libx11-6:amd64: /lib/x86_64-linux-gnu/libX11.so.6"}
    packages = bundle_filter.owning_packages(["/usr/lib/x86_64-linux-gnu/libX11.so.6"], answers.get)
    assert packages == ["libx11-6"]
    with pytest.raises(LookupError, match="libnowhere"):  # an unknown library stops the build
        bundle_filter.owning_packages(["/usr/lib/libnowhere.so.1"], answers.get)


def test_icu_keeps_swedish_english_and_shared_data_only() -> None:
    for kept in ("root.res", "sv.res", "coll/sv.res", "sv_FI.res", "en_GB.res", "coll/ucadata.icu", "pool.res",
                 "curr/pool.res", "res_index.res", "supplementalData.res", "zoneinfo64.res", "brkitr/line.brk",
                 "uts46.nrm", "cnvalias.icu"):
        assert icu_data.wanted(kept), kept
    for dropped in ("de.res", "coll/zh.res", "zh_Hant_TW.res", "brkitr/thaidict.dict", "ibm-1390_P110-2003.cnv",
                    "lang/fr_CA.res", "es_419.res"):
        assert not icu_data.wanted(dropped), dropped


def test_icupkg_is_found_on_a_normal_users_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Debian installs icupkg in /usr/sbin, which a normal user's PATH lacks (the build failed as non-root)."""
    monkeypatch.setenv("PATH", "/usr/local/bin:/usr/bin:/bin")
    found = Path(icu_data._icupkg())
    assert found.name == "icupkg" and found.is_file(), "icu-devtools comes with installer/system-deps.sh"
