"""`main.py --smoke-test DIR` from source: the same check the bundle test runs on the built app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _smoke(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--smoke-test", str(directory)], capture_output=True,
                          text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, cwd=ROOT, timeout=300)


def test_from_source_the_smoke_test_passes_and_leaves_a_printed_pdf(tmp_path: Path) -> None:
    result = _smoke(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF-")


def test_a_second_run_in_the_same_folder_fails_with_one_line_and_keeps_the_profile(tmp_path: Path) -> None:
    assert _smoke(tmp_path).returncode == 0
    key_file = next((tmp_path / "profile").glob("*.key"))
    before = key_file.read_bytes()
    result = _smoke(tmp_path)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("smoke test failed")] == [
        "smoke test failed at 'create profile and save a case': ProfileExists: "
        f"a profile already exists in {tmp_path / 'profile'}"
    ]
    assert key_file.read_bytes() == before
