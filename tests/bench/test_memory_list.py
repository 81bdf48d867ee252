"""memory_list's probe reads Python's allocator and finds the steady moment of bench_start's memory-row child."""

from __future__ import annotations

import json
import subprocess
import sys

from bench.bench_start import APP_UNLOCK
from bench.memory_list import STEADY
from bench.memory_split import PYMALLOC


def test_the_allocator_is_read_with_its_empty_pools() -> None:
    # 100,000 small objects made and every other one freed: used arenas, free blocks inside them.
    code = PYMALLOC + ("\nimport json\nkept = [bytes(100) for _ in range(100_000)]\ndel kept[::2]\n"
                       "print(json.dumps(pymalloc_stats()))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout)
    assert figures["arenas"] >= 10  # ~13 MiB of blocks in 1 MiB arenas
    assert figures["allocated_mib"] > 5
    assert figures["free_mib"] > 2  # the freed half lies in pools that the kept half still uses
    assert 0 <= figures["empty_pools_mib"] < figures["arenas"]
    assert result.stderr == ""  # the statistics were read, not printed


def test_the_probe_goes_in_at_the_memory_rows_steady_moment() -> None:
    # The line the probe follows is in bench_start's child once, inside its ``steady`` step.
    assert APP_UNLOCK.count(STEADY) == 1
    steady = APP_UNLOCK.index("    def steady():")
    assert steady < APP_UNLOCK.index(STEADY) < APP_UNLOCK.index("    def ", steady + 1)
