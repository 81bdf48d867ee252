"""Starting the app where no window can open: one line that says why, not Qt's abort (rc 134)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NO_DISPLAY = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def start_app(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGS`` as a person starts it from a text console: no graphical session at all."""
    env = {key: value for key, value in os.environ.items() if key not in NO_DISPLAY}
    env["TMPDIR"] = str(tmp_path)  # where --demo would make its throwaway profile
    return subprocess.run([sys.executable, str(REPO / "main.py"), *arguments], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)


def test_without_a_display_the_app_says_in_one_line_that_it_needs_a_graphical_session(tmp_path: Path) -> None:
    done = start_app(tmp_path, "--demo")
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "graphical session" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []  # nothing made: no demo profile, no settings file


def test_version_and_help_need_no_display(tmp_path: Path) -> None:
    version = start_app(tmp_path, "--version")
    assert (version.returncode, version.stdout.startswith("Hembesök ")) == (0, True), version.stderr
    helped = start_app(tmp_path, "--help")
    assert helped.returncode == 0 and "--demo" in helped.stdout
