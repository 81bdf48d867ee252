"""An administrator sees which reference entries are not yet checked against their source (issue 13, point 11)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ibic.reference import load_reference_data, unverified_codes

ROOT = Path(__file__).resolve().parents[2]


def test_the_command_lists_every_unverified_entry_with_its_source_and_the_count() -> None:
    result = subprocess.run([sys.executable, "-m", "ibic.reference_check"], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    lines = result.stdout.strip().splitlines()
    expected = unverified_codes(load_reference_data())
    assert expected, "the data still holds entries nobody has checked"
    assert lines[0] == "kod;benämning;används som;källa att kontrollera mot"
    assert len(lines) == len(expected) + 2
    for line, entry in zip(lines[1:-1], expected, strict=True):
        code, title, place, source = line.split(";")
        assert (code, place) == (entry.code, entry.place) and title and source == entry.source.replace(";", ",")
    assert lines[-1].startswith(f"{len(expected)} av referensdatans koder")


def test_a_verified_entry_is_not_listed() -> None:
    ref = load_reference_data()
    listed = {entry.code for entry in unverified_codes(ref)}
    verified = [sub.code for area in ref.life_areas for sub in area.sub_areas if sub.verified]
    assert verified and not listed & set(verified)
