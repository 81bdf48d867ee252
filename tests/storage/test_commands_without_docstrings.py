"""IT's commands (``python -m storage.recover``, ``storage.restore``) start when Python drops docstrings (-OO, which a
start may use to keep ~1.2 MiB of them out of the window's memory: docs/architecture.md "Steady memory after unlock").
Their description was their docstring's first line, read as ``__doc__.splitlines()`` (None under -OO)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", ["storage.recover", "storage.restore"])
def test_the_command_prints_its_usage_with_docstrings_dropped(command: str) -> None:
    result = subprocess.run([sys.executable, "-OO", "-m", command, "--help"], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]  # on main: AttributeError, 'NoneType' has no 'splitlines'
    assert result.stdout.startswith(f"usage: python -m {command} [-h] --profile")
