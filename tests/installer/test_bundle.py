"""The bundle as IT gets it: built by installer/build.sh in a fresh environment, started offscreen through its smoke
option, packaged as a .deb and installed and removed in a scratch root (never the real system).

One build (a few minutes: PyInstaller is the long part; pip's wheel cache keeps the environment quick), started
when the tests are collected so that it runs beside the other folders' tests: the fixture `built` in conftest.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
# What a lean bundle must not hold: test tools, the server stack, Qt modules the app never loads.
FORBIDDEN = ("pytest", "hypothesis", "mypy", "fastapi", "uvicorn", "psycopg", "libQt6Quick", "libQt6Qml",
             "libQt6WebEngine", "libQt63D", "libQt6Multimedia", "libQt6VirtualKeyboard", "libqgtk3", "libqwayland")


def _bundled(built: Path) -> Path:
    return built / "dist" / "Hembesok" / "Hembesok"


def _offscreen() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def test_the_bundled_app_creates_saves_reopens_and_prints_a_case(built: Path, tmp_path: Path) -> None:
    result = subprocess.run([str(_bundled(built)), "--smoke-test", str(tmp_path / "smoke")], capture_output=True,
                            text=True, env=_offscreen(), timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "smoke" / "printed.pdf").read_bytes().startswith(b"%PDF-")


def test_a_failing_smoke_test_exits_non_zero_with_one_line(built: Path, tmp_path: Path) -> None:
    from storage.layout import key_file_path

    existing = key_file_path(tmp_path / "smoke" / "profile")  # a profile is there already: never overwritten
    existing.parent.mkdir(parents=True)
    existing.write_text("not a key file", encoding="utf-8")
    result = subprocess.run([str(_bundled(built)), "--smoke-test", str(tmp_path / "smoke")], capture_output=True,
                            text=True, env=_offscreen(), timeout=300)
    assert result.returncode == 1
    failure = [line for line in result.stderr.splitlines() if line.startswith("smoke test failed")]
    assert len(failure) == 1 and "create profile" in failure[0]


def test_the_bundle_holds_the_app_and_nothing_it_never_loads(built: Path) -> None:
    result = subprocess.run([str(_bundled(built)), "--version"], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == f"Hembesök {VERSION}"
    names = [p.name for p in (built / "dist" / "Hembesok").rglob("*")]
    assert not [n for n in names if n.startswith(FORBIDDEN)]
    assert "qtbase_sv.qm" in names and "bundle.json" in names and "LGPL-3.0.txt" in names
    assert not [p for p in (built / "dist" / "Hembesok").rglob("*") if p.is_symlink() and not p.exists()]


def test_the_bundle_starts_on_an_x_display_with_the_systems_libraries(built: Path, tmp_path: Path) -> None:
    """The xcb platform plugin, not offscreen: the bundle leaves X11, xcb and GL to the system's packages."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path)}
    result = subprocess.run(["xvfb-run", "-a", str(_bundled(built)), "--quit-when-shown", "--profile",
                             str(tmp_path / "profile")], capture_output=True, text=True, env=environment, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]


def _scratch_root(tmp_path: Path) -> Path:
    """A dpkg database of its own that knows what this machine has installed, so Depends are really checked."""
    root = tmp_path / "root"
    database = root / "var" / "lib" / "dpkg"
    for folder in ("info", "updates", "triggers"):
        (database / folder).mkdir(parents=True)
    shutil.copy("/var/lib/dpkg/status", database / "status")
    (database / "available").touch()
    return root


def _dpkg(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = ["dpkg", f"--root={root}", "--log=/dev/null", "--force-script-chrootless", *arguments]
    if os.geteuid() != 0:
        command.insert(1, "--force-not-root")
    # dpkg checks that ldconfig and start-stop-daemon are on PATH; Debian keeps them in the sbin folders, which a
    # normal user's PATH lacks (the README's test command runs as such a user too).
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin", "/sbin"])
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env={**os.environ, "PATH": path})


def test_the_deb_installs_and_removes_in_a_scratch_root(built: Path, tmp_path: Path) -> None:
    architecture = subprocess.check_output(["dpkg", "--print-architecture"], text=True).strip()
    package = built / f"hembesok_{VERSION}_{architecture}.deb"
    root = _scratch_root(tmp_path)
    installed = _dpkg(root, "-i", str(package))
    assert installed.returncode == 0, installed.stderr
    launcher = (root / "usr" / "bin" / "hembesok").read_text(encoding="utf-8")
    assert "exec /opt/hembesok/Hembesok" in launcher and os.access(root / "usr" / "bin" / "hembesok", os.X_OK)
    version = subprocess.run([str(root / "opt" / "hembesok" / "Hembesok"), "--version"], capture_output=True,
                             text=True, timeout=120)
    assert version.stdout.strip() == f"Hembesök {VERSION}"
    entry = (root / "usr" / "share" / "applications" / "hembesok.desktop").read_text(encoding="utf-8")
    assert "Exec=hembesok" in entry and "Icon=hembesok" in entry
    assert (root / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "hembesok.png").is_file()
    profile = root / "home" / "handlaggare" / ".local" / "share" / "Hembesok" / "profile.db"
    profile.parent.mkdir(parents=True)
    profile.write_bytes(b"a user's encrypted profile")
    removed = _dpkg(root, "--purge", "hembesok")
    assert removed.returncode == 0, removed.stderr
    assert not (root / "opt" / "hembesok").exists() and not (root / "usr" / "bin" / "hembesok").exists()
    assert profile.read_bytes() == b"a user's encrypted profile"  # removing the app never touches a profile
