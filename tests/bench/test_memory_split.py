"""memory_split's figures tell resident memory from free address space (what session 16's reading rests on)."""

from __future__ import annotations

import json
import subprocess
import sys

from bench.memory_split import MEASURE


def test_a_moment_is_split_into_anonymous_file_backed_and_the_allocators_free_parts() -> None:
    code = MEASURE + "\nkept = [bytes(100) for _ in range(20_000)]\nprint(json.dumps(measure()))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout)
    assert figures["RssAnon"] > 0 and figures["RssFile"] > 0
    # The two parts make VmRSS (read a moment apart; the rest is shared memory, none here).
    assert abs(figures["RssAnon"] + figures["RssFile"] - figures["rss"]) < 1.0
    assert figures["pymalloc_arenas"] >= 2  # 20,000 small objects fill more than one 1 MiB arena
    assert 0 <= figures["pymalloc_free_mib"] < figures["pymalloc_arenas"]
    assert 0 <= figures["heap_free_mib"] <= figures["heap_mib"]
    assert result.stderr == ""  # the allocator's statistics were read, not printed
